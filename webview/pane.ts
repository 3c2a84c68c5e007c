/**
 * The management pane: a DOM built once (inputs, selects and buttons are never replaced, so a `state`
 * message cannot steal focus or what the user is typing) plus regions re-rendered from the state.
 */
import type { WebviewApi } from 'vscode-webview';
import type { VscodeButton } from '@vscode-elements/elements/dist/vscode-button/vscode-button.js';
import {
  COMMENT_MAX_LENGTH, COPY_MAX_LENGTH, EMAIL_MAX_LENGTH, MAX_TAGS, NAME_MAX_LENGTH, TAG_MAX_LENGTH, isIncidentId,
  type Drafts, type ErrorInfo, type ExtensionMessage, type PaneAction, type PaneState, type TimelineEntry, type WebviewMessage,
} from '../src/shared/protocol';
import type { Alert } from '../src/model/types';
import {
  NEED_COMMENT, PANE_STATUSES, SETTABLE_CLASSIFICATIONS, SETTABLE_SEVERITIES, determinationsFor, isValidPair, resolveNeeds, resolveNeedsText,
} from '../src/model/rules';
import { commentAuthor } from '../src/model/authors';
import { h, key, replaceChildren, setDisabled, val, type Child } from './dom';
import {
  alertStatusLabel, classificationLabel, determinationLabel, editLimits, formatAbsolute, formatNumber, formatRelative, identityText,
  serviceSourceLabel, severityClass, severityLabel, statusLabel,
} from './format';
import { ASSET_GROUPS, gatherAssets } from './assets';
import { mergeTimeline, newClientId } from './timeline';

/** What the pane keeps with `setState` so it survives being hidden, reloaded or VS Code restarting. */
export interface Persisted {
  state?: PaneState;
  drafts: Drafts;
  /** Comments sent from this pane that the extension has not reported back yet. */
  local: TimelineEntry[];
  nextId: number;
  openAlerts?: string[];
}

interface Pending {
  action: PaneAction;
  onOk?: (message?: string) => void;
  onFail?: (error: ErrorInfo) => void;
  /** Failures the user did not ask about (cleanup) are not worth a message. */
  quiet?: boolean;
}

const DRAFT_DEBOUNCE_MS = 300;
const TAGS_DRAFT_MAX = MAX_TAGS * (TAG_MAX_LENGTH + 2);

type Button = VscodeButton;

function button(label: string, onClick: () => void, o: { id?: string; secondary?: boolean; ariaLabel?: string; fk?: string } = {}): Button {
  const b = h('vscode-button', { id: o.id, attrs: { secondary: !!o.secondary, 'aria-label': o.ariaLabel, 'data-fk': o.fk } }, label);
  // vscode-button still dispatches click while disabled (only pointer events are off).
  b.addEventListener('click', () => { if (!b.disabled) onClick(); });
  return b;
}

function field(label: string, control: HTMLElement, id: string, ...extra: Child[]): HTMLDivElement {
  return h('div', { class: 'field' }, h('label', { attrs: { for: id } }, label), control, ...extra);
}

function option(value: string, label: string, disabled = false): HTMLOptionElement {
  // A select is as wide as its longest label; an unknown value from the service must not make it huge.
  return h('option', { attrs: { value, disabled } }, label.length > 120 ? `${label.slice(0, 120)}…` : label);
}

function fact(label: string, id: string, ...value: Child[]): HTMLDivElement {
  return h('div', { class: 'fact' }, h('dt', null, label), h('dd', { id }, ...value));
}

function time(iso: string | null | undefined): HTMLElement {
  if (!iso) return h('span', { class: 'muted' }, '—');
  const rel = formatRelative(iso);
  return h('time', { attrs: { datetime: iso } }, val(formatAbsolute(iso)), rel ? h('span', { class: 'rel' }, ` (${rel})`) : null);
}

function severityBadge(sev: string, id?: string): HTMLElement {
  return h('vscode-badge', { id, class: `sev ${severityClass(sev)}` }, val(severityLabel(sev)));
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}

const ENTRY_FIELDS = ['kind', 'time', 'author', 'text', 'field', 'from', 'to', 'state', 'error'] as const;
function sameEntry(a: TimelineEntry, b: TimelineEntry): boolean {
  return ENTRY_FIELDS.every(k => a[k] === b[k]);
}

function sameUser(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

/** A person's name or address: invisible characters shown, isolated in its `.v` span. */
function who(text: string, extraClass = ''): Node {
  return val(identityText(text), extraClass);
}

/** Fields whose values are people (the journal's "owner", the conflict check's "assignedTo"). */
function isPersonField(field: string | undefined): boolean {
  return !!field && /^(owner|assigned ?to)$/i.test(field);
}

/** Comments the extension still holds and the user can act on: failed, or left unconfirmed by a crash. */
function isStuck(e: TimelineEntry): boolean {
  return e.state === 'failed' || e.state === 'unconfirmed';
}

export class Pane {
  private state: PaneState | undefined;
  private readonly local = new Map<string, TimelineEntry>();
  /** Keys of failed comments the extension knows, while a retry is in flight. */
  private readonly retrying = new Set<string>();
  private readonly requests = new Map<number, Pending>();
  private nextId: number;
  private openAlerts: Set<string>;
  private draftTimer: ReturnType<typeof setTimeout> | undefined;
  private statusDirty = false;
  private severityDirty = false;
  private classDirty = false;
  private alertsSig = '';
  private timelineRows = new Map<string, { entry: TimelineEntry; el: HTMLLIElement }>();
  private statusClearTimer: ReturnType<typeof setTimeout> | undefined;

  // Persistent elements.
  private readonly root: HTMLElement;
  private readonly nameEl = h('h1', { id: 'incident-name' });
  private readonly descriptionEl = h('p', { id: 'incident-description', class: 'description' });
  private readonly factsEl = h('dl', { class: 'facts' });
  private readonly noticeEl = h('div', { id: 'status-area', class: 'notice', attrs: { role: 'status', 'aria-live': 'polite' } });
  private readonly progressEl = h('div', { id: 'progress', class: 'progress', attrs: { role: 'status', 'aria-live': 'polite', hidden: true } });
  private readonly conflictEl = h('section', { id: 'conflict', class: 'conflict', attrs: { 'aria-labelledby': 'conflict-heading', hidden: true } });
  private readonly ownerEl = h('span', { id: 'owner' });
  private readonly assignMeBtn = button('Assign to me', () => this.request({ kind: 'assignToMe' }), { id: 'assign-me' });
  private readonly assignInput = h('input', { id: 'assign-to', attrs: { type: 'text', list: 'known-owners', maxlength: String(EMAIL_MAX_LENGTH), autocomplete: 'off', placeholder: 'user@contoso.com', spellcheck: 'false' } });
  private readonly ownersList = h('datalist', { id: 'known-owners' });
  private readonly unassignBtn = button('Unassign', () => this.request({ kind: 'assign', to: null }), { id: 'unassign', secondary: true });
  private readonly statusSelect = h('select', { id: 'status' });
  private readonly statusApplyBtn = button('Update status', () => this.applyStatus(), { id: 'status-apply' });
  private readonly reopenBtn = button('Reopen', () => this.request({ kind: 'setStatus', status: 'Active' }), { id: 'reopen', secondary: true });
  private readonly resolveForm = h('fieldset', { id: 'resolve-form', class: 'subform', attrs: { hidden: true } });
  private readonly resolveClass = h('select', { id: 'resolve-classification' });
  private readonly resolveDet = h('select', { id: 'resolve-determination' });
  private readonly resolveComment = h('textarea', { id: 'resolve-comment', attrs: { rows: '3', maxlength: String(COMMENT_MAX_LENGTH), 'aria-describedby': 'resolve-error' } });
  private readonly resolveCommentLabel = h('label', { attrs: { for: 'resolve-comment' } }, 'Resolving comment');
  private readonly resolveError = h('p', { id: 'resolve-error', class: 'field-error', attrs: { 'aria-live': 'polite' } });
  private readonly classSelect = h('select', { id: 'classification' });
  private readonly detSelect = h('select', { id: 'determination' });
  private readonly classifyBtn = button('Save', () => this.saveClassification(), { id: 'classify-save' });
  private readonly renameInput = h('input', { id: 'rename', attrs: { type: 'text', maxlength: String(NAME_MAX_LENGTH), autocomplete: 'off', 'aria-describedby': 'rename-reason' } });
  private readonly renameBtn = button('Rename', () => this.rename(), { id: 'rename-submit' });
  private readonly renameReason = h('p', { id: 'rename-reason', class: 'hint', attrs: { hidden: true } });
  private readonly severitySelect = h('select', { id: 'severity', attrs: { 'aria-describedby': 'rename-reason' } });
  private readonly severityApplyBtn = button('Set severity', () => this.applySeverity(), { id: 'severity-apply', secondary: true });
  private readonly tagList = h('ul', { id: 'tag-list', class: 'chips', attrs: { 'aria-label': 'Tags' } });
  private readonly tagInput = h('input', { id: 'tag-input', attrs: { type: 'text', maxlength: String(TAGS_DRAFT_MAX), autocomplete: 'off', placeholder: 'tag, another tag', 'aria-describedby': 'tag-error' } });
  private readonly tagError = h('p', { id: 'tag-error', class: 'field-error', attrs: { 'aria-live': 'polite' } });
  private readonly commentBox = h('textarea', { id: 'comment', attrs: { rows: '4', maxlength: String(COMMENT_MAX_LENGTH), placeholder: 'Add a comment for the team', 'aria-describedby': 'comment-counter comment-hint' } });
  private readonly counterEl = h('span', { id: 'comment-counter', class: 'counter' });
  private readonly addCommentBtn = button('Add comment', () => this.submitComment(), { id: 'add-comment' });
  private readonly timelineEl = h('ol', { id: 'timeline', class: 'timeline', attrs: { 'aria-label': 'Comments and history, newest first' } });
  private readonly alertsEl = h('div', { id: 'alerts' });
  private readonly alertsHeading = h('h2', { id: 'alerts-heading' }, 'Alerts');
  private readonly alertCountEl = h('vscode-badge', { id: 'alerts-count', attrs: { variant: 'counter' } });
  private readonly assetsEl = h('div', { id: 'assets' });

  constructor(private readonly api: WebviewApi<Persisted>, root: HTMLElement, initial: PaneState | undefined) {
    this.root = root;
    const saved = api.getState();
    this.nextId = saved?.nextId ?? 1;
    this.openAlerts = new Set(saved?.openAlerts ?? []);
    for (const e of saved?.local ?? []) {
      // A comment that was still sending when the pane went away has lost its response; say so instead of spinning forever.
      this.local.set(e.key, e.state === 'pending' ? { ...e, state: 'failed', error: 'The pane was closed before the server answered. Retry to send it again.' } : e);
    }
    this.state = initial ?? saved?.state;
    this.build();
    // Webview state holds the newest keystrokes; the extension's copy is the fallback after a restart.
    this.fillDrafts(saved?.drafts ?? this.state?.drafts ?? {});
    if (this.state) this.render();
    this.persist();
  }

  // ---- messages ---------------------------------------------------------------------------------------

  onMessage(m: ExtensionMessage): void {
    if (!m || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') return;
    switch (m.type) {
      case 'state': {
        const first = !this.state;
        // A preview pane is reused for the next incident: save this one's drafts under its own id, then start clean.
        const switched = !first && this.state!.incident.id !== m.state.incident.id;
        if (switched) {
          this.flushDrafts();
          this.commentBox.value = '';
          this.assignInput.value = '';
          this.tagInput.value = '';
          this.renameInput.value = '';
          this.resolveComment.value = '';
          delete this.renameInput.dataset.dirty;
          this.statusDirty = this.severityDirty = this.classDirty = false;
          this.local.clear();
          this.requests.clear();
          this.openAlerts.clear();
          this.clearNotice();
        }
        this.state = m.state;
        for (const e of m.state.timeline) this.local.delete(e.key);
        this.retrying.clear();
        if (first || switched) this.fillDrafts(this.draftsOrEmpty(m.state.drafts));
        this.render();
        this.persist();
        break;
      }
      case 'response': {
        const p = this.requests.get(m.id);
        if (!p) return;
        this.requests.delete(m.id);
        if (m.ok) {
          if (m.warning) this.notice(m.message ? `${m.message}. ${m.warning}` : m.warning, 'warning');
          else if (m.message) this.notice(m.message, false);
          p.onOk?.(m.message);
        } else {
          if (m.error.kind === 'conflict') this.showConflict(p, m.error);
          else if (!p.quiet) this.notice(m.error.message, true);
          p.onFail?.(m.error);
        }
        break;
      }
      case 'progress':
        replaceChildren(this.progressEl, [m.message ? val(m.message) : null]);
        this.progressEl.hidden = !m.message;
        break;
    }
  }

  private post(m: WebviewMessage): void {
    this.api.postMessage(m);
  }

  /**
   * Sends one action for the incident shown now; the extension refuses it if the pane has switched to
   * another incident by the time it arrives. Undefined when there is no incident to act on.
   */
  private request(action: PaneAction, o: Omit<Pending, 'action'> & { force?: boolean } = {}): number | undefined {
    const incidentId = this.state?.incident.id;
    if (!isIncidentId(incidentId)) {
      if (!o.quiet) this.notice('This incident cannot be changed from the pane: its id is not one the extension accepts.', true);
      return undefined;
    }
    const id = this.nextId++;
    this.requests.set(id, { action, onOk: o.onOk, onFail: o.onFail, quiet: o.quiet });
    this.post(o.force ? { type: 'request', id, incidentId, action, force: true } : { type: 'request', id, incidentId, action });
    if (!o.quiet) this.clearNotice();
    this.persist();
    return id;
  }

  /** `error` and `warning` notices stay until the next action so they can be read; successes fade. */
  private notice(text: string, kind: boolean | 'warning'): void {
    clearTimeout(this.statusClearTimer);
    this.noticeEl.className = kind === 'warning' ? 'notice warning' : kind ? 'notice error' : 'notice';
    replaceChildren(this.noticeEl, [val(text)]);
    if (!kind) this.statusClearTimer = setTimeout(() => this.clearNotice(), 8000);
  }

  /** Puts text on the clipboard through the extension, which takes at most COPY_MAX_LENGTH characters. */
  private copy(text: string): void {
    if (text.length > COPY_MAX_LENGTH) {
      this.notice(`This text is too long to copy (${formatNumber(text.length)} characters; at most ${formatNumber(COPY_MAX_LENGTH)}).`, true);
      return;
    }
    this.request({ kind: 'copyText', text });
  }

  private clearNotice(): void {
    this.noticeEl.textContent = '';
    this.noticeEl.className = 'notice';
  }

  private showConflict(p: Pending, error: ErrorInfo): void {
    const changes = error.changes ?? [];
    replaceChildren(this.conflictEl, [
      h('h2', { id: 'conflict-heading' }, 'Changed on the server since you opened it:'),
      changes.length
        ? h('ul', { class: 'conflict-changes' }, ...changes.map(c => h('li', null, key(c.field), ': ',
          c.to !== null && isPersonField(c.field) ? who(c.to, 'theirs') : val(c.to ?? '—', 'theirs'))))
        : h('p', null, val(error.message)),
      h('div', { class: 'row' },
        button('Apply mine on top', () => { this.hideConflict(); this.request(p.action, { ...p, force: true }); }, { id: 'conflict-apply' }),
        button('Take theirs', () => {
          this.hideConflict();
          // The user chose the server's values: forget the edits that caused the conflict.
          this.statusDirty = this.classDirty = false;
          this.request({ kind: 'refresh' });
        }, { id: 'conflict-take', secondary: true })),
    ]);
    this.conflictEl.hidden = false;
    (this.conflictEl.querySelector('#conflict-apply') as HTMLElement | null)?.focus();
  }

  private hideConflict(): void {
    this.conflictEl.hidden = true;
    this.conflictEl.replaceChildren();
  }

  // ---- drafts -----------------------------------------------------------------------------------------

  private draftsOrEmpty(d: Drafts | undefined): Drafts {
    return d && typeof d === 'object' ? d : {};
  }

  private fillDrafts(d: Drafts): void {
    if (typeof d.comment === 'string') this.commentBox.value = d.comment.slice(0, COMMENT_MAX_LENGTH);
    if (typeof d.resolveComment === 'string' && d.resolveComment) {
      this.resolveComment.value = d.resolveComment.slice(0, COMMENT_MAX_LENGTH);
      // Open the resolve form again so the kept text is in sight.
      if (this.state && this.state.incident.status !== 'Resolved') {
        this.statusSelect.value = 'Resolved';
        this.statusDirty = true;
      }
    }
    if (typeof d.assignTo === 'string') this.assignInput.value = d.assignTo.slice(0, EMAIL_MAX_LENGTH);
    if (typeof d.tags === 'string') this.tagInput.value = d.tags.slice(0, TAGS_DRAFT_MAX);
    if (typeof d.name === 'string') { this.renameInput.value = d.name.slice(0, NAME_MAX_LENGTH); this.renameInput.dataset.dirty = '1'; }
    this.updateCounter();
  }

  private collectDrafts(): Drafts {
    const d: Drafts = {};
    if (this.commentBox.value) d.comment = this.commentBox.value.slice(0, COMMENT_MAX_LENGTH);
    if (this.resolveComment.value) d.resolveComment = this.resolveComment.value.slice(0, COMMENT_MAX_LENGTH);
    if (this.assignInput.value) d.assignTo = this.assignInput.value.slice(0, EMAIL_MAX_LENGTH);
    if (this.tagInput.value) d.tags = this.tagInput.value.slice(0, TAGS_DRAFT_MAX);
    // The rename field shows the current name; only a different name is unsent input.
    if (this.renameInput.value && this.renameInput.value !== this.state?.incident.name) d.name = this.renameInput.value.slice(0, NAME_MAX_LENGTH);
    return d;
  }

  private draftsChanged(): void {
    this.persist();
    clearTimeout(this.draftTimer);
    this.draftTimer = setTimeout(() => this.flushDrafts(), DRAFT_DEBOUNCE_MS);
  }

  /** Sends the drafts now; also on pagehide so the last keystrokes are not lost when the panel closes. */
  flushDrafts(): void {
    clearTimeout(this.draftTimer);
    this.draftTimer = undefined;
    const incidentId = this.state?.incident.id;
    this.post(incidentId ? { type: 'drafts', drafts: this.collectDrafts(), incidentId } : { type: 'drafts', drafts: this.collectDrafts() });
  }

  private persist(): void {
    this.api.setState({
      state: this.state,
      drafts: this.collectDrafts(),
      local: [...this.local.values()],
      nextId: this.nextId,
      openAlerts: [...this.openAlerts],
    });
  }

  // ---- building the shell -------------------------------------------------------------------------------

  private build(): void {
    const portalBtn = button('Open in Defender portal', () => this.request({ kind: 'openPortal' }), { id: 'open-portal', secondary: true });

    const header = h('header', { class: 'pane-header' },
      h('div', { class: 'title-row' }, this.nameEl, portalBtn),
      this.descriptionEl,
      this.factsEl);

    const notices = h('div', { class: 'notices' }, this.progressEl, this.noticeEl, this.conflictEl);

    // Assignment
    const assignSubmit = button('Assign', () => this.assignTo(), { id: 'assign-submit', secondary: true });
    this.assignInput.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); this.assignTo(); } });
    const assignGroup = h('div', { class: 'group', attrs: { role: 'group', 'aria-labelledby': 'assign-heading' } },
      h('h3', { id: 'assign-heading' }, 'Assignment'),
      h('p', { class: 'current' }, 'Owner: ', this.ownerEl),
      h('div', { class: 'row' }, this.assignMeBtn, this.unassignBtn),
      h('div', { class: 'row' }, field('Assign to', this.assignInput, 'assign-to'), assignSubmit),
      this.ownersList);

    // Status
    for (const s of PANE_STATUSES) this.statusSelect.append(option(s, statusLabel(s)));
    for (const s of SETTABLE_SEVERITIES) this.severitySelect.append(option(s, severityLabel(s)));
    this.statusSelect.addEventListener('change', () => { this.statusDirty = true; this.syncStatus(); });
    this.resolveClass.addEventListener('change', () => this.fillDeterminations(this.resolveClass, this.resolveDet, this.resolveDet.value));
    for (const c of SETTABLE_CLASSIFICATIONS) this.resolveClass.append(option(c, classificationLabel(c)));
    this.resolveComment.addEventListener('input', () => this.draftsChanged());
    this.resolveComment.addEventListener('keydown', e => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.resolve(); } });
    replaceChildren(this.resolveForm, [
      h('legend', null, 'Resolve incident'),
      field('Classification', this.resolveClass, 'resolve-classification'),
      field('Determination', this.resolveDet, 'resolve-determination'),
      h('div', { class: 'field wide' }, this.resolveCommentLabel, this.resolveComment),
      this.resolveError,
      h('div', { class: 'row' },
        button('Resolve', () => this.resolve(), { id: 'resolve-submit' }),
        button('Cancel', () => this.cancelResolve(), { id: 'resolve-cancel', secondary: true })),
    ]);
    const statusGroup = h('div', { class: 'group', attrs: { role: 'group', 'aria-labelledby': 'status-heading' } },
      h('h3', { id: 'status-heading' }, 'Status'),
      h('div', { class: 'row' }, field('Status', this.statusSelect, 'status'), this.statusApplyBtn, this.reopenBtn),
      this.resolveForm);

    // Classification
    for (const c of SETTABLE_CLASSIFICATIONS) this.classSelect.append(option(c, classificationLabel(c)));
    this.classSelect.addEventListener('change', () => {
      this.classDirty = true;
      this.fillDeterminations(this.classSelect, this.detSelect, this.detSelect.value);
      this.syncClassifyButton();
    });
    this.detSelect.addEventListener('change', () => { this.classDirty = true; this.syncClassifyButton(); });
    const classGroup = h('div', { class: 'group', attrs: { role: 'group', 'aria-labelledby': 'class-heading' } },
      h('h3', { id: 'class-heading' }, 'Classification'),
      h('div', { class: 'row' }, field('Classification', this.classSelect, 'classification'), field('Determination', this.detSelect, 'determination'), this.classifyBtn));

    // Name and severity (where the backend can change them; #rename-reason says why not)
    this.renameInput.addEventListener('input', () => { this.renameInput.dataset.dirty = '1'; this.draftsChanged(); });
    this.renameInput.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); this.rename(); } });
    this.severitySelect.addEventListener('change', () => { this.severityDirty = true; this.syncSeverityButton(); });
    const renameGroup = h('div', { class: 'group', attrs: { role: 'group', 'aria-labelledby': 'rename-heading' } },
      h('h3', { id: 'rename-heading' }, 'Name and severity'),
      h('div', { class: 'row' }, h('div', { class: 'field grow' }, h('label', { attrs: { for: 'rename' } }, 'Incident name'), this.renameInput), this.renameBtn),
      h('div', { class: 'row' }, field('Severity', this.severitySelect, 'severity'), this.severityApplyBtn),
      this.renameReason);

    // Tags
    this.tagInput.addEventListener('keydown', e => { if (e.key === 'Enter') { e.preventDefault(); this.addTags(); } });
    const tagGroup = h('div', { class: 'group', attrs: { role: 'group', 'aria-labelledby': 'tags-heading' } },
      h('h3', { id: 'tags-heading' }, 'Tags'),
      this.tagList,
      h('div', { class: 'row' }, field('Add tags', this.tagInput, 'tag-input'), button('Add', () => this.addTags(), { id: 'tag-add', secondary: true })),
      this.tagError);

    for (const input of [this.assignInput, this.tagInput]) input.addEventListener('input', () => this.draftsChanged());

    // Comments
    this.commentBox.addEventListener('input', () => { this.updateCounter(); this.draftsChanged(); });
    this.commentBox.addEventListener('keydown', e => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.submitComment(); }
    });
    const composer = h('div', { class: 'composer' },
      h('label', { attrs: { for: 'comment' } }, 'New comment'),
      this.commentBox,
      h('div', { class: 'row spread' },
        h('span', { id: 'comment-hint', class: 'hint' }, 'Ctrl+Enter (⌘+Enter on macOS) to add'),
        this.counterEl),
      h('div', { class: 'row' }, this.addCommentBtn));

    const section = (id: string, heading: HTMLElement, ...content: Child[]) =>
      h('section', { id, class: 'section', attrs: { 'aria-labelledby': heading.id } }, heading, ...content);

    replaceChildren(this.root, [
      header,
      notices,
      h('main', { class: 'layout' },
        h('div', { class: 'col' },
          section('manage', h('h2', { id: 'manage-heading' }, 'Manage'), h('div', { class: 'groups' }, assignGroup, statusGroup, classGroup, renameGroup, tagGroup)),
          section('comments', h('h2', { id: 'comments-heading' }, 'Comments and history'), composer, this.timelineEl)),
        h('div', { class: 'col' },
          section('alerts-section', h('div', { class: 'section-title' }, this.alertsHeading, this.alertCountEl), this.alertsEl),
          section('assets-section', h('h2', { id: 'assets-heading' }, 'Impacted assets'), this.assetsEl))),
    ]);
    this.root.removeAttribute('aria-busy');
    if (!this.state) this.root.prepend(h('p', { id: 'loading', class: 'muted' }, 'Loading incident…'));
    this.updateCounter();
  }

  // ---- rendering from the state -------------------------------------------------------------------------

  /** Keeps "(3 minutes ago)" in the header true while the pane stays open; the header holds nothing focusable. */
  tick(): void {
    if (this.state) this.renderHeader(this.state);
  }

  private render(): void {
    const s = this.state;
    if (!s) return;
    this.root.querySelector('#loading')?.remove();
    this.keepFocus(() => {
      this.renderHeader(s);
      this.syncControls(s);
      this.renderAlerts(s.incident.alerts ?? []);
      this.renderTimeline();
    });
  }

  /** Re-renders may replace a focused node; put focus back on its replacement (matched by id or data-fk). */
  private keepFocus(fn: () => void): void {
    const active = document.activeElement as HTMLElement | null;
    const key = active && active !== document.body ? (active.id ? `#${CSS.escape(active.id)}` : active.dataset.fk ? `[data-fk="${CSS.escape(active.dataset.fk)}"]` : '') : '';
    fn();
    if (key && (!active || !active.isConnected)) (this.root.querySelector(key) as HTMLElement | null)?.focus();
  }

  private renderHeader(s: PaneState): void {
    const i = s.incident;
    this.nameEl.replaceChildren(val(i.name));
    document.title = `#${i.id} ${i.name}`.slice(0, 200);
    this.descriptionEl.replaceChildren(val(i.description ?? ''));
    this.descriptionEl.hidden = !i.description;
    const tags = (list: string[], cls: string) => list.length
      ? h('ul', { class: 'chips compact' }, ...list.map(t => h('li', { class: `chip ${cls}` }, val(t))))
      : h('span', { class: 'muted' }, 'None');
    replaceChildren(this.factsEl, [
      fact('ID', 'incident-id', `#${i.id}`),
      fact('Severity', 'incident-severity', severityBadge(i.severity)),
      fact('Status', 'incident-status', val(statusLabel(i.status))),
      fact('Owner', 'header-owner', i.assignedTo ? who(i.assignedTo) : h('span', { class: 'muted' }, 'Unassigned')),
      fact('Classification', 'incident-classification', val(classificationLabel(i.classification))),
      fact('Determination', 'incident-determination', val(determinationLabel(i.determination))),
      fact('Created', 'incident-created', time(i.createdTime)),
      fact('Last update', 'incident-updated', time(i.lastUpdateTime)),
      fact('Alerts', 'incident-alert-count', formatNumber((i.alerts ?? []).length)),
      fact('Tags', 'incident-tags', tags([...(i.tags ?? []), ...(i.systemTags ?? [])], '')),
      i.detectionSource ? fact('Detection source', 'incident-detection-source', val(i.detectionSource)) : null,
      i.redirectIncidentId ? fact('Redirected to', 'incident-redirect', val(`#${i.redirectIncidentId}`)) : null,
      i.lastModifiedBy ? fact('Last modified by', 'incident-modified-by', who(i.lastModifiedBy)) : null,
      typeof i.priorityScore === 'number' ? fact('Priority score', 'incident-priority', formatNumber(i.priorityScore)) : null,
      i.resolvingComment ? fact('Resolving comment', 'incident-resolving-comment', val(i.resolvingComment, 'pre')) : null,
    ]);
  }

  private syncControls(s: PaneState): void {
    const i = s.incident;
    // Owner
    if (i.assignedTo) this.ownerEl.replaceChildren(who(i.assignedTo));
    else this.ownerEl.replaceChildren(h('span', { class: 'muted' }, 'Unassigned'));
    setDisabled(this.assignMeBtn, sameUser(i.assignedTo, s.me));
    setDisabled(this.unassignBtn, !i.assignedTo);
    // The suggestion list shows each owner with invisible characters made visible; picking one fills in the real value.
    replaceChildren(this.ownersList, (s.knownOwners ?? []).map(o => h('option', { attrs: { value: o, label: identityText(o) !== o ? identityText(o) : undefined } })));

    // Status: an unknown current value is shown, but only the three settable ones can be chosen.
    for (const o of [...this.statusSelect.options]) if (o.dataset.extra) o.remove();
    if (!(PANE_STATUSES as readonly string[]).includes(i.status)) {
      const o = option(i.status, statusLabel(i.status), true);
      o.dataset.extra = '1';
      this.statusSelect.append(o);
    }
    if (!this.statusDirty || this.statusSelect.value === i.status) {
      this.statusDirty = false;
      this.statusSelect.value = i.status;
    }
    this.syncStatus();
    this.resolveCommentLabel.textContent = s.requireClassificationToResolve ? 'Resolving comment (required)' : 'Resolving comment (optional)';
    this.resolveComment.required = s.requireClassificationToResolve;

    // Classification
    if (!this.classDirty || (this.classSelect.value === i.classification && this.detSelect.value === i.determination)) {
      this.classDirty = false;
      this.setSelect(this.classSelect, i.classification, classificationLabel(i.classification));
      this.fillDeterminations(this.classSelect, this.detSelect, i.determination);
    }
    this.syncClassifyButton();

    // Name
    const prevName = this.renameInput.dataset.name;
    this.renameInput.dataset.name = i.name;
    // Follow the server's name unless the user is editing a different one.
    if (!this.renameInput.dataset.dirty || this.renameInput.value === prevName || this.renameInput.value === i.name || this.renameInput.value === '') {
      if (this.renameInput.value !== i.name) this.renameInput.value = i.name;
      delete this.renameInput.dataset.dirty;
    }
    const canRename = !!s.capabilities.canRename;
    this.renameInput.disabled = !canRename;
    setDisabled(this.renameBtn, !canRename);

    // Severity: an unknown or unsettable current value (UnSpecified) is shown, not offered.
    if (!this.severityDirty || this.severitySelect.value === i.severity) {
      this.severityDirty = false;
      this.setSelect(this.severitySelect, i.severity, severityLabel(i.severity));
    }
    this.severitySelect.disabled = !s.capabilities.canChangeSeverity;
    this.syncSeverityButton();
    const limits = editLimits(s.capabilities);
    this.renameReason.hidden = !limits;
    replaceChildren(this.renameReason, limits ? ['The ', val(s.capabilities.backendName), ` ${limits}.`] : []);

    // Tags
    replaceChildren(this.tagList, [
      ...(i.tags ?? []).map(t => h('li', { class: 'chip' },
        val(t),
        h('button', { class: 'chip-remove', attrs: { type: 'button', 'aria-label': `Remove tag ${t}`, title: 'Remove tag', 'data-fk': `tag:${t}` }, on: { click: () => this.removeTag(t) } }, '×'))),
      ...(i.systemTags ?? []).map(t => h('li', { class: 'chip system', attrs: { title: 'System tag (read-only)' } }, val(t))),
    ]);
    if (!(i.tags ?? []).length && !(i.systemTags ?? []).length) this.tagList.append(h('li', { class: 'muted' }, 'No tags'));
  }

  /** Selects `value`, adding a disabled option for a value the service sent that we do not know. */
  private setSelect(sel: HTMLSelectElement, value: string, label: string): void {
    for (const o of [...sel.options]) if (o.dataset.extra) o.remove();
    if (![...sel.options].some(o => o.value === value)) {
      const o = option(value, label, true);
      o.dataset.extra = '1';
      sel.append(o);
    }
    sel.value = value;
  }

  private fillDeterminations(classSel: HTMLSelectElement, detSel: HTMLSelectElement, preferred: string): void {
    const values: readonly string[] = determinationsFor(classSel.value);
    replaceChildren(detSel, values.map(d => option(d, determinationLabel(d))));
    if (!values.length) {
      // Unknown classification from the service: show its determination, offer nothing to save.
      detSel.append(option(preferred, determinationLabel(preferred), true));
      detSel.value = preferred;
    } else {
      detSel.value = values.includes(preferred) ? preferred : values[0];
    }
  }

  private syncStatus(): void {
    const s = this.state;
    if (!s) return;
    const current = s.incident.status;
    const chosen = this.statusSelect.value;
    const resolving = chosen === 'Resolved' && current !== 'Resolved';
    if (resolving && this.resolveForm.hidden) {
      this.setSelect(this.resolveClass, s.incident.classification, classificationLabel(s.incident.classification));
      this.fillDeterminations(this.resolveClass, this.resolveDet, s.incident.determination);
      this.resolveError.textContent = '';
    }
    this.resolveForm.hidden = !resolving;
    this.statusApplyBtn.hidden = resolving;
    setDisabled(this.statusApplyBtn, chosen === current || !(PANE_STATUSES as readonly string[]).includes(chosen));
    this.reopenBtn.hidden = current !== 'Resolved';
  }

  private syncClassifyButton(): void {
    const i = this.state?.incident;
    const valid = isValidPair(this.classSelect.value, this.detSelect.value);
    setDisabled(this.classifyBtn, !i || !valid || (this.classSelect.value === i.classification && this.detSelect.value === i.determination));
  }

  private syncSeverityButton(): void {
    const s = this.state;
    const chosen = this.severitySelect.value;
    setDisabled(this.severityApplyBtn, !s || !s.capabilities.canChangeSeverity || chosen === s.incident.severity || !(SETTABLE_SEVERITIES as readonly string[]).includes(chosen));
  }

  private renderAlerts(alerts: Alert[]): void {
    this.alertCountEl.textContent = formatNumber(alerts.length);
    this.alertCountEl.setAttribute('aria-label', `${alerts.length} alerts`);
    const sig = JSON.stringify(alerts);
    if (sig === this.alertsSig) return;
    this.alertsSig = sig;
    if (!alerts.length) {
      replaceChildren(this.alertsEl, [h('p', { class: 'muted' }, 'No alerts.')]);
    } else {
      // With few alerts, open them all: nothing to scan past.
      const openAll = alerts.length <= 3 && this.openAlerts.size === 0;
      replaceChildren(this.alertsEl, alerts.map(a => this.renderAlert(a, openAll || this.openAlerts.has(a.id))));
    }
    this.renderAssets(alerts);
  }

  private renderAlert(a: Alert, open: boolean): HTMLElement {
    const row = (label: string, ...v: Child[]) => h('div', { class: 'fact' }, h('dt', null, label), h('dd', null, ...v));
    const text = (s: string | null | undefined) => (s ? val(s) : h('span', { class: 'muted' }, '—'));
    const details = h('details', { class: 'alert', attrs: { open, 'data-alert-id': a.id } },
      h('summary', { attrs: { 'data-fk': `alert:${a.id}` } },
        severityBadge(a.severity),
        val(a.title, 'alert-title'),
        val(alertStatusLabel(a.status), 'alert-summary-status')),
      a.description ? h('p', { class: 'description alert-description' }, val(a.description)) : null,
      h('dl', { class: 'facts alert-facts' },
        row('Severity', val(severityLabel(a.severity))),
        row('Status', val(alertStatusLabel(a.status))),
        row('Category', text(a.category)),
        row('Service source', text(a.serviceSource && serviceSourceLabel(a.serviceSource))),
        row('Detection source', text(a.detectionSource)),
        row('First activity', time(a.firstActivity)),
        row('Last activity', time(a.lastActivity)),
        row('MITRE techniques', (a.mitreTechniques ?? []).length
          ? h('ul', { class: 'chips compact' }, ...a.mitreTechniques.map(t => h('li', { class: 'chip mono' }, val(t))))
          : h('span', { class: 'muted' }, 'None')),
        row('Assets', `${plural((a.devices ?? []).length, 'device')}, ${plural((a.entities ?? []).length, 'entity', 'entities')}`)));
    details.addEventListener('toggle', () => {
      if (details.open) this.openAlerts.add(a.id);
      else this.openAlerts.delete(a.id);
      this.persist();
    });
    return details;
  }

  private renderAssets(alerts: Alert[]): void {
    const groups = gatherAssets(alerts);
    if (!groups.size) {
      replaceChildren(this.assetsEl, [h('p', { class: 'muted' }, 'No impacted assets reported.')]);
      return;
    }
    replaceChildren(this.assetsEl, ASSET_GROUPS.filter(g => groups.has(g.group)).map(({ group, title }) => {
      const list = groups.get(group)!;
      const headingId = `assets-${group}`;
      // Users and mailboxes are identities: account names, UPNs, SIDs and addresses show invisible characters.
      const people = group === 'users' || group === 'mailboxes';
      return h('div', { class: 'asset-group', attrs: { role: 'group', 'aria-labelledby': headingId } },
        h('h3', { id: headingId }, `${title} (${list.length})`),
        h('ul', { class: 'assets' }, ...list.map(a => h('li', { class: 'asset' },
          people ? who(a.label, 'asset-label') : val(a.label, 'asset-label'),
          group === 'other' ? h('span', { class: 'asset-type' }, ' ', val(a.type)) : null,
          a.alerts > 1 ? h('span', { class: 'muted' }, ` · in ${a.alerts} alerts`) : null,
          a.details.length
            ? h('div', { class: 'asset-details' }, ...a.details.map(([k, v]) => h('span', { class: 'detail' }, key(k), ': ', people ? who(v) : val(v))))
            : null))));
    }));
  }

  private renderTimeline(): void {
    const s = this.state;
    if (!s) return;
    const entries = mergeTimeline(s.timeline ?? [], this.local.values(), this.retrying);
    const next = new Map<string, { entry: TimelineEntry; el: HTMLLIElement }>();
    entries.forEach((e, idx) => {
      const prev = this.timelineRows.get(e.key);
      const row = prev && sameEntry(prev.entry, e) ? prev : { entry: e, el: this.renderEntry(e) };
      next.set(e.key, row);
      // Move only what is out of place: moving a node blurs it.
      const at = this.timelineEl.children[idx];
      if (at !== row.el) this.timelineEl.insertBefore(row.el, at ?? null);
    });
    for (const [key, row] of this.timelineRows) if (next.get(key)?.el !== row.el) row.el.remove();
    this.timelineRows = next;
    if (!entries.length) {
      if (!this.timelineEl.querySelector('.empty')) this.timelineEl.append(h('li', { class: 'empty muted' }, 'No comments or changes yet.'));
    } else {
      this.timelineEl.querySelector('.empty')?.remove();
    }
  }

  /** Who did it and how, as the start of the row: "alex@contoso.com changed from this editor". */
  private entryHead(e: TimelineEntry): Child[] {
    const author = (s: string | null) => (s ? who(s, 'author') : null);
    if (e.kind === 'comment') {
      // The server records an app-only sign-in as API-App:<client id>; say what that means.
      const a = commentAuthor(e.author);
      return [
        e.author?.trim() ? author(e.author.trim()) : h('span', { class: 'author muted' }, 'Unknown'),
        a.viaApp ? h('span', { class: 'author-note muted' }, ' (posted through the app registration)') : null,
        h('span', { class: 'kind' }, ' commented '),
      ];
    }
    if (e.kind === 'observed' || e.source === 'server') {
      return e.author
        ? [author(e.author), h('span', { class: 'kind' }, ' changed on the server ')]
        : [h('span', { class: 'kind' }, 'Changed on the server (it does not say by whom) ')];
    }
    return [
      e.author ? author(e.author) : h('span', { class: 'author muted' }, 'Unknown'),
      h('span', { class: 'kind' }, e.source === 'editor' ? ' changed from this editor ' : ' changed '),
    ];
  }

  private renderEntry(e: TimelineEntry): HTMLLIElement {
    const stateLabel = e.state === 'pending' ? h('span', { class: 'entry-state' }, 'Sending…')
      : e.state === 'failed' ? h('span', { class: 'entry-state failed' }, 'Not sent')
        : e.state === 'unconfirmed' ? h('span', { class: 'entry-state unconfirmed' }, 'Not confirmed') : null;
    const person = isPersonField(e.field);
    const value = (v: string | null | undefined, cls: string) => (v != null && person ? who(v, cls) : val(v ?? '—', cls));
    const body = e.field !== undefined && e.kind !== 'comment'
      ? h('div', { class: 'entry-text change' }, key(e.field), ': ', value(e.from, 'from'), ' → ', value(e.to, 'to'))
      : h('div', { class: 'entry-text pre' }, val(e.text));
    const li = h('li', { class: `entry kind-${e.kind} state-${e.state}`, attrs: { 'data-key': e.key, 'aria-busy': e.state === 'pending' ? 'true' : undefined } },
      h('div', { class: 'entry-head' }, ...this.entryHead(e), time(e.time), stateLabel),
      body);
    if (isStuck(e)) {
      li.append(
        e.state === 'unconfirmed'
          ? h('p', { class: 'entry-error unconfirmed' }, val(e.error ?? 'It may or may not have been posted. Retry checks the incident first.'))
          : h('p', { class: 'entry-error' }, 'Failed: ', val(e.error ?? 'unknown error')),
        h('div', { class: 'row' },
          button('Retry', () => this.retryComment(e), { fk: `${e.key}:retry`, ariaLabel: 'Retry sending this comment' }),
          button('Copy', () => this.copy(e.text), { fk: `${e.key}:copy`, secondary: true, ariaLabel: 'Copy comment text' }),
          button('Discard', () => this.discardComment(e), { fk: `${e.key}:discard`, secondary: true, ariaLabel: 'Discard this comment' })));
    }
    return li;
  }

  // ---- actions ------------------------------------------------------------------------------------------

  private assignTo(): void {
    const to = this.assignInput.value.trim();
    if (!to) { this.notice('Type who to assign the incident to.', true); this.assignInput.focus(); return; }
    this.request({ kind: 'assign', to }, { onOk: () => { if (this.assignInput.value.trim() === to) { this.assignInput.value = ''; this.draftsChanged(); } } });
  }

  private applyStatus(): void {
    const status = this.statusSelect.value;
    if (status !== 'Active' && status !== 'InProgress') return;
    this.request({ kind: 'setStatus', status }, { onOk: () => { this.statusDirty = false; } });
  }

  private cancelResolve(): void {
    this.statusDirty = false;
    if (this.state) this.statusSelect.value = this.state.incident.status;
    this.syncStatus();
    this.statusSelect.focus();
  }

  private resolve(): void {
    const s = this.state;
    if (!s) return;
    const classification = this.resolveClass.value;
    const determination = this.resolveDet.value;
    const comment = this.resolveComment.value;
    // The model's rule, the same one the extension applies before sending.
    const needs = resolveNeeds({ classification, determination, comment }, s.requireClassificationToResolve);
    if (needs.length) {
      const needsComment = needs.includes(NEED_COMMENT);
      const needsClass = needs.some(n => n !== NEED_COMMENT);
      this.resolveError.textContent = resolveNeedsText(needs);
      this.resolveClass.setAttribute('aria-invalid', String(needsClass));
      this.resolveComment.setAttribute('aria-invalid', String(needsComment));
      (needsClass ? this.resolveClass : this.resolveComment).focus();
      return;
    }
    this.resolveError.textContent = '';
    this.resolveClass.removeAttribute('aria-invalid');
    this.resolveComment.removeAttribute('aria-invalid');
    const action: PaneAction = { kind: 'setStatus', status: 'Resolved' };
    if (classification !== 'Unknown' && isValidPair(classification, determination)) {
      action.classification = classification;
      action.determination = determination;
    }
    if (comment.trim()) action.comment = comment;
    this.request(action, {
      onOk: () => {
        this.statusDirty = false;
        // Only clear what was sent: the user may have edited the comment while it was on its way.
        if (this.resolveComment.value === comment) {
          this.resolveComment.value = '';
          this.draftsChanged();
        }
      },
    });
  }

  private saveClassification(): void {
    const classification = this.classSelect.value;
    const determination = this.detSelect.value;
    if (!isValidPair(classification, determination)) return;
    this.request({ kind: 'classify', classification, determination }, { onOk: () => { this.classDirty = false; } });
  }

  private applySeverity(): void {
    const s = this.state;
    const severity = this.severitySelect.value;
    if (!s || !s.capabilities.canChangeSeverity || severity === s.incident.severity || !(SETTABLE_SEVERITIES as readonly string[]).includes(severity)) return;
    this.request({ kind: 'setSeverity', severity }, { onOk: () => { this.severityDirty = false; } });
  }

  private rename(): void {
    const s = this.state;
    if (!s || !s.capabilities.canRename) return;
    const name = this.renameInput.value.trim();
    if (!name) { this.notice('The name cannot be empty.', true); this.renameInput.focus(); return; }
    if (name === s.incident.name) { this.notice('The name is unchanged.', false); return; }
    this.request({ kind: 'rename', name });
  }

  /** Tags already on the incident come from the server and may break our limits; say so rather than send what the extension would drop. */
  private sendTags(tags: string[], onOk?: () => void): void {
    if (tags.length > MAX_TAGS) { this.tagError.textContent = `An incident can have at most ${MAX_TAGS} tags.`; return; }
    if (tags.some(t => t.length > TAG_MAX_LENGTH)) { this.tagError.textContent = `A tag can have at most ${TAG_MAX_LENGTH} characters.`; return; }
    this.tagError.textContent = '';
    this.request({ kind: 'setTags', tags }, { onOk });
  }

  private addTags(): void {
    const s = this.state;
    if (!s) return;
    const typed = this.tagInput.value.split(',').map(t => t.trim()).filter(Boolean);
    if (!typed.length) { this.tagError.textContent = 'Type a tag to add.'; return; }
    const current = s.incident.tags ?? [];
    const have = new Set(current.map(t => t.toLowerCase()));
    const added = typed.filter(t => !have.has(t.toLowerCase()) && (have.add(t.toLowerCase()), true));
    if (!added.length) { this.tagError.textContent = 'Those tags are already on the incident.'; return; }
    const sent = this.tagInput.value;
    this.sendTags([...current, ...added], () => { if (this.tagInput.value === sent) { this.tagInput.value = ''; this.draftsChanged(); } });
  }

  private removeTag(tag: string): void {
    const s = this.state;
    if (!s) return;
    this.sendTags((s.incident.tags ?? []).filter(t => t !== tag));
  }

  private updateCounter(): void {
    const n = this.commentBox.value.length;
    this.counterEl.textContent = `${formatNumber(n)} / ${formatNumber(COMMENT_MAX_LENGTH)}`;
    this.counterEl.classList.toggle('near', n >= COMMENT_MAX_LENGTH * 0.9);
    this.counterEl.classList.toggle('full', n >= COMMENT_MAX_LENGTH);
  }

  private submitComment(): void {
    const s = this.state;
    if (!s) return;
    const text = this.commentBox.value;
    if (!text.trim()) { this.notice('Write a comment first.', true); this.commentBox.focus(); return; }
    if (text.length > COMMENT_MAX_LENGTH) { this.notice(`A comment can have at most ${formatNumber(COMMENT_MAX_LENGTH)} characters.`, true); return; }
    // Submitting the text of a comment that failed retries that one rather than adding a duplicate.
    const failed = [...this.local.values()].find(e => isStuck(e) && e.text === text)
      ?? (s.timeline ?? []).find(e => e.kind === 'comment' && isStuck(e) && e.text === text);
    if (failed) { this.retryComment(failed); return; }
    if ([...this.local.values()].some(e => e.state === 'pending' && e.text === text)) return;
    const clientId = newClientId();
    this.local.set(clientId, { key: clientId, kind: 'comment', time: new Date().toISOString(), author: s.me, text, state: 'pending' });
    this.renderTimeline();
    this.sendComment(clientId, text, { kind: 'addComment', text, clientId });
  }

  private sendComment(clientId: string, text: string, action: PaneAction): void {
    const settle = (patch: Partial<TimelineEntry>) => {
      const e = this.local.get(clientId);
      if (e) this.local.set(clientId, { ...e, ...patch });
      this.retrying.delete(clientId);
      this.keepFocus(() => this.renderTimeline());
      this.persist();
    };
    this.request(action, {
      onOk: () => {
        settle({ state: 'confirmed', error: undefined });
        // Only clear what was sent: the user may have started the next comment meanwhile.
        if (this.commentBox.value === text) {
          this.commentBox.value = '';
          this.updateCounter();
          this.draftsChanged();
        }
      },
      onFail: err => settle({ state: 'failed', error: err.message }),
    });
  }

  private retryComment(e: TimelineEntry): void {
    const knownToExtension = (this.state?.timeline ?? []).some(t => t.key === e.key);
    if (knownToExtension) {
      this.retrying.add(e.key);
      this.keepFocus(() => this.renderTimeline());
      this.sendComment(e.key, e.text, { kind: 'retryComment', clientId: e.key });
    } else {
      this.local.set(e.key, { ...e, state: 'pending', error: undefined, time: new Date().toISOString() });
      this.keepFocus(() => this.renderTimeline());
      this.sendComment(e.key, e.text, { kind: 'addComment', text: e.text, clientId: e.key });
    }
  }

  private discardComment(e: TimelineEntry): void {
    const knownToExtension = (this.state?.timeline ?? []).some(t => t.key === e.key);
    this.local.delete(e.key);
    this.renderTimeline();
    this.request({ kind: 'discardComment', clientId: e.key }, { quiet: !knownToExtension });
    this.commentBox.focus();
  }
}
