import * as assert from 'assert/strict';
import { DefenderClient } from '../../src/backend/defender/client';
import { NoAuthTokenProvider, StaticTokenProvider, type TokenProvider } from '../../src/backend/auth';
import { SlidingWindowPacer } from '../../src/backend/pacer';
import type { Clock } from '../../src/backend/clock';
import {
  BackendError,
  CancelledError,
  ConflictError,
  ForbiddenError,
  InvalidResponseError,
  NotFoundError,
  ThrottledError,
  UnsupportedError,
} from '../../src/backend/errors';
import { startMockServer, type MockServer } from '../../src/mock/server';
import type { Incident } from '../../src/model/types';
import { startServer, json, type TestServer } from './support/server';

/** Real time plus every wait skipped (the pacer shares it, so a 429's hold ends when the client's wait does). */
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
const fastClock = skippingClock();

function wireIncident(id: number, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    incidentId: id,
    incidentName: `Incident ${id}`,
    createdTime: '2024-01-01T00:00:00Z',
    lastUpdateTime: '2024-01-02T00:00:00Z',
    status: 'Active',
    severity: id % 2 ? 'High' : 'Low',
    classification: 'Unknown',
    determination: 'NotAvailable',
    assignedTo: null,
    tags: [],
    comments: [],
    alerts: [],
    ...over,
  };
}

describe('DefenderClient (precise fake server)', () => {
  let server: TestServer | undefined;
  let lines: string[];
  beforeEach(() => {
    lines = [];
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function client(mock = false, timeoutMs?: number): DefenderClient {
    if (!server) {
      throw new Error('no server');
    }
    return new DefenderClient({
      baseUrl: server.url,
      tokens: new NoAuthTokenProvider(),
      log: l => lines.push(l),
      mock,
      timeoutMs,
      pacer: new SlidingWindowPacer(10_000, 60_000, fastClock),
      http: { clock: fastClock, backoffBaseMs: 1 },
      comments: { clock: fastClock, backoffMs: 1 },
    });
  }

  it("builds $filter only on server-filterable fields, escapes quotes, caps $top, and returns what the server sent (severity is the caller's to match)", async () => {
    server = await startServer((_req, res) => json(res, 200, { value: [wireIncident(1), wireIncident(2), wireIncident(3)] }));
    const c = client();
    assert.deepEqual(c.capabilities.serverFilters, ['status', 'assignedTo', 'lastUpdateTime', 'createdTime']);
    const page = await c.listIncidents(
      {
        statuses: ['active', 'InProgress'],
        severities: ['High'],
        assignedTo: "o'brien@contoso.com",
        updatedSince: '2024-01-01T00:00:00+02:00',
        createdSince: '2023-01-01T00:00:00Z',
        createdBefore: '2025-01-01T00:00:00Z',
      },
      { top: 500 },
    );
    const u = new URL(server.requests[0].url, server.url);
    assert.equal(u.pathname, '/api/incidents');
    assert.equal(u.searchParams.get('$top'), '100');
    assert.equal(
      u.searchParams.get('$filter'),
      "(status eq 'Active' or status eq 'InProgress') and assignedTo eq 'o''brien@contoso.com' and lastUpdateTime ge 2023-12-31T22:00:00.000Z" +
        ' and createdTime ge 2023-01-01T00:00:00.000Z and createdTime lt 2025-01-01T00:00:00.000Z',
    );
    assert.ok(!u.searchParams.get('$filter')?.includes('severity'));
    assert.deepEqual(
      page.items.map(i => i.id),
      ['1', '2', '3'],
      'no second match here: the store runs the whole filter once',
    );
    assert.equal(page.next, null, 'three of 100 is the last page');
  });

  it('pages with $skip, follows a same-origin nextLink and ignores a foreign one', async () => {
    let mode: 'skip' | 'link' | 'foreign' = 'skip';
    server = await startServer((req, res) => {
      const u = new URL(req.url ?? '', 'http://x');
      const skip = Number(u.searchParams.get('$skip') ?? 0);
      const top = Number(u.searchParams.get('$top') ?? 100);
      const all = Array.from({ length: 5 }, (_v, i) => wireIncident(i + 1));
      const body: Record<string, unknown> = { value: all.slice(skip, skip + top) };
      if (mode === 'link' && skip + top < 5) {
        body['@odata.nextLink'] = `${server?.url}/api/incidents?$top=${top}&$skip=${skip + top}`;
      }
      if (mode === 'foreign') {
        body['@odata.nextLink'] = 'https://evil.example/api/incidents?$skip=2';
      }
      json(res, 200, body);
    });
    const c = client();
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const p = await c.listIncidents({}, { top: 2, cursor });
      ids.push(...p.items.map(i => i.id));
      cursor = p.next;
    } while (cursor);
    assert.deepEqual(ids, ['1', '2', '3', '4', '5']);
    mode = 'link';
    ids.length = 0;
    do {
      const p = await c.listIncidents({}, { top: 2, cursor });
      ids.push(...p.items.map(i => i.id));
      cursor = p.next;
    } while (cursor);
    assert.deepEqual(ids, ['1', '2', '3', '4', '5']);
    mode = 'foreign';
    const p = await c.listIncidents({}, { top: 2 });
    assert.equal(p.next, '2');
  });

  it('refuses rename and severity before sending anything, unless it is the mock', async () => {
    server = await startServer((_req, res, body) => json(res, 200, wireIncident(1, JSON.parse(body) as Record<string, unknown>)));
    await assert.rejects(
      client().updateIncident('1', { name: 'x' }),
      (e: unknown) =>
        e instanceof UnsupportedError && /^The Microsoft Defender XDR API cannot rename incidents\. The Microsoft Graph security API can/.test(e.message),
    );
    await assert.rejects(
      client().updateIncident('1', { severity: 'Low', status: 'Resolved' }),
      (e: unknown) =>
        e instanceof UnsupportedError && /Defender XDR API cannot change an incident's severity\. The Microsoft Graph security API can/.test(e.message),
    );
    await assert.rejects(client().updateAlert('a', { status: 'Resolved' }), UnsupportedError);
    assert.equal(server.requests.length, 0);
    const c = client();
    assert.equal(c.capabilities.canRename, false);
    await c.updateIncident('1', { status: 'inProgress', classification: 'truePositive', determination: 'compromisedAccount', assignedTo: 'a@b', tags: ['x'] });
    assert.deepEqual(JSON.parse(server.requests[0].body), {
      status: 'InProgress',
      classification: 'TruePositive',
      determination: 'CompromisedAccount',
      assignedTo: 'a@b',
      tags: ['x'],
    });
    const m = client(true);
    assert.equal(m.capabilities.kind, 'mock');
    const renamed = await m.updateIncident('1', { name: 'New name', severity: 'Low' });
    assert.equal(renamed.name, 'New name');
    assert.deepEqual(JSON.parse(server.requests[1].body), { incidentName: 'New name', severity: 'Low' });
  });

  it('raises ConflictError with the changed fields and sends nothing when the incident moved on', async () => {
    server = await startServer((req, res) =>
      json(res, 200, wireIncident(1, { lastUpdateTime: '2024-02-01T00:00:00Z', assignedTo: 'other@contoso.com', status: 'InProgress' })),
    );
    const seen = { ...(await client().getIncident('1')), lastUpdateTime: '2024-01-02T00:00:00Z', assignedTo: null, status: 'Active' } as Incident;
    await assert.rejects(client().updateIncident('1', { status: 'Resolved' }, { expected: seen }), (e: unknown) => {
      assert.ok(e instanceof ConflictError);
      assert.deepEqual(e.changes, [
        { field: 'assignedTo', from: null, to: 'other@contoso.com' },
        { field: 'status', from: 'Active', to: 'InProgress' },
      ]);
      assert.equal(e.server.lastUpdateTime, '2024-02-01T00:00:00Z');
      return true;
    });
    assert.deepEqual(
      server.requests.map(r => r.method),
      ['GET', 'GET'],
    );
    // Same instant in another precision is not a conflict.
    await client().updateIncident('1', { status: 'Resolved' }, { expected: { ...seen, lastUpdateTime: '2024-02-01T00:00:00.0000000Z' } });
    assert.equal(server.requests.at(-1)?.method, 'PATCH');
  });

  it('a 404 names the incident', async () => {
    server = await startServer((_req, res) => json(res, 404, { error: { code: 'NotFound', message: 'Not found' } }));
    await assert.rejects(
      client().getIncident('123'),
      (e: unknown) => e instanceof NotFoundError && e.message === 'Incident 123 no longer exists or you cannot see it.',
    );
  });

  describe('comments are never posted twice', () => {
    function commentServer(behaviour: (n: number) => 'apply-then-hang' | 'hang' | '429' | '503-applied' | 'ok'): Promise<TestServer> {
      const comments: { comment: string; createdBy: string; createdTime: string }[] = [];
      let patches = 0;
      return startServer((req, res, body) => {
        if (req.method === 'GET') {
          json(res, 200, wireIncident(1, { comments }));
          return;
        }
        const b = behaviour(++patches);
        const add = (): void => {
          comments.push({ comment: (JSON.parse(body) as { comment: string }).comment, createdBy: 'me', createdTime: new Date().toISOString() });
        };
        if (b === '429') {
          json(res, 429, {}, { 'Retry-After': '1' });
          return;
        }
        if (b === 'hang') {
          return;
        }
        add();
        if (b === 'apply-then-hang') {
          return;
        }
        if (b === '503-applied') {
          json(res, 503, {});
          return;
        }
        json(res, 200, wireIncident(1, { comments }));
      });
    }
    const patches = (s: TestServer): number => s.requests.filter(r => r.method === 'PATCH').length;

    it('a timeout after the server applied it: re-read, found, not sent again', async () => {
      server = await commentServer(n => (n === 1 ? 'apply-then-hang' : 'ok'));
      const list = await client(false, 150).addComment('1', 'hello');
      assert.deepEqual(
        list.map(c => c.text),
        ['hello'],
      );
      assert.equal(patches(server), 1);
    });

    it('a 503 after applying is ambiguous too: not sent again', async () => {
      server = await commentServer(n => (n === 1 ? '503-applied' : 'ok'));
      const list = await client().addComment('1', 'hello');
      assert.deepEqual(
        list.map(c => c.text),
        ['hello'],
      );
      assert.equal(patches(server), 1);
    });

    it('a timeout where nothing arrived: re-read, missing, sent again once', async () => {
      server = await commentServer(n => (n === 1 ? 'hang' : 'ok'));
      const list = await client(false, 150).addComment('1', 'hello');
      assert.deepEqual(
        list.map(c => c.text),
        ['hello'],
      );
      assert.equal(patches(server), 2);
    });

    it('a 429 was not applied: wait per Retry-After and resend', async () => {
      server = await commentServer(n => (n === 1 ? '429' : 'ok'));
      const retries: number[] = [];
      const list = await client().addComment('1', 'hello', { onRetry: i => retries.push(i.delayMs) });
      assert.deepEqual(
        list.map(c => c.text),
        ['hello'],
      );
      assert.equal(patches(server), 2);
      assert.deepEqual(retries, [1000]);
    });

    it('gives up as throttled after repeated 429s', async () => {
      server = await commentServer(() => '429');
      await assert.rejects(client().addComment('1', 'hello'), ThrottledError);
      assert.equal(patches(server), 4);
    });
  });
});

// ---- Defender-only behaviour against the project's mock server (the shared contract is contract.test.ts) --

describe('DefenderClient contract (mock server)', function () {
  this.timeout(20_000);
  let mock: MockServer;
  let lines: string[];
  beforeEach(async () => {
    lines = [];
    mock = await startMockServer({ port: 0, incidentCount: 230, seed: 7 });
  });
  afterEach(async () => {
    await mock.close();
  });

  function client(over: { mock?: boolean; timeoutMs?: number; tokens?: TokenProvider } = {}): DefenderClient {
    return new DefenderClient({
      baseUrl: mock.url,
      tokens: over.tokens ?? new StaticTokenProvider(mock.key),
      log: l => lines.push(l),
      mock: over.mock,
      timeoutMs: over.timeoutMs,
      pacer: new SlidingWindowPacer(10_000, 60_000, fastClock),
      http: { clock: fastClock, backoffBaseMs: 1 },
      comments: { clock: fastClock, backoffMs: 1 },
    });
  }
  const apiRequests = (method: string, pathPart = ''): number => mock.requests.filter(r => r.method === method && r.path.includes(pathPart)).length;

  it('the real Defender dialect refuses rename; the built-in mock renames and updates alerts', async () => {
    await mock.close();
    mock = await startMockServer({ port: 0, incidentCount: 5, seed: 3, extensions: true });
    const inc = (await client({ mock: true }).listIncidents({})).items.find(i => i.alerts.length > 0);
    assert.ok(inc);
    await assert.rejects(client().updateIncident(inc.id, { name: 'x' }), UnsupportedError);
    const renamed = await client({ mock: true }).updateIncident(inc.id, { name: 'Renamed', severity: 'Low' });
    assert.equal(renamed.name, 'Renamed');
    assert.equal(renamed.severity, 'Low');
    const alert = await client({ mock: true }).updateAlert(inc.alerts[0].id, {
      status: 'Resolved',
      assignedTo: 'me@contoso.com',
      classification: 'FalsePositive',
      determination: 'NotMalicious',
    });
    assert.equal(alert.status, 'Resolved');
    assert.equal(alert.assignedTo, 'me@contoso.com');
    assert.equal((await client({ mock: true }).getIncident(inc.id)).alerts[0].status, 'Resolved');
  });

  describe('faults', () => {
    let id: string;
    beforeEach(async () => {
      id = (await client().listIncidents({}, { top: 1 })).items[0].id;
      mock.requests.length = 0;
    });

    it('status 503/504/429 on GET: retried', async () => {
      mock.faults.add({ match: { method: 'GET' }, times: 1, kind: 'status', status: 503 });
      mock.faults.add({ match: { method: 'GET' }, times: 1, kind: 'status', status: 504 });
      mock.faults.add({ match: { method: 'GET' }, times: 1, kind: 'status', status: 429, retryAfter: '3' });
      const retries: { delayMs: number; reason: string }[] = [];
      await client().getIncident(id, { onRetry: r => retries.push(r) });
      assert.equal(mock.requests.length, 4);
      assert.equal(retries[2].delayMs, 3000);
      assert.match(retries[2].reason, /throttled/);
      assert.match(lines.at(-1) ?? '', /^GET \/api\/incidents\/\d+ 200 \d+ms retries=3$/);
    });

    it('status 429 that does not stop: ThrottledError; 500: server error; 403: permission; 400: bad request', async () => {
      mock.faults.add({ times: 10, kind: 'status', status: 429, retryAfter: '1' });
      await assert.rejects(client().getIncident(id), ThrottledError);
      assert.equal(mock.requests.length, 4);
      mock.faults.clear();
      mock.faults.add({ kind: 'status', status: 500 });
      await assert.rejects(client().getIncident(id), (e: unknown) => e instanceof BackendError && e.kind === 'server');
      mock.faults.add({ kind: 'status', status: 403 });
      await assert.rejects(
        client().updateIncident(id, { status: 'Active' }),
        (e: unknown) => e instanceof ForbiddenError && /Incident\.ReadWrite\.All/.test(e.message),
      );
      mock.faults.add({ kind: 'status', status: 400 });
      await assert.rejects(client().getIncident(id), (e: unknown) => e instanceof BackendError && e.kind === 'badRequest');
      await assert.rejects(
        client().updateIncident(id, { status: 'Bogus' }),
        (e: unknown) => e instanceof BackendError && e.kind === 'badRequest' && /Bogus/.test(e.message),
      );
    });

    it('latency past the timeout: retried; reset on GET: retried', async () => {
      mock.faults.add({ match: { method: 'GET' }, kind: 'latency', ms: 600 });
      mock.faults.add({ match: { method: 'GET' }, kind: 'reset' });
      const got = await client({ timeoutMs: 200 }).getIncident(id);
      assert.equal(got.id, id);
      // The mock does not record a request whose client left during the latency, so count our own retries.
      assert.match(lines.at(-1) ?? '', /^GET \/api\/incidents\/\d+ 200 \d+ms retries=2$/);
      assert.equal(
        mock.requests
          .filter(r => r.method === 'GET')
          .map(r => r.fault ?? 'ok')
          .join(),
        'reset,ok',
      );
    });

    it('malformed and wrong-shape answers: InvalidResponseError naming what was wrong', async () => {
      mock.faults.add({ kind: 'malformed' });
      await assert.rejects(client().listIncidents({}), (e: unknown) => e instanceof InvalidResponseError && /not JSON/.test(e.message));
      mock.faults.add({ kind: 'wrongShape' });
      await assert.rejects(
        client().listIncidents({}),
        (e: unknown) => e instanceof InvalidResponseError && /Defender API answer: value is the string/.test(e.message),
      );
      mock.faults.add({ kind: 'wrongShape' });
      await assert.rejects(client().getIncident(id), (e: unknown) => e instanceof InvalidResponseError && /incidentId is missing/.test(e.message));
    });

    it('reset on the comment: re-read, not there, sent again once', async () => {
      mock.faults.add({ match: { method: 'PATCH' }, kind: 'reset' });
      const text = `reset ${Date.now()}`;
      const comments = await client().addComment(id, text);
      assert.equal(comments.filter(c => c.text === text).length, 1);
      assert.equal(apiRequests('PATCH'), 2);
    });

    it('timeoutAfterApply on a field update: retried safely (idempotent)', async () => {
      mock.faults.add({ match: { method: 'PATCH' }, kind: 'timeoutAfterApply', ms: 3000 });
      const inc = await client({ timeoutMs: 250 }).updateIncident(id, { status: 'InProgress' });
      assert.equal(inc.status, 'InProgress');
      assert.equal(apiRequests('PATCH'), 2);
    });

    it('a 429 on the comment: waited out and sent once more', async () => {
      mock.faults.add({ match: { method: 'PATCH' }, kind: 'status', status: 429, retryAfter: '2' });
      const text = `throttled ${Date.now()}`;
      const retries: number[] = [];
      const comments = await client().addComment(id, text, { onRetry: r => retries.push(r.delayMs) });
      assert.equal(comments.filter(c => c.text === text).length, 1);
      assert.deepEqual(retries, [2000]);
    });
  });
});
