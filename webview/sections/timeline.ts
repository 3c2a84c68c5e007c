/**
 * "Comments and history", newest first, as the extension's state lists it: its journal, the server's
 * comments and its outbox (comments pending, failed or unconfirmed; the pane keeps no copy of its own). Rows are kept by key and rebuilt only when their entry changed, so Retry keeps its focus.
 */
import type { PaneState, TimelineEntry } from '../../src/shared/protocol';
import { commentAuthor } from '../../src/model/authors';
import { h, key, val, type Child } from '../dom';
import { newestFirst } from '../timeline';
import { isPersonField } from '../../src/model/fields';
import { Section, button, isStuck, time, who } from '../ui';

export interface RowActions {
  retry(e: TimelineEntry): void;
  copy(text: string): void;
  discard(e: TimelineEntry): void;
}

const ENTRY_FIELDS = ['kind', 'time', 'author', 'text', 'field', 'from', 'to', 'state', 'error', 'source', 'via'] as const;
function sameEntry(a: TimelineEntry, b: TimelineEntry): boolean {
  return ENTRY_FIELDS.every(k => a[k] === b[k]);
}

/** Who did it and how, as the start of the row: "alex@contoso.com changed from this editor". */
function entryHead(e: TimelineEntry): Child[] {
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
    // An agent's change says which agent asked and how it was confirmed (text only, like every value).
    e.via ? h('span', { class: 'author-note muted' }, `(${e.via}) `) : null,
  ];
}

export class TimelineSection extends Section<TimelineEntry[]> {
  readonly el = h('ol', { id: 'timeline', class: 'timeline', attrs: { 'aria-label': 'Comments and history, newest first' } });
  private rows = new Map<string, { entry: TimelineEntry; el: HTMLLIElement }>();

  constructor(private readonly actions: RowActions) {
    super();
  }

  protected slice(s: PaneState): TimelineEntry[] {
    return newestFirst(s.timeline ?? []);
  }

  protected render(entries: TimelineEntry[]): void {
    const next = new Map<string, { entry: TimelineEntry; el: HTMLLIElement }>();
    entries.forEach((e, idx) => {
      const prev = this.rows.get(e.key);
      const row = prev && sameEntry(prev.entry, e) ? prev : { entry: e, el: this.renderEntry(e) };
      next.set(e.key, row);
      // Move only what is out of place: moving a node blurs it.
      const at = this.el.children[idx];
      if (at !== row.el) this.el.insertBefore(row.el, at ?? null);
    });
    for (const [k, row] of this.rows) if (next.get(k)?.el !== row.el) row.el.remove();
    this.rows = next;
    if (!entries.length) {
      if (!this.el.querySelector('.empty')) this.el.append(h('li', { class: 'empty muted' }, 'No comments or changes yet.'));
    } else {
      this.el.querySelector('.empty')?.remove();
    }
  }

  private renderEntry(e: TimelineEntry): HTMLLIElement {
    const stateLabel =
      e.state === 'pending'
        ? h('span', { class: 'entry-state' }, 'Sending…')
        : e.state === 'failed'
          ? h('span', { class: 'entry-state failed' }, 'Not sent')
          : e.state === 'unconfirmed'
            ? h('span', { class: 'entry-state unconfirmed' }, 'Not confirmed')
            : null;
    const person = isPersonField(e.field);
    const value = (v: string | null | undefined, cls: string) => (v != null && person ? who(v, cls) : val(v ?? '—', cls));
    const body =
      e.field !== undefined && e.kind !== 'comment'
        ? h('div', { class: 'entry-text change' }, key(e.field), ': ', value(e.from, 'from'), ' → ', value(e.to, 'to'))
        : h('div', { class: 'entry-text pre' }, val(e.text));
    const li = h(
      'li',
      { class: `entry kind-${e.kind} state-${e.state}`, attrs: { 'data-key': e.key, 'aria-busy': e.state === 'pending' ? 'true' : undefined } },
      h('div', { class: 'entry-head' }, ...entryHead(e), time(e.time), stateLabel),
      body,
    );
    if (isStuck(e)) {
      li.append(
        e.state === 'unconfirmed'
          ? h('p', { class: 'entry-error unconfirmed' }, val(e.error ?? 'It may or may not have been posted. Retry checks the incident first.'))
          : h('p', { class: 'entry-error' }, 'Failed: ', val(e.error ?? 'unknown error')),
        h(
          'div',
          { class: 'row' },
          button('Retry', () => this.actions.retry(e), { fk: `${e.key}:retry`, ariaLabel: 'Retry sending this comment' }),
          button('Copy', () => this.actions.copy(e.text), { fk: `${e.key}:copy`, secondary: true, ariaLabel: 'Copy comment text' }),
          button('Discard', () => this.actions.discard(e), { fk: `${e.key}:discard`, secondary: true, ariaLabel: 'Discard this comment' }),
        ),
      );
    }
    return li;
  }
}
