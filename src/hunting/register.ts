/**
 * Hunting's part of activate(): registrations only. The serializer, the controller and the providers
 * are cheap objects; the hunting client is built on the first run, the KQL language service process
 * starts with the first KQL document, and nothing here touches the network or a secret.
 */
import * as vscode from 'vscode';
import type { BackendHost } from '../backendHost';
import type { Log } from '../log';
import { HuntingClient, sharedHuntingPacer } from './client';
import { createHuntingController, cellResult, HuntbookSerializer, NOTEBOOK_TYPE } from './notebook';
import { huntingCommands, type HuntingCommandDeps } from './commands';
import { registerKqlLanguage } from './kqlLanguage';
import { asHuntOutput } from './table';

export const RENDERER_ID = 'defenderIncidents.huntResult';

/** The largest CSV or clipboard text the renderer may hand back (a 100,000-row result fits). */
const MAX_EXPORT_CHARS = 256 * 1024 * 1024;

export interface HuntingDeps extends Omit<HuntingCommandDeps, 'signInForHunting' | 'confirm'> {
  context: vscode.ExtensionContext;
  host: BackendHost;
  log: Log;
}

export interface Hunting {
  disposables: vscode.Disposable[];
  commands: ReturnType<typeof huntingCommands>['table'];
  /** The client for the current settings (tests and the agent tools run queries through it). */
  client: () => Promise<HuntingClient>;
  /** Tests only (DEFENDER_INCIDENTS_TEST=1): answers the "Add result to incident" modal. Absent otherwise. */
  setConfirm?: (answer: ((message: string, detail: string) => boolean) | undefined) => void;
}

export function registerHunting(d: HuntingDeps): Hunting {
  let current: { key: string; client: Promise<HuntingClient> } | undefined;
  const client = async (): Promise<HuntingClient> => {
    const ep = await d.host.huntingEndpoint();
    const key = `${ep.flavor}|${ep.baseUrl}|${ep.tenantKey}`;
    if (!current || current.key !== key) {
      const old = current;
      current = { key, client: Promise.resolve(new HuntingClient({ baseUrl: ep.baseUrl, tokens: ep.tokens, flavor: ep.flavor, pacer: sharedHuntingPacer(ep.tenantKey), log: line => d.log.request(line) })) };
      void old?.client.then(c => c.dispose());
    }
    return current.client;
  };
  const signInForHunting = async () => {
    await d.host.huntingEndpoint(true);
    void vscode.window.showInformationMessage('Defender Incidents: signed in for advanced hunting.');
  };
  let answer: ((message: string, detail: string) => boolean) | undefined;
  const confirm = async (message: string, detail: string, button: string) => (answer
    ? answer(message, detail)
    : (await vscode.window.showWarningMessage(message, { modal: true, detail }, button)) === button);
  const cmds = huntingCommands({ ...d, signInForHunting, confirm });
  const controller = createHuntingController({ client, log: line => d.log.warn(line) });
  // The only controller for hunting notebooks: preferred, so a new notebook runs without picking a kernel.
  const prefer = (nb: vscode.NotebookDocument) => { if (nb.notebookType === NOTEBOOK_TYPE) controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred); };
  vscode.workspace.notebookDocuments.forEach(prefer);
  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  return {
    client,
    commands: cmds.table,
    ...(process.env.DEFENDER_INCIDENTS_TEST === '1' ? { setConfirm: (a: typeof answer) => { answer = a; } } : {}),
    disposables: [
      vscode.workspace.onDidOpenNotebookDocument(prefer),
      vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new HuntbookSerializer(), { transientOutputs: true }),
      controller,
      messaging.onDidReceiveMessage(e => void onRendererMessage(e.editor, e.message, cmds.addResult).catch(err => {
        d.log.error(`Hunting result: ${err instanceof Error ? err.message : String(err)}`);
        void vscode.window.showErrorMessage(`Defender Incidents: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500));
      })),
      ...registerKqlLanguage(d.context.extensionUri.fsPath, line => d.log.info(line)),
      { dispose: () => { void current?.client.then(c => c.dispose()); } },
    ],
  };
}

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
      void vscode.window.showInformationMessage('Defender Incidents: CSV exported.');
      return;
    }
    case 'addToIncident': {
      if (typeof msg.ranAt !== 'string' || typeof msg.query !== 'string') return;
      for (const cell of editor.notebook.getCells()) {
        const out = asHuntOutput(cellResult(cell));
        if (out && out.ranAt === msg.ranAt && out.query === msg.query) { await addResult(cell, out); return; }
      }
      void vscode.window.showInformationMessage('Defender Incidents: that result is no longer in the notebook.');
      return;
    }
    default:
  }
}
