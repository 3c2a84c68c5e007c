/**
 * The queue's view as activate() registers it: a stand-in provider that loads the real one on first
 * need. The provider (./incidentsTree with its rows, nodes and SLA clock, and the live queue of
 * src/store/queue), the rows' SLA decorations and the watcher (status bar, automatic refresh) are a lazy
 * chunk (./viewParts, see esbuild.js), loaded by the view's first getChildren, the queue's first change
 * or the first command, whichever comes first. Until then there is no row to draw, decorate or refresh.
 */
import * as vscode from 'vscode';
import type { IncidentsTreeProvider, TreeNode } from './incidentsTree';
import type { ViewParts } from './viewParts';

export class LazyTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private loaded: ViewParts | undefined;
  private loading: Promise<ViewParts> | undefined;
  private disposed = false;

  constructor(private readonly load: () => Promise<ViewParts>) {}

  /** The provider, the decorations and the watcher: loaded once (again after a failed load). */
  parts(): Promise<ViewParts> {
    const p = (this.loading ??= this.load().then(parts => {
      if (this.disposed) parts.dispose();
      else {
        this.loaded = parts;
        parts.tree.onDidChangeTreeData(e => this.emitter.fire(e));
      }
      return parts;
    }));
    p.catch(() => {
      if (this.loading === p) this.loading = undefined;
    });
    return p;
  }

  /** The real provider once loaded. */
  get tree(): IncidentsTreeProvider | undefined {
    return this.loaded?.tree;
  }

  getChildren(n?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    return this.loaded ? this.loaded.tree.getChildren(n) : this.parts().then(p => p.tree.getChildren(n));
  }

  /** Nodes come only from the real provider, so it is loaded by the time VS Code asks for an item. */
  getTreeItem(n: TreeNode): vscode.TreeItem {
    return this.loaded!.tree.getTreeItem(n);
  }

  resolveTreeItem(item: vscode.TreeItem, n: TreeNode): vscode.TreeItem {
    return this.loaded ? this.loaded.tree.resolveTreeItem(item, n) : item;
  }

  getParent(n: TreeNode): TreeNode | undefined {
    return this.loaded?.tree.getParent(n);
  }

  /** Redraws the rows and the view's chrome; before the provider loaded there is nothing drawn yet. */
  refresh(): void {
    this.loaded?.tree.refresh();
  }

  dispose(): void {
    this.disposed = true;
    this.loaded?.dispose();
    this.emitter.dispose();
  }
}
