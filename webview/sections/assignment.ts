/** Assignment: the owner, Assign to me, Unassign, and Assign to (with the owners seen as suggestions). */
import { EMAIL_MAX_LENGTH, type Drafts, type PaneState } from '../../src/shared/protocol';
import { setDisabled, h, replaceChildren } from '../dom';
import { identityText } from '../format';
import type { PaneContext } from '../context';
import type { DraftHolder } from '../store';
import { isMine } from '../../src/model/identity';
import { Section, button, field, group, same, who } from '../ui';

interface AssignSlice {
  assignedTo: string | null;
  me: string;
  knownOwners: string[];
}

export class AssignmentSection extends Section<AssignSlice> implements DraftHolder {
  private readonly ownerEl = h('span', { id: 'owner' });
  private readonly assignMeBtn = button('Assign to me', () => this.ctx.request({ kind: 'assignToMe' }), { id: 'assign-me' });
  private readonly unassignBtn = button('Unassign', () => this.ctx.request({ kind: 'assign', to: null }), { id: 'unassign', secondary: true });
  private readonly input = h('input', {
    id: 'assign-to',
    attrs: {
      type: 'text',
      list: 'known-owners',
      maxlength: String(EMAIL_MAX_LENGTH),
      autocomplete: 'off',
      placeholder: 'user@contoso.com',
      spellcheck: 'false',
    },
  });
  private readonly ownersList = h('datalist', { id: 'known-owners' });
  /** The suggestions shown, so a change of owner does not rebuild them. */
  private owners: string[] | undefined;
  readonly el: HTMLElement;

  constructor(private readonly ctx: PaneContext) {
    super();
    this.input.addEventListener('keydown', e => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.assignTo();
      }
    });
    this.input.addEventListener('input', () => ctx.draftsChanged());
    this.el = group(
      'assign-heading',
      'Assignment',
      h('p', { class: 'current' }, 'Owner: ', this.ownerEl),
      h('div', { class: 'row' }, this.assignMeBtn, this.unassignBtn),
      h(
        'div',
        { class: 'row' },
        field('Assign to', this.input, 'assign-to'),
        button('Assign', () => this.assignTo(), { id: 'assign-submit', secondary: true }),
      ),
      this.ownersList,
    );
  }

  protected slice(s: PaneState): AssignSlice {
    return { assignedTo: s.incident.assignedTo, me: s.me, knownOwners: s.knownOwners ?? [] };
  }

  protected render(s: AssignSlice): void {
    this.ownerEl.replaceChildren(s.assignedTo ? who(s.assignedTo) : h('span', { class: 'muted' }, 'Unassigned'));
    setDisabled(this.assignMeBtn, isMine(s, s.me));
    setDisabled(this.unassignBtn, !s.assignedTo);
    if (this.owners && same(this.owners, s.knownOwners)) return;
    this.owners = s.knownOwners;
    // The suggestion list shows each owner with invisible characters made visible; picking one fills in the real value.
    replaceChildren(
      this.ownersList,
      s.knownOwners.map(o => h('option', { attrs: { value: o, label: identityText(o) !== o ? identityText(o) : undefined } })),
    );
  }

  private assignTo(): void {
    const to = this.input.value.trim();
    if (!to) {
      this.ctx.notice('Type who to assign the incident to.', true);
      this.input.focus();
      return;
    }
    this.ctx.request(
      { kind: 'assign', to },
      {
        onOk: () => {
          if (this.input.value.trim() === to) {
            this.input.value = '';
            this.ctx.draftsChanged();
          }
        },
      },
    );
  }

  collect(d: Drafts): void {
    if (this.input.value) d.assignTo = this.input.value.slice(0, EMAIL_MAX_LENGTH);
  }

  fill(d: Drafts): void {
    if (typeof d.assignTo === 'string') this.input.value = d.assignTo.slice(0, EMAIL_MAX_LENGTH);
  }

  clear(): void {
    this.input.value = '';
  }
}
