/**
 * The management pane's extension side: one webview panel per incident (opening it again focuses it),
 * restored after a reload by a WebviewPanelSerializer. Every message from the webview is validated by
 * `parseWebviewMessage` and acts only on the panel's own incident.
 */
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE, EXT, Settings } from '../constants';
import { isBackendError, ConflictError } from '../backend/errors';
import type { Incident } from '../model/types';
import { classificationLabel, determinationLabel, enumLabel, severityLabel, statusLabel, type EnumKind } from '../model/enums';
import { isValidPair, resolveNeeds, resolveNeedsText } from '../model/rules';
import { portalUrl } from '../model/links';
import { parseWebviewMessage, type ErrorInfo, type ExtensionMessage, type PaneAction, type PaneState } from '../shared/protocol';
import { makeNonce, renderPaneHtml } from './html';
import { clearDraftIfSent, describeOutcome, LEFT_OPEN, LEFT_UNASSIGNED, refusal, RequestRateLimiter, type Described } from './requests';
import { safeText } from '../shared/text';
import type { Services } from '../services';

/** What the webview keeps with setState (see webview/pane.ts `Persisted`); untrusted, so only the id is read. */
interface SavedState { state?: { incident?: { id?: unknown } } }

/** How the conflict check's fields read in the pane, with enum values in the portal's words. */
const CONFLICT_FIELDS: Record<string, { name: string; kind?: EnumKind }> = {
  assignedTo: { name: 'Owner' }, status: { name: 'Status', kind: 'status' }, classification: { name: 'Classification', kind: 'classification' },
  determination: { name: 'Determination', kind: 'determination' }, severity: { name: 'Severity', kind: 'severity' }, tags: { name: 'Tags' }, name: { name: 'Name' },
};

function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof ConflictError) {
    const changes = e.changes.map(c => {
      const f = CONFLICT_FIELDS[c.field];
      const s = (v: unknown) => (v === null || v === undefined || v === '' ? null : Array.isArray(v) ? v.join(', ') : f?.kind ? enumLabel(f.kind, String(v)) : String(v));
      return { field: f?.name ?? c.field, from: s(c.from), to: s(c.to) };
    });
    return { kind: 'conflict', message: e.message, changes };
  }
  if (isBackendError(e)) return { kind: e.kind, message: e.message };
  return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
}

export class IncidentPanel implements vscode.Disposable {
  private readonly subs: vscode.Disposable[] = [];
  private ready = false;
  private readonly limiter = new RequestRateLimiter();
  /** The incident shown before the last switch: late draft saves for it still land there. */
  private previousId: string | undefined;
  /**
   * A preview pane (opened by a click in the queue) is reused for the next click, which swaps the
   * incident by message instead of building a new webview; it is pinned like a preview editor as
   * soon as the user acts in it, or when opened from a command.
   */
  preview = false;

  constructor(public incidentId: string, readonly panel: vscode.WebviewPanel, private readonly s: Services, private readonly onDispose: (p: IncidentPanel) => void) {
    const dist = vscode.Uri.joinPath(s.context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(s.context.extensionUri, 'media');
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [dist, media] };
    panel.iconPath = vscode.Uri.joinPath(media, 'shield.svg');
    this.subs.push(
      panel.webview.onDidReceiveMessage(m => this.receive(m)),
      panel.onDidDispose(() => this.dispose()),
      s.store.onDidChange(c => { if (!c.ids || c.ids.includes(this.incidentId)) this.postState(); }),
    );
  }

  /** Paints the pane with the incident inline, so it shows without a round trip. */
  render(incident: Incident): void {
    const w = this.panel.webview;
    const dist = vscode.Uri.joinPath(this.s.context.extensionUri, 'dist');
    const media = vscode.Uri.joinPath(this.s.context.extensionUri, 'media');
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
    const history = this.s.history();
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
      requireClassificationToResolve: vscode.workspace.getConfiguration(EXT).get<boolean>(Settings.requireClassificationToResolve, false),
      drafts: history.drafts(incident.id),
      portalUrl: portalUrl(incident),
    };
  }

  /** Listeners for what the extension posts (integration tests observe the protocol through this). */
  readonly onPost = new Set<(m: ExtensionMessage) => void>();

  private post(m: ExtensionMessage): void {
    for (const l of this.onPost) l(m);
    void this.panel.webview.postMessage(m);
  }

  postState(): void {
    const incident = this.s.store.get(this.incidentId);
    if (!incident || !this.ready) return;
    this.updateTitle(incident);
    this.post({ type: 'state', state: this.state(incident) });
  }

  /** Handles one message from the webview (untrusted: validated first, dropped when ill-formed). */
  async receive(raw: unknown): Promise<void> {
    const m = parseWebviewMessage(raw);
    if (!m) {
      this.s.log.warn(`Dropped an ill-formed message from the pane of incident ${this.incidentId}.`);
      return;
    }
    if (m.type === 'ready') { this.ready = true; this.postState(); return; }
    if (m.type === 'drafts') {
      const target = m.incidentId ?? this.incidentId;
      if (target === this.incidentId || target === this.previousId) await this.s.history().setDrafts(target, m.drafts);
      return;
    }
    const refused = refusal(m, this.incidentId, this.limiter);
    if (refused) {
      this.s.log.warn(`Refused a request from the pane of incident ${this.incidentId}: ${refused.kind}.`);
      this.post({ type: 'response', id: m.id, ok: false, error: refused });
      return;
    }
    this.pin();
    try {
      const r = await this.act(m.action, m.force === true);
      const d: Partial<Described> = typeof r === 'string' || r === undefined ? { message: r } : r;
      this.post(d.warning ? { type: 'response', id: m.id, ok: true, message: d.message, warning: d.warning } : { type: 'response', id: m.id, ok: true, message: d.message });
    } catch (e) {
      this.post({ type: 'response', id: m.id, ok: false, error: errorInfo(e) });
    } finally {
      this.post({ type: 'progress', message: null });
      this.postState();
    }
  }

  /** Runs one validated action on this panel's incident; returns a confirmation to show. */
  private async act(a: PaneAction, force: boolean): Promise<string | Described | undefined> {
    const id = this.incidentId;
    const t = this.s.triage;
    const opts = { force, onRetry: (r: { delayMs: number; reason: string }) => this.post({ type: 'progress', message: `${r.reason}: retrying in ${Math.ceil(r.delayMs / 1000)} s` }) };
    const history = this.s.history();
    switch (a.kind) {
      case 'assignToMe': {
        const me = this.s.host.me();
        return describeOutcome(await t.assignToMe(id, opts), `Assigned to you (${me})`, LEFT_UNASSIGNED('you'));
      }
      case 'assign': {
        const r = await t.assign(id, a.to, opts);
        if (a.to) await clearDraftIfSent(history, id, 'assignTo', a.to, { trim: true });
        return a.to ? describeOutcome(r, `Assigned to ${a.to}`, LEFT_UNASSIGNED(a.to)) : 'Unassigned';
      }
      case 'setStatus': {
        if (a.status === 'Resolved') {
          const require = vscode.workspace.getConfiguration(EXT).get<boolean>(Settings.requireClassificationToResolve, false);
          const needs = resolveNeeds({ classification: a.classification, determination: a.determination, comment: a.comment }, require);
          if (needs.length) throw new Error(resolveNeedsText(needs));
        }
        this.checkPair(a.classification, a.determination);
        const r = await t.setStatus(id, a.status, { classification: a.classification, determination: a.determination, comment: a.comment }, opts);
        if (a.comment) await clearDraftIfSent(history, id, 'resolveComment', a.comment);
        return describeOutcome(r, a.status === 'Resolved' ? 'Resolved' : `Status set to ${statusLabel(a.status)}`, LEFT_OPEN);
      }
      case 'classify':
        this.checkPair(a.classification, a.determination);
        await t.classify(id, a.classification, a.determination, opts);
        return 'Classification saved';
      case 'rename':
        await t.rename(id, a.name, opts);
        await clearDraftIfSent(history, id, 'name', a.name, { trim: true });
        return 'Renamed';
      case 'setSeverity':
        await t.update(id, { severity: a.severity }, opts);
        return `Severity set to ${severityLabel(a.severity)}`;
      case 'setTags':
        // The tags draft is what was typed, which this list does not say; the pane clears it when it sent it.
        await t.setTags(id, a.tags, opts);
        return 'Tags saved';
      case 'addComment':
        await t.addComment(id, a.text, a.clientId, opts);
        await clearDraftIfSent(history, id, 'comment', a.text);
        return 'Comment added';
      case 'retryComment':
        await t.retryComment(id, a.clientId, opts);
        return 'Comment added';
      case 'discardComment':
        await t.discardComment(id, a.clientId);
        return undefined;
      case 'openPortal': {
        const incident = this.s.store.get(id);
        await vscode.env.openExternal(vscode.Uri.parse(portalUrl(incident ?? { id, webUrl: null })));
        return undefined;
      }
      case 'copyText':
        await vscode.env.clipboard.writeText(a.text);
        return 'Copied';
      case 'refresh': {
        const b = await this.s.host.backend();
        await this.s.store.put(await b.getIncident(id), { observed: true });
        return 'Refreshed';
      }
    }
  }

  private checkPair(c: string | undefined, d: string | undefined): void {
    if (!c || !d) return;
    if (!isValidPair(c, d)) throw new Error(`"${determinationLabel(d)}" is not a determination for "${classificationLabel(c)}".`);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
    this.subs.length = 0;
    this.onDispose(this);
  }
}

export class IncidentPanels implements vscode.WebviewPanelSerializer<SavedState>, vscode.Disposable {
  private readonly panels = new Map<string, IncidentPanel>();

  constructor(private readonly s: Services) {}

  get(id: string): IncidentPanel | undefined { return this.panels.get(id); }
  openIds(): string[] { return [...this.panels.keys()]; }

  /**
   * Opens the pane for an incident, or focuses it when it is already open. `preview` (a click in the
   * queue) reuses the current preview pane, so moving through the queue costs one message per incident.
   */
  async open(id: string, opts: { preview?: boolean } = {}): Promise<IncidentPanel> {
    const existing = this.panels.get(id);
    if (existing) {
      if (!opts.preview) existing.pin();
      existing.panel.reveal(undefined, !!opts.preview);
      return existing;
    }
    const incident = this.s.store.get(id) ?? await this.fetch(id);
    const reusable = opts.preview ? [...this.panels.values()].find(p => p.preview) : undefined;
    if (reusable) {
      this.panels.delete(reusable.incidentId);
      reusable.switchTo(incident);
      this.panels.set(id, reusable);
      return reusable;
    }
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, `#${id}`, { viewColumn: vscode.ViewColumn.Active, preserveFocus: !!opts.preview }, { enableScripts: true, enableCommandUris: false, localResourceRoots: [] });
    const p = this.attach(id, panel, incident, !!opts.preview);
    return p;
  }

  private async fetch(id: string): Promise<Incident> {
    const backend = await this.s.host.backend();
    this.s.store.capabilities ??= backend.capabilities;
    const i = await backend.getIncident(id);
    await this.s.store.put(i);
    return i;
  }

  private attach(id: string, panel: vscode.WebviewPanel, incident: Incident, preview = false): IncidentPanel {
    const p = new IncidentPanel(id, panel, this.s, gone => { if (this.panels.get(gone.incidentId) === gone) this.panels.delete(gone.incidentId); });
    p.preview = preview;
    this.panels.set(id, p);
    p.render(incident);
    return p;
  }

  /** Restores a pane after a window reload; its drafts come back from global state. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: SavedState | undefined): Promise<void> {
    const raw = state?.state?.incident?.id;
    const id = typeof raw === 'string' && /^[\w-]{1,100}$/.test(raw) ? raw : undefined;
    if (!id || this.panels.has(id)) {
      panel.dispose();
      return;
    }
    try {
      this.attach(id, panel, this.s.store.get(id) ?? await this.fetch(id));
    } catch (e) {
      panel.dispose();
      // The error may carry server text: no links or codicons in a notification.
      void vscode.window.showWarningMessage(`Defender Incidents: could not restore the pane of incident ${safeText(id)}: ${safeText(e instanceof Error ? e.message : String(e))}`);
    }
  }

  dispose(): void {
    for (const p of [...this.panels.values()]) p.panel.dispose();
  }
}
