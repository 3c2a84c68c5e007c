/**
 * The comment composer and the comment outbox: a comment shows at once as pending (a local timeline entry),
 * then confirmed or failed with Retry / Copy / Discard. It renders no state, so it has no `update`.
 */
import { COMMENT_MAX_LENGTH, type Drafts, type PaneAction, type TimelineEntry } from '../../src/shared/protocol';
import { h } from '../dom';
import { formatNumber } from '../format';
import type { PaneContext } from '../context';
import type { DraftHolder } from '../store';
import { newClientId } from '../timeline';
import { button, isStuck } from '../ui';

export class CommentsSection implements DraftHolder {
  private readonly box = h('textarea', {
    id: 'comment', attrs: { rows: '4', maxlength: String(COMMENT_MAX_LENGTH), placeholder: 'Add a comment for the team', 'aria-describedby': 'comment-counter comment-hint', 'aria-keyshortcuts': 'Control+Enter Meta+Enter' },
  });
  private readonly counter = h('span', { id: 'comment-counter', class: 'counter' });
  readonly el: HTMLElement;

  constructor(private readonly ctx: PaneContext) {
    this.box.addEventListener('input', () => { this.updateCounter(); ctx.draftsChanged(); });
    this.box.addEventListener('keydown', e => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); this.submit(); }
    });
    this.el = h('div', { class: 'composer' },
      h('label', { attrs: { for: 'comment' } }, 'New comment'),
      this.box,
      h('div', { class: 'row spread' },
        h('span', { id: 'comment-hint', class: 'hint' }, 'Ctrl+Enter (⌘+Enter on macOS) to add'),
        this.counter),
      h('div', { class: 'row' }, button('Add comment', () => this.submit(), { id: 'add-comment' })));
    this.updateCounter();
  }

  private updateCounter(): void {
    const n = this.box.value.length;
    this.counter.textContent = `${formatNumber(n)} / ${formatNumber(COMMENT_MAX_LENGTH)}`;
    this.counter.classList.toggle('near', n >= COMMENT_MAX_LENGTH * 0.9);
    this.counter.classList.toggle('full', n >= COMMENT_MAX_LENGTH);
  }

  private submit(): void {
    const { store } = this.ctx;
    const s = store.state;
    if (!s) return;
    const text = this.box.value;
    if (!text.trim()) { this.ctx.notice('Write a comment first.', true); this.box.focus(); return; }
    if (text.length > COMMENT_MAX_LENGTH) { this.ctx.notice(`A comment can have at most ${formatNumber(COMMENT_MAX_LENGTH)} characters.`, true); return; }
    // Submitting the text of a comment that failed retries that one rather than adding a duplicate.
    const failed = [...store.local.values()].find(e => isStuck(e) && e.text === text)
      ?? (s.timeline ?? []).find(e => e.kind === 'comment' && isStuck(e) && e.text === text);
    if (failed) { this.retry(failed); return; }
    if ([...store.local.values()].some(e => e.state === 'pending' && e.text === text)) return;
    const clientId = newClientId();
    store.local.set(clientId, { key: clientId, kind: 'comment', time: new Date().toISOString(), author: s.me, text, state: 'pending' });
    this.ctx.timelineChanged();
    this.send(clientId, text, { kind: 'addComment', text, clientId });
  }

  private send(clientId: string, text: string, action: PaneAction): void {
    const { store } = this.ctx;
    const settle = (patch: Partial<TimelineEntry>) => {
      const e = store.local.get(clientId);
      if (e) store.local.set(clientId, { ...e, ...patch });
      store.retrying.delete(clientId);
      this.ctx.timelineChanged();
      store.persist();
    };
    this.ctx.request(action, {
      onOk: () => {
        settle({ state: 'confirmed', error: undefined });
        // Only clear what was sent: the user may have started the next comment meanwhile.
        if (this.box.value === text) {
          this.box.value = '';
          this.updateCounter();
          this.ctx.draftsChanged();
        }
      },
      onFail: err => settle({ state: 'failed', error: err.message }),
    });
  }

  retry(e: TimelineEntry): void {
    const { store } = this.ctx;
    const knownToExtension = (store.state?.timeline ?? []).some(t => t.key === e.key);
    if (knownToExtension) {
      store.retrying.add(e.key);
      this.ctx.timelineChanged();
      this.send(e.key, e.text, { kind: 'retryComment', clientId: e.key });
    } else {
      store.local.set(e.key, { ...e, state: 'pending', error: undefined, time: new Date().toISOString() });
      this.ctx.timelineChanged();
      this.send(e.key, e.text, { kind: 'addComment', text: e.text, clientId: e.key });
    }
  }

  discard(e: TimelineEntry): void {
    const { store } = this.ctx;
    const knownToExtension = (store.state?.timeline ?? []).some(t => t.key === e.key);
    store.local.delete(e.key);
    this.ctx.timelineChanged();
    this.ctx.request({ kind: 'discardComment', clientId: e.key }, { quiet: !knownToExtension });
    this.box.focus();
  }

  collect(d: Drafts): void {
    if (this.box.value) d.comment = this.box.value.slice(0, COMMENT_MAX_LENGTH);
  }

  fill(d: Drafts): void {
    if (typeof d.comment === 'string') this.box.value = d.comment.slice(0, COMMENT_MAX_LENGTH);
    this.updateCounter();
  }

  clear(): void {
    this.box.value = '';
    this.updateCounter();
  }
}
