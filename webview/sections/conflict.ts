/**
 * The conflict box: what changed on the server since the pane's copy, each field with its label and both
 * values (yours and the server's), and the choice to apply mine on top or take theirs.
 */
import type { ErrorInfo, PaneState } from '../../src/shared/protocol';
import { enumLabel, type EnumKind } from '../../src/model/enums';
import { h, key, replaceChildren, val } from '../dom';
import type { Pending } from '../client';
import { button, isPersonField, who } from '../ui';

/** The conflict check's field names (raw, or already in words) → the label and the enum whose words the values take. */
const FIELDS: Record<string, { label: string; kind?: EnumKind }> = {
  assignedto: { label: 'Owner' }, owner: { label: 'Owner' },
  status: { label: 'Status', kind: 'status' },
  classification: { label: 'Classification', kind: 'classification' },
  determination: { label: 'Determination', kind: 'determination' },
  severity: { label: 'Severity', kind: 'severity' },
  tags: { label: 'Tags' }, name: { label: 'Name' }, displayname: { label: 'Name' },
};

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
    const value = (f: string, kind: EnumKind | undefined, v: string | null, cls: string): Node => {
      if (v === null || v === '') return h('span', { class: `muted ${cls}` }, kind ? enumLabel(kind, null) : isPersonField(f) ? 'Unassigned' : '—');
      if (isPersonField(f)) return who(v, cls);
      return val(kind ? enumLabel(kind, v) : v, cls);
    };
    replaceChildren(this.el, [
      h('h2', { id: 'conflict-heading' }, 'Changed on the server since you opened it:'),
      changes.length
        ? h('table', { class: 'conflict-changes' },
          h('thead', null, h('tr', null,
            h('th', { attrs: { scope: 'col' } }, 'Field'), h('th', { attrs: { scope: 'col' } }, 'Yours'), h('th', { attrs: { scope: 'col' } }, 'Server\'s now'))),
          h('tbody', null, ...changes.map(c => {
            const known = Object.prototype.hasOwnProperty.call(FIELDS, c.field.toLowerCase()) ? FIELDS[c.field.toLowerCase()] : undefined;
            const name = known?.label ?? c.field;
            return h('tr', null,
              h('th', { attrs: { scope: 'row' } }, known ? name : key(c.field)),
              h('td', null, value(name, known?.kind, c.from, 'yours')),
              h('td', null, value(name, known?.kind, c.to, 'theirs')));
          })))
        : h('p', null, val(error.message)),
      h('div', { class: 'row' },
        button('Apply mine on top', () => { this.hide(); this.choice.applyMine(p); }, { id: 'conflict-apply' }),
        button('Take theirs', () => { this.hide(); this.choice.takeTheirs(); }, { id: 'conflict-take', secondary: true })),
    ]);
    this.el.hidden = false;
    (this.el.querySelector('#conflict-apply') as HTMLElement | null)?.focus();
  }

  hide(): void {
    this.el.hidden = true;
    this.el.replaceChildren();
  }
}
