/**
 * The SLA state of each incident row as a FileDecoration (a "!!" or "!" badge and the label in the
 * theme's error or warning colour), so the row keeps its severity icon. It reads the tree's own SLA
 * clock and follows the rows the tree repaints (a tick, an update, a rebuild), whatever node the tree event named.
 */
import * as vscode from 'vscode';
import { INCIDENT_URI_SCHEME, incidentUri, type IncidentsTreeProvider } from './incidentsTree';
import { slaBadge } from './rows';

export class SlaDecorations implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly tree: IncidentsTreeProvider,
    private readonly now: () => number,
  ) {
    this.sub = tree.onDidRepaintRows(ids => this.changed.fire(ids && ids.map(incidentUri)));
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
