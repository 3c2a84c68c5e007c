/**
 * Comments exactly once, against the mock over HTTP, for both clients: the decision whether an
 * ambiguous comment landed compares counts against a snapshot taken before the first send, never
 * clocks; and the Triage outbox keeps one entry per logical comment across retries.
 */
import * as assert from 'assert/strict';
import { SlidingWindowPacer } from '../../src/backend/pacer';
import type { Clock } from '../../src/backend/clock';
import { BackendError, CancelledError, UnreachableError } from '../../src/backend/errors';
import type { Backend } from '../../src/backend/types';
import { startMockServer, type MockServer } from '../../src/mock/server';
import type { IncidentStore } from '../../src/store/incidentStore';
import type { Triage } from '../../src/store/triage';
import type { History } from '../../src/store/history';
import { clientFor, startWorld, type Dialect, type World } from '../support/world';

const ME = 'analyst@contoso.com';

function skippingClock(): Clock {
  let skipped = 0;
  return {
    now: () => Date.now() + skipped,
    sleep: async (ms, signal) => {
      if (signal?.aborted) {
        throw new CancelledError();
      }
      skipped += Math.max(0, ms);
    },
  };
}

function makeClient(dialect: Dialect, mock: MockServer, over: { maxAttempts?: number; timeoutMs?: number } = {}): Backend {
  const clock = skippingClock();
  return clientFor(dialect, mock, {
    timeoutMs: over.timeoutMs,
    pacer: new SlidingWindowPacer(10_000, 60_000, clock),
    http: { clock, backoffBaseMs: 5, maxRetries: 1 },
    comments: { clock, backoffMs: 5, maxAttempts: over.maxAttempts },
  });
}

const writeOf = (dialect: Dialect, id: string): { method: string; path: string } =>
  dialect === 'defender' ? { method: 'PATCH', path: `/api/incidents/${id}` } : { method: 'POST', path: `/v1.0/security/incidents/${id}/comments` };
const readOf = (dialect: Dialect, id: string): string => (dialect === 'defender' ? `/api/incidents/${id}` : `/v1.0/security/incidents/${id}`);

for (const dialect of ['defender', 'graph'] as const) {
  describe(`comments exactly once: ${dialect}`, function () {
    this.timeout(20_000);
    let mock: MockServer;
    let id: string;
    beforeEach(async () => {
      mock = await startMockServer({ port: 0, incidentCount: 5, seed: 4, identity: ME });
      id = (await makeClient(dialect, mock).listIncidents({}, { top: 1 })).items[0].id;
      mock.requests.length = 0;
    });
    afterEach(async () => {
      await mock.close();
    });
    const sends = (): number => {
      const w = writeOf(dialect, id);
      return mock.requests.filter(r => r.method === w.method && r.path === w.path).length;
    };
    const onServer = async (text: string): Promise<number> => (await makeClient(dialect, mock).getIncident(id)).comments.filter(c => c.text === text).length;

    it('an identical earlier comment is not mistaken for ours: a lost send that did not land is sent again', async () => {
      await makeClient(dialect, mock).addComment(id, 'done');
      mock.requests.length = 0;
      mock.faults.add({ match: writeOf(dialect, id), kind: 'reset' });
      await makeClient(dialect, mock).addComment(id, 'done');
      assert.equal(sends(), 2);
      assert.equal(await onServer('done'), 2, 'the earlier one and ours');
    });

    it('a 500 is ambiguous: not applied, it is sent again once; applied, never', async () => {
      mock.faults.add({ match: writeOf(dialect, id), kind: 'status', status: 500 });
      await makeClient(dialect, mock).addComment(id, 'after a 500');
      assert.equal(sends(), 2);
      assert.equal(await onServer('after a 500'), 1);
      mock.requests.length = 0;
      mock.faults.add({ match: writeOf(dialect, id), kind: 'status', status: 500, apply: true });
      await makeClient(dialect, mock).addComment(id, 'applied then 500');
      assert.equal(sends(), 1);
      assert.equal(await onServer('applied then 500'), 1);
    });

    it('the last ambiguous attempt reads once more before giving up, and gives up ambiguous', async () => {
      mock.faults.add({ match: writeOf(dialect, id), kind: 'reset' });
      await assert.rejects(makeClient(dialect, mock, { maxAttempts: 1 }).addComment(id, 'maybe'), (e: unknown) => e instanceof UnreachableError && e.ambiguous);
      assert.equal(sends(), 1);
      const reads = mock.requests.filter(r => r.method === 'GET' && r.path.split('?')[0] === readOf(dialect, id)).length;
      assert.equal(reads, 3, 'the snapshot, the look after the failure, and one more before giving up');
      assert.equal(await onServer('maybe'), 0);
    });

    it('a refused comment (400) is not retried and not re-read', async () => {
      mock.faults.add({ match: writeOf(dialect, id), kind: 'status', status: 400 });
      await assert.rejects(makeClient(dialect, mock).addComment(id, 'refused'), (e: unknown) => e instanceof BackendError && e.status === 400);
      assert.equal(sends(), 1);
      assert.equal(mock.requests.filter(r => r.method === 'GET').length, 1, 'only the snapshot');
    });
  });
}

describe('comments exactly once: the outbox across retries', function () {
  this.timeout(20_000);
  let w: World;
  let mock: MockServer;
  let triage: Triage;
  let store: IncidentStore;
  const history = (): History => w.history;
  beforeEach(async () => {
    w = await startWorld({ mock: { port: 0, incidentCount: 5, seed: 4 }, backend: m => makeClient('defender', m) });
    ({ mock, store, triage } = w);
    await store.setFilter({});
  });
  afterEach(async () => {
    await w.close();
  });

  it('a comment being sent is refused a second send (a double click, another door): nothing posted twice', async () => {
    const target = [...store.all()][0];
    mock.faults.add({ match: { method: 'PATCH', path: `/api/incidents/${target.id}` }, kind: 'latency', ms: 400 });
    const text = 'Isolated the device.';
    const first = triage.run(target.id, { kind: 'addComment', text, clientId: 'c-1' });
    // The host keeps it pending (the pane is posted this state) before the send answers.
    while (
      !history()
        .outbox(target.id)
        .some(o => o.clientId === 'c-1' && o.state === 'pending')
    )
      await new Promise(r => setTimeout(r, 5));
    await assert.rejects(triage.run(target.id, { kind: 'addComment', text, clientId: 'c-1' }), /already being sent/);
    await assert.rejects(triage.run(target.id, { kind: 'retryComment', clientId: 'c-1' }), /already being sent/);
    assert.deepEqual(
      history()
        .outbox(target.id)
        .map(o => [o.clientId, o.state]),
      [['c-1', 'pending']],
      'the refusal leaves the entry as it was',
    );
    await first;
    assert.deepEqual(history().outbox(target.id), []);
    assert.equal(store.get(target.id)!.comments.filter(c => c.text === text).length, 1);
  });

  it('a resolve whose comment failed keeps one entry (one client id) when retried, then leaves the outbox', async () => {
    const target = [...store.all()].find(i => i.status !== 'Resolved')!;
    const path = `/api/incidents/${target.id}`;
    mock.faults.add({
      match: { method: 'PATCH', path },
      kind: 'status',
      status: 400,
      body: { error: { code: 'InvalidInput', message: 'Rejected by policy' } },
    });
    const resolve = {
      kind: 'setStatus',
      status: 'Resolved',
      classification: 'FalsePositive',
      determination: 'NotMalicious',
      comment: 'benign: IT scan',
    } as const;
    await assert.rejects(triage.run(target.id, resolve, { clientId: 'resolve-1' }), /Rejected by policy/);
    let out = history().outbox(target.id);
    assert.deepEqual(
      out.map(o => [o.clientId, o.state]),
      [['resolve-1', 'failed']],
    );
    // A retry from a bulk run with a fresh id continues the same entry.
    await triage.run(target.id, resolve, { clientId: 'resolve-2', force: true });
    out = history().outbox(target.id);
    assert.deepEqual(out, []);
    const now = store.get(target.id)!;
    assert.equal(now.status, 'Resolved');
    assert.equal(now.comments.filter(c => c.text === 'benign: IT scan').length, 1);
  });
});
