/**
 * Issue 16, item 7: bounded work. maxQueueSize clamped as documented, background paging capped (and
 * stopped by a page that brings nothing), a failed Load more keeps the queue (and so the automatic
 * refresh) running, a pane's requests in flight and its drafts/ready messages bounded, copying only
 * while the pane is the active editor, and the journal evicted. (The 429 hold: test/unit/http.test.ts.)
 */
import { strict as assert } from 'assert';
import type { Backend, Page } from '../../src/backend/types';
import type { Incident } from '../../src/model/types';
import { IncidentStore } from '../../src/store/incidentStore';
import { MAX_BACKGROUND_PAGES, MAX_QUEUE_SIZE } from '../../src/store/queueLimits';
import { History, MAX_JOURNAL_INCIDENTS } from '../../src/store/history';
import { MAX_IN_FLIGHT, refusal, RequestRateLimiter } from '../../src/panel/requests';
import { UnreachableError } from '../../src/backend/errors';
import { MemoryKv, incident } from '../support/builders';

const HISTORY = new History(new MemoryKv(), 'mock');

/** A backend whose list answers come from `page(n)`; everything else is never called here. */
function fakeBackend(page: (n: number, cursor: string | undefined) => Page<Incident>): { backend: Backend; calls: () => number } {
  let n = 0;
  const backend = {
    capabilities: {
      kind: 'mock',
      displayName: 'fake',
      maxPageSize: 100,
      canRename: true,
      canChangeSeverity: true,
      canUpdateAlerts: true,
      serverFilters: [],
      requestsPerMinute: 100,
    },
    listIncidents: async (_q: unknown, o: { cursor?: string }) => page(n++, o.cursor),
    dispose: () => undefined,
  } as unknown as Backend;
  return { backend, calls: () => n };
}

describe('bounded work (issue 16 item 7)', () => {
  it('maxQueueSize is clamped to the documented 20,000 whatever the setting holds', () => {
    const store = new IncidentStore({
      backend: async () => fakeBackend(() => ({ items: [], next: null })).backend,
      me: () => 'me',
      history: () => HISTORY,
      maxQueueSize: () => 1e9,
    });
    assert.equal(store.maxQueueSize(), MAX_QUEUE_SIZE);
  });

  it('a server that always says "more" with empty pages stops the background load at once', async () => {
    const f = fakeBackend(n => ({ items: n === 0 ? [incident({ id: '1', status: 'Active' })] : [], next: `page-${n + 1}` }));
    const store = new IncidentStore({ backend: async () => f.backend, me: () => 'me', history: () => HISTORY });
    await store.setFilter({ statuses: ['Active'] });
    await store.restLoaded();
    assert.ok(f.calls() <= 2, `${f.calls()} list calls`);
  });

  it('one new incident a page with always a next link: at most MAX_BACKGROUND_PAGES pages', async () => {
    const f = fakeBackend(n => ({ items: [incident({ id: String(n + 1), status: 'Active' })], next: `page-${n + 1}` }));
    const store = new IncidentStore({ backend: async () => f.backend, me: () => 'me', history: () => HISTORY, maxQueueSize: () => MAX_QUEUE_SIZE });
    await store.setFilter({ statuses: ['Active'] });
    await store.restLoaded();
    assert.ok(f.calls() <= MAX_BACKGROUND_PAGES + 1, `${f.calls()} list calls`);
  });

  it('a failed Load more keeps the queue ready (the automatic refresh and its notifications keep running) and says why', async () => {
    let fail = false;
    const f = fakeBackend(n => {
      if (fail) throw new UnreachableError('network down');
      return { items: [incident({ id: String(n + 1), status: 'Resolved' })], next: 'more' };
    });
    const store = new IncidentStore({ backend: async () => f.backend, me: () => 'me', history: () => HISTORY });
    await store.setFilter({ statuses: ['Resolved'] });
    fail = true;
    await assert.rejects(store.loadMore(), /network down/);
    assert.equal(store.state, 'ready');
    assert.match(String(store.restFailure?.message), /network down/);
    assert.equal(store.size, 1, 'what was loaded stays');
  });

  it('a pane may have at most 20 requests in flight, and copies only while it is the active editor', () => {
    const limiter = new RequestRateLimiter(1000);
    const m = { type: 'request' as const, id: 1, incidentId: '7', action: { kind: 'assignToMe' as const } };
    assert.equal(refusal(m, '7', limiter, undefined, MAX_IN_FLIGHT - 1), undefined);
    assert.equal(refusal(m, '7', limiter, undefined, MAX_IN_FLIGHT)?.kind, 'rateLimited');
    const copy = { ...m, action: { kind: 'copyText' as const, text: 'x' } };
    assert.equal(refusal(copy, '7', limiter, undefined, 0, false)?.kind, 'refused');
    assert.equal(refusal(copy, '7', limiter, undefined, 0, true), undefined);
  });

  it('the journal keeps at most MAX_JOURNAL_INCIDENTS incidents per scope, dropping the oldest', async () => {
    const kv = new MemoryKv();
    const history = new History(kv, 'scope');
    for (let i = 0; i < MAX_JOURNAL_INCIDENTS + 5; i++)
      await history.record(String(i), [{ field: 'status', from: 'Active', to: 'Resolved' }], null, 'observed');
    assert.deepEqual(history.journal('0'), [], 'the oldest was evicted');
    assert.deepEqual(history.journal('4'), []);
    assert.equal(history.journal('5').length, 1);
    assert.equal(history.journal(String(MAX_JOURNAL_INCIDENTS + 4)).length, 1);
    const journals = [...kv.map.keys()].filter(k => k.startsWith('journal:scope:'));
    assert.equal(journals.length, MAX_JOURNAL_INCIDENTS);
  });
});
