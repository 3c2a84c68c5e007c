/**
 * What the queue's view needs once it has something to show, built together (a lazy chunk that
 * ./lazyTree loads): the tree provider, the SLA decorations of its rows and the watcher that keeps the
 * queue current (status bar items, automatic refresh, new High-severity notices).
 */
import * as vscode from 'vscode';
import { WorkspaceKeys } from '../constants';
import type { Log } from '../log';
import type { IncidentStore } from '../store/incidentStore';
import { GROUP_BY_VALUES, SORT_BY_VALUES, type GroupBy, type SortBy } from '../store/queue';
import { Watcher, type WatcherDeps } from '../watcher';
import { IncidentsTreeProvider, type TreeNode } from './incidentsTree';
import { SlaDecorations } from './slaDecorations';

export interface ViewPartsDeps {
  store: IncidentStore;
  view: vscode.TreeView<TreeNode>;
  /** Where the grouping and sorting the user chose are kept. */
  workspaceState: vscode.Memento;
  maxGroupSize: () => number;
  me: () => string;
  now: () => number;
  /** The connection in words, for the view's title (see IncidentsTreeProvider.connection). */
  connection: () => string;
  host: WatcherDeps['host'];
  log: Log;
}

export interface ViewParts extends vscode.Disposable {
  tree: IncidentsTreeProvider;
  watcher: Watcher;
  /** The SLA state of each row as a FileDecoration. */
  slaDecorations: SlaDecorations;
}

export function buildViewParts(d: ViewPartsDeps): ViewParts {
  const groupBy = d.workspaceState.get<GroupBy>(WorkspaceKeys.groupBy, 'none');
  const sortBy = d.workspaceState.get<SortBy>(WorkspaceKeys.sortBy, 'lastUpdate');
  const tree = new IncidentsTreeProvider(
    d.store,
    {
      groupBy: GROUP_BY_VALUES.includes(groupBy) ? groupBy : 'none',
      sortBy: SORT_BY_VALUES.includes(sortBy) ? sortBy : 'lastUpdate',
      maxGroupSize: d.maxGroupSize(),
    },
    d.me,
    d.now,
  );
  tree.view = d.view;
  tree.connection = d.connection;
  const watcher = new Watcher({ store: d.store, tree, host: d.host, log: d.log });
  const slaDecorations = new SlaDecorations(tree, d.now);
  const registration = vscode.window.registerFileDecorationProvider(slaDecorations);
  // The queue may have changed before these were here (the change that loaded them): catch up.
  tree.updateChrome();
  watcher.update();
  return {
    tree,
    watcher,
    slaDecorations,
    dispose() {
      registration.dispose();
      slaDecorations.dispose();
      watcher.dispose();
      tree.dispose();
    },
  };
}
