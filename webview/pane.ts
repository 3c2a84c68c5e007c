/**
 * The management pane: a DOM built once (inputs, selects and buttons are never replaced, so a `state`
 * message cannot steal focus or what the user is typing) from one section per region. A state goes to
 * every section; each re-renders only when the slice it shows changed. The time from a state to the DOM
 * being updated is reported to the extension (`rendered`).
 */
import type { WebviewApi } from 'vscode-webview';
import {
  COPY_MAX_LENGTH,
  RENDER_MS_MAX,
  isIncidentId,
  type ExtensionMessage,
  type PaneAction,
  type PaneState,
  type RenderReason,
} from '../src/shared/protocol';
import { h, replaceChildren, type Child } from './dom';
import { formatNumber } from './format';
import { PaneClient, type Pending, type RequestOptions, type Response } from './client';
import type { NoticeKind, PaneContext } from './context';
import { Notices } from './notices';
import { PaneStore, type Persisted } from './store';
import { button } from './ui';
import { HeaderSection } from './sections/header';
import { AssignmentSection } from './sections/assignment';
import { StatusSection } from './sections/status';
import { ClassificationSection } from './sections/classification';
import { NamingSection } from './sections/naming';
import { TagsSection } from './sections/tags';
import { CommentsSection } from './sections/comments';
import { TimelineSection } from './sections/timeline';
import { AlertsSection } from './sections/alerts';
import { EvidenceSection } from './sections/evidence';
import { ConflictSection } from './sections/conflict';

export type { Persisted } from './store';

/** Re-renders may replace a focused node; put focus back on its replacement (matched by id or data-fk). */
function keepFocus(root: HTMLElement, fn: () => void): void {
  const active = document.activeElement as HTMLElement | null;
  const sel =
    active && active !== document.body
      ? active.id
        ? `#${CSS.escape(active.id)}`
        : active.dataset.fk
          ? `[data-fk="${CSS.escape(active.dataset.fk)}"]`
          : ''
      : '';
  fn();
  if (sel && (!active || !active.isConnected)) (root.querySelector(sel) as HTMLElement | null)?.focus();
}

export class Pane implements PaneContext {
  readonly store: PaneStore;
  private readonly client: PaneClient;
  private readonly notices = new Notices();
  private readonly header: HeaderSection;
  private readonly assignment: AssignmentSection;
  private readonly status: StatusSection;
  private readonly classification: ClassificationSection;
  private readonly naming: NamingSection;
  private readonly tags: TagsSection;
  private readonly comments: CommentsSection;
  private readonly timeline: TimelineSection;
  private readonly alerts: AlertsSection;
  private readonly evidence: EvidenceSection;
  private readonly conflict: ConflictSection;
  /** An answer arrived since the last state: the next state is that action's. */
  private answered = false;
  /**
   * The pane shows an incident it has not put the keyboard in yet: the first time the page has focus
   * (the pane opened or switched with focus, e.g. Enter in the queue), its first useful control gets it.
   */
  private focusPending = true;
  /** The connection changed since this pane opened: it shows why, offers Reopen, and sends nothing. */
  private stale: { was: string; now: string } | null = null;
  private readonly staleEl = h('div', { id: 'connection-changed', class: 'notice error', attrs: { role: 'alert', hidden: true } });

  constructor(
    api: WebviewApi<Persisted>,
    private readonly root: HTMLElement,
    initial: PaneState | undefined,
  ) {
    this.store = new PaneStore(api, initial, m => this.client.post(m));
    this.client = new PaneClient(api, () => this.store.takeId());
    this.header = new HeaderSection(button('Open in Defender portal', () => this.request({ kind: 'openPortal' }), { id: 'open-portal', secondary: true }));
    this.assignment = new AssignmentSection(this);
    this.status = new StatusSection(this);
    this.classification = new ClassificationSection(this);
    this.naming = new NamingSection(this);
    this.tags = new TagsSection(this);
    this.comments = new CommentsSection(this);
    this.timeline = new TimelineSection({ retry: e => this.comments.retry(e), copy: t => this.copy(t), discard: e => this.comments.discard(e) });
    this.alerts = new AlertsSection(this.store);
    this.evidence = new EvidenceSection(this);
    this.conflict = new ConflictSection({
      applyMine: p => this.request(p.action, { onOk: p.onOk, onFail: p.onFail, quiet: p.quiet, force: true }),
      takeTheirs: () => {
        // The user chose the server's values: forget the edits that caused the conflict.
        const s = this.store.state;
        if (s) {
          this.status.discardEdits(s);
          this.classification.discardEdits(s);
        }
        this.request({ kind: 'refresh' });
      },
    });
    for (const holder of [this.assignment, this.status, this.naming, this.tags, this.comments]) this.store.addDraftHolder(holder);

    this.client.onState(s => this.onState(s));
    this.client.onProgress(m => this.notices.progress(m));
    this.client.onAnswer((m, p) => this.onAnswer(m, p));
    this.client.onConnection(st => this.onConnection(st));

    this.build();
    this.store.fillInitialDrafts();
    if (this.store.state) this.timed('initial', () => this.render());
    this.store.persist();
    this.focusFirstControl();
  }

  /**
   * Puts focus on the control the next keystroke most likely wants, once per incident shown and only
   * while the page has focus (a click in the queue opens the pane without taking focus from it): Assign
   * to me while it can act, else Reopen for a closed incident, else the status. Call it again when the
   * page gets focus; it does nothing once done, or when the user already focused something in the pane.
   */
  focusFirstControl(): void {
    if (!this.focusPending || !this.store.state || !document.hasFocus()) return;
    this.focusPending = false;
    // After this turn: a vscode-button becomes focusable (its tabindex) when it has rendered.
    setTimeout(() => {
      const active = document.activeElement;
      if (active && active !== document.body && this.root.contains(active)) return;
      const usable = (el: HTMLElement | null) => !!el && !el.hidden && !(el as HTMLElement & { disabled?: boolean }).disabled && !el.closest('[hidden]');
      const first = ['#assign-me', '#reopen', '#status'].map(sel => this.root.querySelector<HTMLElement>(sel)).find(usable);
      first?.focus();
    }, 0);
  }

  onMessage(m: ExtensionMessage): void {
    this.client.receive(m);
  }

  flushDrafts(): void {
    this.store.flushDrafts();
  }

  flushPendingDrafts(): void {
    this.store.flushPendingDrafts();
  }

  /** Keeps "(3 minutes ago)" in the header true while the pane stays open. */
  tick(): void {
    if (this.store.state) this.header.tick(this.store.state);
  }

  // ---- PaneContext ------------------------------------------------------------------------------------

  request(action: PaneAction, o: RequestOptions = {}): number | undefined {
    if (this.stale) {
      // The extension refuses it too; saying so here spares a round trip that could only fail.
      if (!o.quiet) this.notice(`Nothing was sent: this pane belongs to ${this.stale.was}. Reopen it to act on ${this.stale.now}.`, true);
      return undefined;
    }
    const incidentId = this.store.incidentId;
    if (!isIncidentId(incidentId)) {
      if (!o.quiet) this.notice('This incident cannot be changed from the pane: its id is not one the extension accepts.', true);
      return undefined;
    }
    const id = this.client.request(incidentId, action, o);
    if (!o.quiet) this.notices.clear();
    this.store.persist();
    return id;
  }

  notice(text: string, kind: NoticeKind): void {
    this.notices.notice(text, kind);
  }

  copy(text: string): void {
    // Only right after a click or key press in the pane: nothing reaches the clipboard in the background.
    const activation = (navigator as Navigator & { userActivation?: { isActive: boolean } }).userActivation;
    if (activation && !activation.isActive) {
      this.notice('Copying needs a click or a key press in the pane.', true);
      return;
    }
    if (text.length > COPY_MAX_LENGTH) {
      this.notice(`This text is too long to copy (${formatNumber(text.length)} characters; at most ${formatNumber(COPY_MAX_LENGTH)}).`, true);
      return;
    }
    this.request({ kind: 'copyText', text });
  }

  draftsChanged(): void {
    this.store.draftsChanged();
  }

  // ---- messages -----------------------------------------------------------------------------------------

  private onState(next: PaneState): void {
    const reason: RenderReason = !this.store.state
      ? 'initial'
      : this.store.state.incident.id !== next.incident.id
        ? 'switch'
        : this.answered || this.client.busy
          ? 'action'
          : 'update';
    this.timed(reason, () => {
      const { switched } = this.store.accept(next);
      if (switched) {
        // A preview pane is reused for the next incident: start clean, and put the keyboard in it again.
        this.focusPending = true;
        (document.activeElement as HTMLElement | null)?.blur?.();
        this.client.forgetPending();
        this.notices.clear();
        this.classification.clearEdits();
        for (const s of this.sections()) s.invalidate();
      }
      this.render();
    });
    this.answered = false;
    this.store.persist();
    this.focusFirstControl();
  }

  private onAnswer(m: Response, p: Pending): void {
    this.answered = true;
    if (m.ok) {
      if (m.warning) this.notice(m.message ? `${m.message}. ${m.warning}` : m.warning, 'warning');
      else if (m.message) this.notice(m.message, false);
    } else if (m.error.kind === 'conflict') {
      this.conflict.show(p, m.error);
    } else if (!p.quiet) {
      this.notice(m.error.message, true);
    }
  }

  private onConnection(st: { was: string; now: string } | null): void {
    this.stale = st;
    if (!st) {
      replaceChildren(this.staleEl, []);
      this.staleEl.hidden = true;
      this.root.classList.remove('stale');
      return;
    }
    replaceChildren(this.staleEl, [
      h(
        'span',
        null,
        `This pane belongs to the previous connection (${st.was}). The extension is now connected to ${st.now}; nothing this pane sends goes anywhere. `,
      ),
      button('Reopen', () => this.client.post({ type: 'reopen' }), { id: 'reopen-connection' }),
    ]);
    this.staleEl.hidden = false;
    this.root.classList.add('stale');
  }

  /** Runs a render and reports how long the DOM update took. */
  private timed(reason: RenderReason, fn: () => void): void {
    const t0 = performance.now();
    fn();
    const ms = performance.now() - t0;
    const incidentId = this.store.incidentId;
    // A figure the extension would refuse as no measurement (a page frozen for a minute) is not sent.
    if (isIncidentId(incidentId) && ms <= RENDER_MS_MAX) this.client.post({ type: 'rendered', ms: Math.round(ms * 1000) / 1000, reason, incidentId });
  }

  // ---- rendering ----------------------------------------------------------------------------------------

  private sections() {
    return [this.header, this.assignment, this.status, this.classification, this.naming, this.tags, this.timeline, this.alerts, this.evidence];
  }

  private render(): void {
    const s = this.store.state;
    if (!s) return;
    this.root.querySelector('#loading')?.remove();
    keepFocus(this.root, () => {
      this.conflict.update(s);
      for (const section of this.sections()) section.update(s);
      this.comments.update(s);
    });
  }

  private build(): void {
    const section = (id: string, heading: HTMLElement, ...content: Child[]) =>
      h('section', { id, class: 'section', attrs: { 'aria-labelledby': heading.id } }, heading, ...content);
    replaceChildren(this.root, [
      this.header.el,
      h('div', { class: 'notices' }, this.staleEl, this.notices.progressEl, this.notices.noticeEl, this.conflict.el),
      h(
        'main',
        { class: 'layout' },
        h(
          'div',
          { class: 'col' },
          section(
            'manage',
            h('h2', { id: 'manage-heading' }, 'Manage'),
            h('div', { class: 'groups' }, this.assignment.el, this.status.el, this.classification.el, this.naming.el, this.tags.el),
          ),
          section('comments', h('h2', { id: 'comments-heading' }, 'Comments and history'), this.comments.el, this.timeline.el),
        ),
        h(
          'div',
          { class: 'col' },
          section('alerts-section', h('div', { class: 'section-title' }, this.alerts.heading, this.alerts.count), this.alerts.el),
          section(
            'evidence-section',
            h('div', { class: 'section-title' }, this.evidence.heading, this.evidence.count, this.evidence.huntIncident),
            this.evidence.el,
          ),
        ),
      ),
    ]);
    this.root.removeAttribute('aria-busy');
    if (!this.store.state) this.root.prepend(h('p', { id: 'loading', class: 'muted' }, 'Loading incident…'));
  }
}
