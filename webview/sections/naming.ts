/** Name and severity, where the backend can change them; #rename-reason says why not where it cannot. */
import { NAME_MAX_LENGTH, type Drafts, type PaneCapabilities, type PaneState } from '../../src/shared/protocol';
import { SETTABLE_SEVERITIES } from '../../src/model/rules';
import { h, replaceChildren, setDisabled, val } from '../dom';
import { editLimits, severityLabel } from '../format';
import type { PaneContext } from '../context';
import type { DraftHolder } from '../store';
import { Section, button, field, group, option, setSelect } from '../ui';

interface NamingSlice {
  name: string;
  severity: string;
  capabilities: PaneCapabilities;
}

const isSettable = (v: string) => (SETTABLE_SEVERITIES as readonly string[]).includes(v);

export class NamingSection extends Section<NamingSlice> implements DraftHolder {
  private readonly input = h('input', {
    id: 'rename',
    attrs: { type: 'text', maxlength: String(NAME_MAX_LENGTH), autocomplete: 'off', 'aria-describedby': 'rename-reason' },
  });
  private readonly renameBtn = button('Rename', () => this.rename(), { id: 'rename-submit' });
  private readonly reason = h('p', { id: 'rename-reason', class: 'hint', attrs: { hidden: true } });
  private readonly severitySel = h('select', { id: 'severity', attrs: { 'aria-describedby': 'rename-reason' } });
  private readonly severityBtn = button('Set severity', () => this.applySeverity(), { id: 'severity-apply', secondary: true });
  /** The user picked a severity that is not the incident's yet. */
  private severityDirty = false;
  readonly el: HTMLElement;

  constructor(private readonly ctx: PaneContext) {
    super();
    for (const s of SETTABLE_SEVERITIES) this.severitySel.append(option(s, severityLabel(s)));
    this.input.addEventListener('input', () => {
      this.input.dataset.dirty = '1';
      ctx.draftsChanged();
    });
    this.input.addEventListener('keydown', e => {
      if (e.key === 'Enter') {
        e.preventDefault();
        this.rename();
      }
    });
    this.severitySel.addEventListener('change', () => {
      this.severityDirty = true;
      this.syncSeverityButton();
    });
    this.el = group(
      'rename-heading',
      'Name and severity',
      h('div', { class: 'row' }, h('div', { class: 'field grow' }, h('label', { attrs: { for: 'rename' } }, 'Incident name'), this.input), this.renameBtn),
      h('div', { class: 'row' }, field('Severity', this.severitySel, 'severity'), this.severityBtn),
      this.reason,
    );
  }

  protected slice(s: PaneState): NamingSlice {
    return { name: s.incident.name, severity: s.incident.severity, capabilities: s.capabilities };
  }

  /** The server's name at the last render (here, not in a data attribute: it may be a megabyte). */
  private serverName: string | undefined;

  protected render(s: NamingSlice): void {
    const prevName = this.serverName;
    this.serverName = s.name;
    // Follow the server's name unless the user is editing a different one.
    if (!this.input.dataset.dirty || this.input.value === prevName || this.input.value === s.name || this.input.value === '') {
      if (this.input.value !== s.name) this.input.value = s.name;
      delete this.input.dataset.dirty;
    }
    const canRename = !!s.capabilities.canRename;
    this.input.disabled = !canRename;
    setDisabled(this.renameBtn, !canRename);

    // An unknown or unsettable current value (UnSpecified) is shown, not offered.
    if (!this.severityDirty || this.severitySel.value === s.severity) {
      this.severityDirty = false;
      setSelect(this.severitySel, s.severity, severityLabel(s.severity));
    }
    this.severitySel.disabled = !s.capabilities.canChangeSeverity;
    this.syncSeverityButton();
    const limits = editLimits(s.capabilities);
    this.reason.hidden = !limits;
    replaceChildren(this.reason, limits ? ['The ', val(s.capabilities.backendName), ` ${limits}.`] : []);
  }

  private syncSeverityButton(): void {
    const s = this.ctx.store.state;
    const chosen = this.severitySel.value;
    setDisabled(this.severityBtn, !s || !s.capabilities.canChangeSeverity || chosen === s.incident.severity || !isSettable(chosen));
  }

  private rename(): void {
    const s = this.ctx.store.state;
    if (!s || !s.capabilities.canRename) return;
    const name = this.input.value.trim();
    if (!name) {
      this.ctx.notice('The name cannot be empty.', true);
      this.input.focus();
      return;
    }
    if (name === s.incident.name) {
      this.ctx.notice('The name is unchanged.', false);
      return;
    }
    this.ctx.request({ kind: 'rename', name });
  }

  private applySeverity(): void {
    const s = this.ctx.store.state;
    const severity = this.severitySel.value;
    if (!s || !s.capabilities.canChangeSeverity || severity === s.incident.severity || !isSettable(severity)) return;
    this.ctx.request(
      { kind: 'setSeverity', severity },
      {
        onOk: () => {
          this.severityDirty = false;
        },
      },
    );
  }

  collect(d: Drafts): void {
    // The field shows the current name; only a different name is unsent input.
    if (this.input.value && this.input.value !== this.ctx.store.state?.incident.name) d.name = this.input.value.slice(0, NAME_MAX_LENGTH);
  }

  fill(d: Drafts): void {
    if (typeof d.name === 'string') {
      this.input.value = d.name.slice(0, NAME_MAX_LENGTH);
      this.input.dataset.dirty = '1';
    }
  }

  clear(): void {
    this.input.value = '';
    delete this.input.dataset.dirty;
    this.severityDirty = false;
  }
}
