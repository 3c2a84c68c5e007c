/**
 * Evidence: every evidence item of the incident's alerts, one row per entity (its roles, verdict,
 * remediation status and the alerts that name it), grouped by kind with counts that add up to the total.
 * Every value can be copied; identifying values (device, user, IP, file hash, URL, mailbox) offer
 * "Hunt for this". Rows are plain buttons and text (hundreds of rows must render within a frame); a row's
 * other fields are built only when the row is opened. The merge and grouping are the model's (evidence.ts).
 */
import { HUNT_VALUE_MAX_LENGTH, type PaneState } from '../../src/shared/protocol';
import type { Alert } from '../../src/model/types';
import { DEFENDER_EVIDENCE_GAPS, groupEvidence, incidentEvidence, type EvidenceItem, type HuntTarget } from '../../src/model/evidence';
import { h, key, replaceChildren, val, type Child } from '../dom';
import { formatNumber } from '../format';
import type { PaneContext } from '../context';
import { Section, button, plural, who } from '../ui';

type EvidenceSlice = Pick<Alert, 'id' | 'title' | 'evidence' | 'evidenceProblems'>[];

const HUNT_WORDS: Record<HuntTarget['kind'], string> = {
  device: 'device', user: 'user', ip: 'IP address', fileHash: 'file hash', url: 'URL', mailbox: 'mailbox',
};
/** Identities: invisible characters shown, so a look-alike cannot pass for the real account. */
const IDENTITY_KINDS = new Set(['user', 'mailbox']);

export class EvidenceSection extends Section<EvidenceSlice> {
  readonly heading = h('h2', { id: 'evidence-heading' }, 'Evidence');
  readonly count = h('vscode-badge', { id: 'evidence-count', attrs: { variant: 'counter' } });
  readonly huntButton = button('Hunt from this incident', () => this.ctx.request({ kind: 'huntFromIncident' }), { id: 'hunt-incident', secondary: true });
  readonly el = h('div', { id: 'evidence' });
  /** What the row buttons act on, by index (`data-copy`, `data-hunt`): values never go into attributes. */
  private copies: string[] = [];
  private hunts: HuntTarget[] = [];

  constructor(private readonly ctx: PaneContext) {
    super();
    // One listener for every row button: hundreds of rows, no per-button closures.
    this.el.addEventListener('click', ev => {
      const b = (ev.target as Element | null)?.closest('button[data-copy], button[data-hunt]') as HTMLButtonElement | null;
      if (!b || !this.el.contains(b)) return;
      if (b.dataset.copy !== undefined) { const t = this.copies[Number(b.dataset.copy)]; if (t !== undefined) this.ctx.copy(t); }
      if (b.dataset.hunt !== undefined) { const t = this.hunts[Number(b.dataset.hunt)]; if (t) this.hunt(t); }
    });
  }

  private hunt(t: HuntTarget): void {
    if (t.value.length > HUNT_VALUE_MAX_LENGTH) {
      this.ctx.notice(`This value is too long to hunt for (${formatNumber(t.value.length)} characters; at most ${formatNumber(HUNT_VALUE_MAX_LENGTH)}).`, true);
      return;
    }
    this.ctx.request({ kind: 'huntFor', target: { kind: t.kind, value: t.value } });
  }

  protected slice(s: PaneState): EvidenceSlice {
    return (s.incident.alerts ?? []).map(a => ({ id: a.id, title: a.title, evidence: a.evidence, evidenceProblems: a.evidenceProblems }));
  }

  protected render(alerts: EvidenceSlice): void {
    this.copies = [];
    this.hunts = [];
    const { items, problems } = incidentEvidence(alerts);
    const groups = groupEvidence(items);
    this.count.textContent = formatNumber(items.length);
    this.count.setAttribute('aria-label', plural(items.length, 'evidence entity', 'evidence entities'));
    const titles = new Map(alerts.map(a => [a.id, a.title]));
    const out: Child[] = [];
    if (items.some(i => i.source === 'defender')) {
      out.push(h('p', { class: 'muted evidence-gaps', id: 'evidence-gaps' },
        `The Defender API does not carry ${DEFENDER_EVIDENCE_GAPS.join('; ')}. The Graph backend shows them.`));
    }
    if (problems.length) {
      out.push(h('div', { class: 'evidence-problems', id: 'evidence-problems', attrs: { role: 'note' } },
        h('p', null, `${plural(problems.length, 'evidence item')} could not be read and ${problems.length === 1 ? 'is' : 'are'} not shown:`),
        h('ul', null, ...problems.slice(0, 20).map(p => h('li', null, val(p)))),
        problems.length > 20 ? h('p', { class: 'muted' }, `and ${formatNumber(problems.length - 20)} more`) : null));
    }
    if (!items.length) {
      out.push(h('p', { class: 'muted' }, alerts.length ? 'No evidence reported for these alerts.' : 'No alerts, so no evidence.'));
    } else {
      out.push(h('p', { class: 'muted', id: 'evidence-total' }, `${plural(items.length, 'entity', 'entities')} in ${plural(groups.length, 'group')}: `
        + groups.map(g => `${g.label} ${formatNumber(g.items.length)}`).join(', ')));
    }
    for (const g of groups) {
      const headingId = `evidence-${g.kind}`;
      out.push(h('div', { class: 'evidence-group', attrs: { role: 'group', 'aria-labelledby': headingId, 'data-kind': g.kind } },
        h('h3', { id: headingId }, `${g.label} (${formatNumber(g.items.length)})`),
        h('ul', { class: 'evidence-rows' }, ...g.items.map(it => this.row(it, titles)))));
    }
    replaceChildren(this.el, out);
  }

  private copyButton(text: string, label: string): HTMLButtonElement {
    this.copies.push(text);
    return h('button', { class: 'mini', attrs: { type: 'button', 'data-copy': String(this.copies.length - 1), 'aria-label': label, title: label } }, 'Copy');
  }

  private row(it: EvidenceItem, titles: Map<string, string>): HTMLLIElement {
    const identity = IDENTITY_KINDS.has(it.kind);
    const label = identity ? who(it.label, 'evidence-label') : val(it.label, 'evidence-label');
    const alertNames = it.alertIds.map(id => titles.get(id) || id);
    const facts: Child[] = [];
    if (it.kind === 'other' || it.kind === 'cloud' || it.unknownType) facts.push(h('span', { class: 'evidence-type' }, val(it.type)));
    facts.push(h('span', { class: 'evidence-roles' }, 'Roles: ', it.roles.length ? val(it.roles.join(', ')) : h('span', { class: 'muted' }, it.source === 'defender' ? 'not given by this API' : 'none')));
    facts.push(h('span', { class: 'evidence-verdict' }, 'Verdict: ', it.verdicts.length ? val(it.verdicts.join(' / ')) : h('span', { class: 'muted' }, '—')));
    facts.push(h('span', { class: 'evidence-remediation' }, 'Remediation: ', it.remediationStatuses.length ? val(it.remediationStatuses.join(' / ')) : h('span', { class: 'muted' }, '—')));
    const targets = it.targets.map(t => {
      this.hunts.push(t);
      const word = HUNT_WORDS[t.kind];
      return h('span', { class: 'evidence-target' },
        h('span', { class: 'muted' }, `${word}: `), t.value === it.label ? null : (IDENTITY_KINDS.has(t.kind) ? who(t.value) : val(t.value)),
        t.value === it.label ? h('span', { class: 'muted' }, '(above) ') : ' ',
        this.copyButton(t.value, `Copy ${word}`),
        h('button', { class: 'mini hunt', attrs: { type: 'button', 'data-hunt': String(this.hunts.length - 1), 'aria-label': `Hunt for this ${word}` } }, 'Hunt for this'));
    });
    const fields = h('details', { class: 'evidence-fields' }, h('summary', null, `${plural(Object.keys(it.fields).length, 'field')}`));
    // Built when opened: 500 rows of a dozen fields each would cost more than a frame to lay out.
    fields.addEventListener('toggle', () => {
      if (!fields.open || fields.dataset.built) return;
      fields.dataset.built = '1';
      fields.append(h('dl', { class: 'evidence-field-list' }, ...Object.entries(it.fields).map(([k, v]) =>
        h('div', { class: 'detail' }, h('dt', null, key(k)), h('dd', null, identity ? who(v) : val(v), ' ', this.copyButton(v, 'Copy value'))))));
    });
    return h('li', { class: 'evidence-row', attrs: { 'data-kind': it.kind } },
      h('div', { class: 'evidence-head' }, label, ' ', this.copyButton(it.label, 'Copy')),
      h('div', { class: 'evidence-facts' }, ...facts),
      targets.length ? h('div', { class: 'evidence-targets' }, ...targets) : null,
      h('div', { class: 'evidence-alerts' }, `Named by ${alertNames.length === 1 ? 'alert' : `${alertNames.length} alerts`}: `, val(alertNames.join('; '))),
      fields);
  }
}
