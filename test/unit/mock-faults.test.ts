import * as assert from 'assert/strict';
import { promises as fsp } from 'fs';
import * as net from 'net';
import * as path from 'path';
import type { Fault, MockServer } from '../../src/mock/server';
import { arr, call, errorOf, NOW, rec, sleep, startMock, tempDir } from '../fixtures/mock-helpers';
import { until } from '../support/until';

const AUTH = { tenantId: '8a1c2b4e-8d3a-4c6b-9e7f-2a1d5c8b0e99', clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 'x', required: true };

describe('mock server: faults and control routes', () => {
  let server: MockServer;
  let id: number;

  before(async () => {
    server = await startMock({ incidentCount: 20, seed: 4 });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.faults.clear();
    server.requests.length = 0;
    id = server.db.list()[0].incidentId;
  });

  // Each fault kind is injected both ways: in-process and over HTTP, as a test in another process would.
  const ways: [string, (f: Fault) => Promise<void>][] = [
    [
      'in-process',
      async f => {
        server.faults.add(f);
      },
    ],
    [
      'over HTTP',
      async f => {
        const r = await call(`${server.url}/__mock/faults`, { method: 'POST', json: f });
        assert.equal(r.status, 201, r.text);
      },
    ],
  ];

  for (const [way, add] of ways) {
    describe(way, () => {
      it("status: answers it once (default times 1) in the dialect's error shape", async () => {
        await add({ kind: 'status', status: 503, match: { method: 'GET', path: '/api/incidents' } });
        const r = await call(`${server.url}/api/incidents/${id}`);
        assert.equal(r.status, 503);
        assert.equal(errorOf(r).code, 'ServiceUnavailable');
        assert.equal(r.headers.get('retry-after'), null);
        assert.equal((await call(`${server.url}/api/incidents/${id}`)).status, 200);
        await add({ kind: 'status', status: 500, match: { path: '/v1.0/' } });
        const g = await call(`${server.url}/v1.0/security/incidents/${id}`);
        assert.equal(g.status, 500);
        assert.ok(rec(errorOf(g).innerError)['request-id']);
        assert.deepEqual(
          server.requests.map(x => [x.status, x.fault ?? null]),
          [
            [503, 'status'],
            [200, null],
            [500, 'status'],
          ],
        );
      });

      it('status 429: Retry-After defaults to 1; times and a custom body and Retry-After are honoured', async () => {
        await add({ kind: 'status', status: 429 });
        const r = await call(`${server.url}/api/incidents`);
        assert.equal(r.status, 429);
        assert.equal(r.headers.get('retry-after'), '1');
        await add({
          kind: 'status',
          status: 429,
          retryAfter: '7',
          times: 2,
          body: { error: { code: 'TooManyRequests', message: 'Rate limit is exceeded. Try again in 7 seconds.' } },
        });
        for (let i = 0; i < 2; i++) {
          const t = await call(`${server.url}/api/incidents`);
          assert.equal(t.status, 429);
          assert.equal(t.headers.get('retry-after'), '7');
          assert.match(errorOf(t).message, /7 seconds/);
        }
        assert.equal((await call(`${server.url}/api/incidents`)).status, 200);
      });

      it('match.method: a PATCH fault leaves GETs alone', async () => {
        await add({ kind: 'status', status: 500, match: { method: 'PATCH' } });
        assert.equal((await call(`${server.url}/api/incidents/${id}`)).status, 200);
        assert.equal((await call(`${server.url}/api/incidents/${id}`, { method: 'PATCH', json: { tags: ['f'] } })).status, 500);
        assert.notDeepEqual(server.db.get(id)?.tags, ['f'], 'a status fault applies nothing');
      });

      it('latency: delays, then answers normally', async () => {
        await add({ kind: 'latency', ms: 300 });
        const t0 = Date.now();
        const r = await call(`${server.url}/api/incidents/${id}`);
        assert.equal(r.status, 200);
        assert.ok(Date.now() - t0 >= 290, `${Date.now() - t0} ms`);
        assert.equal(server.requests.at(-1)?.fault, 'latency');
      });

      it('reset: destroys the socket without an answer and applies nothing', async () => {
        await add({ kind: 'reset', match: { method: 'PATCH' } });
        await assert.rejects(call(`${server.url}/api/incidents/${id}`, { method: 'PATCH', json: { tags: ['reset'] } }));
        assert.notDeepEqual(server.db.get(id)?.tags, ['reset']);
        assert.deepEqual(
          server.requests.map(x => [x.method, x.status, x.fault]),
          [['PATCH', 0, 'reset']],
        );
      });

      it('timeoutAfterApply: applies the write, never answers, drops the socket after ms', async () => {
        await add({ kind: 'timeoutAfterApply', ms: 300, match: { method: 'PATCH' } });
        const t0 = Date.now();
        await assert.rejects(call(`${server.url}/api/incidents/${id}`, { method: 'PATCH', json: { comment: `applied ${way}` } }));
        assert.ok(Date.now() - t0 >= 290, 'the socket stayed open until ms passed');
        assert.equal(server.db.get(id)?.comments.at(-1)?.comment, `applied ${way}`);
        assert.equal(server.requests.at(-1)?.fault, 'timeoutAfterApply');
      });

      it('malformed: 200 with a body that is not JSON', async () => {
        await add({ kind: 'malformed' });
        const r = await call(`${server.url}/v1.0/security/incidents`);
        assert.equal(r.status, 200);
        assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
        assert.throws(() => JSON.parse(r.text), SyntaxError);
      });

      it('wrongShape: 200 with valid JSON of the wrong shape', async () => {
        await add({ kind: 'wrongShape' });
        const r = await call(`${server.url}/api/incidents`);
        assert.equal(r.status, 200);
        const body = rec(r.json);
        assert.ok(!Array.isArray(body.value));
        assert.equal(body.incidentId, undefined);
      });

      it('expiredToken: 401, and that token stays invalid', async () => {
        const authed = await startMock({ incidentCount: 2, auth: AUTH });
        try {
          const form = new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: AUTH.clientId,
            client_secret: AUTH.clientSecret,
            scope: 'https://api.security.microsoft.com/.default',
          });
          const getToken = async (): Promise<string> =>
            String(rec((await call(`${authed.url}/${AUTH.tenantId}/oauth2/v2.0/token`, { method: 'POST', body: form })).json).access_token);
          const t = await getToken();
          const headers = { Authorization: `Bearer ${t}` };
          assert.equal((await call(`${authed.url}/api/incidents`, { headers })).status, 200);
          if (way === 'in-process') authed.faults.add({ kind: 'expiredToken' });
          else assert.equal((await call(`${authed.url}/__mock/faults`, { method: 'POST', json: { kind: 'expiredToken' } })).status, 201);
          const r = await call(`${authed.url}/api/incidents`, { headers });
          assert.equal(r.status, 401);
          assert.match(errorOf(r).message, /expired/);
          assert.equal((await call(`${authed.url}/api/incidents`, { headers })).status, 401);
          assert.equal((await call(`${authed.url}/api/incidents`, { headers: { Authorization: `Bearer ${await getToken()}` } })).status, 200);
        } finally {
          await authed.close();
        }
      });
    });
  }

  it('never faults the /__mock routes; GET and DELETE /__mock/faults list and clear', async () => {
    server.faults.add({ kind: 'status', status: 500, times: 3 });
    assert.equal((await call(`${server.url}/__mock/health`)).status, 200);
    const pending = rec((await call(`${server.url}/__mock/faults`)).json).pending;
    assert.equal(arr(pending).length, 1);
    assert.equal(rec(arr(pending)[0]).times, 3);
    const cleared = await call(`${server.url}/__mock/faults`, { method: 'DELETE' });
    assert.deepEqual(cleared.json, { cleared: 1 });
    assert.equal((await call(`${server.url}/api/incidents`)).status, 200);
    assert.deepEqual(
      server.requests.map(r => r.path),
      ['/api/incidents'],
      'control routes are not recorded',
    );
  });

  it('refuses malformed faults', async () => {
    for (const f of [
      { kind: 'explode' },
      { kind: 'status' },
      { kind: 'status', status: 42 },
      { kind: 'latency' },
      { kind: 'reset', times: 0 },
      { kind: 'reset', match: 'x' },
      [1],
    ]) {
      const r = await call(`${server.url}/__mock/faults`, { method: 'POST', json: f });
      assert.equal(r.status, 400, JSON.stringify(f));
    }
    assert.throws(() => server.faults.add({ kind: 'latency', ms: -1 }), TypeError);
    assert.equal((await call(`${server.url}/__mock/faults`, { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } })).status, 400);
  });

  it('/__mock/edit: another analyst edits, lastUpdateTime moves, the comment is theirs', async () => {
    const inc = server.db.list()[5];
    const before = inc.lastUpdateTime;
    await until(() => Date.now() > Date.parse(before), "the clock to pass the incident's lastUpdateTime");
    const r = await call(`${server.url}/__mock/edit`, {
      method: 'POST',
      json: {
        incidentId: inc.incidentId,
        patch: { assignedTo: 'bob@contoso.com', status: 'InProgress', comment: 'mine now', severity: 'High' },
        by: 'bob@contoso.com',
      },
    });
    assert.equal(r.status, 200, r.text);
    const after = server.db.get(inc.incidentId);
    assert.ok(after);
    assert.equal(after.assignedTo, 'bob@contoso.com');
    assert.equal(after.severity, 'High');
    assert.deepEqual({ ...after.comments.at(-1), createdTime: undefined }, { comment: 'mine now', createdBy: 'bob@contoso.com', createdTime: undefined });
    assert.ok(Date.parse(after.lastUpdateTime) > Date.parse(before));
    assert.equal(server.db.list()[0].incidentId, inc.incidentId);
    const g = rec((await call(`${server.url}/v1.0/security/incidents/${inc.incidentId}`)).json);
    assert.equal(g.lastModifiedBy, 'bob@contoso.com');
    assert.equal((await call(`${server.url}/__mock/edit`, { method: 'POST', json: { incidentId: 1, patch: { status: 'Active' }, by: 'x' } })).status, 404);
    assert.equal((await call(`${server.url}/__mock/edit`, { method: 'POST', json: { incidentId: inc.incidentId, patch: { bogus: 1 }, by: 'x' } })).status, 400);
    assert.equal((await call(`${server.url}/__mock/edit`, { method: 'POST', json: { incidentId: inc.incidentId, patch: { status: 'Active' } } })).status, 400);
    assert.throws(() => server.edit(inc.incidentId, { status: 'Nope' }, 'x'), /Nope/);
    assert.equal(server.edit(String(inc.incidentId), { tags: ['t'] }, 'carol@contoso.com').tags[0], 't');
  });

  it('/__mock/requests lists and clears; /__mock/health describes the server; /__mock/reset reseeds', async () => {
    await call(`${server.url}/api/incidents?$top=1`);
    await call(`${server.url}/v1.0/security/incidents?$top=1`);
    const log = arr(rec((await call(`${server.url}/__mock/requests`)).json).value).map(v => rec(v));
    assert.deepEqual(
      log.map(r => [r.method, r.path, r.status, r.dialect]),
      [
        ['GET', '/api/incidents?$top=1', 200, 'defender'],
        ['GET', '/v1.0/security/incidents?$top=1', 200, 'graph'],
      ],
    );
    assert.ok(!Number.isNaN(Date.parse(String(log[0].time))));
    assert.deepEqual((await call(`${server.url}/__mock/requests`, { method: 'DELETE' })).json, { cleared: 2 });
    assert.equal(server.requests.length, 0);
    const health = rec((await call(`${server.url}/__mock/health`)).json);
    assert.equal(health.ok, true);
    assert.equal(health.incidents, 20);
    assert.equal(health.defender, `${server.url}/api`);
    const reset = await call(`${server.url}/__mock/reset`, { method: 'POST', json: { count: 7, seed: 3 } });
    assert.deepEqual(reset.json, { incidents: 7 });
    assert.equal(server.db.size, 7);
    await server.reset({ count: 20, seed: 4 });
    assert.equal(server.db.size, 20);
    assert.equal((await call(`${server.url}/__mock/nope`)).status, 404);
    assert.equal((await call(`${server.url}/__mock/reset`, { method: 'POST', json: { count: -1 } })).status, 400);
  });

  it('a port in use is an error naming the port', async () => {
    const blocker = net.createServer();
    await new Promise<void>(resolve => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;
    const dir = await tempDir('mockport');
    try {
      const dataFile = path.join(dir, 'incidents.json');
      await assert.rejects(
        startMock({ port, incidentCount: 1, dataFile }),
        (e: unknown) => e instanceof Error && e.message === `Port ${port} on 127.0.0.1 is already in use`,
      );
      await assert.rejects(fsp.access(dataFile), 'nothing is written when the server cannot start');
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
      await new Promise(resolve => blocker.close(resolve));
    }
  });

  it('close() does not wait for a hung timeoutAfterApply connection', async () => {
    const s = await startMock({ incidentCount: 2, now: () => NOW });
    s.faults.add({ kind: 'timeoutAfterApply' });
    const pending = call(`${s.url}/api/incidents`).then(
      () => 'answered',
      () => 'dropped',
    );
    await sleep(100);
    const t0 = Date.now();
    await s.close();
    assert.ok(Date.now() - t0 < 5000);
    assert.equal(await pending, 'dropped');
  });
});
