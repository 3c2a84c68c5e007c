/**
 * The management pane's extension side, one per incident (the set of them is ./panels). Every message
 * from the webview is validated by `parseWebviewMessage` and acts only on the panel's own incident. A lazy
 * chunk (see esbuild.js): loaded when the first pane opens.
 */
import * as vscode from 'vscode';
import { isBackendError, ConflictError } from '../backend/errors';
import type { BackendKind } from '../backend/types';
import type { Incident } from '../model/types';
import { fieldText } from '../model/fields';
import { portalUrl } from '../model/links';
import {
  parseWebviewMessage,
  type ErrorInfo,
  type ExtensionMessage,
  type PaneAction,
  type PaneSla,
  type PaneState,
  type RenderReason,
} from '../shared/protocol';
import { describeSlaClocks, formatSla, type SlaInfo } from '../model/sla';
import type { IncidentStore } from '../store/incidentStore';
import type { History } from '../store/history';
import type { Triage } from '../store/triage';
import { isTriageAction, type TriageSettings } from '../model/actions';
import type { Log } from '../log';
import { makeNonce, renderPaneHtml } from './html';
import { HUNT_COMMANDS, huntRefusal, huntUnavailable, MAX_HOUSEKEEPING_PER_SECOND, refusal, RequestRateLimiter } from './requests';

/** What the panes need, and nothing more: the store to show, the door to act through, the history. */
export interface PanelDeps {
  extensionUri: vscode.Uri;
  store: IncidentStore;
  triage: Triage;
  history: History;
  /**
   * The backend host's identity and kind (the pane shows who "me" is and which API it talks to), and
   * the connection in effect, which a pane is bound to when it opens.
   */
  host: {
    kind(): BackendKind;
    me(): string;
    readonly onDidChangeIdentity: vscode.Event<string>;
    connection(): string;
    connectionLabel(): string;
    readonly onDidChange: vscode.Event<void>;
  };
  log: Log;
  settings: () => TriageSettings;
}

/** What a pane request answers: the door's summary and warnings, or a UI-only action's word. */
interface Answer {
  message?: string;
  warning?: string;
}

/** How many render times a pane keeps. */
const RENDER_TIMES_MAX = 200;

function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof ConflictError) {
    // The field's key and its values as they are: the pane turns them into words (src/model/fields.ts), once.
    const changes = e.changes.map(c => ({ field: c.field, from: fieldText(c.from), to: fieldText(c.to) }));
    return { kind: 'conflict', message: e.message, changes };
  }
  if (isBackendError(e)) return { kind: e.kind, message: e.message };
  return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
}

export class IncidentPanel implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private ready = false;
  private readonly limiter = new RequestRateLimiter();
  /** `drafts` and `ready` messages: each writes state or posts one, so they are bounded too. */
  private readonly housekeeping = new RequestRateLimiter(MAX_HOUSEKEEPING_PER_SECOND);
  /**
   * Requests of this pane in flight: the incident changes they make are posted once, when each ends. The
   * outbox is not held back: a comment is posted pending as soon as the host keeps it, then confirmed or
   * failed, while the action runs (the pane renders only what it is sent).
   */
  private acting = 0;
  /** A state post is queued for the end of this turn (several changes, one message). */
  private postQueued = false;
  /** A queued post carries an outbox change: it goes out even while an action runs. */
  private postUrgent = false;
  /** The outbox of the incident as last posted, as JSON. */
  private postedOutbox: string | undefined;
  /** The last state posted, as JSON: the same state is not posted twice. Forgotten when the page (re)loads. */
  private lastPosted: string | undefined;
  /** Render times the webview reported (`rendered`), oldest first, at most RENDER_TIMES_MAX; the bench reads them. */
  readonly renderTimes: { ms: number; reason: RenderReason; incidentId: string; at: number }[] = [];
  /** The incident shown before the last switch: late draft saves for it still land there. */
  private previousId: string | undefined;
  /**
   * A preview pane (opened by a click in the queue) is reused for the next click, which swaps the
   * incident by message instead of building a new webview; it is pinned like a preview editor as
   * soon as the user acts in it, or when opened from a command.
   */
  preview = false;
  /**
   * The connection (backend kind + API host + tenant) this pane was opened on. Its actions, drafts and
   * history go there or nowhere: after a switch the pane says so, and offers to reopen on the new one.
   */
  readonly connection: string;
  /** The connection in words when the pane opened. */
  private readonly connectionName: string;
  /** The connection changed under the pane (it was told). */
  private stale = false;
  /** The connection in words the pane was last told it is now on (while stale). */
  private staleNow: string | undefined;
  /** Called when the user asks to reopen this pane's incident on the connection now in effect. */
  onReopen: ((p: IncidentPanel) => void) | undefined;

  constructor(
    public incidentId: string,
    readonly panel: vscode.WebviewPanel,
    private readonly s: PanelDeps,
    private readonly onDispose: (p: IncidentPanel) => void,
  ) {
    this.connection = s.host.connection();
    this.connectionName = s.host.connectionLabel();
    const dist = vscode.Uri.joinPath(s.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(s.extensionUri, 'media');
    // No forms: the pane has none, and a form injected some day could not submit anywhere.
    panel.webview.options = { enableScripts: true, enableForms: false, enableCommandUris: false, localResourceRoots: [dist, media] };
    panel.iconPath = vscode.Uri.joinPath(media, 'shield.svg');
    this.subs.push(
      panel.webview.onDidReceiveMessage(m => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      s.store.onDidChange(c => {
        if (!c.ids || c.ids.includes(this.incidentId)) this.postState();
      }),
      // The timeline and drafts live in the history, which says when they change (a pending comment, a spent draft).
      s.history.onDidChange(id => {
        if (id === this.incidentId) this.postState(this.outboxChanged());
      }),
      s.host.onDidChangeIdentity(() => this.postState()),
      s.host.onDidChange(() => this.checkConnection()),
    );
  }

  /** The history of this pane's connection, whatever the settings say now. */
  private get history(): History {
    return this.s.history.at(this.connection);
  }

  /** True once the connection in effect is not the one this pane was opened on. */
  isStale(): boolean {
    return this.s.host.connection() !== this.connection;
  }

  /** Tells the webview when the connection moved away from this pane's (or came back to it). */
  private checkConnection(): void {
    const stale = this.isStale();
    const now = stale ? this.s.host.connectionLabel() : undefined;
    // Told again when the connection moves on while stale (several settings change one by one).
    if (stale === this.stale && now === this.staleNow) return;
    this.stale = stale;
    this.staleNow = now;
    this.post({ type: 'connection', stale: now !== undefined ? { was: this.connectionName, now } : null });
    if (!stale) {
      this.lastPosted = undefined;
      this.postState();
    }
  }

  /** Paints the pane with the incident inline, so it shows without a round trip. */
  render(incident: Incident): void {
    const w = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.s.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.s.extensionUri, 'media');
    this.updateTitle(incident);
    w.html = renderPaneHtml({
      cspSource: w.cspSource,
      nonce: makeNonce(),
      scriptUri: w.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js')).toString(),
      styleUri: w.asWebviewUri(vscode.Uri.joinPath(media, 'pane.css')).toString(),
      title: `Incident ${incident.id}`,
      initialState: this.state(incident),
    });
  }

  /** Shows another incident in this pane: one message when the webview is up, a fresh page otherwise. */
  switchTo(incident: Incident): void {
    if (incident.id === this.incidentId) return;
    this.previousId = this.incidentId;
    this.incidentId = incident.id;
    if (this.ready) this.postState();
    else this.render(incident);
    this.panel.reveal(undefined, true);
  }

  private updateTitle(incident: Incident): void {
    this.panel.title = `${this.preview ? '◇ ' : ''}#${incident.id} ${incident.name}`.slice(0, 60);
  }

  pin(): void {
    if (!this.preview) return;
    this.preview = false;
    const i = this.s.store.get(this.incidentId);
    if (i) this.updateTitle(i);
  }

  private state(incident: Incident): PaneState {
    const history = this.history;
    const caps = this.s.store.capabilities;
    return {
      incident,
      timeline: history.timeline(incident),
      capabilities: {
        backendName: caps?.displayName ?? 'Backend',
        backendKind: caps?.kind ?? this.s.host.kind(),
        canRename: caps?.canRename ?? false,
        canChangeSeverity: caps?.canChangeSeverity ?? false,
        canUpdateAlerts: caps?.canUpdateAlerts ?? false,
      },
      me: this.s.host.me(),
      knownOwners: this.s.store.knownOwners(),
      requireClassificationToResolve: this.s.settings().requireClassificationToResolve,
      drafts: history.drafts(incident.id),
      portalUrl: portalUrl(incident),
      ...paneSla(this.s.store.slaOf(incident), this.s.store.now()),
    };
  }

  /** Listeners for what the extension posts (integration tests observe the protocol through this). */
  readonly onPost = new Set<(m: ExtensionMessage) => void>();

  private post(m: ExtensionMessage): void {
    for (const l of this.onPost) l(m);
    void this.panel.webview.postMessage(m);
  }

  /**
   * Posts the state once for every change of this turn, unless an action of this pane is running (it posts
   * at its end); `urgent` (the outbox changed) posts it anyway.
   */
  postState(urgent = false): void {
    this.postUrgent ||= urgent;
    if (this.postQueued) return;
    this.postQueued = true;
    queueMicrotask(() => {
      const now = !this.acting || this.postUrgent;
      this.postQueued = false;
      this.postUrgent = false;
      if (now) this.postStateNow();
    });
  }

  /** Whether the incident's outbox differs from the one last posted. */
  private outboxChanged(): boolean {
    return JSON.stringify(this.s.history.outbox(this.incidentId)) !== this.postedOutbox;
  }

  private postStateNow(): void {
    // The store holds the new connection's incidents now: one with this number is another incident.
    if (this.isStale()) return;
    const incident = this.s.store.get(this.incidentId);
    if (!incident || !this.ready) return;
    this.updateTitle(incident);
    this.postedOutbox = JSON.stringify(this.s.history.outbox(this.incidentId));
    const state = this.state(incident);
    const json = JSON.stringify(state);
    if (json === this.lastPosted) return;
    this.lastPosted = json;
    this.post({ type: 'state', state });
  }

  /** Handles one message from the webview (untrusted: validated first, dropped when ill-formed). */
  async receive(raw: unknown): Promise<void> {
    const m = parseWebviewMessage(raw);
    if (!m) {
      this.s.log.warn(`Dropped an ill-formed message from the pane of incident ${this.incidentId}.`);
      return;
    }
    if ((m.type === 'ready' || m.type === 'drafts') && !this.housekeeping.take()) {
      this.s.log.warn(`Dropped a ${m.type} message from the pane of incident ${this.incidentId}: more than ${MAX_HOUSEKEEPING_PER_SECOND} a second.`);
      return;
    }
    if (m.type === 'ready') {
      this.ready = true;
      this.lastPosted = undefined;
      this.stale = false;
      this.staleNow = undefined;
      this.checkConnection();
      this.postState(true);
      return;
    }
    if (m.type === 'reopen') {
      this.onReopen?.(this);
      return;
    }
    if (m.type === 'rendered') {
      this.renderTimes.push({ ms: m.ms, reason: m.reason, incidentId: m.incidentId, at: Date.now() });
      if (this.renderTimes.length > RENDER_TIMES_MAX) this.renderTimes.splice(0, this.renderTimes.length - RENDER_TIMES_MAX);
      return;
    }
    if (m.type === 'drafts') {
      const target = m.incidentId ?? this.incidentId;
      if (target === this.incidentId || target === this.previousId) await this.history.setDrafts(target, m.drafts);
      return;
    }
    const stale = this.isStale() ? { was: this.connectionName, now: this.s.host.connectionLabel() } : undefined;
    const refused = refusal(m, this.incidentId, this.limiter, stale, this.acting, this.panel.active);
    if (refused) {
      this.s.log.warn(`Refused a request from the pane of incident ${this.incidentId}: ${refused.kind}.`);
      this.post({ type: 'response', id: m.id, ok: false, error: refused });
      return;
    }
    this.pin();
    this.acting++;
    try {
      const d = await this.act(m.action, m.force === true);
      this.post(
        d.warning
          ? { type: 'response', id: m.id, ok: true, message: d.message, warning: d.warning }
          : { type: 'response', id: m.id, ok: true, message: d.message },
      );
    } catch (e) {
      this.post({ type: 'response', id: m.id, ok: false, error: errorInfo(e) });
    } finally {
      this.post({ type: 'progress', message: null });
      this.acting--;
      this.postStateNow();
    }
  }

  /**
   * Runs one validated action on this panel's incident: triage actions through the door (which checks
   * the rules, spends the drafts and words the result); the pane's own (portal, copy, refresh) here.
   */
  private async act(a: PaneAction, force: boolean): Promise<Answer> {
    const id = this.incidentId;
    if (isTriageAction(a)) {
      const onRetry = (r: { delayMs: number; reason: string }) =>
        this.post({ type: 'progress', message: `${r.reason}: retrying in ${Math.ceil(r.delayMs / 1000)} s` });
      const r = await this.s.triage.run(id, a, { force, onRetry, connection: this.connection });
      return { message: r.summary || undefined, warning: r.warnings.length ? r.warnings.join(' ') : undefined };
    }
    switch (a.kind) {
      case 'openPortal':
        await vscode.env.openExternal(vscode.Uri.parse(portalUrl(this.s.store.get(id) ?? { id, webUrl: null })));
        return {};
      case 'copyText':
        await vscode.env.clipboard.writeText(a.text);
        return { message: 'Copied' };
      case 'refresh':
        await this.s.store.load(id, { fresh: true });
        return { message: 'Refreshed' };
      case 'huntFor': {
        const why = huntRefusal(this.s.store.get(id), a.target);
        if (why) throw new Error(why);
        return this.hunt(HUNT_COMMANDS.huntFor, { kind: a.target.kind, value: a.target.value, incidentId: id });
      }
      case 'huntFromIncident':
        return this.hunt(HUNT_COMMANDS.huntFromIncident, id);
    }
  }

  /** Runs a hunting command by id; says so clearly when hunting is not there to run it. */
  private async hunt(command: string, arg: unknown): Promise<Answer> {
    if (!(await vscode.commands.getCommands(true)).includes(command)) throw new Error(huntUnavailable(command));
    await vscode.commands.executeCommand(command, arg);
    return {};
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.subs.length = 0;
    this.onDispose(this);
  }
}

/** The pane's SLA words: the same builders as the queue's row (formatSla) and its tooltip (describeSlaClocks). */
function paneSla(info: SlaInfo, now: number): { sla?: PaneSla } {
  if (info.state === 'none') return {};
  return { sla: { state: info.state, summary: formatSla(info, now), clocks: describeSlaClocks(info) } };
}
