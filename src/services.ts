/**
 * The composition root's parts, built once in activate() without any I/O: the backend host (lazy),
 * the store, the triage actions and the history. Commands, the tree and the panes take this object.
 */
import * as vscode from 'vscode';
import { BackendHost } from './backendHost';
import { IncidentStore } from './store/incidentStore';
import { Triage } from './store/triage';
import { History } from './store/history';
import { Log } from './log';
import type { IncidentsTreeProvider, TreeNode } from './tree/incidentsTree';
import type { IncidentPanels } from './panel/incidentPanel';
import type { Watcher } from './watcher';

export class Services implements vscode.Disposable {
  readonly log = new Log();
  readonly host: BackendHost;
  readonly store: IncidentStore;
  readonly triage: Triage;
  tree!: IncidentsTreeProvider;
  view!: vscode.TreeView<TreeNode>;
  panels!: IncidentPanels;
  watcher!: Watcher;

  constructor(readonly context: vscode.ExtensionContext) {
    this.host = new BackendHost(context, this.log);
    const deps = { backend: () => this.host.backend(), me: () => this.host.me(), history: () => this.history() };
    this.store = new IncidentStore(deps);
    this.triage = new Triage({ ...deps, store: this.store });
  }

  /**
   * History is kept per backend kind, API host and tenant (`mock` for the mock), so one tenant's
   * drafts, unsent comments and journal never show on another tenant's incident of the same id.
   * Entries kept by kind only (before this) stay unread. The history's session is this extension
   * host's: a comment still "Sending..." from an earlier one reads as unconfirmed.
   */
  history(): History {
    return new History(this.context.globalState, this.host.historyScope());
  }

  dispose(): void {
    this.host.dispose();
    this.log.dispose();
  }
}
