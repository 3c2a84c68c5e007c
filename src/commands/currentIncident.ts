/**
 * Which incident a key means, kept by the extension itself. VS Code tells the extension host about a
 * tree selection (`onDidChangeSelection`) and a pane becoming active (`onDidChangeViewState`) a moment
 * after they happen; our own reveal and open change both just before the next key arrives. A key
 * pressed in that moment read the old state: no target (the key did nothing, silently) or the previous
 * incident. Here our own moves count at once, the events when they come, the newest wins.
 * No `vscode` import.
 */

export type KeyPlace = 'tree' | 'pane';

interface Mark {
  id: string;
  seq: number;
}

export class CurrentIncident {
  private tree: Mark | undefined;
  private pane: Mark | undefined;
  private seq = 0;

  /** The tree's selection changed (an event, or our own reveal): one incident, or none/several (undefined). */
  selectInTree(id: string | undefined): void {
    this.tree = id === undefined ? undefined : { id, seq: ++this.seq };
  }

  /** A pane showing `id` became the active one (our open, a switch, or the view-state event). */
  activatePane(id: string): void {
    this.pane = { id, seq: ++this.seq };
  }

  /** A pane closed or switched away from `id`. */
  leavePane(id: string): void {
    if (this.pane?.id === id) this.pane = undefined;
  }

  /** The tree's incident, newest of our reveal and VS Code's selection event (undefined: none, or it is gone). */
  treeId(exists: (id: string) => boolean): string | undefined {
    return this.tree && exists(this.tree.id) ? this.tree.id : undefined;
  }

  /**
   * The incident a key pressed at `from` means: that place's incident first, else the other's; without
   * a place, the one chosen last. `paneNow` is the pane VS Code says is active right now (authoritative
   * when it says one); `exists` drops an incident that left the queue and has no pane.
   */
  target(from: KeyPlace | undefined, paneNow: string | undefined, exists: (id: string) => boolean): string | undefined {
    const pane = paneNow ?? (this.pane && exists(this.pane.id) ? this.pane.id : undefined);
    const tree = this.tree && exists(this.tree.id) ? this.tree.id : undefined;
    if (from === 'pane') return pane ?? tree;
    if (from === 'tree') return tree ?? pane;
    if (paneNow) return paneNow;
    if (!this.pane || !pane) return tree;
    if (!tree) return pane;
    return (this.tree?.seq ?? 0) > this.pane.seq ? tree : pane;
  }
}

/** What a key that cannot act says, instead of doing nothing. */
export function noTargetMessage(command: string): string {
  return `${command}: select an incident in the queue or open one in the pane first.`;
}
