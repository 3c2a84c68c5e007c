/** The live regions under the header: progress ("retrying in 5 s") and the notice of the last action. */
import { h, replaceChildren, val } from './dom';
import type { NoticeKind } from './context';

export class Notices {
  readonly progressEl = h('div', { id: 'progress', class: 'progress', attrs: { role: 'status', 'aria-live': 'polite', hidden: true } });
  readonly noticeEl = h('div', { id: 'status-area', class: 'notice', attrs: { role: 'status', 'aria-live': 'polite' } });
  private clearTimer: ReturnType<typeof setTimeout> | undefined;

  /** `error` and `warning` notices stay until the next action so they can be read; successes fade. */
  notice(text: string, kind: NoticeKind): void {
    clearTimeout(this.clearTimer);
    this.noticeEl.className = kind === 'warning' ? 'notice warning' : kind ? 'notice error' : 'notice';
    replaceChildren(this.noticeEl, [val(text)]);
    if (!kind) this.clearTimer = setTimeout(() => this.clear(), 8000);
  }

  clear(): void {
    clearTimeout(this.clearTimer);
    this.noticeEl.textContent = '';
    this.noticeEl.className = 'notice';
  }

  progress(message: string | null): void {
    replaceChildren(this.progressEl, [message ? val(message) : null]);
    this.progressEl.hidden = !message;
  }
}
