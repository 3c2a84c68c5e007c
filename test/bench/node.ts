/**
 * `npm run bench`, the parts that need no VS Code: the queue build, the store's heap and the requests
 * each action sends. scripts/bench.js bundles this file with esbuild (with the same axios trimming as
 * dist/extension.js, so the requests below go through the shipped HTTP stack) and runs one mode per
 * child process: `queue`, `heap` (needs --expose-gc), `requests`, `writes` (./writes), `tree` (./tree), `sla` or
 * `slaTick`. Each prints one line
 * `BENCH_RESULT <json>`.
 */
import { performance } from 'perf_hooks';
import { seedIncidents } from '../../src/mock/seed';
import { startMockServer, type MockServer, type RecordedRequest } from '../../src/mock/server';
import { mapDefenderList } from '../../src/backend/defender/mapping';
import { DefenderClient } from '../../src/backend/defender/client';
import { NoAuthTokenProvider } from '../../src/backend/auth';
import { SlidingWindowPacer, type Clock } from '../../src/backend/http';
import { CancelledError } from '../../src/backend/errors';
import type { Backend } from '../../src/backend/types';
import type { Incident } from '../../src/model/types';
import { compileFilter, DEFAULT_FILTER } from '../../src/model/query';
import { buildQueue } from '../../src/store/liveQueue';
import { IncidentStore } from '../../src/store/incidentStore';
import { Triage } from '../../src/store/triage';
import { History } from '../../src/store/history';
import { MemoryKv } from '../support/builders';
import { computeSlaStates, nextTransition, DEFAULT_SLA_POLICY, type SlaInfo } from '../../src/model/sla';
import { SlaClock } from '../../src/tree/slaClock';
import { benchWrites } from './writes';
import { benchTree } from './tree';
import { AgentTools } from '../../src/agent/runner';

const ME = 'analyst@contoso.com';
/** A fixed clock for the data, so every run builds the same incidents. */
const DATA_NOW = new Date('2026-11-29T12:00:00Z');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function domainIncidents(count: number): Incident[] {
  return mapDefenderList({ value: seedIncidents({ count, seed: 1, now: DATA_NOW }) }).items;
}

// ---- queue ---------------------------------------------------------------------------------------

/** What the tree does on every change: the store's filter pass, then buildQueue (default view). */
function queueOnce(incidents: readonly Incident[], now: number): number {
  const match = compileFilter(DEFAULT_FILTER, ME, now);
  const visible: Incident[] = [];
  for (const i of incidents) if (match(i)) visible.push(i);
  const groups = buildQueue(visible, { groupBy: 'none', sortBy: 'lastUpdate', maxGroupSize: 200, now });
  return groups.reduce((n, g) => n + g.rows.length, 0);
}

function benchQueue(runs: number): unknown {
  const now = DATA_NOW.getTime();
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const sizes: Record<string, unknown> = {};
  for (const n of [1000, 10000]) {
    const incidents = domainIncidents(n);
    const json = JSON.stringify(incidents);
    // Each sample averages enough repetitions to last a few ms; blocks start after a full GC, so the
    // garbage of one side (JSON.parse makes a lot) is not collected on the other side's clock.
    const reps = Math.max(1, Math.round(10000 / n) * 2);
    const sample = (f: () => unknown) => {
      const t0 = performance.now();
      for (let k = 0; k < reps; k++) f();
      return (performance.now() - t0) / reps;
    };
    for (let w = 0; w < 3; w++) {
      sample(() => queueOnce(incidents, now));
    }
    gc();
    const q: number[] = [];
    for (let r = 0; r < runs; r++) q.push(sample(() => queueOnce(incidents, now)));
    const p: number[] = [];
    sample(() => JSON.parse(json));
    gc();
    for (let r = 0; r < Math.max(5, Math.ceil(runs / 2)); r++) {
      p.push(sample(() => JSON.parse(json)));
      gc();
    }
    const visible = incidents.filter(compileFilter(DEFAULT_FILTER, ME, now)).length;
    sizes[n] = {
      queueMs: median(q),
      parseMs: median(p),
      ratio: median(q) / median(p),
      visible,
      rows: queueOnce(incidents, now),
      jsonBytes: json.length,
      runs,
      reps,
    };
  }
  return sizes;
}

// ---- sla -----------------------------------------------------------------------------------------

/**
 * The SLA clocks (issue #12): computeSlaStates over the whole store, as a clock tick or a refresh
 * would run it, into a new Map and into a reused one (a tick keeping two Maps to compare states), and
 * nextTransition (when to schedule the next tick). Target: at most 1 ms per 1,000 incidents. The
 * baseline is filling a new Map with as many entries, the floor for a result of that shape. Each
 * figure carries its target and `ok`, for scripts/bench.js to print as a row.
 */
function benchSla(runs: number): unknown {
  const now = DATA_NOW.getTime();
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  const P = DEFAULT_SLA_POLICY;
  const out: Record<string, unknown> = {};
  for (const n of [1000, 10000]) {
    const incidents = domainIncidents(n);
    // A journal that knows some assignment times, looked up per incident as the extension would.
    const journal = new Map<string, number>();
    incidents.forEach((i, k) => {
      if (k % 7 === 0) journal.set(i.id, Date.parse(i.createdTime) + 5 * 60_000);
    });
    const assignedAt = (id: string) => journal.get(id) ?? null;
    const buffers = [new Map<string, SlaInfo>(), new Map<string, SlaInfo>()];
    let flip = 0;
    const cases: Record<string, () => unknown> = {
      computeMs: () => computeSlaStates(incidents, P, now, assignedAt),
      computeReuseMs: () => computeSlaStates(incidents, P, now, assignedAt, buffers[(flip ^= 1)]),
      nextTransitionMs: () => nextTransition(incidents, P, now, assignedAt),
      newMapMs: () => {
        const m = new Map<string, Incident>();
        for (const i of incidents) m.set(i.id, i);
        return m;
      },
    };
    const reps = Math.max(1, Math.round(10000 / n) * 5);
    const sample = (f: () => unknown) => {
      const t0 = performance.now();
      for (let k = 0; k < reps; k++) f();
      return (performance.now() - t0) / reps;
    };
    const figures: Record<string, number> = {};
    for (const [name, f] of Object.entries(cases)) {
      for (let w = 0; w < 5; w++) sample(f);
      gc();
      const xs: number[] = [];
      for (let r = 0; r < runs; r++) xs.push(sample(f));
      figures[name] = median(xs);
      figures[name.replace(/Ms$/, 'MinMs')] = Math.min(...xs);
    }
    const states: Record<string, number> = {};
    for (const info of computeSlaStates(incidents, P, now, assignedAt).values()) states[info.state] = (states[info.state] ?? 0) + 1;
    const next = nextTransition(incidents, P, now, assignedAt);
    const targetMs = n / 1000;
    out[n] = {
      ...figures,
      targetMs,
      computeOk: figures.computeMs <= targetMs,
      computeReuseOk: figures.computeReuseMs <= targetMs,
      nextTransitionOk: figures.nextTransitionMs <= targetMs,
      states,
      nextTransitionInMs: next === null ? null : next - now,
      runs,
      reps,
    };
  }
  return out;
}

// ---- sla tick ------------------------------------------------------------------------------------

/**
 * The tree's clock tick on 10,000 incidents (the default queue of them), as the tree runs it: every
 * SLA state recomputed and compared, the SLA text of the rows shown (one page of 200, as the tree
 * shows them) compared, and the next tick scheduled. The tree fires one event per row in `changed`
 * and nothing else (a state change regroups only when grouped or filtered by SLA). A quiet tick
 * (before any state or shown text changes) must fire none; a tick at the next state transition and
 * one five minutes on fire exactly the rows that changed.
 */
function benchSlaTick(runs: number): unknown {
  const now = DATA_NOW.getTime();
  const incidents = domainIncidents(10000);
  const visible = incidents.filter(compileFilter(DEFAULT_FILTER, ME, now));
  const clock = new SlaClock({ policy: () => DEFAULT_SLA_POLICY, assignedAt: () => null });
  clock.update(visible, now);
  const [g] = buildQueue(visible, { groupBy: 'none', sortBy: 'lastUpdate', maxGroupSize: 200, now, sla: id => clock.info(id) });
  const shown = g.rows.map(r => r.incident.id);
  const next = clock.nextChange(shown, now);
  const transition = nextTransition(visible, DEFAULT_SLA_POLICY, now);
  if (next === null || transition === null || next <= now + 1) throw new Error('the bench data needs a later change');
  const quietAt = Math.floor((now + next) / 2);
  const reps = 10;
  /** One tick from `now` to `at`: the clock is put back at `now` first (not timed). */
  const sample = (at: number) => {
    let ms = 0;
    let r = clock.tick(shown, now);
    for (let k = 0; k < reps; k++) {
      clock.update(visible, now);
      const t0 = performance.now();
      r = clock.tick(shown, at);
      clock.nextChange(shown, at);
      ms += performance.now() - t0;
    }
    return { ms: ms / reps, r };
  };
  const cases = { quiet: quietAt, transition, fiveMinutes: now + 5 * 60_000 };
  const out: Record<string, unknown> = { incidents: incidents.length, queued: visible.length, shown: shown.length, counts: clock.counts, runs, reps };
  for (const [name, at] of Object.entries(cases)) {
    for (let w = 0; w < 3; w++) sample(at);
    const xs: number[] = [];
    let last = sample(at).r;
    for (let k = 0; k < runs; k++) {
      const s = sample(at);
      xs.push(s.ms);
      last = s.r;
    }
    out[name] = { atMs: at - now, ms: median(xs), minMs: Math.min(...xs), events: last.changed.length, stateChanged: last.stateChanged };
  }
  return out;
}

// ---- heap ----------------------------------------------------------------------------------------

async function benchHeap(count: number): Promise<unknown> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  // The wire text exists before the baseline, as the HTTP answer would; the store keeps only incidents.
  const wire = JSON.stringify({ value: seedIncidents({ count, seed: 1, now: DATA_NOW }) });
  const backend = {
    capabilities: {
      kind: 'mock',
      displayName: 'bench',
      canRename: true,
      canChangeSeverity: true,
      canUpdateAlerts: true,
      maxPageSize: count,
      serverFilters: [],
      requestsPerMinute: 6000,
    },
    listIncidents: async () => ({ items: mapDefenderList(JSON.parse(wire)).items, next: null }),
  } as unknown as Backend;
  const kv = new MemoryKv();
  gc();
  gc();
  const before = process.memoryUsage().heapUsed;
  const store = new IncidentStore({ backend: async () => backend, me: () => ME, history: () => new History(kv, 'mock') });
  store.filter = {};
  await store.reload();
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (store.size !== count) throw new Error(`store holds ${store.size}, expected ${count}`);
  return { count, heapBytes: after - before, perIncidentBytes: (after - before) / count, wireBytes: wire.length };
}

// ---- requests ------------------------------------------------------------------------------------

/**
 * Real time plus every wait skipped: the pacer's sleeps cost no wall time, yet the request times it
 * produces are those the real API would see.
 */
class SkippingClock implements Clock {
  private skipped = 0;
  private readonly start = Date.now();
  // Purely virtual: time moves only when something sleeps. (With real elapsed time added, a grant was
  // recorded a few microseconds after the pacer made it, and two grants exactly one window apart could
  // look as if they fell in the same minute.)
  now(): number {
    return this.start + this.skipped;
  }
  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw new CancelledError();
    this.skipped += Math.max(0, ms);
    await Promise.resolve();
  }
}

/** Records the (virtual) time of every grant, i.e. when each request left. */
class RecordingPacer extends SlidingWindowPacer {
  // Not `grants`: that is the base class's private window at run time.
  readonly sent: number[] = [];
  constructor(
    limit: number,
    private readonly c: Clock,
  ) {
    super(limit, 60_000, c);
  }
  override async acquire(signal?: AbortSignal): Promise<void> {
    await super.acquire(signal);
    this.sent.push(this.c.now());
  }
}

/** Most requests in any 60 s window. */
function maxPerMinute(times: number[]): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i] - t[j] >= 60_000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

function summarize(reqs: RecordedRequest[]): { count: number; byKind: Record<string, number>; status429: number } {
  const byKind: Record<string, number> = {};
  for (const r of reqs) {
    const kind = `${r.method} ${r.path.replace(/\?.*$/, '').replace(/\/[^/]*\d[^/]*$/, '/{id}')}`;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  return { count: reqs.length, byKind, status429: reqs.filter(r => r.status === 429).length };
}

interface Rig {
  server: MockServer;
  backend: Backend;
  store: IncidentStore;
  triage: Triage;
  pacer?: RecordingPacer;
  clock?: SkippingClock;
}

async function rig(opts: { defenderLimit: boolean }): Promise<Rig> {
  // Defender-limit runs use the real Defender dialect (no alert updates, so no cascade), like a tenant.
  const server = await startMockServer({
    incidentCount: 150,
    seed: 7,
    extensions: !opts.defenderLimit,
    identity: ME,
    now: () => new Date(),
    requireKey: false,
  });
  const clock = opts.defenderLimit ? new SkippingClock() : undefined;
  const pacer = clock ? new RecordingPacer(45, clock) : undefined;
  const backend = new DefenderClient({
    baseUrl: server.url,
    tokens: new NoAuthTokenProvider(),
    log: () => undefined,
    mock: !opts.defenderLimit,
    pacer,
    http: clock ? { clock } : {},
  });
  const kv = new MemoryKv();
  const deps = { backend: async () => backend, me: () => ME, history: () => new History(kv, 'mock') };
  const store = new IncidentStore(deps);
  const triage = new Triage({ ...deps, store });
  await store.setFilter({});
  if (store.state !== 'ready') throw new Error(`store did not load: ${store.error?.message}`);
  return { server, backend, store, triage, pacer, clock };
}

async function close(r: Rig): Promise<void> {
  r.backend.dispose();
  await r.server.close();
}

/** Runs `f` and returns the requests the mock saw meanwhile (and the pacer grants, if recorded). */
async function counted(r: Rig, f: () => Promise<unknown>): Promise<{ reqs: RecordedRequest[]; grants: number[] }> {
  r.server.requests.length = 0;
  const g0 = r.pacer?.sent.length ?? 0;
  await f();
  return { reqs: [...r.server.requests], grants: r.pacer ? r.pacer.sent.slice(g0) : [] };
}

async function benchRequests(): Promise<unknown> {
  const out: Record<string, unknown> = {};
  const mock = await rig({ defenderLimit: false });
  try {
    // 1. A refresh with nothing changed.
    const refresh = await counted(mock, () => mock.store.refreshChanges());
    out.refresh = { ...summarize(refresh.reqs), minimum: 1 };

    // 2. Assign to me on one incident with alerts to cascade to.
    const target = [...mock.store.all()].find(
      i =>
        !i.assignedTo &&
        i.status === 'Active' &&
        i.alerts.filter(a => a.status.toLowerCase() !== 'resolved' && (a.assignedTo ?? '').toLowerCase() !== ME).length >= 2,
    );
    if (!target) throw new Error('no unassigned incident with 2+ active alerts in the mock data');
    const cascade = target.alerts.filter(a => a.status.toLowerCase() !== 'resolved' && (a.assignedTo ?? '').toLowerCase() !== ME).length;
    const single = await counted(mock, () => mock.triage.run(target.id, { kind: 'assignToMe' }));
    // Conflict-check GET + PATCH, then the cascade: one PATCH per active alert and one re-read GET.
    out.assignToMe = { ...summarize(single.reqs), minimum: 2 + cascade + 1, alerts: cascade, incident: target.id };

    // 3. A bulk comment on 20 incidents, as runBulk does it: one after another. Two requests each since
    // comments land exactly once whatever the clocks: the comments are read before the first send (GET),
    // then the comment is written (PATCH).
    const ids = [...mock.store.all()].slice(0, 20).map(i => i.id);
    const bulk = await counted(mock, async () => {
      for (const id of ids) await mock.triage.run(id, { kind: 'addComment', text: 'bench: bulk comment', clientId: `bench-${id}` });
    });
    out.bulkComment20 = { ...summarize(bulk.reqs), minimum: 40 };
  } finally {
    await close(mock);
  }

  // 4. The Defender client with its real limit (45/min) on a skipping clock.
  const pacing = async (what: string, n: number, act: (r: Rig, id: string) => Promise<unknown>, perIncident: number) => {
    const r = await rig({ defenderLimit: true });
    try {
      const ids = [...r.store.all()].slice(0, n).map(i => i.id);
      const t0 = r.clock!.now();
      const wall0 = performance.now();
      const c = await counted(r, async () => {
        for (const id of ids) await act(r, id);
      });
      const spanMs = Math.max(...c.grants) - Math.min(...c.grants);
      out[what] = {
        ...summarize(c.reqs),
        minimum: n * perIncident,
        limitPerMinute: 45,
        apiLimitPerMinute: 50,
        maxInAnyMinute: maxPerMinute(c.grants),
        virtualSpanMs: spanMs,
        virtualTotalMs: r.clock!.now() - t0,
        wallMs: performance.now() - wall0,
      };
    } finally {
      await close(r);
    }
  };
  await pacing('defenderBulkComment20', 20, (r, id) => r.triage.run(id, { kind: 'addComment', text: 'bench: bulk comment', clientId: `bench-${id}` }), 2);
  await pacing('defenderBulkAssign20', 20, (r, id) => r.triage.run(id, { kind: 'assignToMe' }), 2);
  await pacing('defenderComment60', 60, (r, id) => r.triage.run(id, { kind: 'addComment', text: 'bench: bulk comment', clientId: `bench-${id}` }), 2);
  return out;
}

// ---- agent tools (#18) ---------------------------------------------------------------------------

/**
 * A read tool on a loaded queue of 2,000 open incidents: the whole list call (validation, filter, SLA,
 * sort, spotlighting) from memory, and one incident in full; the requests the mock saw meanwhile.
 */
async function benchAgent(runs: number): Promise<unknown> {
  const server = await startMockServer({ incidentCount: 5200, seed: 5, extensions: true, identity: ME, now: () => DATA_NOW, requireKey: false });
  const backend = new DefenderClient({ baseUrl: server.url, tokens: new NoAuthTokenProvider(), log: () => undefined, mock: true, http: {} });
  try {
    const kv = new MemoryKv();
    const history = new History(kv, 'mock');
    const deps = { backend: async () => backend, me: () => ME, history: () => history, now: () => DATA_NOW.getTime(), maxQueueSize: () => 2000 };
    const store = new IncidentStore(deps);
    const triage = new Triage({ backend: deps.backend, me: deps.me, history: deps.history, store });
    const tools = new AgentTools({ ...deps, store, triage });
    // The open queue of every severity, as the tree loads it in the background.
    await store.setFilter({ statuses: ['Active', 'InProgress'] });
    await store.restLoaded();
    const ctx = { client: 'bench', mcp: false, chatConfirmed: true, dialog: async () => false };
    const time = async (name: string, input: unknown) => {
      const before = server.requests.length;
      const samples: number[] = [];
      let chars = 0;
      for (let n = 0; n < runs; n++) {
        const t0 = performance.now();
        const r = await tools.call(name, input, ctx);
        samples.push(performance.now() - t0);
        chars = r.text.length;
      }
      return { ms: median(samples), max: Math.max(...samples), requests: server.requests.length - before, chars };
    };
    const id = [...store.all()][0].id;
    return {
      loaded: store.size,
      list: await time('defender_list_incidents', {}),
      listOverdue: await time('defender_list_incidents', { slaStates: ['overdue'], sortBy: 'timeLeft', limit: 200 }),
      get: await time('defender_get_incident', { incidentId: id }),
    };
  } finally {
    backend.dispose();
    await server.close();
  }
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  let result: unknown;
  if (mode === 'queue') result = benchQueue(Number(process.argv[3] || 21));
  else if (mode === 'heap') result = await benchHeap(Number(process.argv[3] || 10000));
  else if (mode === 'requests') result = await benchRequests();
  else if (mode === 'writes') result = await benchWrites();
  else if (mode === 'tree') result = await benchTree(Number(process.argv[3] || 15));
  else if (mode === 'sla') result = benchSla(Number(process.argv[3] || 21));
  else if (mode === 'slaTick') result = benchSlaTick(Number(process.argv[3] || 21));
  else if (mode === 'agent') result = await benchAgent(Number(process.argv[3] || 21));
  else throw new Error(`unknown mode ${mode}`);
  console.log(`BENCH_RESULT ${JSON.stringify(result)}`);
}

main().catch(e => {
  console.error(e instanceof Error ? e.stack : e);
  process.exit(1);
});
