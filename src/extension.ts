/**
 * Composition root. activate() builds each part with the few things it needs and registers the
 * contributions: no network, no secret read, no sign-in. The backend (and the mock server in mock mode)
 * starts when the view first asks for incidents or a command needs it.
 */
import * as vscode from 'vscode';
import { Commands, ContextKeys, EXT, PANEL_VIEW_TYPE, settingId, Settings, VIEW_ID } from './constants';
import { BackendHost } from './backendHost';
import { Log } from './log';
import { IncidentStore } from './store/incidentStore';
import { History } from './store/history';
import type { Triage } from './store/triage';
import type { TriageSettings } from './model/actions';
import type { IncidentsTreeProvider, TreeNode } from './tree/incidentsTree';
import { LazyTree } from './tree/lazyTree';
import type { IncidentPanels, SavedState } from './panel/panels';
import { registerCommands } from './commands/register';
import { reloadQueue } from './commands/reload';
import type { Watcher } from './watcher';
import { SlaSettings } from './tree/slaSettings';
import { AgentHost } from './agent/vscode/agentHost';
import { McpHost } from './agent/vscode/mcpHost';
import { registerParticipant } from './agent/vscode/participant';
import { registerHunting, type Hunting } from './hunting/register';
import type { SlaDecorations } from './tree/slaDecorations';
import { nameConnectionWith } from './commands/noticeConnection';
import { testHandle } from './testHandle';

/**
 * The parts, handed out by activate() only under test (DEFENDER_INCIDENTS_TEST=1: the integration tests,
 * UI journeys and the bench); to any other caller activate() returns nothing (see ./testHandle).
 */
export interface ExtensionApi {
  context: vscode.ExtensionContext;
  log: Log;
  host: BackendHost;
  history: History;
  store: IncidentStore;
  /** The one door for actions, built on first use (a lazy chunk, see esbuild.js). */
  triage: () => Promise<Triage>;
  tree: IncidentsTreeProvider;
  view: vscode.TreeView<TreeNode>;
  panels: IncidentPanels;
  watcher: Watcher;
  sla: SlaSettings;
  /** The SLA state of each row as a FileDecoration. */
  slaDecorations: SlaDecorations;
  /** The agent's language-model tools and their confirmation dialog (tests replace `agent.dialog`). */
  agent: AgentHost;
  /** The MCP server for other agents. */
  mcp: McpHost;
  hunting: Hunting;
  /** The clock the store, the tree and the SLA tick read. */
  now: () => number;
  /**
   * Tests only (DEFENDER_INCIDENTS_TEST=1): fixes the clock at a time (or a function), or gives back the
   * real one with undefined. Absent otherwise.
   */
  setClock?: (clock: number | (() => number) | undefined) => void;
  activationMs: number;
}

/** The team's settings the triage rules read, at the moment of the action. */
function triageSettings(): TriageSettings {
  return { requireClassificationToResolve: vscode.workspace.getConfiguration(EXT).get<boolean>(Settings.requireClassificationToResolve, false) };
}

function maxGroupSize(): number {
  return Math.max(10, vscode.workspace.getConfiguration(EXT).get<number>(Settings.maxGroupSize, 200));
}

function setContext(key: string, value: unknown): void {
  void vscode.commands.executeCommand('setContext', key, value);
}

export function activate(context: vscode.ExtensionContext): Promise<ExtensionApi> | undefined {
  const t0 = performance.now();
  const log = new Log();
  const host = new BackendHost(context, log);
  // One history, kept per backend kind, API host and tenant (`mock` for the mock), so one tenant's drafts,
  // unsent comments and journal never show on another tenant's incident of the same id. Its session is
  // this extension host's: a comment still "Sending..." from an earlier one reads as unconfirmed.
  const history = new History(context.globalState, () => host.historyScope());
  const backend = () => host.backend();
  const me = () => host.me();
  let fixedClock: (() => number) | undefined;
  const now = () => (fixedClock ? fixedClock() : Date.now());
  // The SLA policy follows its setting: a new policy rebuilds the queue's rows, a new cap reloads it.
  const sla = new SlaSettings(log, what => {
    if (what === 'sla') tree.refresh();
    else if (loaded) void reloadQueue(store);
  });
  const store = new IncidentStore({ backend, me, history: () => history, now, slaPolicy: () => sla.policy, maxQueueSize: () => sla.maxQueueSize() });
  nameConnectionWith(() => host.connectionInNotices());
  // Every action is bound to the connection it began on: the door refuses it on a backend of any other.
  let door: Promise<Triage> | undefined;
  const triage = () =>
    (door ??= import('./store/triage').then(
      m =>
        new m.Triage({
          backend,
          me,
          history: () => history,
          store,
          settings: triageSettings,
          connection: () => host.connection(),
          connectionOf: b => host.connectionOf(b),
        }),
    ));

  const ws = context.workspaceState;
  // The view's provider, its rows' decorations and the watcher are a lazy chunk (./tree/viewParts),
  // loaded by the view's first getChildren, the queue's first change or the first command.
  const tree: LazyTree = new LazyTree(() =>
    import('./tree/viewParts').then(m =>
      m.buildViewParts({ store, view, workspaceState: ws, maxGroupSize, me, now, connection: () => host.connectionLabel(), host, log }),
    ),
  );
  const view: vscode.TreeView<TreeNode> = vscode.window.createTreeView<TreeNode>(VIEW_ID, {
    treeDataProvider: tree,
    canSelectMany: true,
    showCollapseAll: true,
  });
  const firstChange = store.onDidChange(() => {
    firstChange.dispose();
    void tree.parts().catch(e => log.error(`The incidents view could not be loaded: ${e instanceof Error ? e.message : String(e)}`));
  });
  // The panes (./panel/panels and each pane's ./incidentPanel) are lazy chunks: the first pane opened or restored loads them.
  let panesLoad: Promise<IncidentPanels> | undefined;
  const panes = (): Promise<IncidentPanels> => {
    const p = (panesLoad ??= import('./panel/panels').then(
      m => new m.IncidentPanels({ extensionUri: context.extensionUri, store, triage, history, host, log, settings: triageSettings }),
    ));
    p.catch(() => {
      if (panesLoad === p) panesLoad = undefined;
    });
    return p;
  };

  // Hunting: registrations only (the client, and the KQL language service process, start on first use).
  const hunting = registerHunting({ context, host, log, triage, store, view });
  // Agent tools (#18): registrations only; the handlers and the MCP SDK are lazy chunks loaded on first use.
  const manifest = (context.extension?.packageJSON ?? {}) as {
    version?: string;
    contributes?: { languageModelTools?: { name: string; displayName: string }[] };
  };
  const agent = new AgentHost({
    store,
    triage,
    history: () => history,
    backend,
    me,
    log,
    hunting: () => hunting.client(),
    declared: manifest.contributes?.languageModelTools ?? [],
  });
  const mcp = new McpHost(agent, manifest.version ?? '0.0.0');

  let loaded = false;
  const loadOnce = () => {
    if (loaded) return;
    loaded = true;
    void reloadQueue(store);
  };

  /**
   * Rename and Set Severity show where the backend can do them. Until a backend was reached they show
   * (the door refuses with the reason where the backend cannot); each backend built says what it can.
   */
  const showCapabilities = (c: { canRename: boolean; canChangeSeverity: boolean }) => {
    setContext(ContextKeys.canRename, c.canRename);
    setContext(ContextKeys.canChangeSeverity, c.canChangeSeverity);
  };

  context.subscriptions.push(
    host,
    log,
    tree,
    view,
    {
      dispose: () =>
        void panesLoad?.then(
          p => p.dispose(),
          () => undefined,
        ),
    },
    sla,
    mcp,
    ...agent.registerTools(),
    ...mcp.register(),
    ...registerParticipant(
      context.extensionUri,
      agent.deps.declared.map(t => t.name),
    ),
    view.onDidChangeVisibility(e => {
      if (e.visible) loadOnce();
    }),
    host.onDidChange(() => {
      store.clear();
      setContext(ContextKeys.backend, host.kind());
      if (loaded) void reloadQueue(store);
    }),
    host.onDidConnect(showCapabilities),
    // The tree's `:mine` rows and the status bar follow who "me" is.
    host.onDidChangeIdentity(() => tree.refresh()),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration(settingId(Settings.maxGroupSize))) tree.tree?.setView({ maxGroupSize: maxGroupSize() });
    }),
    // The handlers are a lazy chunk, loaded by the first command run.
    ...registerCommands(log, () =>
      Promise.all([import('./commands/table'), triage(), tree.parts(), panes()]).then(([m, t, parts, panels]) =>
        m.loadCommands({
          triage: t,
          store,
          view,
          log,
          settings: triageSettings,
          tree: parts.tree,
          workspaceState: ws,
          host,
          history,
          panels,
          me,
          huntingCommands: hunting.commands,
          agentCommands: { [Commands.startMcpServer]: () => mcp.startForOthers(), [Commands.stopMcpServer]: () => mcp.stop() },
        }),
      ),
    ),
    ...hunting.disposables,
  );
  // The context keys and the view's chrome right after activation: nothing reads them before the next
  // turn, and activate() stays at registrations (see the bench's activation row). The panes' serializer
  // too: VS Code keeps a pane it restores waiting until a serializer for its type registers (even when
  // the pane is what activated the extension), so it need not hold up activation.
  let active = true;
  context.subscriptions.push({ dispose: () => (active = false) });
  setTimeout(() => {
    if (!active) return;
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state) => (await panes()).deserializeWebviewPanel(panel, state as SavedState | undefined),
      }),
    );
    setContext(ContextKeys.backend, host.kind());
    showCapabilities({ canRename: true, canChangeSeverity: true });
    tree.tree?.updateChrome();
  }, 0);
  if (view.visible) setTimeout(loadOnce, 0);
  const setClock =
    process.env.DEFENDER_INCIDENTS_TEST === '1'
      ? (c: number | (() => number) | undefined) => {
          fixedClock = typeof c === 'number' ? () => c : c;
          tree.refresh();
        }
      : undefined;
  const activationMs = performance.now() - t0;
  // A test run gets the parts once the view's and the panes' are loaded too (in use, each loads on first need).
  return testHandle<Promise<ExtensionApi>>(() =>
    Promise.all([tree.parts(), panes()]).then(([{ tree, watcher, slaDecorations }, panels]) => ({
      context,
      log,
      host,
      history,
      store,
      triage,
      tree,
      view,
      panels,
      watcher,
      sla,
      slaDecorations,
      hunting,
      agent,
      mcp,
      now,
      ...(setClock ? { setClock } : {}),
      activationMs,
    })),
  );
}

export function deactivate(): void {
  // Disposables in context.subscriptions close the mock server and flush its data file.
}
