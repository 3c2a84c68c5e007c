/** Classification: a classification and only the determinations valid for it. */
import type { PaneState } from '../../src/shared/protocol';
import { SETTABLE_CLASSIFICATIONS, isValidPair } from '../../src/model/rules';
import { h, setDisabled } from '../dom';
import { classificationLabel } from '../format';
import type { PaneContext } from '../context';
import { Section, button, field, fillDeterminations, group, option, setSelect } from '../ui';

interface ClassSlice {
  classification: string;
  determination: string;
}

export class ClassificationSection extends Section<ClassSlice> {
  private readonly classSel = h('select', { id: 'classification' });
  private readonly detSel = h('select', { id: 'determination' });
  private readonly saveBtn = button('Save', () => this.save(), { id: 'classify-save' });
  /** The user picked a pair that is not the incident's yet. */
  private dirty = false;
  readonly el: HTMLElement;

  constructor(private readonly ctx: PaneContext) {
    super();
    for (const c of SETTABLE_CLASSIFICATIONS) this.classSel.append(option(c, classificationLabel(c)));
    this.classSel.addEventListener('change', () => {
      this.dirty = true;
      fillDeterminations(this.classSel, this.detSel, this.detSel.value);
      this.syncButton();
    });
    this.detSel.addEventListener('change', () => {
      this.dirty = true;
      this.syncButton();
    });
    // Enter on either select saves the pair, like the button next to them.
    for (const sel of [this.classSel, this.detSel]) {
      sel.addEventListener('keydown', e => {
        if (e.key === 'Enter' && !e.altKey) {
          e.preventDefault();
          if (!this.saveBtn.disabled) this.save();
        }
      });
    }
    this.el = group(
      'class-heading',
      'Classification',
      h('div', { class: 'row' }, field('Classification', this.classSel, 'classification'), field('Determination', this.detSel, 'determination'), this.saveBtn),
    );
  }

  protected slice(s: PaneState): ClassSlice {
    return { classification: s.incident.classification, determination: s.incident.determination };
  }

  protected render(s: ClassSlice): void {
    if (!this.dirty || (this.classSel.value === s.classification && this.detSel.value === s.determination)) {
      this.dirty = false;
      setSelect(this.classSel, s.classification, classificationLabel(s.classification));
      fillDeterminations(this.classSel, this.detSel, s.determination);
    }
    this.syncButton();
  }

  /** Forgets the user's pick and shows the incident's pair again ("Take theirs", another incident). */
  discardEdits(s: PaneState): void {
    this.clearEdits();
    this.invalidate();
    this.update(s);
  }

  clearEdits(): void {
    this.dirty = false;
  }

  private syncButton(): void {
    const i = this.ctx.store.state?.incident;
    const valid = this.classSel.value.length <= 200 && this.detSel.value.length <= 200 && isValidPair(this.classSel.value, this.detSel.value);
    setDisabled(this.saveBtn, !i || !valid || (this.classSel.value === i.classification && this.detSel.value === i.determination));
  }

  private save(): void {
    const classification = this.classSel.value;
    const determination = this.detSel.value;
    if (!isValidPair(classification, determination)) return;
    this.ctx.request(
      { kind: 'classify', classification, determination },
      {
        onOk: () => {
          this.dirty = false;
        },
      },
    );
  }
}
