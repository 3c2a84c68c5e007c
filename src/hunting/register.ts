/**
 * Hunting's part of activate(): registrations only, each a small stub. The notebook serializer, the
 * controller's execution, the renderer's messages and the commands load the implementation (./impl, a
 * lazy chunk) on first use; the controller itself is made with the first hunting notebook, and the KQL
 * editing help (./kqlLanguage, a lazy chunk, and its language service process) with the first KQL
 * document. Nothing here touches the network or a secret.
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
import { CONTROLLER_ID, KQL_LANGUAGE, NOTEBOOK_TYPE, RENDERER_ID } from './ids';
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

  // The controller and the renderer's messages are made with the first hunting notebook (its file read
  // by the serializer, an untitled one opened, or a hunting command run), not in activate(): a notebook's
  // outputs exist only once the controller ran its cells.
  const subs: vscode.Disposable[] = [];
  let controller: vscode.NotebookController | undefined;
  const prefer = (nb: vscode.NotebookDocument) => {
    if (nb.notebookType === NOTEBOOK_TYPE) ensureController().updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
  };
  const ensureController = (): vscode.NotebookController => {
    if (controller) return controller;
    const c = (controller = vscode.notebooks.createNotebookController(CONTROLLER_ID, NOTEBOOK_TYPE, 'Defender Advanced Hunting'));
    c.supportedLanguages = ['kql'];
    c.supportsExecutionOrder = true;
    c.description = 'Runs KQL cells through Microsoft Graph runHuntingQuery';
    c.executeHandler = async cells => (await impl()).execute(c, cells);
    const messaging = vscode.notebooks.createRendererMessaging(RENDERER_ID);
    subs.push(
      c,
      messaging.onDidReceiveMessage(
        e =>
          void impl()
            .then(i => i.onRendererMessage(e.editor, e.message))
            .catch(err => {
              d.log.error(`Hunting result: ${err instanceof Error ? err.message : String(err)}`);
              void error(ui`Defender Incidents: ${safe(err instanceof Error ? err.message : String(err), { max: 480 })}`);
            }),
      ),
    );
    // The only controller for hunting notebooks: preferred, so a new notebook runs without picking a kernel.
    vscode.workspace.notebookDocuments.forEach(prefer);
    return c;
  };
  vscode.workspace.notebookDocuments.forEach(prefer);

  const commands = Object.fromEntries(
    HUNTING_COMMANDS.map(id => [
      id,
      async (...args: unknown[]) => {
        ensureController();
        return ((await impl()).commands[id] as (...a: unknown[]) => unknown)(...args);
      },
    ]),
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
          deserializeNotebook: async content => {
            ensureController();
            return (await impl()).serializer.deserializeNotebook(content);
          },
          serializeNotebook: async data => (await impl()).serializer.serializeNotebook(data),
        },
        { transientOutputs: true },
      ),
      vscode.workspace.onDidOpenNotebookDocument(prefer),
      ...watchKql(d.context.extensionUri.fsPath, line => d.log.info(line)),
      { dispose: () => subs.forEach(x => x.dispose()) },
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

/**
 * KQL diagnostics and completion (./kqlLanguage, a lazy chunk) register with the first KQL document, a
 * `.kql` file or a hunting notebook's cell; the language service process starts there too.
 */
function watchKql(extensionPath: string, log: (line: string) => void): vscode.Disposable[] {
  let started = false;
  let disposed = false;
  const registered: vscode.Disposable[] = [];
  const start = (doc: vscode.TextDocument) => {
    if (started || doc.languageId !== KQL_LANGUAGE) return;
    started = true;
    opened.dispose();
    import('./kqlLanguage').then(
      m => {
        if (!disposed) registered.push(...m.registerKqlLanguage(extensionPath, log));
      },
      (e: unknown) => log(`KQL editing help unavailable: ${e instanceof Error ? e.message : String(e)}`),
    );
  };
  const opened = vscode.workspace.onDidOpenTextDocument(start);
  vscode.workspace.textDocuments.forEach(start);
  return [
    opened,
    {
      dispose: () => {
        disposed = true;
        registered.forEach(x => x.dispose());
      },
    },
  ];
}
