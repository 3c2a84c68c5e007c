/**
 * The header: the incident's name (at most a few lines, "Show full name" for the rest), its description and
 * its facts. Holds nothing focusable but the toggle and the portal button, so re-rendering it is safe.
 */
import type { PaneState } from '../../src/shared/protocol';
import { h, replaceChildren, val } from '../dom';
import { classificationLabel, determinationLabel, formatNumber, statusLabel } from '../format';
import { Section, fact, severityBadge, time, who, type Button } from '../ui';

type HeaderSlice = ReturnType<typeof headerSlice>;

function headerSlice(s: PaneState) {
  const i = s.incident;
  return {
    id: i.id,
    name: i.name,
    description: i.description ?? '',
    severity: i.severity,
    status: i.status,
    assignedTo: i.assignedTo,
    classification: i.classification,
    determination: i.determination,
    createdTime: i.createdTime,
    lastUpdateTime: i.lastUpdateTime,
    alertCount: (i.alerts ?? []).length,
    tags: i.tags ?? [],
    systemTags: i.systemTags ?? [],
    detectionSource: i.detectionSource,
    redirectIncidentId: i.redirectIncidentId,
    lastModifiedBy: i.lastModifiedBy,
    priorityScore: i.priorityScore,
    resolvingComment: i.resolvingComment,
    sla: s.sla,
  };
}

export class HeaderSection extends Section<HeaderSlice> {
  private readonly nameEl = h('h1', { id: 'incident-name', class: 'incident-name clamped' });
  private readonly nameToggle = h(
    'button',
    {
      id: 'name-toggle',
      class: 'link-button',
      attrs: { type: 'button', 'aria-controls': 'incident-name', 'aria-expanded': 'false', hidden: true },
    },
    'Show full name',
  );
  /** After the name's last character: when the clamp hides it, the name is cut (an IntersectionObserver says so, no layout read). */
  private readonly nameEnd = h('span', { class: 'name-end', attrs: { 'aria-hidden': 'true' } });
  private cut = false;
  private readonly descriptionEl = h('p', { id: 'incident-description', class: 'description' });
  private readonly factsEl = h('dl', { class: 'facts' });
  readonly el: HTMLElement;

  constructor(portalButton: Button) {
    super();
    this.nameToggle.addEventListener('click', () => {
      if (this.nameEl.classList.contains('clamped')) this.setExpanded(true);
      else this.collapse();
    });
    const title = h('div', { class: 'title' }, this.nameEl, this.nameToggle);
    const row = h('div', { class: 'title-row' }, title, portalButton);
    this.el = h('header', { class: 'pane-header', attrs: { 'aria-label': 'Incident' } }, row, this.descriptionEl, this.factsEl);
    // Escape closes the full name and gives focus back to the toggle that opened it.
    this.el.addEventListener('keydown', e => {
      if (e.key !== 'Escape' || this.nameEl.classList.contains('clamped')) return;
      e.preventDefault();
      e.stopPropagation();
      this.collapse();
      this.nameToggle.focus();
    });
    // Whether the clamp cuts the name depends on the width too; the observer follows both, after layout.
    if (typeof IntersectionObserver === 'function') {
      new IntersectionObserver(
        entries => {
          this.cut = !entries[entries.length - 1].isIntersecting;
          this.syncToggle();
        },
        { root: this.nameEl },
      ).observe(this.nameEnd);
    }
  }

  /** Keeps "(3 minutes ago)" true while the pane stays open. */
  tick(s: PaneState): void {
    this.invalidate();
    this.update(s);
  }

  protected slice(s: PaneState): HeaderSlice {
    return headerSlice(s);
  }

  /** The name shown (kept here, not in a data attribute: a megabyte name would be copied into the DOM). */
  private shownName: string | undefined;

  protected render(i: HeaderSlice): void {
    if (this.shownName !== i.name) {
      this.shownName = i.name;
      this.nameEl.replaceChildren(val(i.name), this.nameEnd);
      document.title = `#${i.id} ${i.name}`.slice(0, 200);
      this.setExpanded(false);
    }
    this.descriptionEl.replaceChildren(val(i.description));
    this.descriptionEl.hidden = !i.description;
    const tags = (list: string[]) =>
      list.length ? h('ul', { class: 'chips compact' }, ...list.map(t => h('li', { class: 'chip' }, val(t)))) : h('span', { class: 'muted' }, 'None');
    replaceChildren(this.factsEl, [
      fact('ID', 'incident-id', `#${i.id}`),
      fact('Severity', 'incident-severity', severityBadge(i.severity)),
      fact('Status', 'incident-status', val(statusLabel(i.status))),
      fact('Owner', 'header-owner', i.assignedTo ? who(i.assignedTo) : h('span', { class: 'muted' }, 'Unassigned')),
      fact('Classification', 'incident-classification', val(classificationLabel(i.classification))),
      fact('Determination', 'incident-determination', val(determinationLabel(i.determination))),
      fact('Created', 'incident-created', time(i.createdTime)),
      fact('Last update', 'incident-updated', time(i.lastUpdateTime)),
      // The SLA clocks in the queue's words: the row's summary, then each clock as the row's tooltip says it.
      i.sla
        ? fact(
            'SLA',
            'incident-sla',
            h('span', { class: `sla sla-${i.sla.state}` }, val(i.sla.summary)),
            ...i.sla.clocks.map(c => h('span', { class: 'sla-clock' }, val(c))),
          )
        : null,
      fact('Alerts', 'incident-alert-count', formatNumber(i.alertCount)),
      fact('Tags', 'incident-tags', tags([...i.tags, ...i.systemTags])),
      i.detectionSource ? fact('Detection source', 'incident-detection-source', val(i.detectionSource)) : null,
      i.redirectIncidentId ? fact('Redirected to', 'incident-redirect', val(`#${i.redirectIncidentId}`)) : null,
      i.lastModifiedBy ? fact('Last modified by', 'incident-modified-by', who(i.lastModifiedBy)) : null,
      typeof i.priorityScore === 'number' ? fact('Priority score', 'incident-priority', formatNumber(i.priorityScore)) : null,
      i.resolvingComment ? fact('Resolving comment', 'incident-resolving-comment', val(i.resolvingComment, 'pre')) : null,
    ]);
  }

  /** A long name shows its first lines; the toggle shows all of it, and back. */
  private setExpanded(expanded: boolean): void {
    this.nameEl.classList.toggle('clamped', !expanded);
    this.nameToggle.setAttribute('aria-expanded', String(expanded));
    this.nameToggle.textContent = expanded ? 'Show less' : 'Show full name';
    this.syncToggle();
  }

  /**
   * Back to the first lines, by the toggle or Escape. The name was cut when it was opened, so the toggle
   * stays (and keeps focus) instead of hiding until the observer has looked again after layout.
   */
  private collapse(): void {
    this.cut = true;
    this.setExpanded(false);
  }

  /** The toggle is there while the name is cut, or shown in full after a click. */
  private syncToggle(): void {
    const show = !this.nameEl.classList.contains('clamped') || this.cut;
    if (this.nameToggle.hidden === show) this.nameToggle.hidden = !show;
  }
}
