import * as assert from 'assert/strict';
import { seedIncidents } from '../../src/mock/seed';
import { mapDefenderIncident } from '../../src/backend/defender/mapping';
import { DEFAULT_SLA_POLICY, slaState } from '../../src/model/sla';

describe('mock sample data: a real queue\'s SLA mix (issue 19)', () => {
  it('on first start the open queue holds incidents on time, due soon and overdue under the default clocks', () => {
    const now = Date.now();
    const open = seedIncidents({ now: new Date(now) }).map(i => mapDefenderIncident(i)).filter(i => i.status === 'Active' || i.status === 'InProgress');
    const states = open.map(i => slaState(i, DEFAULT_SLA_POLICY, now).state);
    const count = (s: string) => states.filter(x => x === s).length;
    assert.ok(count('onTime') >= 3, `on time: ${count('onTime')} of ${open.length}`);
    assert.ok(count('dueSoon') >= 1, `due soon: ${count('dueSoon')} of ${open.length}`);
    assert.ok(count('overdue') >= 3, `overdue: ${count('overdue')} of ${open.length}`);
    assert.ok(count('overdue') < open.length * 0.85, `overdue ${count('overdue')} of ${open.length}: not every row the same red stopwatch`);
  });
});
