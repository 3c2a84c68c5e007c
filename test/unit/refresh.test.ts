/**
 * A failed automatic refresh keeps the last good queue with a warning row (the reason and when the
 * queue was last refreshed), and the next refreshes back off; a success resets both.
 */
import { strict as assert } from 'assert';
import { IncidentStore } from '../../src/store/incidentStore';
import { MAX_REFRESH_BACKOFF_MS, refreshDelayMs } from '../../src/store/queueLimits';
import { History } from '../../src/store/history';
import { UnreachableError } from '../../src/backend/errors';
import type { Backend } from '../../src/backend/types';
import type { IncidentQuery } from '../../src/model/query';
import type { Incident } from '../../src/model/types';
import { staleRow } from '../../src/tree/rows';
import { clockTime } from '../../src/shared/text';
import { incident, MemoryKv } from '../support/builders';
import { EXTRA, leavesBidiOpen } from '../fixtures/hostile';

/** A backend that lists `incidents`, or fails while `failWith` is set. */
function fakeBackend(incidents: Incident[]) {
  const state: { failWith?: Error; queries: IncidentQuery[] } = { queries: [] };
  const backend = {
    capabilities: {
      kind: 'mock',
      displayName: 'Mock',
      canRename: true,
      canChangeSeverity: true,
      canUpdateAlerts: true,
      maxPageSize: 100,
      serverFilters: ['status'],
      requestsPerMinute: 1000,
    },
    async listIncidents(q: IncidentQuery) {
      state.queries.push(q);
      if (state.failWith) throw state.failWith;
      return { items: incidents.filter(i => !q.updatedSince || i.lastUpdateTime >= q.updatedSince), next: null };
    },
    budget: () => [],
    dispose: () => undefined,
  } as unknown as Backend;
  return { backend, state };
}

describe('automatic refresh: a failure keeps the last good queue', () => {
  const MIN = 60_000;

  it('backoff: the interval doubles per failure in a row, up to 10 minutes, and resets after a success', () => {
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5, 50].map(f => refreshDelayMs(2 * MIN, f)),
      [2 * MIN, 4 * MIN, 8 * MIN, 10 * MIN, 10 * MIN, 10 * MIN, 10 * MIN],
    );
    assert.equal(MAX_REFRESH_BACKOFF_MS, 10 * MIN);
    assert.equal(refreshDelayMs(30_000, 1), 60_000);
    assert.equal(refreshDelayMs(15 * MIN, 3), 15 * MIN, 'an interval longer than the cap is kept');
  });

  it('the store keeps its incidents and state, records the failure, and clears it on the next success', async () => {
    let now = Date.parse('2026-11-29T14:00:00Z');
    const items = [
      incident({ id: '1', status: 'Active', severity: 'High', lastUpdateTime: '2026-11-29T13:00:00Z' }),
      incident({ id: '2', status: 'Active', severity: 'High', lastUpdateTime: '2026-11-29T13:10:00Z' }),
    ];
    const { backend, state } = fakeBackend(items);
    const store = new IncidentStore({
      backend: async () => backend,
      me: () => 'me@contoso.com',
      history: () => new History(new MemoryKv(), 'test'),
      now: () => now,
    });
    let fired = 0;
    store.onDidChange(() => fired++);
    await store.reload();
    assert.equal(store.lastRefreshed, now);
    const loadedAt = now;

    now += 2 * MIN;
    state.failWith = new UnreachableError('connect ECONNREFUSED 127.0.0.1:443');
    fired = 0;
    await assert.rejects(store.refreshChanges(), /ECONNREFUSED/);
    assert.equal(store.state, 'ready', 'the queue stays');
    assert.deepEqual(
      store
        .visible()
        .map(i => i.id)
        .sort(),
      ['1', '2'],
    );
    assert.equal(store.error, undefined);
    assert.equal(store.refreshFailure?.error.message, 'connect ECONNREFUSED 127.0.0.1:443');
    assert.equal(store.refreshFailure?.at, now);
    assert.equal(store.refreshFailures, 1);
    assert.equal(store.lastRefreshed, loadedAt, 'the queue is as of the last good refresh');
    assert.equal(fired, 1, 'the view learns about the failure');

    now += 4 * MIN;
    await assert.rejects(store.refreshChanges());
    assert.equal(store.refreshFailures, 2);

    now += 8 * MIN;
    delete state.failWith;
    fired = 0;
    await store.refreshChanges();
    assert.equal(store.refreshFailure, undefined);
    assert.equal(store.refreshFailures, 0);
    assert.equal(store.lastRefreshed, now);
    assert.ok(fired >= 1, 'the warning row goes away');
    assert.ok(
      state.queries.slice(1).every(q => q.updatedSince === '2026-11-29T13:10:00Z'),
      'still delta refreshes',
    );
  });

  it('the warning row says why and how old the queue is, on one isolated line', () => {
    const lastGood = new Date(2026, 10, 29, 14, 0).getTime();
    const now = lastGood + 12 * MIN;
    const row = staleRow('Service unavailable (503)', lastGood, now, now + 4 * MIN);
    assert.equal(row.label, `Refresh failed: Service unavailable (503) · showing the queue as of ${clockTime(lastGood)} (12m ago)`);
    assert.equal(
      row.tooltip,
      [
        'Automatic refresh failed: Service unavailable (503)',
        `The queue is as of ${clockTime(lastGood)} (12m ago).`,
        `Next try at ${clockTime(now + 4 * MIN)}; click to retry now.`,
      ].join('\n'),
    );
    assert.match(staleRow('x', undefined, now).label, /as of an earlier refresh$/);
    const hostile = staleRow(`${EXTRA.rloName}\nFake line`, lastGood, now);
    assert.ok(!leavesBidiOpen(hostile.label.split(' · ')[0]));
    assert.equal(hostile.tooltip.split('\n').length, 3, 'a server message cannot add tooltip lines');
  });
});
