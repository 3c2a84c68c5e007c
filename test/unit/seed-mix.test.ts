import * as assert from 'assert/strict';
import { seedIncidents } from '../../src/mock/seed';
import { mapDefenderIncident } from '../../src/backend/defender/mapping';
import { DEFAULT_SLA_POLICY, slaState } from '../../src/model/sla';

describe("mock sample data: a real queue's SLA mix (issue 19)", () => {
  it('on first start the open queue holds incidents on time, due soon and overdue under the default clocks', () => {
    const now = Date.now();
    const open = seedIncidents({ now: new Date(now) })
      .map(i => mapDefenderIncident(i))
      .filter(i => i.status === 'Active' || i.status === 'InProgress');
    const states = open.map(i => slaState(i, DEFAULT_SLA_POLICY, now).state);
    const count = (s: string) => states.filter(x => x === s).length;
    assert.ok(count('onTime') >= 3, `on time: ${count('onTime')} of ${open.length}`);
    assert.ok(count('dueSoon') >= 1, `due soon: ${count('dueSoon')} of ${open.length}`);
    assert.ok(count('overdue') >= 3, `overdue: ${count('overdue')} of ${open.length}`);
    assert.ok(count('overdue') < open.length * 0.85, `overdue ${count('overdue')} of ${open.length}: not every row the same red stopwatch`);
  });
});

describe("a queue read at a glance: the row's age and its SLA decoration (issue 19)", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { slaBadge } = require('../../src/tree/rows') as typeof import('../../src/tree/rows');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { updatedAgo } = require('../../src/store/queue') as typeof import('../../src/store/queue');
  const NOW = Date.parse('2026-12-01T12:00:00Z');

  it('labels the age as the time since the last update', () => {
    assert.equal(updatedAgo('2026-12-01T11:52:00Z', NOW), 'updated 8m ago');
    assert.equal(updatedAgo('2026-12-01T11:59:30Z', NOW), 'updated just now');
    assert.equal(updatedAgo('garbage', NOW), 'updated at an unknown time');
  });

  it("overdue and due soon rows get a badge and a colour with the row's own words; on time and no clock get none", () => {
    const at = (state: 'overdue' | 'dueSoon' | 'onTime' | 'none', dueAt: number | null) =>
      ({ state, clock: null, dueAt, msLeft: dueAt === null ? null : dueAt - NOW, assign: null, resolve: null }) as never;
    assert.deepEqual(slaBadge(at('overdue', NOW - 72 * 60_000), NOW), { badge: '!!', tooltip: 'SLA: overdue 1 h 12 m', color: 'list.errorForeground' });
    assert.deepEqual(slaBadge(at('dueSoon', NOW + 9 * 60_000), NOW), { badge: '!', tooltip: 'SLA: due in 9 m', color: 'list.warningForeground' });
    assert.equal(slaBadge(at('onTime', NOW + 3 * 3600_000), NOW), undefined);
    assert.equal(slaBadge(undefined, NOW), undefined);
  });
});

describe("hovering a row shows the pane's SLA words", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { incidentTooltip } = require('../../src/tree/rows') as typeof import('../../src/tree/rows');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { describeSlaClocks, formatSla } = require('../../src/model/sla') as typeof import('../../src/model/sla');

  it('the tooltip carries "SLA: <the row\'s words>" and every clock line the pane header shows', () => {
    const now = Date.now();
    const i = seedIncidents({ now: new Date(now) })
      .map(x => mapDefenderIncident(x))
      .find(x => slaState(x, DEFAULT_SLA_POLICY, now).state === 'overdue')!;
    const sla = slaState(i, DEFAULT_SLA_POLICY, now);
    const tip = incidentTooltip(i, sla, now).split('\n');
    assert.ok(tip.includes(`SLA: ${formatSla(sla, now)}`), tip.join('\n'));
    for (const line of describeSlaClocks(sla)) assert.ok(tip.includes(line), line);
  });
});
