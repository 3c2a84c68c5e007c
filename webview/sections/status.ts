/** Status: Active / In progress, Reopen, and the resolve form (classification, determination, comment). */
import { COMMENT_MAX_LENGTH, type Drafts, type PaneAction, type PaneState } from '../../src/shared/protocol';
import { NEED_COMMENT, PANE_STATUSES, SETTABLE_CLASSIFICATIONS, isValidPair, resolveNeeds, resolveNeedsText } from '../../src/model/rules';
import { h, replaceChildren, setDisabled } from '../dom';
import { classificationLabel, statusLabel } from '../format';
import type { PaneContext } from '../context';
import type { DraftHolder } from '../store';
import { Section, button, field, fillDeterminations, group, option, setSelect } from '../ui';

interface StatusSlice {
  id: string;
  status: string;
  require: boolean;
}

const isPaneStatus = (v: string) => (PANE_STATUSES as readonly string[]).includes(v);

export class StatusSection extends Section<StatusSlice> implements DraftHolder {
  private readonly select = h('select', { id: 'status' });
  private readonly applyBtn = button('Update status', () => this.apply(), { id: 'status-apply' });
  private readonly reopenBtn = button('Reopen', () => this.ctx.request({ kind: 'setStatus', status: 'Active' }), { id: 'reopen', secondary: true });
  private readonly form = h('fieldset', { id: 'resolve-form', class: 'subform', attrs: { hidden: true } });
  private readonly classSel = h('select', { id: 'resolve-classification' });
  private readonly detSel = h('select', { id: 'resolve-determination' });
  private readonly comment = h('textarea', {
    id: 'resolve-comment',
    attrs: { rows: '3', maxlength: String(COMMENT_MAX_LENGTH), 'aria-describedby': 'resolve-error', 'aria-keyshortcuts': 'Control+Enter Meta+Enter' },
  });
  private readonly commentLabel = h('label', { attrs: { for: 'resolve-comment' } }, 'Resolving comment');
  private readonly error = h('p', { id: 'resolve-error', class: 'field-error', attrs: { 'aria-live': 'polite' } });
  /** The user picked a status that is not the incident's yet. */
  private dirty = false;
  readonly el: HTMLElement;

  constructor(private readonly ctx: PaneContext) {
    super();
    for (const s of PANE_STATUSES) this.select.append(option(s, statusLabel(s)));
    for (const c of SETTABLE_CLASSIFICATIONS) this.classSel.append(option(c, classificationLabel(c)));
    this.select.addEventListener('change', () => {
      this.dirty = true;
      this.sync();
    });
    this.classSel.addEventListener('change', () => fillDeterminations(this.classSel, this.detSel, this.detSel.value));
    this.comment.addEventListener('input', () => ctx.draftsChanged());
    this.comment.addEventListener('keydown', e => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        this.resolve();
      }
    });
    // Enter on the status applies it, or (Resolved) moves into the resolve form; Enter on the form's
    // selects resolves; Escape anywhere in the form cancels it and puts focus back on the status.
    this.select.addEventListener('keydown', e => {
      if (e.key !== 'Enter' || e.altKey) return;
      e.preventDefault();
      if (!this.form.hidden) this.classSel.focus();
      else this.apply();
    });
    for (const sel of [this.classSel, this.detSel]) {
      sel.addEventListener('keydown', e => {
        if (e.key === 'Enter' && !e.altKey) {
          e.preventDefault();
          this.resolve();
        }
      });
    }
    this.form.addEventListener('keydown', e => {
      if (e.key === 'Escape') {
        e.preventDefault();
        e.stopPropagation();
        this.cancel();
      }
    });
    replaceChildren(this.form, [
      h('legend', null, 'Resolve incident (Escape cancels)'),
      field('Classification', this.classSel, 'resolve-classification'),
      field('Determination', this.detSel, 'resolve-determination'),
      h('div', { class: 'field wide' }, this.commentLabel, this.comment),
      this.error,
      h(
        'div',
        { class: 'row' },
        button('Resolve', () => this.resolve(), { id: 'resolve-submit' }),
        button('Cancel', () => this.cancel(), { id: 'resolve-cancel', secondary: true, ariaLabel: 'Cancel resolving (Escape)' }),
      ),
    ]);
    this.el = group('status-heading', 'Status', h('div', { class: 'row' }, field('Status', this.select, 'status'), this.applyBtn, this.reopenBtn), this.form);
  }

  protected slice(s: PaneState): StatusSlice {
    return { id: s.incident.id, status: s.incident.status, require: s.requireClassificationToResolve };
  }

  protected render(s: StatusSlice): void {
    // An unknown current value is shown, but only the three settable ones can be chosen.
    for (const o of [...this.select.options]) if (o.dataset.extra) o.remove();
    if (!isPaneStatus(s.status)) {
      const o = option(s.status, statusLabel(s.status), true);
      o.dataset.extra = '1';
      this.select.append(o);
    }
    if (!this.dirty || this.select.value === s.status) {
      this.dirty = false;
      this.select.value = s.status;
    }
    this.sync();
    this.commentLabel.textContent = s.require ? 'Resolving comment (required)' : 'Resolving comment (optional)';
    this.comment.required = s.require;
  }

  /** Forgets the user's pick and shows the incident's status again ("Take theirs"). */
  discardEdits(s: PaneState): void {
    this.dirty = false;
    this.invalidate();
    this.update(s);
  }

  /** Shows the resolve form while "Resolved" is picked for an incident that is not resolved. */
  private sync(): void {
    const s = this.ctx.store.state;
    if (!s) return;
    const current = s.incident.status;
    const chosen = this.select.value;
    const resolving = chosen === 'Resolved' && current !== 'Resolved';
    if (resolving && this.form.hidden) {
      setSelect(this.classSel, s.incident.classification, classificationLabel(s.incident.classification));
      fillDeterminations(this.classSel, this.detSel, s.incident.determination);
      this.error.textContent = '';
    }
    this.form.hidden = !resolving;
    this.applyBtn.hidden = resolving;
    setDisabled(this.applyBtn, chosen === current || !isPaneStatus(chosen));
    this.reopenBtn.hidden = current !== 'Resolved';
  }

  private apply(): void {
    const status = this.select.value;
    if (status !== 'Active' && status !== 'InProgress') return;
    this.ctx.request(
      { kind: 'setStatus', status },
      {
        onOk: () => {
          this.dirty = false;
        },
      },
    );
  }

  private cancel(): void {
    this.dirty = false;
    const s = this.ctx.store.state;
    if (s) this.select.value = s.incident.status;
    this.sync();
    this.select.focus();
  }

  private resolve(): void {
    const s = this.ctx.store.state;
    if (!s) return;
    const classification = this.classSel.value;
    const determination = this.detSel.value;
    const comment = this.comment.value;
    // The model's rule, the same one the extension applies before sending.
    const needs = resolveNeeds({ classification, determination, comment }, s.requireClassificationToResolve);
    if (needs.length) {
      const needsComment = needs.includes(NEED_COMMENT);
      const needsClass = needs.some(n => n !== NEED_COMMENT);
      this.error.textContent = resolveNeedsText(needs);
      this.classSel.setAttribute('aria-invalid', String(needsClass));
      this.comment.setAttribute('aria-invalid', String(needsComment));
      (needsClass ? this.classSel : this.comment).focus();
      return;
    }
    this.error.textContent = '';
    this.classSel.removeAttribute('aria-invalid');
    this.comment.removeAttribute('aria-invalid');
    const action: PaneAction = { kind: 'setStatus', status: 'Resolved' };
    if (classification !== 'Unknown' && isValidPair(classification, determination)) {
      action.classification = classification;
      action.determination = determination;
    }
    if (comment.trim()) action.comment = comment;
    this.ctx.request(action, {
      onOk: () => {
        this.dirty = false;
        // Only clear what was sent: the user may have edited the comment while it was on its way.
        if (this.comment.value === comment) {
          this.comment.value = '';
          this.ctx.draftsChanged();
        }
      },
    });
  }

  collect(d: Drafts): void {
    if (this.comment.value) d.resolveComment = this.comment.value.slice(0, COMMENT_MAX_LENGTH);
  }

  fill(d: Drafts): void {
    if (typeof d.resolveComment !== 'string' || !d.resolveComment) return;
    this.comment.value = d.resolveComment.slice(0, COMMENT_MAX_LENGTH);
    // Open the resolve form again so the kept text is in sight.
    const s = this.ctx.store.state;
    if (s && s.incident.status !== 'Resolved') {
      this.select.value = 'Resolved';
      this.dirty = true;
      this.sync();
    }
  }

  clear(): void {
    this.comment.value = '';
    this.dirty = false;
  }
}
