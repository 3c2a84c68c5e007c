/**
 * `npm run bench -- --only=writes`: Assign to me and Resolve on Graph for an incident with 5 active alerts,
 * against the mock with 300 ms added to every request (its latency fault), through the real client, pacer
 * (Graph's 140/min) and door. The alert writes go out side by side (src/store/triage.ts `cascade`); the
 * figures are wall time and requests, with a single-field change as the baseline of one round trip.
 */
import { performance } from 'perf_hooks';
import { startMockServer } from '../../src/mock/server';
import { GraphClient } from '../../src/backend/graph/client';
import { NoAuthTokenProvider } from '../../src/backend/auth';
import { SlidingWindowPacer } from '../../src/backend/http';
import { BACKENDS } from '../../src/model/backends';
import { IncidentStore } from '../../src/store/incidentStore';
import { Triage } from '../../src/store/triage';
import { History } from '../../src/store/history';
import { MemoryKv } from '../support/builders';

const ME = 'analyst@contoso.com';
const LATENCY_MS = 300;
const ALERTS = 5;

const active = (status: string) => status.toLowerCase() !== 'resolved';

export async function benchWrites(): Promise<unknown> {
  const server = await startMockServer({ incidentCount: 600, seed: 7, identity: ME, now: () => new Date(), requireKey: false });
  const backend = new GraphClient({
    baseUrl: server.url,
    tokens: new NoAuthTokenProvider(),
    log: () => undefined,
    pacer: new SlidingWindowPacer(BACKENDS.graph.requestsPerMinute),
  });
  try {
    const deps = { backend: async () => backend, me: () => ME, history: () => new History(new MemoryKv(), 'mock') };
    const store = new IncidentStore(deps);
    const triage = new Triage({ ...deps, store });
    await store.setFilter({});
    if (store.state !== 'ready') throw new Error(`store did not load: ${store.error?.message}`);
    while (store.hasMore) await store.loadMore();
    const picks = [...store.all()].filter(i => !i.assignedTo && active(i.status) && i.alerts.filter(a => active(a.status)).length >= ALERTS);
    const target = picks[0];
    if (!target) throw new Error(`the mock data has no unassigned open incident with ${ALERTS}+ active alerts`);
    // Exactly ALERTS active alerts: the others are resolved first (before the latency is added). Assign to
    // me takes the 5, then Resolve resolves the same 5.
    for (const a of target.alerts.filter(x => active(x.status)).slice(ALERTS)) await backend.updateAlert(a.id, { status: 'Resolved' });
    await store.put(await backend.getIncident(target.id));
    const assignTarget = target;
    const resolveTarget = target;
    server.faults.add({ kind: 'latency', ms: LATENCY_MS, times: 100_000 });
    const timed = async (f: () => Promise<{ summary: string; warnings?: string[] }>) => {
      server.requests.length = 0;
      const t0 = performance.now();
      const r = await f();
      return { ms: performance.now() - t0, requests: server.requests.length, kinds: server.requests.map(q => q.method).join(' '), summary: r.summary };
    };
    const changed = (id: string, f: (a: { status: string; assignedTo: string | null }) => boolean) => store.get(id)!.alerts.filter(f).length;
    const single = await timed(() => triage.run(assignTarget.id, { kind: 'setSeverity', severity: 'High' }));
    const assign = await timed(() => triage.run(assignTarget.id, { kind: 'assignToMe' }));
    const assignAlertsChanged = changed(assignTarget.id, a => active(a.status) && (a.assignedTo ?? '').toLowerCase() === ME);
    const resolve = await timed(() =>
      triage.run(resolveTarget.id, { kind: 'setStatus', status: 'Resolved', classification: 'FalsePositive', determination: 'Other' }),
    );
    return {
      latencyMs: LATENCY_MS,
      alerts: ALERTS,
      single,
      assign,
      resolve,
      assignAlertsChanged,
      resolveAlertsChanged: target.alerts
        .filter(a => active(a.status))
        .slice(0, ALERTS)
        .filter(a => !active(store.get(target.id)!.alerts.find(x => x.id === a.id)!.status)).length,
    };
  } finally {
    backend.dispose();
    await server.close();
  }
}
