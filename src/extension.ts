/**
 * Composition root. activate() builds objects and registers contributions only: no network, no
 * secret read, no sign-in. The backend (and the mock server in mock mode) starts when the view first
 * asks for incidents or a command needs it.
 */
import * as vscode from 'vscode';
import { EXT, PANEL_VIEW_TYPE, VIEW_ID, Settings } from './constants';
import { Services } from './services';
import { IncidentsTreeProvider, type TreeNode } from './tree/incidentsTree';
import { IncidentPanels } from './panel/incidentPanel';
import { registerTriageCommands } from './commands/triageCommands';
import { registerQueueCommands, reloadQueue } from './commands/queueCommands';
import { registerIncidentCommands } from './commands/incidentCommands';
import { Watcher } from './watcher';
import { GROUP_BY_VALUES, SORT_BY_VALUES, type GroupBy, type SortBy } from './store/queue';

/** What activate() returns: used by the integration tests, not a public API. */
export interface ExtensionApi {
  services: Services;
  activationMs: number;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const t0 = performance.now();
  const s = new Services(context);
  const ws = context.workspaceState;
  const groupBy = ws.get<GroupBy>('groupBy', 'none');
  const sortBy = ws.get<SortBy>('sortBy', 'lastUpdate');
  s.tree = new IncidentsTreeProvider(s.store, {
    groupBy: GROUP_BY_VALUES.includes(groupBy) ? groupBy : 'none',
    sortBy: SORT_BY_VALUES.includes(sortBy) ? sortBy : 'lastUpdate',
    maxGroupSize: Math.max(10, vscode.workspace.getConfiguration(EXT).get<number>(Settings.maxGroupSize, 200)),
  }, () => s.host.me());
  s.view = vscode.window.createTreeView<TreeNode>(VIEW_ID, { treeDataProvider: s.tree, canSelectMany: true, showCollapseAll: true });
  s.tree.view = s.view;
  s.panels = new IncidentPanels(s);
  s.watcher = new Watcher(s);

  let loaded = false;
  const loadOnce = () => {
    if (loaded) return;
    loaded = true;
    void reloadQueue(s);
  };
  if (s.view.visible) setTimeout(loadOnce, 0);

  context.subscriptions.push(
    s, s.tree, s.view, s.panels, s.watcher,
    s.view.onDidChangeVisibility(e => { if (e.visible) loadOnce(); }),
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, s.panels),
    s.host.onDidChange(() => {
      s.store.clear();
      void vscode.commands.executeCommand('setContext', `${EXT}.backend`, s.host.kind());
      if (loaded) void reloadQueue(s);
    }),
    vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration(`${EXT}.${Settings.maxGroupSize}`)) {
        s.tree.setView({ maxGroupSize: Math.max(10, vscode.workspace.getConfiguration(EXT).get<number>(Settings.maxGroupSize, 200)) });
      }
    }),
    ...registerTriageCommands(s),
    ...registerQueueCommands(s),
    ...registerIncidentCommands(s),
  );
  void vscode.commands.executeCommand('setContext', `${EXT}.backend`, s.host.kind());
  s.tree.updateChrome();
  return { services: s, activationMs: performance.now() - t0 };
}

export function deactivate(): void {
  // Disposables in context.subscriptions close the mock server and flush its data file.
}
