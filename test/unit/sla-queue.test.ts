/**
 * SLA clocks on the queue (issue #12): grouping by SLA state, sorting by time left and by priority, the
 * SLA filter, the row and tooltip text, the clock tick (which rows it redraws, and when the next one
 * runs), and the background load of the whole open queue with its cap and counts, against the mock.
 */
import { strict as assert } from 'assert';
import { firstAssignedAt, isOpenQueue, rowDescription, sortUnavailable } from '../../src/store/queue';
import { buildQueue } from '../../src/store/liveQueue';
import { SLA_STATE_LABELS } from '../../src/model/sla';
import { compileFilter, DEFAULT_FILTER, parseFilter } from '../../src/model/query';
import { IncidentStore } from '../../src/store/incidentStore';
import { History } from '../../src/store/history';
import { incidentAccessibilityLabel, incidentTooltip, queueMessage } from '../../src/tree/rows';
import { MAX_TICK_MS, MIN_TICK_MS, nextTextChange, SlaClock, tickAt } from '../../src/tree/slaClock';
import { DEFAULT_SLA_POLICY, formatSla, slaState, type SlaInfo } from '../../src/model/sla';
import { parseSlaSetting } from '../../src/model/slaSetting';
import type { MockServer } from '../../src/mock/server';
import type { Backend } from '../../src/backend/types';
import type { Incident } from '../../src/model/types';
import { incident, MemoryKv } from '../support/builders';
import { startWorld, type Dialect, type World } from '../support/world';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const MIN = 60_000;
const ago = (ms: number) => new Date(NOW - ms).toISOString();
const P = DEFAULT_SLA_POLICY;

/** High: assign 30 m, resolve 4 h; Medium: 2 h / 24 h; Low: 8 h / 72 h. */
const overdueHigh = incident({ id: 'o1', severity: 'High', status: 'Active', createdTime: ago(72 * MIN), lastUpdateTime: ago(10 * MIN) }); // assign overdue 42 m
const dueSoonHigh = incident({ id: 's1', severity: 'High', status: 'Active', createdTime: ago(26 * MIN), lastUpdateTime: ago(5 * MIN) }); // assign due in 4 m
const onTimeMed = incident({
  id: 't1',
  severity: 'Medium',
  status: 'InProgress',
  assignedTo: 'bob@contoso.com',
  createdTime: ago(60 * MIN),
  lastUpdateTime: ago(3 * MIN),
});
const noSla = incident({ id: 'n1', severity: 'Informational', status: 'Active', createdTime: ago(600 * MIN), lastUpdateTime: ago(1 * MIN) });
const resolved = incident({ id: 'r1', severity: 'High', status: 'Resolved', createdTime: ago(900 * MIN), lastUpdateTime: ago(2 * MIN) });
const ALL = [noSla, onTimeMed, resolved, dueSoonHigh, overdueHigh];

const states = (items: Incident[], now = NOW) => new Map(items.map(i => [i.id, slaState(i, P, now)]));
const ids = (g: { rows: { incident: { id: string } }[] }) => g.rows.map(r => r.incident.id);

describe('queue: SLA groups, time left and priority', () => {
  const sla = states(ALL);
  const opts = { maxGroupSize: 200, now: NOW, sla: (id: string) => sla.get(id) };

  it('groups by SLA state, most urgent first, with counts', () => {
    const g = buildQueue(ALL, { ...opts, groupBy: 'sla', sortBy: 'lastUpdate' });
    assert.deepEqual(
      g.map(x => [x.key, x.label, x.count]),
      [
        ['overdue', 'Overdue', 1],
        ['dueSoon', 'Due soon', 1],
        ['onTime', 'On time', 1],
        ['none', 'No SLA', 2],
      ],
    );
    assert.deepEqual(ids(g[3]), ['n1', 'r1']);
    assert.deepEqual(Object.values(SLA_STATE_LABELS), ['Overdue', 'Due soon', 'On time', 'No SLA']);
  });

  it('sorts by time left: the most overdue first, incidents without a clock last (by last update)', () => {
    const older = incident({ id: 'o2', severity: 'High', status: 'Active', createdTime: ago(200 * MIN), lastUpdateTime: ago(50 * MIN) });
    const items = [...ALL, older];
    const s = states(items);
    const [g] = buildQueue(items, { ...opts, sla: id => s.get(id), groupBy: 'none', sortBy: 'timeLeft' });
    assert.deepEqual(ids(g), ['o2', 'o1', 's1', 't1', 'n1', 'r1']);
  });

  it('sorts by priority, highest first, incidents without a score last', () => {
    const items = [
      incident({ id: 'a', priorityScore: 12 }),
      incident({ id: 'b', priorityScore: null, lastUpdateTime: ago(1 * MIN) }),
      incident({ id: 'c', priorityScore: 87 }),
      incident({ id: 'd', priorityScore: null, lastUpdateTime: ago(9 * MIN) }),
    ];
    const [g] = buildQueue(items, { ...opts, groupBy: 'none', sortBy: 'priority' });
    assert.deepEqual(ids(g), ['c', 'a', 'b', 'd']);
  });

  it('priority sort is listed everywhere but refused with the reason where the backend gives no score', () => {
    assert.equal(
      sortUnavailable('priority', { kind: 'defender', displayName: 'Microsoft Defender XDR API' }),
      'the Microsoft Defender XDR API gives no priority score',
    );
    assert.equal(sortUnavailable('priority', { kind: 'mock', displayName: 'mock backend' }), 'the mock backend gives no priority score');
    assert.equal(sortUnavailable('priority', { kind: 'graph', displayName: 'Microsoft Graph security API' }), undefined);
    assert.equal(sortUnavailable('timeLeft', { kind: 'defender', displayName: 'x' }), undefined);
  });

  it('the row says the SLA state with time left or over, then the priority, after #id · status · owner · age', () => {
    assert.equal(rowDescription(overdueHigh, NOW, sla.get('o1')), '#o1 · Active · Unassigned · updated 10m ago · overdue 42 m');
    assert.equal(rowDescription(dueSoonHigh, NOW, sla.get('s1')), '#s1 · Active · Unassigned · updated 5m ago · due in 4 m');
    assert.equal(rowDescription(onTimeMed, NOW, sla.get('t1')), '#t1 · In progress · bob@contoso.com · updated 3m ago · on time');
    assert.equal(rowDescription({ ...noSla, priorityScore: 87 }, NOW, sla.get('n1')), '#n1 · Active · Unassigned · updated 1m ago · P 87');
    assert.equal(rowDescription(noSla, NOW), '#n1 · Active · Unassigned · updated 1m ago', 'no clock, no score: as before');
    const late = incident({ id: 'x', severity: 'Medium', status: 'Active', createdTime: ago(26 * 60 * MIN + 72 * MIN), lastUpdateTime: ago(1 * MIN) });
    assert.equal(rowDescription(late, NOW, slaState(late, P, NOW)), '#x · Active · Unassigned · updated 1m ago · overdue 1 d 1 h');
  });

  it('the tooltip shows both clocks and the priority score; the accessibility label says the SLA', () => {
    const t = incidentTooltip({ ...overdueHigh, priorityScore: 64 }, sla.get('o1')).split('\n');
    assert.deepEqual(t.slice(-3), ['Priority score: 64 of 100', 'Time to assign: 30 m, overdue 42 m', 'Time to resolve: 4 h, 2 h 48 m left']);
    const assigned = incidentTooltip(onTimeMed, sla.get('t1')).split('\n');
    assert.deepEqual(assigned.slice(-2), ['Time to assign: 2 h, met', 'Time to resolve: 1 d, 23 h left']);
    assert.equal(incidentTooltip(noSla, sla.get('n1')).split('\n').length, 10, 'no clock, no score: no extra lines');
    assert.match(incidentAccessibilityLabel(overdueHigh, NOW, sla.get('o1')), /, SLA overdue 42 m$/);
  });
});

describe('SLA filter', () => {
  it("matches by the state at the store's clock, reads from saved filters, and names bad values", () => {
    const m = compileFilter({ sla: ['overdue'] }, 'me', NOW, i => slaState(i, P, NOW).state);
    assert.deepEqual(
      ALL.filter(m).map(i => i.id),
      ['o1'],
    );
    const soon = compileFilter({ sla: ['dueSoon', 'none'] }, 'me', NOW, i => slaState(i, P, NOW).state);
    assert.deepEqual(
      ALL.filter(soon).map(i => i.id),
      ['n1', 'r1', 's1'],
    );
    assert.deepEqual(parseFilter({ sla: ['overdue'] }), { sla: ['overdue'] });
    assert.match(parseFilter({ sla: ['late'] }) as string, /"sla" has "late", which is not an SLA state/);
  });

  it('the store filters by its own policy, clock and journal', async () => {
    let now = NOW;
    const kv = new MemoryKv();
    const history = new History(kv, 'test');
    const backend = {
      capabilities: { kind: 'mock', displayName: 'Mock', maxPageSize: 100, serverFilters: [] },
      listIncidents: async () => ({ items: ALL, next: null }),
    } as unknown as Backend;
    const policy = parseSlaSetting({ Informational: { assign: '1h' } }).policy;
    const store = new IncidentStore({ backend: async () => backend, me: () => 'me', history: () => history, now: () => now, slaPolicy: () => policy });
    await store.setFilter({ sla: ['overdue'] });
    assert.deepEqual(
      store
        .visible()
        .map(i => i.id)
        .sort(),
      ['n1', 'o1'],
      'Informational has a clock under this policy',
    );
    // The journal saw o1 assigned 5 minutes after it was created: time to assign is met.
    await history.record('o1', [{ field: 'owner', from: null, to: 'me' }], 'me', 'change');
    const entries = history.journal('o1');
    assert.equal(firstAssignedAt(entries), Date.parse(entries[0].time));
    await store.put(overdueHigh);
    now = NOW + 1;
    assert.ok(store.assignedAt('o1') !== null);
    assert.deepEqual(
      store.visible().map(i => i.id),
      ['n1'],
    );
    now = NOW + 4 * 60 * MIN;
    assert.deepEqual(
      store
        .visible()
        .map(i => i.id)
        .sort(),
      ['n1', 'o1', 's1'],
      'four hours on, time to resolve ran out',
    );
  });
});

describe('SLA clock tick', () => {
  const clockFor = (items: Incident[], now = NOW) => {
    const c = new SlaClock({ policy: () => P, assignedAt: () => null });
    c.update(items, now);
    return c;
  };

  it('a tick where nothing changes state or text redraws nothing', () => {
    const c = clockFor(ALL);
    assert.deepEqual(c.counts, { overdue: 1, dueSoon: 1, onTime: 1, none: 2 });
    const r = c.tick(
      ALL.map(i => i.id),
      NOW + 20_000,
    );
    assert.deepEqual(r, { changed: [], stateChanged: false });
  });

  it('a tick redraws exactly the rows whose state or SLA text changed, and recounts', () => {
    const c = clockFor(ALL);
    // A minute on: "overdue 42 m" → "43 m", "due in 4 m" → "3 m"; nothing changes state.
    assert.deepEqual(
      c.tick(
        ALL.map(i => i.id),
        NOW + MIN,
      ),
      { changed: ['s1', 'o1'], stateChanged: false },
      'in the order shown',
    );
    // Rows not shown are not redrawn, but their state still counts.
    const r = c.tick(['t1', 'n1'], NOW + 9 * MIN);
    assert.deepEqual(r, { changed: [], stateChanged: true }, 's1 went overdue');
    assert.deepEqual(c.counts, { overdue: 2, dueSoon: 0, onTime: 1, none: 2 });
  });

  it('schedules the next tick at the next change, between 30 s after the last and 10 min from now', () => {
    const c = clockFor(ALL);
    // Shown rows' texts change in a minute ("overdue 43 m", "due in 3 m").
    assert.equal(
      c.nextChange(
        ALL.map(i => i.id),
        NOW,
      ),
      NOW + MIN,
    );
    // With those rows not shown only state transitions count: s1 goes overdue at NOW + 4 min.
    assert.equal(c.nextChange(['t1'], NOW), NOW + 4 * MIN);
    assert.equal(tickAt(NOW + 5_000, NOW, NOW - 1_000), NOW - 1_000 + MIN_TICK_MS, 'not sooner than 30 s after the last tick');
    assert.equal(tickAt(NOW + 5_000, NOW, -Infinity), NOW + 5_000, 'exactly at the change');
    assert.equal(tickAt(null, NOW, NOW), NOW + MAX_TICK_MS, 'at least every 10 minutes');
    assert.equal(tickAt(NOW + 3 * 60 * MIN, NOW, NOW), NOW + MAX_TICK_MS);
  });

  it('nextTextChange is exactly when formatSla first reads differently', () => {
    const dues = [90 * 1000, 9 * MIN + 1, 59 * MIN + 30_000, 23 * 60 * MIN + 59 * MIN + 10_000, 24 * 60 * MIN + 5_000, 30 * 60 * MIN + 7_000];
    for (const left of dues) {
      for (const sign of [1, -1]) {
        const dueAt = NOW + sign * left;
        const info: SlaInfo = { state: sign > 0 ? 'dueSoon' : 'overdue', clock: 'resolve', dueAt, msLeft: dueAt - NOW, assign: null, resolve: null };
        const next = nextTextChange(info, NOW);
        const at = (t: number) => formatSla({ ...info, state: t >= dueAt ? 'overdue' : 'dueSoon' }, t);
        assert.ok(next > NOW, `${sign * left}`);
        assert.notEqual(at(next), at(NOW), `${sign * left}: changes at ${next - NOW}`);
        for (const t of [NOW + 1, Math.floor((NOW + next) / 2), next - 1].filter(x => x < next))
          assert.equal(at(t), at(NOW), `${sign * left}: same at +${t - NOW}`);
      }
    }
  });
});

describe('the whole open queue, loaded in the background', function () {
  this.timeout(30000);
  let w: World | undefined;
  let server: MockServer;
  /** The mock with 600 incidents and a store over a client of `dialect`, stopping at `maxQueueSize` if given. */
  const make = async (dialect: Dialect, maxQueueSize?: number): Promise<IncidentStore> => {
    w = await startWorld({
      dialect,
      mock: { incidentCount: 600, seed: 3, extensions: true },
      client: dialect === 'defender' ? { mock: true } : {},
      ...(maxQueueSize ? { store: { maxQueueSize: () => maxQueueSize } } : {}),
    });
    server = w.mock;
    return w.store;
  };
  afterEach(async () => {
    await w?.close();
    w = undefined;
  });

  it('shows the first page at once, then loads the rest; the counts cover all of it', async () => {
    const store = await make('defender');
    const sizes: number[] = [];
    store.onDidChange(() => sizes.push(store.size));
    await store.reload();
    assert.equal(store.size, 100, 'the first page');
    assert.equal(store.loadingRest, true);
    await store.restLoaded();
    const open = server.db.list().filter(i => ['Active', 'InProgress'].includes(i.status)).length;
    assert.ok(open > 100, `the seed has more than a page of open incidents (${open})`);
    assert.equal(store.size, open, 'every open incident');
    assert.equal(store.hasMore, false);
    assert.equal(store.loadingRest, false);
    assert.equal(store.capped, false);
    assert.ok(sizes.includes(100) && sizes[sizes.length - 1] === open, 'the view heard of each page');
    // The counts are over all of it: the clock over store.visible() counts every open High/Medium/Low incident.
    const c = new SlaClock({ policy: () => P, assignedAt: id => store.assignedAt(id) });
    c.update(store.visible(), Date.now());
    const want = server.db.list().filter(i => ['Active', 'InProgress'].includes(i.status) && ['High', 'Medium', 'Low'].includes(i.severity)).length;
    assert.equal(
      Object.values(c.counts).reduce((a, b) => a + b, 0),
      want,
    );
  });

  it('stops at maxQueueSize and says so plainly; Graph gives the total up front', async () => {
    const store = await make('graph', 120);
    await store.reload();
    const total = store.total;
    const open = server.db.list().filter(i => ['Active', 'InProgress'].includes(i.status) && ['High', 'Medium', 'Low'].includes(i.severity)).length;
    assert.equal(total, open, "the first page's @odata.count");
    await store.restLoaded();
    assert.equal(store.size, 150, 'three pages of 50: the cap is reached within the third');
    assert.equal(store.capped, true);
    assert.equal(queueMessage(store.visible().length, store, 'Active'), `Showing 150 of ${open} open incidents; the counts cover the first 150 · Active`);
    assert.equal(
      queueMessage(10, { hasMore: true, loadingRest: false, capped: true, size: 2000, total: undefined, restFailure: undefined }, 'f'),
      'Showing the first 2,000 open incidents (more on the server); the counts cover those · f',
    );
  });

  it('loads the rest only for an open queue; another filter pages by Load more', async () => {
    const store = await make('defender');
    await store.setFilter({});
    assert.equal(store.loadingRest, false);
    assert.equal(store.size, 100);
    assert.equal(store.hasMore, true);
    assert.ok(isOpenQueue(DEFAULT_FILTER) && isOpenQueue({ statuses: ['Active'], owner: { kind: 'me' } }));
    assert.ok(!isOpenQueue({}) && !isOpenQueue({ statuses: ['Active', 'Resolved'] }));
  });

  it("a page with nothing the filter wants does not end the load: the server's pages are kept, the store matches once", async () => {
    // Unassigned is never sent to a server: page 2 below is 100 owned incidents, and the unassigned ones
    // after it must still load (a backend that matched pages itself saw an empty page there and stopped).
    const store = await make('defender');
    const all = server.db.list().map(i => i.incidentId);
    let offset = 0;
    const edit = (id: number, assignedTo: string | null): void => {
      server.setClockOffset((offset += 1000));
      server.edit(id, { status: 'Active', assignedTo }, 'another@contoso.com');
    };
    // Oldest first: the tail (unassigned), the page of owned ones, then the first page (unassigned).
    const [tail, owned, head] = [all.slice(0, 30), all.slice(30, 130), all.slice(130, 230)];
    for (const id of tail) edit(id, null);
    for (const id of owned) edit(id, 'bob@contoso.com');
    for (const id of head) edit(id, null);
    await store.setFilter({ statuses: ['Active', 'InProgress'], owner: { kind: 'unassigned' } });
    await store.restLoaded();
    const shown = new Set(store.visible().map(i => i.id));
    assert.ok(
      head.every(id => shown.has(String(id))),
      'the first page',
    );
    assert.ok(
      owned.every(id => store.get(String(id))?.assignedTo === 'bob@contoso.com' && !shown.has(String(id))),
      'the owned page is kept, not shown',
    );
    assert.deepEqual(
      tail.filter(id => !shown.has(String(id))),
      [],
      'the unassigned incidents after the owned page are loaded and shown',
    );
  });

  it('a new filter stops the load of the previous queue', async () => {
    const store = await make('defender');
    await store.reload();
    assert.equal(store.loadingRest, true);
    await store.setFilter({ statuses: ['Resolved'] });
    await new Promise(r => setTimeout(r, 200));
    assert.ok(
      store.visible().every(i => i.status === 'Resolved'),
      'no page of the old queue lands in the new one',
    );
  });
});
