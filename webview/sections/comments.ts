/**
 * The comment composer. A comment sent goes to the extension's outbox, whose state shows it at once as
 * pending, then confirmed, or failed with Retry / Copy / Discard (the timeline section renders it). The box
 * keeps the text until the extension's state shows the comment confirmed, so nothing typed is lost to a
 * refused or failed send.
 */
import { COMMENT_MAX_LENGTH, type Drafts, type PaneState, type TimelineEntry } from '../../src/shared/protocol';
import { h } from '../dom';
import { formatNumber } from '../format';
import type { PaneContext } from '../context';
import type { DraftHolder } from '../store';
import { newClientId } from '../timeline';
import { button, isStuck } from '../ui';

export class CommentsSection implements DraftHolder {
  private readonly box = h('textarea', {
    id: 'comment',
    attrs: {
      rows: '4',
      maxlength: String(COMMENT_MAX_LENGTH),
      placeholder: 'Add a comment for the team',
      'aria-describedby': 'comment-counter comment-hint',
      'aria-keyshortcuts': 'Control+Enter Meta+Enter',
    },
  });
  private readonly counter = h('span', { id: 'comment-counter', class: 'counter' });
  readonly el: HTMLElement;

  constructor(private readonly ctx: PaneContext) {
    this.box.addEventListener('input', () => {
      this.updateCounter();
      ctx.draftsChanged();
    });
    this.box.addEventListener('keydown', e => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.submit();
      }
    });
    this.el = h(
      'div',
      { class: 'composer' },
      h('label', { attrs: { for: 'comment' } }, 'New comment'),
      this.box,
      h('div', { class: 'row spread' }, h('span', { id: 'comment-hint', class: 'hint' }, 'Ctrl+Enter (⌘+Enter on macOS) to add'), this.counter),
      h(
        'div',
        { class: 'row' },
        button('Add comment', () => this.submit(), { id: 'add-comment' }),
      ),
    );
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
    if (!text.trim()) {
      this.ctx.notice('Write a comment first.', true);
      this.box.focus();
      return;
    }
    if (text.length > COMMENT_MAX_LENGTH) {
      this.ctx.notice(`A comment can have at most ${formatNumber(COMMENT_MAX_LENGTH)} characters.`, true);
      return;
    }
    const timeline = s.timeline ?? [];
    // Submitting the text of a comment that failed retries that one rather than adding a duplicate.
    const failed = timeline.find(e => e.kind === 'comment' && isStuck(e) && e.text === text);
    if (failed) {
      this.retry(failed);
      return;
    }
    // Sent already, and still on its way (a double click): once is enough.
    if ([...store.sent.values()].some(x => x.text === text) || timeline.some(e => e.kind === 'comment' && e.state === 'pending' && e.text === text)) return;
    const clientId = newClientId();
    this.track(clientId, text, false);
    this.ctx.request(
      { kind: 'addComment', text, clientId },
      {
        // The states the extension posts meanwhile show the comment (pending, then confirmed or failed) and
        // settle the box; the answer only settles a send no state listed.
        onOk: () => this.settle(clientId, true),
        onFail: () => {
          if (!store.sent.get(clientId)?.seen) this.settle(clientId, false);
        },
      },
    );
  }

  private track(clientId: string, text: string, seen: boolean): void {
    this.ctx.store.sent.set(clientId, { text, seen });
    this.ctx.store.persist();
  }

  /**
   * A state arrived. A comment sent from here that it lists is in the extension's outbox (pending, or
   * failed with Retry: the box keeps the text meanwhile); one it listed before and has replaced by the
   * server's comment is confirmed, so its text leaves the box, unless the user has typed on since.
   */
  update(s: PaneState): void {
    const { store } = this.ctx;
    if (!store.sent.size) return;
    const timeline = s.timeline ?? [];
    const keys = new Set(timeline.map(e => e.key));
    let changed = false;
    for (const [clientId, sent] of [...store.sent]) {
      if (keys.has(clientId)) {
        if (!sent.seen) {
          sent.seen = true;
          changed = true;
        }
      } else if (sent.seen || (sent.restored && store.live)) {
        // Gone from the outbox (or never listed, and its answer lost to a reload): confirmed when the server's
        // comment is there, else discarded or refused (the text stays).
        this.settle(
          clientId,
          timeline.some(e => e.kind === 'comment' && e.state === 'confirmed' && e.text === sent.text),
        );
      }
    }
    if (changed) store.persist();
  }

  /** Forgets a send; `confirmed`: the server has the comment, so the box lets go of its text. */
  private settle(clientId: string, confirmed: boolean): void {
    const { store } = this.ctx;
    const sent = store.sent.get(clientId);
    if (!sent) return;
    store.sent.delete(clientId);
    // Only clear what was sent: the user may have started the next comment meanwhile.
    if (confirmed && this.box.value === sent.text) {
      this.box.value = '';
      this.updateCounter();
      this.ctx.draftsChanged();
    } else {
      store.persist();
    }
  }

  /**
   * Asks the extension to send a failed or unconfirmed comment of its outbox again (its state shows it
   * pending); once confirmed, the box lets go of that text if it still holds it.
   */
  retry(e: TimelineEntry): void {
    this.track(e.key, e.text, true);
    this.ctx.request({ kind: 'retryComment', clientId: e.key });
  }

  discard(e: TimelineEntry): void {
    const { store } = this.ctx;
    if (store.sent.delete(e.key)) store.persist();
    this.ctx.request({ kind: 'discardComment', clientId: e.key });
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
