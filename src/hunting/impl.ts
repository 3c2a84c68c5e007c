/**
 * Hunting's implementation, a lazy chunk (see esbuild.js): loaded by the first hunting notebook, command
 * or renderer message, never by activate(). It builds the hunting client for the settings in effect, the
 * commands, the cell execution and the answers to the result renderer.
 */
import * as vscode from 'vscode';
import type { BackendHost } from '../backendHost';
import type { Log } from '../log';
import type { Triage } from '../store/triage';
import type { IncidentStore } from '../store/incidentStore';
import type { TreeNode } from '../tree/incidentsTree';
import { HuntingClient, sharedHuntingPacer } from './client';
import { cellResult, HuntbookSerializer, runCells } from './notebook';
import { huntingCommands } from './commands';
import { cellsForIncident, cellsForValue } from './evidenceCells';
import { asHuntOutput } from '../shared/huntTable';
import { info, ui } from '../ui/surface';

/** The largest CSV or clipboard text the renderer may hand back (a 100,000-row result fits). */
const MAX_EXPORT_CHARS = 256 * 1024 * 1024;

export interface HuntingImplDeps {
  host: BackendHost;
  log: Log;
  triage: Triage;
  store: IncidentStore;
  view: vscode.TreeView<TreeNode>;
  confirm: (message: string, detail: string, button: string) => Promise<boolean>;
}

export function createHuntingImpl(d: HuntingImplDeps) {
  let current: { key: string; client: HuntingClient } | undefined;
  const client = async (): Promise<HuntingClient> => {
    const ep = await d.host.huntingEndpoint();
    // One client per connection too: each result names the connection (tenant) it came from.
    const connection = d.host.connection();
    const key = `${ep.flavor}|${ep.baseUrl}|${ep.tenantKey}|${connection}`;
    if (!current || current.key !== key) {
      current?.client.dispose();
      current = {
        key,
        client: new HuntingClient({
          baseUrl: ep.baseUrl,
          tokens: ep.tokens,
          flavor: ep.flavor,
          pacer: sharedHuntingPacer(ep.tenantKey),
          log: line => d.log.request(line),
          connection,
        }),
      };
    }
    return current.client;
  };
  const cmds = huntingCommands({
    triage: d.triage,
    store: d.store,
    view: d.view,
    confirm: d.confirm,
    cellsForIncident: id => cellsForIncident(d.store, id),
    cellsForValue: (kind, value, incidentId) => cellsForValue(d.store, kind, value, incidentId),
    signInForHunting: async () => {
      await d.host.huntingEndpoint(true);
      void info(ui`Defender Incidents: signed in for advanced hunting.`);
    },
  });
  return {
    client,
    commands: cmds.table,
    serializer: new HuntbookSerializer(),
    execute: (controller: vscode.NotebookController, cells: readonly vscode.NotebookCell[]) =>
      runCells(controller, cells, { client, log: line => d.log.warn(line) }),
    onRendererMessage: (editor: vscode.NotebookEditor, m: unknown) => onRendererMessage(editor, m, cmds.addResult),
    dispose: () => current?.client.dispose(),
  };
}

export type HuntingImpl = ReturnType<typeof createHuntingImpl>;

/**
 * What the result renderer asks for, validated: copy text, save a CSV where the user picks, or add the
 * result to the incident. The renderer names a result by its query and time; the result posted is the
 * host's own copy from the cell output, never text the renderer sends.
 */
async function onRendererMessage(editor: vscode.NotebookEditor, m: unknown, addResult: ReturnType<typeof huntingCommands>['addResult']): Promise<void> {
  if (typeof m !== 'object' || m === null) return;
  const msg = m as Record<string, unknown>;
  switch (msg.type) {
    case 'copy':
      if (typeof msg.text !== 'string' || msg.text.length > MAX_EXPORT_CHARS) return;
      await vscode.env.clipboard.writeText(msg.text);
      void vscode.window.setStatusBarMessage('Defender Incidents: copied to the clipboard', 3000);
      return;
    case 'exportCsv': {
      if (typeof msg.csv !== 'string' || msg.csv.length > MAX_EXPORT_CHARS) return;
      const uri = await vscode.window.showSaveDialog({ filters: { CSV: ['csv'] }, saveLabel: 'Export CSV', title: 'Export hunting result as CSV' });
      if (!uri) return;
      // A BOM so spreadsheet programs read the file as UTF-8.
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(`\uFEFF${msg.csv}`));
      void info(ui`Defender Incidents: CSV exported.`);
      return;
    }
    case 'addToIncident': {
      if (typeof msg.ranAt !== 'string' || typeof msg.query !== 'string') return;
      for (const cell of editor.notebook.getCells()) {
        const out = asHuntOutput(cellResult(cell));
        if (out && out.ranAt === msg.ranAt && out.query === msg.query) {
          await addResult(cell, out);
          return;
        }
      }
      void info(ui`Defender Incidents: that result is no longer in the notebook.`);
      return;
    }
    default:
  }
}
