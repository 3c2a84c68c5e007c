/**
 * The SLA state of each incident row as a FileDecoration (a "!!" or "!" badge and the label in the
 * theme's error or warning colour), so the row keeps its severity icon. It reads the tree's own SLA
 * clock and follows the tree's changes: a row refreshed (a tick, an update) is redecorated.
 */
import * as vscode from 'vscode';
import { INCIDENT_URI_SCHEME, incidentUri, type IncidentsTreeProvider, type TreeNode } from './incidentsTree';
import { slaBadge } from './rows';

export class SlaDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly tree: IncidentsTreeProvider,
    private readonly now: () => number,
  ) {
    this.sub = tree.onDidChangeTreeData(n => this.changed.fire(this.urisOf(n)));
  }

  private urisOf(n: TreeNode | TreeNode[] | undefined | null | void): vscode.Uri[] | undefined {
    const nodes = Array.isArray(n) ? n : n ? [n] : [];
    // A whole refresh: every row may have changed.
    if (!nodes.length) return undefined;
    return nodes.filter(x => x.kind === 'incident').map(x => incidentUri((x as Extract<TreeNode, { kind: 'incident' }>).incident.id));
  }

  provideFileDecoration(uri: vscode.Uri): vscode.FileDecoration | undefined {
    if (uri.scheme !== INCIDENT_URI_SCHEME) return undefined;
    const id = decodeURIComponent(uri.path.replace(/^\//, ''));
    const b = slaBadge(this.tree.clock.info(id), this.now());
    if (!b) return undefined;
    const d = new vscode.FileDecoration(b.badge, b.tooltip, new vscode.ThemeColor(b.color));
    d.propagate = false;
    return d;
  }

  dispose(): void {
    this.sub.dispose();
    this.changed.dispose();
  }
}
