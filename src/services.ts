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

  /** History is kept per backend kind, so mock ids never mix with a tenant's. */
  history(): History {
    return new History(this.context.globalState, this.host.kind());
  }

  dispose(): void {
    this.host.dispose();
    this.log.dispose();
  }
}
