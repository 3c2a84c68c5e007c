/**
 * Issue 16, item 1: an action runs on the connection (backend, API host, tenant) it was opened on, or not
 * at all. Two mock servers stand for two tenants with the same incident numbers; a pane, a bulk run or a
 * flow bound to tenant A is refused, before any request, once the backend in effect is tenant B's.
 */
import { strict as assert } from 'assert';
import { startMockServer, type MockServer } from '../../src/mock/server';
import { DefenderClient } from '../../src/backend/defender/client';
import { StaticTokenProvider } from '../../src/backend/auth';
import { resetSharedPacers } from '../../src/backend/http';
import type { Backend } from '../../src/backend/types';
import { IncidentStore } from '../../src/store/incidentStore';
import { History } from '../../src/store/history';
import { ConnectionChangedError, Triage } from '../../src/store/triage';
import { refusal, RequestRateLimiter } from '../../src/panel/requests';
import { connectionLabel, historyScope, resolveBackendConfig, secretKey } from '../../src/backend/config';
import { MemoryKv } from '../support/builders';

const ME = 'analyst@contoso.com';
const A = 'defender|api.security.microsoft.com|aaaaaaaa-0000-4000-8000-000000000001';
const B = 'defender|api.security.microsoft.com|bbbbbbbb-0000-4000-8000-000000000002';

describe('connection binding (issue 16 item 1)', function () {
  this.timeout(30000);
  let tenantA: MockServer;
  let tenantB: MockServer;
  let backends: Map<Backend, string>;
  let current: Backend;
  let history: History;
  let store: IncidentStore;
  let triage: Triage;
  const client = (s: MockServer) =>
    new DefenderClient({
      baseUrl: s.url,
      tokens: new StaticTokenProvider(s.key),
      log: () => undefined,
      mock: true,
      http: { backoffBaseMs: 5, backoffMaxMs: 20 },
      comments: {},
    });
  const writes = (s: MockServer) => s.requests.filter(r => r.method !== 'GET').length;

  beforeEach(async () => {
    resetSharedPacers();
    // The same seed: both tenants have the same incident numbers.
    tenantA = await startMockServer({ incidentCount: 20, seed: 5, extensions: true, identity: ME });
    tenantB = await startMockServer({ incidentCount: 20, seed: 5, extensions: true, identity: ME });
    const a = client(tenantA);
    const b = client(tenantB);
    backends = new Map([
      [a, A],
      [b, B],
    ]);
    current = a;
    const kv = new MemoryKv();
    history = new History(kv, () => backends.get(current)!);
    const deps = { backend: async () => current, me: () => ME, history: () => history };
    store = new IncidentStore(deps);
    triage = new Triage({ ...deps, store, connection: () => backends.get(current)!, connectionOf: bk => backends.get(bk) ?? 'unknown' });
    await store.setFilter({});
  });
  afterEach(async () => {
    for (const b of backends.keys()) b.dispose();
    await tenantA.close();
    await tenantB.close();
  });

  it('a pane bound to tenant A acts on A; after the switch to B the same number is refused before any request', async () => {
    const id = store.visible().find(i => i.status === 'Active')!.id;
    const bound = triage.connection();
    assert.equal(bound, A);
    await triage.run(id, { kind: 'assignToMe' }, { connection: bound });
    assert.ok(writes(tenantA) >= 1, 'tenant A got the write');

    current = [...backends.keys()][1];
    store.clear();
    const before = tenantB.requests.length;
    for (const action of [
      { kind: 'setStatus', status: 'Resolved', classification: 'TruePositive', determination: 'Malware', comment: 'done' },
      { kind: 'addComment', text: 'for A only', clientId: 'c-1' },
      { kind: 'assign', to: 'bob@contoso.com' },
    ] as const) {
      await assert.rejects(
        triage.run(id, action, { connection: bound }),
        (e: unknown) => e instanceof ConnectionChangedError && /another connection/.test((e as Error).message),
      );
    }
    assert.equal(tenantB.requests.length - before, 0, 'not one request reached tenant B');
    assert.deepEqual(history.at(B).outbox(id), [], 'no pending comment was left on tenant B');
    assert.deepEqual(history.at(A).outbox(id), [], 'nor on tenant A (nothing was attempted)');
  });

  it('an unbound run (the connection in effect) still works after the switch', async () => {
    current = [...backends.keys()][1];
    store.clear();
    await store.setFilter({});
    const id = store.visible().find(i => i.status === 'Active')!.id;
    await triage.run(id, { kind: 'assignToMe' }, { connection: triage.connection() });
    assert.ok(writes(tenantB) >= 1);
    assert.equal(writes(tenantA), 0);
  });

  it('a history entry, draft and pending comment are kept under the connection the action was bound to', async () => {
    const id = store.visible().find(i => i.status === 'Active')!.id;
    await triage.run(id, { kind: 'addTag', tag: 'bound' }, { connection: A });
    assert.ok(
      history
        .at(A)
        .journal(id)
        .some(j => j.field === 'tags'),
      'journal under A',
    );
    assert.deepEqual(history.at(B).journal(id), [], 'nothing under B');
    await history.at(A).setDrafts(id, { comment: 'typed for A' });
    current = [...backends.keys()][1];
    assert.deepEqual(history.drafts(id), {}, "tenant B's incident of the same number shows no draft of A");
    assert.equal(history.at(A).drafts(id).comment, 'typed for A');
  });

  it('the pane refuses every request once its connection is stale, before the rate limit counts it', () => {
    const limiter = new RequestRateLimiter(1);
    const m = { type: 'request' as const, id: 1, incidentId: '7', action: { kind: 'assignToMe' as const } };
    const r = refusal(m, '7', limiter, { was: 'A · Defender XDR', now: 'B · Defender XDR' });
    assert.equal(r?.kind, 'connectionChanged');
    assert.match(r!.message, /previous connection \(A · Defender XDR\).*Nothing was sent/);
    assert.equal(refusal(m, '7', limiter), undefined, 'the refused one did not use the budget');
  });

  it('keeps one client secret per authority, tenant and client ID, and names connections in words', () => {
    const base = { backend: 'defender', authMethod: 'clientSecret', clientId: '11111111-2222-4333-8444-555555555555' };
    const a = resolveBackendConfig({ ...base, tenantId: 'aaaaaaaa-0000-4000-8000-000000000001' });
    const b = resolveBackendConfig({ ...base, tenantId: 'bbbbbbbb-0000-4000-8000-000000000002' });
    const other = resolveBackendConfig({ ...base, tenantId: 'aaaaaaaa-0000-4000-8000-000000000001', clientId: '99999999-2222-4333-8444-555555555555' });
    assert.notEqual(secretKey(a), secretKey(b), 'another tenant: another secret');
    assert.notEqual(secretKey(a), secretKey(other), 'another app: another secret');
    assert.equal(historyScope(a), A);
    assert.equal(
      connectionLabel(resolveBackendConfig({ backend: 'graph', clientId: base.clientId, tenantId: 'contoso.onmicrosoft.com' })),
      'contoso.onmicrosoft.com · Graph',
    );
    assert.equal(connectionLabel(resolveBackendConfig({ backend: 'mock' })), 'Mock');
  });
});
