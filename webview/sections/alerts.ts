/** Alerts: one disclosure per alert (open state kept per alert), with the count in the section title. */
import type { PaneState } from '../../src/shared/protocol';
import type { Alert } from '../../src/model/types';
import { h, replaceChildren, val, type Child } from '../dom';
import { alertStatusLabel, formatNumber, serviceSourceLabel, severityLabel } from '../format';
import type { PaneStore } from '../store';
import { Section, plural, severityBadge, time } from '../ui';

export class AlertsSection extends Section<Alert[]> {
  readonly heading = h('h2', { id: 'alerts-heading' }, 'Alerts');
  readonly count = h('vscode-badge', { id: 'alerts-count', attrs: { variant: 'counter' } });
  readonly el = h('div', { id: 'alerts' });

  constructor(private readonly store: PaneStore) {
    super();
  }

  protected slice(s: PaneState): Alert[] {
    // Evidence is the Evidence section's: hundreds of items need not be compared again here on every state.
    return (s.incident.alerts ?? []).map(({ evidence: _e, evidenceProblems: _p, ...a }) => a);
  }

  protected render(alerts: Alert[]): void {
    this.count.textContent = formatNumber(alerts.length);
    this.count.setAttribute('aria-label', `${alerts.length} alerts`);
    if (!alerts.length) {
      replaceChildren(this.el, [h('p', { class: 'muted' }, 'No alerts.')]);
      return;
    }
    // With few alerts, open them all: nothing to scan past.
    const openAll = alerts.length <= 3 && this.store.openAlerts.size === 0;
    replaceChildren(
      this.el,
      alerts.map(a => this.renderAlert(a, openAll || this.store.openAlerts.has(a.id))),
    );
  }

  private renderAlert(a: Alert, open: boolean): HTMLElement {
    const row = (label: string, ...v: Child[]) => h('div', { class: 'fact' }, h('dt', null, label), h('dd', null, ...v));
    const text = (s: string | null | undefined) => (s ? val(s) : h('span', { class: 'muted' }, '—'));
    const details = h(
      'details',
      { class: 'alert', attrs: { open, 'data-alert-id': a.id } },
      h(
        'summary',
        { attrs: { 'data-fk': `alert:${a.id}` } },
        severityBadge(a.severity),
        val(a.title, 'alert-title'),
        val(alertStatusLabel(a.status), 'alert-summary-status'),
      ),
      a.description ? h('p', { class: 'description alert-description' }, val(a.description)) : null,
      h(
        'dl',
        { class: 'facts alert-facts' },
        row('Severity', val(severityLabel(a.severity))),
        row('Status', val(alertStatusLabel(a.status))),
        row('Category', text(a.category)),
        row('Service source', text(a.serviceSource && serviceSourceLabel(a.serviceSource))),
        row('Detection source', text(a.detectionSource)),
        row('First activity', time(a.firstActivity)),
        row('Last activity', time(a.lastActivity)),
        row(
          'MITRE techniques',
          (a.mitreTechniques ?? []).length
            ? h('ul', { class: 'chips compact' }, ...a.mitreTechniques.map(t => h('li', { class: 'chip mono' }, val(t))))
            : h('span', { class: 'muted' }, 'None'),
        ),
        row('Assets', `${plural((a.devices ?? []).length, 'device')}, ${plural((a.entities ?? []).length, 'entity', 'entities')}`),
      ),
    );
    details.addEventListener('toggle', () => {
      if (details.open) this.store.openAlerts.add(a.id);
      else this.store.openAlerts.delete(a.id);
      this.store.persist();
    });
    return details;
  }
}
