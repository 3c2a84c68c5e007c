/**
 * The conflict box: what changed on the server since the pane's copy, each field with its label and both
 * values (yours and the server's), and the choice to apply mine on top or take theirs.
 */
import type { ErrorInfo, PaneState } from '../../src/shared/protocol';
import { emptyWords, fieldFor, fieldWords, type FieldDef } from '../../src/model/fields';
import { h, key, replaceChildren, val } from '../dom';
import type { Pending } from '../client';
import { button, who } from '../ui';

export interface ConflictChoice {
  /** "Apply mine on top": the same action again, forced. */
  applyMine(p: Pending): void;
  /** "Take theirs": forget the edits that caused it and refresh. */
  takeTheirs(): void;
}

export class ConflictSection {
  readonly el = h('section', { id: 'conflict', class: 'conflict', attrs: { 'aria-labelledby': 'conflict-heading', hidden: true } });
  private incidentId: string | undefined;

  constructor(private readonly choice: ConflictChoice) {}

  /** A conflict belongs to the incident it was about: another incident hides it. */
  update(s: PaneState): void {
    if (s.incident.id !== this.incidentId) {
      if (this.incidentId !== undefined) this.hide();
      this.incidentId = s.incident.id;
    }
  }

  show(p: Pending, error: ErrorInfo): void {
    const changes = error.changes ?? [];
    // The field table (src/model/fields.ts) names the field and turns its values into words, here only.
    const value = (f: FieldDef | undefined, v: string | null, cls: string): Node => {
      const words = fieldWords(f, v);
      if (words === null) return h('span', { class: `muted ${cls}` }, emptyWords(f));
      return f?.kind === 'person' ? who(words, cls) : val(words, cls);
    };
    replaceChildren(this.el, [
      h('h2', { id: 'conflict-heading' }, 'Changed on the server since you opened it:'),
      changes.length
        ? h(
            'table',
            { class: 'conflict-changes' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { attrs: { scope: 'col' } }, 'Field'),
                h('th', { attrs: { scope: 'col' } }, 'Yours'),
                h('th', { attrs: { scope: 'col' } }, "Server's now"),
              ),
            ),
            h(
              'tbody',
              null,
              ...changes.map(c => {
                const known = fieldFor(c.field);
                return h(
                  'tr',
                  null,
                  h('th', { attrs: { scope: 'row' } }, known ? known.label : key(c.field)),
                  h('td', null, value(known, c.from, 'yours')),
                  h('td', null, value(known, c.to, 'theirs')),
                );
              }),
            ),
          )
        : h('p', null, val(error.message)),
      h(
        'div',
        { class: 'row' },
        button(
          'Apply mine on top',
          () => {
            this.hide();
            this.choice.applyMine(p);
          },
          { id: 'conflict-apply' },
        ),
        button(
          'Take theirs',
          () => {
            this.hide();
            this.choice.takeTheirs();
          },
          { id: 'conflict-take', secondary: true },
        ),
      ),
    ]);
    this.el.hidden = false;
    (this.el.querySelector('#conflict-apply') as HTMLElement | null)?.focus();
  }

  hide(): void {
    this.el.hidden = true;
    this.el.replaceChildren();
  }
}
