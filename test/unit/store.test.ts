/**
 * The store and the triage actions over real HTTP: the Defender client in mock mode against the mock
 * server, exactly as the extension runs them, with a Map-backed global state.
 */
import { strict as assert } from 'assert';
import type { MockServer } from '../../src/mock/server';
import { ConflictError, UnreachableError } from '../../src/backend/errors';
import { SlidingWindowPacer } from '../../src/backend/http';
import type { Backend } from '../../src/backend/types';
import type { IncidentStore } from '../../src/store/incidentStore';
import type { Triage } from '../../src/store/triage';
import type { History } from '../../src/store/history';
import { ME, startWorld, type World } from '../support/world';
import { until } from '../support/until';

describe('store and triage over HTTP against the mock', function () {
  this.timeout(30000);
  let w: World;
  let server: MockServer;
  let backend: Backend;
  let store: IncidentStore;
  let triage: Triage;
  const history = (): History => w.history;

  beforeEach(async () => {
    w = await startWorld({
      mock: { incidentCount: 150, seed: 7, extensions: true },
      client: { mock: true, http: { backoffBaseMs: 5, backoffMaxMs: 20 }, comments: {} },
    });
    ({ mock: server, backend, store, triage } = w);
  });
  afterEach(async () => {
    await w.close();
  });

  it('loads the default queue: the server filters status, the client filters severity', async () => {
    await store.reload();
    assert.equal(store.state, 'ready');
    const v = store.visible();
    assert.ok(v.length > 0);
    assert.ok(v.every(i => ['Active', 'InProgress'].includes(i.status) && ['High', 'Medium', 'Low'].includes(i.severity)));
    assert.match(server.requests[0].path, /\$filter=/);
    assert.doesNotMatch(decodeURIComponent(server.requests[0].path), /severity/);
  });

  it('matches the filter once, in the store: the backend returns what its server ran (issue 15.3)', async () => {
    // Unassigned is never sent (no API can express it) and Defender cannot filter severity: both are the store's.
    const pages: string[][] = [];
    const list = backend.listIncidents.bind(backend);
    backend.listIncidents = async (q, o) => {
      const page = await list(q, o);
      pages.push(page.items.map(i => i.id));
      return page;
    };
    await store.setFilter({ statuses: ['Active', 'InProgress'], severities: ['High'], owner: { kind: 'unassigned' } });
    await store.restLoaded();
    const listed = pages.flat().map(id => store.get(id)!);
    assert.ok(listed.length === store.size && listed.every(Boolean), 'the store keeps what the server sent');
    assert.ok(
      listed.some(i => i.assignedTo) && listed.some(i => i.severity !== 'High'),
      'owned and non-High incidents came back: the backend matched nothing more than its server',
    );
    const v = store.visible();
    assert.ok(v.length > 0, 'the seed has open, unassigned High incidents');
    assert.deepEqual(
      v.map(i => i.id).sort(),
      listed
        .filter(i => ['Active', 'InProgress'].includes(i.status) && i.severity === 'High' && !i.assignedTo)
        .map(i => i.id)
        .sort(),
    );
  });

  it('pages with Load more until the server has no more', async () => {
    await store.setFilter({});
    const first = store.size;
    assert.equal(first, 100);
    assert.equal(store.hasMore, true);
    await store.loadMore();
    assert.equal(store.size, 150);
    await store.loadMore();
    assert.equal(store.hasMore, false);
  });

  it("a refresh with nothing changed costs one request; another analyst's change is seen and journaled as observed", async () => {
    await store.reload();
    server.requests.length = 0;
    const r0 = await store.refreshChanges();
    assert.equal(server.requests.length, 1);
    assert.equal(r0.changed.length + r0.added.length, 0);

    const target = store.visible()[0];
    server.edit(target.id, { status: 'Resolved', classification: 'FalsePositive', determination: 'NotMalicious' }, 'bob@contoso.com');
    const r1 = await store.refreshChanges();
    assert.deepEqual(
      r1.changed.map(i => i.id),
      [target.id],
    );
    assert.equal(store.get(target.id)?.status, 'Resolved');
    assert.ok(!store.visible().some(i => i.id === target.id), 'a resolved incident leaves the default queue');
    const observed = history()
      .journal(target.id)
      .filter(j => j.kind === 'observed');
    assert.deepEqual(observed.map(j => j.field).sort(), ['classification', 'determination', 'status']);
    // The Defender API does not say who changed it: the author stays unknown.
    assert.ok(observed.every(j => j.author === null && j.source === 'server'));
  });

  it("a delta refresh that waits on the journal does not put back an older copy over an action's newer one", async () => {
    await store.reload();
    const target = store.visible()[0];
    server.edit(target.id, { status: 'InProgress' }, 'bob@contoso.com');
    // The observed change's journal write waits (a Memento's promise waits for the flush) ...
    let release!: () => void;
    const gate = new Promise<void>(r => (release = r));
    let waiting = false;
    const h = history();
    const record = h.record.bind(h);
    h.record = async (...args: Parameters<History['record']>) => {
      if (args[3] === 'observed' && args[0] === target.id) {
        waiting = true;
        await gate;
      }
      return record(...args);
    };
    try {
      const refresh = store.refreshChanges();
      await until(() => waiting, 'the refresh to journal what it saw');
      // ... while an action's answer, newer than the page the refresh holds, is put in the store.
      const newer = {
        ...store.get(target.id)!,
        status: 'Resolved' as const,
        lastUpdateTime: new Date(Date.parse(target.lastUpdateTime) + 3_600_000).toISOString(),
      };
      await store.put(newer);
      release();
      await refresh;
      assert.equal(store.get(target.id)?.status, 'Resolved', 'the newer copy stays');
      assert.equal(store.get(target.id)?.lastUpdateTime, newer.lastUpdateTime);
    } finally {
      h.record = record;
      release();
    }
  });

  it('a new incident arriving is reported as added by the next delta refresh, and joins the queue', async () => {
    await store.reload();
    const arrived = server.arrive({ severity: 'High' });
    const r = await store.refreshChanges();
    assert.deepEqual(
      r.added.map(i => i.id),
      [String(arrived.incidentId)],
    );
    assert.equal(r.added[0].severity, 'High');
    assert.ok(store.visible().some(i => i.id === String(arrived.incidentId) && !i.assignedTo && i.status === 'Active'));
  });

  it('assign to me takes the active alerts too (one PATCH, one per alert, one re-read) and journals the change', async () => {
    await store.reload();
    const target = store.visible().find(i => !i.assignedTo && i.alerts.filter(a => a.status !== 'Resolved').length >= 1)!;
    const active = target.alerts.filter(a => a.status !== 'Resolved');
    server.requests.length = 0;
    const { result: r } = await triage.run(target.id, { kind: 'assignToMe' });
    assert.equal(r.incident.assignedTo, ME);
    assert.equal(r.alertsChanged.length, active.length);
    assert.ok(r.incident.alerts.filter(a => a.status !== 'Resolved').every(a => a.assignedTo === ME));
    const methods = server.requests.map(q => q.method);
    // conflict-check GET + PATCH incident + one PATCH per alert + one GET to re-read
    assert.equal(methods.filter(m => m === 'PATCH').length, 1 + active.length);
    assert.equal(methods.filter(m => m === 'GET').length, 2);
    assert.deepEqual(
      history()
        .journal(target.id)
        .map(j => [j.kind, j.source, j.field, j.to]),
      [['change', 'editor', 'owner', ME]],
    );
    assert.deepEqual(r.alertsSkipped, []);
  });

  it("a reload whose list left before an action's answer keeps the newer copy (the action is not undone on screen)", async () => {
    await store.reload();
    const target = store.visible().find(i => !i.assignedTo)!;
    // The next list is read on the server now and answered only after the action below.
    let release!: () => void;
    const gate = new Promise<void>(r => {
      release = r;
    });
    const real = w.backend;
    w.backend = new Proxy(real, {
      get: (t, k) =>
        k === 'listIncidents'
          ? async (...a: Parameters<Backend['listIncidents']>) => {
              const page = await t.listIncidents(...a);
              await gate;
              return page;
            }
          : ((v: unknown) => (typeof v === 'function' ? v.bind(t) : v))(Reflect.get(t, k)),
    });
    const listed = server.requests.length;
    const reloading = store.reload();
    await until(() => server.requests.length > listed, 'the list request to reach the mock');
    w.backend = real;
    const { result } = await triage.run(target.id, { kind: 'assignToMe' });
    assert.equal(store.get(target.id)?.assignedTo, ME);
    release();
    await reloading;
    assert.equal(store.get(target.id)?.assignedTo, ME, 'the slow list carried the copy from before the action');
    assert.equal(store.get(target.id)?.lastUpdateTime, result.incident.lastUpdateTime);
  });

  it('an update on a stale copy raises a conflict naming what changed, shows the server version, and force applies on top', async () => {
    await store.reload();
    const target = store.visible().find(i => i.status === 'Active')!;
    server.edit(target.id, { assignedTo: 'bob@contoso.com' }, 'bob@contoso.com');
    await assert.rejects(triage.run(target.id, { kind: 'setStatus', status: 'InProgress' }), (e: unknown) => {
      assert.ok(e instanceof ConflictError);
      assert.ok(
        e.changes.some(c => c.field === 'assignedTo' && c.to === 'bob@contoso.com'),
        JSON.stringify(e.changes),
      );
      return true;
    });
    assert.equal(store.get(target.id)?.assignedTo, 'bob@contoso.com', 'the store now holds the server version');
    assert.equal(store.get(target.id)?.status, 'Active', 'nothing was sent blind');
    await triage.run(target.id, { kind: 'setStatus', status: 'InProgress' }, { force: true });
    assert.equal(store.get(target.id)?.status, 'InProgress');
  });

  it("a comment (ours or another analyst's) moves lastUpdateTime but is no conflict for the next change", async () => {
    await store.reload();
    const target = store.visible().find(i => i.status === 'Active')!;
    await triage.run(target.id, { kind: 'addComment', text: 'Looking into it', clientId: 'c-0' });
    server.edit(target.id, { comment: 'me too' }, 'bob@contoso.com');
    await triage.run(target.id, { kind: 'setStatus', status: 'InProgress' });
    assert.equal((await backend.getIncident(target.id)).status, 'InProgress');
  });

  it('a failed comment stays in the outbox with the reason; retry sends it exactly once', async () => {
    await store.reload();
    const target = store.visible()[0];
    server.faults.add({
      kind: 'status',
      status: 400,
      match: { method: 'PATCH', path: `/api/incidents/${target.id}` },
      body: { error: { code: 'InvalidInput', message: 'Comment rejected by policy' } },
    });
    await assert.rejects(triage.run(target.id, { kind: 'addComment', text: 'Escalated to IR', clientId: 'c-1' }));
    const out = history().outbox(target.id);
    assert.equal(out.length, 1);
    assert.equal(out[0].state, 'failed');
    assert.match(out[0].error ?? '', /Comment rejected by policy/);
    assert.equal(history().timeline(store.get(target.id)!)[0].text, 'Escalated to IR');

    await triage.run(target.id, { kind: 'retryComment', clientId: 'c-1' });
    assert.equal(history().outbox(target.id).length, 0);
    const server1 = await backend.getIncident(target.id);
    assert.equal(server1.comments.filter(c => c.text === 'Escalated to IR').length, 1);
  });

  it('resolving with classification resolves the open alerts and adds the resolving comment in the same PATCH', async () => {
    await store.reload();
    const target = store.visible().find(i => i.alerts.some(a => a.status !== 'Resolved'))!;
    server.requests.length = 0;
    const { result: r } = await triage.run(target.id, {
      kind: 'setStatus',
      status: 'Resolved',
      classification: 'TruePositive',
      determination: 'Malware',
      comment: 'Contained; reimaged ws-fin-0231',
    });
    assert.equal(
      server.requests.filter(q => q.method === 'PATCH' && q.path === `/api/incidents/${target.id}`).length,
      1,
      'status, classification, determination and comment: one PATCH',
    );
    assert.equal(history().outbox(target.id).length, 0);
    const now = await backend.getIncident(target.id);
    assert.equal(now.status, 'Resolved');
    assert.equal(now.classification, 'TruePositive');
    assert.equal(now.determination, 'Malware');
    assert.ok(now.alerts.every(a => a.status === 'Resolved'));
    assert.ok(r.alertsChanged.length >= 1);
    assert.ok(now.comments.some(c => c.text === 'Contained; reimaged ws-fin-0231'));
  });

  it('a comment whose answer and read-back are lost stays unconfirmed; Retry (or a bulk retry with a new id) reads first and sends nothing', async () => {
    backend = w.useBackend(
      w.client('defender', {
        mock: true,
        timeoutMs: 300,
        http: { backoffBaseMs: 5, backoffMaxMs: 20, maxRetries: 1 },
        comments: { backoffMs: 5 },
      }),
    );
    await store.reload();
    const target = store.visible()[0];
    const path = `/api/incidents/${target.id}`;
    const patches = () => server.requests.filter(q => q.method === 'PATCH' && q.path === path).length;
    server.faults.add({ match: { method: 'PATCH', path }, kind: 'timeoutAfterApply', ms: 2000 });
    const sent = triage.run(target.id, { kind: 'addComment', text: 'Isolated the host', clientId: 'c-lost' });
    // Once the PATCH is applied (after the snapshot read), every read of the incident fails too.
    await until(() => patches() > 0, 'the PATCH to be applied');
    server.faults.add({ match: { method: 'GET', path }, kind: 'reset', times: 1000 });
    await assert.rejects(sent, (e: unknown) => e instanceof UnreachableError && e.ambiguous);
    const [entry] = history().outbox(target.id);
    assert.equal(entry.state, 'unconfirmed');
    assert.equal(entry.seen, 0);
    server.faults.clear();
    assert.equal(patches(), 1);
    // A bulk "Retry Failed" makes a new client id: the entry is reused, the incident read first.
    await triage.run(target.id, { kind: 'addComment', text: 'Isolated the host', clientId: 'c-bulk-retry' });
    assert.equal(patches(), 1, 'it had landed: not sent again');
    assert.deepEqual(history().outbox(target.id), []);
    assert.equal((await backend.getIncident(target.id)).comments.filter(c => c.text === 'Isolated the host').length, 1);
    assert.ok(store.get(target.id)!.comments.some(c => c.text === 'Isolated the host'));
  });

  it('on the Defender XDR API, assign and resolve leave the alerts and say which and why', async () => {
    await w.restartMock({ incidentCount: 40, seed: 7 }, 'defender', { http: { backoffBaseMs: 5 }, pacer: new SlidingWindowPacer(10_000) });
    ({ mock: server, backend } = w);
    await store.reload();
    const target = store.visible().find(i => !i.assignedTo && i.alerts.filter(a => a.status !== 'Resolved').length >= 1)!;
    const open = target.alerts.filter(a => a.status !== 'Resolved');
    const { result: assigned } = await triage.run(target.id, { kind: 'assignToMe' });
    assert.deepEqual(assigned.alertsChanged, []);
    assert.deepEqual(
      assigned.alertsSkipped?.map(s => s.alert.id),
      open.map(a => a.id),
    );
    assert.ok(assigned.alertsSkipped?.every(s => s.reason === 'the Microsoft Defender XDR API cannot update alerts'));
    const { result: resolved } = await triage.run(target.id, {
      kind: 'setStatus',
      status: 'Resolved',
      classification: 'FalsePositive',
      determination: 'NotMalicious',
      comment: 'benign',
    });
    assert.deepEqual(
      resolved.alertsSkipped?.map(s => s.alert.id),
      open.map(a => a.id),
    );
    assert.equal(server.requests.filter(q => q.method === 'PATCH').length, 2, 'assign, then resolve with its comment: nothing sent to alerts');
    await assert.rejects(
      triage.run(target.id, { kind: 'rename', name: 'x' }),
      /Defender XDR API cannot rename incidents\. The Microsoft Graph security API can/,
    );
  });

  it('on Graph: observed changes name lastModifiedBy; resolve sets the resolving comment in the same PATCH and the timeline has it', async () => {
    backend = w.useBackend(w.client('graph', { http: { backoffBaseMs: 5 }, pacer: new SlidingWindowPacer(10_000) }));
    await store.reload();
    const target = store.visible().find(i => i.status === 'Active' && i.alerts.some(a => a.status !== 'Resolved'))!;
    server.edit(target.id, { assignedTo: 'bob@contoso.com' }, 'bob@contoso.com');
    await store.refreshChanges();
    const seen = store.get(target.id)!;
    const observed = history()
      .journal(target.id)
      .filter(j => j.kind === 'observed');
    assert.deepEqual(
      observed.map(j => [j.field, j.author, j.source]),
      [['owner', seen.lastModifiedBy, 'server']],
    );
    assert.ok(seen.lastModifiedBy, 'the mock names who changed it');

    server.requests.length = 0;
    const { result: r } = await triage.run(target.id, {
      kind: 'setStatus',
      status: 'Resolved',
      classification: 'TruePositive',
      determination: 'CompromisedAccount',
      comment: 'Reset the password',
    });
    const incidentPatches = server.requests.filter(q => q.method === 'PATCH' && q.path === `/v1.0/security/incidents/${target.id}`);
    assert.equal(incidentPatches.length, 1);
    assert.equal(server.requests.filter(q => q.method === 'POST').length, 0, 'no separate comment');
    assert.ok(r.alertsChanged.length >= 1);
    const now = await backend.getIncident(target.id);
    assert.equal(now.resolvingComment, 'Reset the password');
    assert.equal(now.determination, 'CompromisedAccount');
    assert.equal(store.get(target.id)?.resolvingComment, 'Reset the password', 'the store keeps it');
    const rows = history().timeline(store.get(target.id)!);
    assert.ok(
      rows.some(row => row.text.includes('Reset the password')),
      JSON.stringify(rows.map(x => x.text)),
    );
  });
});
