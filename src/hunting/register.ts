/**
 * Hunting's part of activate(): registrations only, each a small stub. The notebook serializer, the
 * controller's execution, the renderer's messages and the commands load the implementation (./impl, a
 * lazy chunk) on first use; the KQL language service process starts with the first KQL document. Nothing
 * here touches the network or a secret.
 */
import * as vscode from 'vscode';
import type { BackendHost } from '../backendHost';
import type { Log } from '../log';
import type { Triage } from '../store/triage';
import type { IncidentStore } from '../store/incidentStore';
import type { TreeNode } from '../tree/incidentsTree';
import type { HuntingClient } from './client';
import type { HuntingImpl } from './impl';
import { Commands } from '../constants';
import { CONTROLLER_ID, NOTEBOOK_TYPE, RENDERER_ID } from './ids';
import { registerKqlLanguage } from './kqlLanguage';
import { confirmDetailed, error, joinSafe, safe, ui } from '../ui/surface';

export interface HuntingDeps {
  context: vscode.ExtensionContext;
  host: BackendHost;
  log: Log;
  triage: () => Promise<Triage>;
  store: IncidentStore;
  view: vscode.TreeView<TreeNode>;
}

const HUNTING_COMMANDS = [
  Commands.huntFromIncident,
  Commands.huntFor,
  Commands.runHuntingQuery,
  Commands.addHuntResultToIncident,
  Commands.signInForHunting,
] as const;
export type HuntingCommandTable = Record<(typeof HUNTING_COMMANDS)[number], (...args: unknown[]) => unknown>;

export interface Hunting {
  disposables: vscode.Disposable[];
  /** Stubs that load the implementation, for the command table (src/commands/table.ts). */
  commands: HuntingCommandTable;
  /** The client for the current settings (tests and the agent tools run queries through it). */
  client: () => Promise<HuntingClient>;
  /** Tests only (DEFENDER_INCIDENTS_TEST=1): answers the "Add result to incident" modal. Absent otherwise. */
  setConfirm?: (answer: ((message: string, detail: string) => boolean) | undefined) => void;
}

export function registerHunting(d: HuntingDeps): Hunting {
  let answer: ((message: string, detail: string) => boolean) | undefined;
  const confirm = async (message: string, detail: string, button: string) =>
    answer
      ? answer(message, detail)
      : (await confirmDetailed(safe(message, { max: 400 }), joinSafe(detail.split('\n').map(l => safe(l, { max: 2400 }))), button)) === button;
  let loaded: Promise<HuntingImpl> | undefined;
  const impl = (): Promise<HuntingImpl> => {
    const p = (loaded ??= Promise.all([import('./impl'), d.triage()]).then(([m, triage]) => m.createHuntingImpl({ ...d, triage, confirm })));
    p.catch(() => {
      if (loaded === p) loaded = undefined;
    });
    return p;
  };

  const controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'Defender Advanced Hunting');
  controller.supportedLanguages = ['kql'];
  controller.supportsExecutionOrder = true;
  controller.description = 'Runs KQL cells through Microsoft Graph runHuntingQuery';
  controller.executeHandler = async cells => (await impl()).execute(controller, cells);
  // The only controller for hunting notebooks: preferred, so a new notebook runs without picking a kernel.
  const prefer = (nb: vscode.NotebookDocument) => {
    if (nb.notebookType === NOTEBOOK_TYPE) controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
  };
  vscode.workspace.notebookDocuments.forEach(prefer);

  const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
  const commands = Object.fromEntries(
    HUNTING_COMMANDS.map(id => [id, async (...args: unknown[]) => ((await impl()).commands[id] as (...a: unknown[]) => unknown)(...args)]),
  ) as HuntingCommandTable;

  return {
    commands,
    client: async () => (await impl()).client(),
    ...(process.env.DEFENDER_INCIDENTS_TEST === '1'
      ? {
          setConfirm: (a: typeof answer) => {
            answer = a;
          },
        }
      : {}),
    disposables: [
      vscode.workspace.registerNotebookSerializer(
        NOTEBOOK_TYPE,
        {
          deserializeNotebook: async content => (await impl()).serializer.deserializeNotebook(content),
          serializeNotebook: async data => (await impl()).serializer.serializeNotebook(data),
        },
        { transientOutputs: true },
      ),
      controller,
      vscode.workspace.onDidOpenNotebookDocument(prefer),
      messaging.onDidReceiveMessage(
        e =>
          void impl()
            .then(i => i.onRendererMessage(e.editor, e.message))
            .catch(err => {
              d.log.error(`Hunting result: ${err instanceof Error ? err.message : String(err)}`);
              void error(ui`Defender Incidents: ${safe(err instanceof Error ? err.message : String(err), { max: 480 })}`);
            }),
      ),
      ...registerKqlLanguage(d.context.extensionUri.fsPath, line => d.log.info(line)),
      {
        dispose: () => {
          void loaded?.then(
            i => i.dispose(),
            () => undefined,
          );
        },
      },
    ],
  };
}
