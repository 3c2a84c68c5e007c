/**
 * What the pane knows beyond the DOM: the extension's last state, the comments it sent whose text the box
 * keeps until they are confirmed, the drafts the sections hold, which alerts are open, and the next request id. It keeps all of
 * it with the webview's setState, so it survives the pane being hidden, reloaded or VS Code restarting. The
 * comments themselves (pending, failed, unconfirmed) are the extension's outbox: the pane shows them as the
 * state lists them, and keeps no copy.
 */
import type { WebviewApi } from 'vscode-webview';
import type { Drafts, PaneState, WebviewMessage } from '../src/shared/protocol';

/** What the pane keeps with `setState`. */
export interface Persisted {
  /**
   * The incident the pane shows. The extension's serializer reads it to restore the pane after a window
   * reload, a preview pane (which switches incidents by message) like a pinned one.
   */
  incidentId?: string;
  state?: PaneState;
  /** Drafts of `incidentId`. */
  drafts: Drafts;
  /** Comments sent from this pane, [clientId, text, seen], until confirmed (see PaneStore.sent). */
  sent?: [string, string, boolean][];
  nextId: number;
  openAlerts?: string[];
}

/** A section that holds unsent input. */
export interface DraftHolder {
  /** Its unsent input, per draft field. */
  collect(d: Drafts): void;
  /** Puts kept input back (after a reload, or from the extension's copy). */
  fill(d: Drafts): void;
  /** Empties its fields (another incident is shown). */
  clear(): void;
}

const DRAFT_DEBOUNCE_MS = 300;

export class PaneStore {
  state: PaneState | undefined;
  /**
   * Comments sent from this pane (by clientId) that the extension has not confirmed: the comment box keeps
   * their text until a state shows the comment confirmed, so nothing typed is lost. `seen`: a state listed
   * it in the extension's outbox; `restored`: kept from before a reload, so its answer is lost.
   */
  readonly sent = new Map<string, { text: string; seen: boolean; restored?: boolean }>();
  /** A state came from the extension since this page loaded (the one in the page's HTML may be older). */
  live = false;
  readonly openAlerts: Set<string>;
  private nextId: number;
  private readonly holders: DraftHolder[] = [];
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  /** Drafts kept with setState for the incident shown at load, if they are that incident's. */
  private readonly savedDrafts: Drafts | undefined;

  constructor(
    private readonly api: WebviewApi<Persisted>,
    initial: PaneState | undefined,
    private readonly send: (m: WebviewMessage) => void,
  ) {
    const saved = api.getState();
    const savedId = saved?.incidentId ?? saved?.state?.incident?.id;
    this.state = initial ?? saved?.state;
    // A page built for one incident may find the saved state of another (a preview pane that switched
    // while its page was not loaded): that incident's drafts and comments are not this one's.
    const mine = !!saved && (!this.state || savedId === undefined || savedId === this.state.incident.id);
    this.nextId = typeof saved?.nextId === 'number' && saved.nextId > 0 ? saved.nextId : 1;
    this.openAlerts = new Set(mine ? (saved?.openAlerts ?? []) : []);
    this.savedDrafts = mine ? saved?.drafts : undefined;
    for (const e of mine && Array.isArray(saved?.sent) ? saved.sent : []) {
      if (Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string') this.sent.set(e[0], { text: e[1], seen: e[2] === true, restored: true });
    }
  }

  get incidentId(): string | undefined {
    return this.state?.incident.id;
  }

  takeId(): number {
    return this.nextId++;
  }

  addDraftHolder(holder: DraftHolder): void {
    this.holders.push(holder);
  }

  /** Fills the sections at load: webview state holds the newest keystrokes, the extension's copy is the fallback. */
  fillInitialDrafts(): void {
    this.fill(this.savedDrafts ?? this.state?.drafts ?? {});
  }

  fill(d: Drafts | undefined): void {
    const drafts = d && typeof d === 'object' ? d : {};
    for (const holder of this.holders) holder.fill(drafts);
  }

  /**
   * Takes a state from the extension. When it is another incident (a preview pane reused), this one's
   * drafts are sent under its own id first and everything local to it is forgotten.
   */
  accept(next: PaneState): { first: boolean; switched: boolean } {
    const first = !this.state;
    const switched = !first && this.state!.incident.id !== next.incident.id;
    if (switched) {
      this.flushDrafts();
      for (const holder of this.holders) holder.clear();
      this.sent.clear();
      this.openAlerts.clear();
    }
    this.state = next;
    this.live = true;
    if (first || switched) this.fill(next.drafts);
    return { first, switched };
  }

  collectDrafts(): Drafts {
    const d: Drafts = {};
    for (const holder of this.holders) holder.collect(d);
    return d;
  }

  /** A draft changed: kept at once with setState, sent to the extension debounced. */
  draftsChanged(): void {
    this.persist();
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.flushDrafts(), DRAFT_DEBOUNCE_MS);
  }

  /** Sends the drafts now; also on pagehide so the last keystrokes are not lost when the panel closes. */
  flushDrafts(): void {
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    const incidentId = this.incidentId;
    this.send(incidentId ? { type: 'drafts', drafts: this.collectDrafts(), incidentId } : { type: 'drafts', drafts: this.collectDrafts() });
  }

  /** Sends the drafts now if typing left some unsent (the pane lost focus: it may be closed or replaced next). */
  flushPendingDrafts(): void {
    if (this.draftTimer !== undefined) this.flushDrafts();
  }

  persist(): void {
    this.api.setState({
      incidentId: this.incidentId,
      state: this.state,
      drafts: this.collectDrafts(),
      sent: [...this.sent].map(([k, v]) => [k, v.text, v.seen]),
      nextId: this.nextId,
      openAlerts: [...this.openAlerts],
    });
  }
}
