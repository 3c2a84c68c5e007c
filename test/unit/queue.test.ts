import { strict as assert } from 'assert';
import { buildQueue, rowDescription, shortAge } from '../../src/store/queue';
import { incident } from '../support/builders';

const NOW = Date.parse('2026-11-29T12:00:00Z');

describe('queue: grouping, sorting, caps', () => {
  const items = [
    incident({ id: '1', severity: 'Low', status: 'Active', lastUpdateTime: '2026-11-29T10:00:00Z', createdTime: '2026-11-01T00:00:00Z' }),
    incident({ id: '2', severity: 'High', status: 'InProgress', assignedTo: 'bob@contoso.com', lastUpdateTime: '2026-11-28T10:00:00Z', createdTime: '2026-11-20T00:00:00Z' }),
    incident({ id: '3', severity: 'Medium', status: 'Active', lastUpdateTime: '2026-11-29T11:00:00Z', createdTime: '2026-11-10T00:00:00Z' }),
    incident({ id: '4', severity: 'High', status: 'Resolved', classification: 'TruePositive', assignedTo: 'alice@contoso.com', lastUpdateTime: '2026-11-27T10:00:00Z', createdTime: '2026-11-25T00:00:00Z' }),
  ];
  const ids = (g: { rows: { incident: { id: string } }[] }) => g.rows.map(r => r.incident.id);

  it('sorts by last update, severity and creation', () => {
    assert.deepEqual(ids(buildQueue(items, { groupBy: 'none', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW })[0]), ['3', '1', '2', '4']);
    assert.deepEqual(ids(buildQueue(items, { groupBy: 'none', sortBy: 'severity', maxGroupSize: 200, now: NOW })[0]), ['2', '4', '3', '1']);
    assert.deepEqual(ids(buildQueue(items, { groupBy: 'none', sortBy: 'created', maxGroupSize: 200, now: NOW })[0]), ['4', '2', '3', '1']);
  });

  it('groups with counts in a meaningful order', () => {
    const bySev = buildQueue(items, { groupBy: 'severity', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW });
    assert.deepEqual(bySev.map(g => [g.label, g.count]), [['High', 2], ['Medium', 1], ['Low', 1]]);
    const byOwner = buildQueue(items, { groupBy: 'owner', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW });
    assert.deepEqual(byOwner.map(g => g.label), ['Unassigned', 'alice@contoso.com', 'bob@contoso.com']);
    const byStatus = buildQueue(items, { groupBy: 'status', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW });
    assert.deepEqual(byStatus.map(g => g.label), ['Active', 'In progress', 'Resolved']);
    const byClass = buildQueue(items, { groupBy: 'classification', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW });
    assert.deepEqual(byClass.map(g => g.label), ['Not set', 'True positive']);
  });

  it('caps siblings per group and reports the hidden rest; raised caps show more', () => {
    const many = Array.from({ length: 25 }, (_, n) => incident({ id: String(n), lastUpdateTime: `2026-11-${String(1 + n).padStart(2, '0')}T00:00:00Z` }));
    const [g] = buildQueue(many, { groupBy: 'none', sortBy: 'lastUpdate', maxGroupSize: 10, now: NOW });
    assert.equal(g.rows.length, 10);
    assert.equal(g.hidden, 15);
    assert.equal(g.count, 25);
    const [g2] = buildQueue(many, { groupBy: 'none', sortBy: 'lastUpdate', maxGroupSize: 10, groupLimits: new Map([['', 20]]), now: NOW });
    assert.equal(g2.rows.length, 20);
  });

  it('describes a row like the portal: #id · status · owner · age', () => {
    assert.equal(rowDescription(incident({ id: '924565', status: 'InProgress', assignedTo: 'alice@contoso.com', lastUpdateTime: '2026-11-29T09:00:00Z' }), NOW), '#924565 · In progress · alice@contoso.com · 3h');
    assert.equal(shortAge('2026-11-29T11:59:30Z', NOW), 'now');
    assert.equal(shortAge('2026-11-19T12:00:00Z', NOW), '10d');
    assert.equal(shortAge('not a date', NOW), '');
  });
});
