/**
 * The live queue (src/store/queue.ts `LiveQueue`): after any run of changes, additions and removals it
 * holds exactly what a rebuild would (groups, order, counts, caps), and it names the least to repaint.
 */
import { strict as assert } from 'assert';
import { GROUP_BY_VALUES, type QueueOptions, type SortBy } from '../../src/store/queue';
import { buildQueue, LiveQueue } from '../../src/store/liveQueue';
import type { Incident } from '../../src/model/types';
import { incident } from '../support/builders';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const SEVERITIES = ['High', 'Medium', 'Low', 'Informational'];
const STATUSES = ['Active', 'InProgress', 'Resolved'];
const OWNERS = [null, 'alice@contoso.com', 'bob@contoso.com'];

/** A small deterministic generator (no Math.random: a failure replays). */
function rng(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

function make(r: () => number, id: string, minute: number): Incident {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)];
  const t = new Date(NOW - minute * 60_000).toISOString();
  return incident({ id, severity: pick(SEVERITIES), status: pick(STATUSES), assignedTo: pick(OWNERS), lastUpdateTime: t, createdTime: t });
}

const shape = (gs: ReturnType<typeof buildQueue>) =>
  gs.map(g => ({
    key: g.key,
    label: g.label,
    count: g.count,
    hidden: g.hidden,
    rows: g.rows.map(x => `${x.incident.id} ${x.incident.assignedTo} ${x.description}`),
  }));

describe('live queue: one incident at a time', () => {
  for (const groupBy of GROUP_BY_VALUES.filter(g => g !== 'sla')) {
    for (const sortBy of ['lastUpdate', 'severity', 'created'] as SortBy[]) {
      it(`matches a rebuild after random changes, additions and removals (group by ${groupBy}, sort by ${sortBy})`, () => {
        const r = rng(groupBy.length * 31 + sortBy.length);
        const o: QueueOptions = { groupBy, sortBy, maxGroupSize: 7, now: NOW };
        const byId = new Map<string, Incident>();
        for (let n = 0; n < 60; n++) byId.set(String(n), make(r, String(n), 1000 + n * 7));
        const live = new LiveQueue(byId.values(), o);
        let next = 60;
        for (let step = 0; step < 200; step++) {
          const roll = r();
          let id: string;
          if (roll < 0.15) {
            id = String(next++);
            byId.set(id, make(r, id, Math.floor(r() * 2000)));
          } else {
            id = [...byId.keys()][Math.floor(r() * byId.size)];
            if (roll < 0.25) byId.delete(id);
            else byId.set(id, make(r, id, Math.floor(r() * 2000)));
          }
          live.apply([{ id, incident: byId.get(id) }], NOW);
          assert.deepEqual(shape(live.groups), shape(buildQueue(byId.values(), o)), `after step ${step} (${id})`);
        }
      });
    }
  }

  it('names the least to repaint: the row, its group, or the root', () => {
    const a = incident({ id: 'a', severity: 'High', lastUpdateTime: '2026-11-29T11:00:00Z' });
    const b = incident({ id: 'b', severity: 'High', lastUpdateTime: '2026-11-29T10:00:00Z' });
    const c = incident({ id: 'c', severity: 'Low', lastUpdateTime: '2026-11-29T09:00:00Z' });
    const o: QueueOptions = { groupBy: 'severity', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW };
    const live = new LiveQueue([a, b, c], o);
    // Same group, same place: the row alone.
    let d = live.apply([{ id: 'a', incident: { ...a, assignedTo: 'alice@contoso.com' } }], NOW);
    assert.deepEqual([d.rows, d.groups, d.root], [['a'], [], false]);
    // Same group, another place: the group (its rows' order).
    d = live.apply([{ id: 'b', incident: { ...b, lastUpdateTime: '2026-11-29T11:30:00Z' } }], NOW);
    assert.deepEqual([d.rows, d.groups, d.root], [[], ['High'], false]);
    // Another group: from the root (a node must not show under two parents).
    d = live.apply([{ id: 'b', incident: { ...b, severity: 'Low' } }], NOW);
    assert.equal(d.root, true);
    // Added to a group that exists (a background page): the group; to a new group: the root.
    d = live.apply([{ id: 'e', incident: incident({ id: 'e', severity: 'Low', lastUpdateTime: '2026-11-01T00:00:00Z' }) }], NOW);
    assert.deepEqual([d.rows, d.groups, d.root], [[], ['Low'], false]);
    d = live.apply([{ id: 'f', incident: incident({ id: 'f', severity: 'Medium' }) }], NOW);
    assert.equal(d.root, true);
    // Gone: its group; the last of a group: the root.
    d = live.apply([{ id: 'e', incident: undefined }], NOW);
    assert.deepEqual([d.rows, d.groups, d.root], [[], ['Low'], false]);
    d = live.apply([{ id: 'f', incident: undefined }], NOW);
    assert.equal(d.root, true);
    // Only the changed row's text is computed again.
    assert.equal(d.described, 0);
  });
});
