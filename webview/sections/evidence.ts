/**
 * Evidence: every evidence item of the incident's alerts, one row per entity (its roles, verdict,
 * remediation status and the alerts that name it), grouped by kind with counts that add up to the total.
 * Every value can be copied; identifying values (device, user, IP, file hash, URL, mailbox) offer
 * "Hunt for this". Rows are plain buttons and text (hundreds of rows must render within a frame); a row's
 * other fields are built only when the row is opened. The merge and grouping are the model's (evidence.ts).
 */
import { HUNT_VALUE_MAX_LENGTH, type PaneState } from '../../src/shared/protocol';
import type { Alert } from '../../src/model/types';
import { groupEvidence, incidentEvidence, type EvidenceItem, type HuntTarget } from '../../src/model/evidence';
import { DEFENDER_EVIDENCE_GAPS, HUNT_KIND_WORDS } from '../../src/model/evidenceTypes';
import { h, key, replaceChildren, val, type Child } from '../dom';
import { formatNumber } from '../format';
import type { PaneContext } from '../context';
import { Section, button, plural, who } from '../ui';

type EvidenceSlice = Pick<Alert, 'id' | 'title' | 'evidence' | 'evidenceProblems'>[];

/** Rows a group shows before "Show all": hundreds of rows must not cost more than a frame. */
export const GROUP_ROWS = 10;
/** Rows each "Show more" adds. */
export const MORE_ROWS = 50;
/** What a row is, for its Copy button's accessible name ("Copy this device"). */
const ROW_NOUNS: Record<EvidenceItem['kind'], string> = {
  device: 'device',
  user: 'user',
  ip: 'IP address',
  file: 'file',
  process: 'process',
  mailbox: 'mailbox',
  message: 'email message',
  url: 'URL',
  cloud: 'cloud resource',
  other: 'entity',
};
/** Identities: invisible characters shown, so a look-alike cannot pass for the real account. */
const IDENTITY_KINDS = new Set(['user', 'mailbox']);

export class EvidenceSection extends Section<EvidenceSlice> {
  readonly heading = h('h2', { id: 'evidence-heading' }, 'Evidence');
  readonly count = h('vscode-badge', { id: 'evidence-count', attrs: { variant: 'counter' } });
  readonly huntIncident = button('Hunt from this incident', () => this.ctx.request({ kind: 'huntFromIncident' }), { id: 'hunt-incident', secondary: true });
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
      if (b.dataset.copy !== undefined) {
        const t = this.copies[Number(b.dataset.copy)];
        if (t !== undefined) this.ctx.copy(t);
      }
      if (b.dataset.hunt !== undefined) {
        const t = this.hunts[Number(b.dataset.hunt)];
        if (t) this.hunt(t);
      }
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
      out.push(
        h(
          'p',
          { class: 'muted evidence-gaps', id: 'evidence-gaps' },
          `The Defender API does not carry ${DEFENDER_EVIDENCE_GAPS.join('; ')}. The Graph backend shows them.`,
        ),
      );
    }
    if (problems.length) {
      out.push(
        h(
          'div',
          { class: 'evidence-problems', id: 'evidence-problems', attrs: { role: 'note' } },
          h('p', null, `${plural(problems.length, 'evidence item')} could not be read and ${problems.length === 1 ? 'is' : 'are'} not shown:`),
          h('ul', null, ...problems.slice(0, 20).map(p => h('li', null, val(p)))),
          problems.length > 20 ? h('p', { class: 'muted' }, `and ${formatNumber(problems.length - 20)} more`) : null,
        ),
      );
    }
    if (!items.length) {
      out.push(h('p', { class: 'muted' }, alerts.length ? 'No evidence reported for these alerts.' : 'No alerts, so no evidence.'));
    } else {
      out.push(
        h(
          'p',
          { class: 'muted', id: 'evidence-total' },
          `${plural(items.length, 'entity', 'entities')} in ${plural(groups.length, 'group')}: ` +
            groups.map(g => `${g.label} ${formatNumber(g.items.length)}`).join(', '),
        ),
      );
    }
    for (const g of groups) {
      const headingId = `evidence-${g.kind}`;
      const list = h('ul', { class: 'evidence-rows' }, ...g.items.slice(0, GROUP_ROWS).map(it => this.row(it, titles)));
      let shown = Math.min(GROUP_ROWS, g.items.length);
      const more = shown < g.items.length ? h('button', { class: 'mini show-more', attrs: { type: 'button' } }) : null;
      const label = () => {
        if (more)
          more.textContent = `Show ${formatNumber(Math.min(MORE_ROWS, g.items.length - shown))} more (${formatNumber(shown)} of ${formatNumber(g.items.length)} shown)`;
      };
      label();
      more?.addEventListener('click', () => {
        const first = shown;
        list.append(...g.items.slice(shown, shown + MORE_ROWS).map(it => this.row(it, titles)));
        shown = Math.min(shown + MORE_ROWS, g.items.length);
        // Keyboard users go on from the first new row.
        if (shown >= g.items.length) {
          more.remove();
          (list.children[first]?.querySelector('button') as HTMLElement | null)?.focus();
        } else label();
      });
      out.push(
        h(
          'div',
          { class: 'evidence-group', attrs: { role: 'group', 'aria-labelledby': headingId, 'data-kind': g.kind } },
          h('h3', { id: headingId }, `${g.label} (${formatNumber(g.items.length)})`),
          list,
          more,
        ),
      );
    }
    replaceChildren(this.el, out);
  }

  private copyButton(text: string, label: string): HTMLButtonElement {
    this.copies.push(text);
    return h('button', { class: 'mini', attrs: { type: 'button', 'data-copy': String(this.copies.length - 1), 'aria-label': label } }, 'Copy');
  }

  private huntButton(t: HuntTarget): HTMLButtonElement {
    this.hunts.push(t);
    return h(
      'button',
      { class: 'mini hunt', attrs: { type: 'button', 'data-hunt': String(this.hunts.length - 1), 'aria-label': `Hunt for this ${HUNT_KIND_WORDS[t.kind]}` } },
      'Hunt for this',
    );
  }

  /** One entity. Kept to a few dozen nodes: a frame holds GROUP_ROWS of them per group. */
  private row(it: EvidenceItem, titles: Map<string, string>): HTMLLIElement {
    const identity = IDENTITY_KINDS.has(it.kind);
    const head = h(
      'div',
      { class: 'evidence-head' },
      identity ? who(it.label, 'evidence-label') : val(it.label, 'evidence-label'),
      ' ',
      this.copyButton(it.label, `Copy this ${ROW_NOUNS[it.kind]}`),
    );
    // A value to hunt for that is the row's label gets its button on the label's line; others get a line each.
    const others: Child[] = [];
    for (const t of it.targets) {
      if (t.value === it.label) {
        head.append(' ', this.huntButton(t));
        continue;
      }
      const word = HUNT_KIND_WORDS[t.kind];
      others.push(
        h(
          'div',
          { class: 'evidence-target' },
          `${word}: `,
          IDENTITY_KINDS.has(t.kind) ? who(t.value) : val(t.value),
          ' ',
          this.copyButton(t.value, `Copy ${word}`),
          ' ',
          this.huntButton(t),
        ),
      );
    }
    const none = (text: string) => h('span', { class: 'muted' }, text);
    const typed = it.kind === 'other' || it.kind === 'cloud' || it.unknownType;
    const facts = h(
      'div',
      { class: 'evidence-facts' },
      typed ? val(it.type, 'evidence-type') : null,
      typed ? ' · ' : null,
      'Roles: ',
      it.roles.length ? val(it.roles.join(', '), 'evidence-roles') : none(it.source === 'defender' ? 'not given by this API' : 'none'),
      ' · Verdict: ',
      it.verdicts.length ? val(it.verdicts.join(' / '), 'evidence-verdict') : none('—'),
      ' · Remediation: ',
      it.remediationStatuses.length ? val(it.remediationStatuses.join(' / '), 'evidence-remediation') : none('—'),
    );
    const alertNames = it.alertIds.map(id => titles.get(id) || id);
    const fields = h('details', { class: 'evidence-fields' }, h('summary', null, plural(Object.keys(it.fields).length, 'field')));
    // Built when opened: 500 rows of a dozen fields each would cost more than a frame to lay out.
    fields.addEventListener('toggle', () => {
      if (!fields.open || fields.dataset.built) return;
      fields.dataset.built = '1';
      fields.append(
        h(
          'dl',
          { class: 'evidence-field-list' },
          ...Object.entries(it.fields).map(([k, v]) =>
            h('div', { class: 'detail' }, h('dt', null, key(k)), h('dd', null, identity ? who(v) : val(v), ' ', this.copyButton(v, 'Copy this value'))),
          ),
        ),
      );
    });
    return h(
      'li',
      { class: 'evidence-row', attrs: { 'data-kind': it.kind } },
      head,
      facts,
      ...others,
      h(
        'div',
        { class: 'evidence-alerts' },
        alertNames.length === 1 ? 'Named by alert: ' : `Named by ${alertNames.length} alerts: `,
        val(alertNames.join('; ')),
      ),
      fields,
    );
  }
}
