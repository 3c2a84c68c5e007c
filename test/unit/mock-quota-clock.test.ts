import * as assert from 'assert/strict';
import type { MockServer } from '../../src/mock/server';
import { arr, call, errorOf, NOW, rec, sleep, startMock } from '../fixtures/mock-helpers';

const QUOTA =
  /^API calls quota exceeded! Maximum allowed 2 per 00:00:12 for the key Destination\+TenantID\+AppID\. You can send requests again in (\d+) seconds\.$/;

describe('mock server: quota', () => {
  let server: MockServer;
  afterEach(async () => {
    await server?.close();
  });

  it('Defender: over the quota, 429 with the wait in the body only (no Retry-After), N the real wait rounded up', async () => {
    server = await startMock({ incidentCount: 3, rateLimit: { limit: 2, windowMs: 12_000 } });
    const t0 = performance.now();
    assert.equal((await call(`${server.url}/api/incidents`)).status, 200);
    assert.equal((await call(`${server.url}/api/incidents`)).status, 200);
    const r = await call(`${server.url}/api/incidents`);
    const t1 = performance.now();
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), null);
    assert.deepEqual(Object.keys(rec(r.json)), ['error']);
    const e = errorOf(r);
    assert.deepEqual(Object.keys(e).sort(), ['code', 'message']);
    assert.equal(e.code, 'TooManyRequests');
    const m = QUOTA.exec(e.message);
    assert.ok(m, e.message);
    // The first accepted call was between t0 and t1, so the wait is between these.
    assert.ok(Number(m[1]) <= Math.ceil((t0 + 12_000 - t0) / 1000) && Number(m[1]) >= Math.ceil((t0 + 12_000 - t1) / 1000), `N = ${m[1]}`);
    assert.deepEqual(
      server.requests.map(x => [x.status, x.throttled ?? false]),
      [
        [200, false],
        [200, false],
        [429, true],
      ],
    );
    // A PATCH is refused too and applies nothing; Graph has its own quota.
    const id = server.db.list()[0].incidentId;
    assert.equal((await call(`${server.url}/api/incidents/${id}`, { method: 'PATCH', json: { tags: ['q'] } })).status, 429);
    assert.notDeepEqual(server.db.get(id)?.tags, ['q']);
    assert.equal((await call(`${server.url}/v1.0/security/incidents`)).status, 200, 'per dialect');
  });

  it('Defender with retryAfterHeader: the same body plus Retry-After; Graph: Retry-After always', async () => {
    server = await startMock({ incidentCount: 3, rateLimit: { limit: 2, windowMs: 12_000, retryAfterHeader: true } });
    for (let i = 0; i < 2; i++) await call(`${server.url}/api/incidents`);
    const r = await call(`${server.url}/api/incidents`);
    assert.equal(r.status, 429);
    const n = QUOTA.exec(errorOf(r).message)?.[1];
    assert.ok(n);
    assert.equal(r.headers.get('retry-after'), n);
    for (let i = 0; i < 2; i++) assert.equal((await call(`${server.url}/v1.0/security/incidents`)).status, 200);
    const g = await call(`${server.url}/v1.0/security/incidents`);
    assert.equal(g.status, 429);
    assert.equal(errorOf(g).code, 'TooManyRequests');
    assert.ok(rec(errorOf(g).innerError)['request-id']);
    assert.match(g.headers.get('retry-after') ?? '', /^(11|12)$/);
  });

  it('after N seconds it answers again; the control route sets, shows and removes the quota', async () => {
    server = await startMock({ incidentCount: 3 });
    const set = await call(`${server.url}/__mock/rate-limit`, { method: 'PUT', json: { limit: 1, windowMs: 700 } });
    assert.equal(set.status, 200, set.text);
    assert.deepEqual(rec(set.json).rateLimit, { limit: 1, windowMs: 700 });
    assert.deepEqual(rec((await call(`${server.url}/__mock/rate-limit`)).json).rateLimit, { limit: 1, windowMs: 700 });
    assert.equal((await call(`${server.url}/api/incidents`)).status, 200);
    const r = await call(`${server.url}/api/incidents`);
    assert.equal(r.status, 429);
    assert.match(errorOf(r).message, /Maximum allowed 1 per 00:00:01 .* again in 1 seconds\.$/);
    await sleep(1000);
    assert.equal((await call(`${server.url}/api/incidents`)).status, 200, 'the wait it named was enough');
    assert.deepEqual((await call(`${server.url}/__mock/rate-limit`, { method: 'DELETE' })).json, { rateLimit: null });
    for (let i = 0; i < 3; i++) assert.equal((await call(`${server.url}/api/incidents`)).status, 200);
    for (const bad of [{ limit: 0, windowMs: 1000 }, { limit: 1 }, { limit: 1, windowMs: 1000, retryAfterHeader: 'yes' }, { limit: 1, windowMs: 1000, x: 1 }]) {
      assert.equal((await call(`${server.url}/__mock/rate-limit`, { method: 'PUT', json: bad })).status, 400, JSON.stringify(bad));
    }
    server.setRateLimit({ limit: 1, windowMs: 60_000 });
    assert.equal((await call(`${server.url}/api/incidents`)).status, 200);
    assert.equal((await call(`${server.url}/api/incidents`)).status, 429);
    assert.match(errorOf(await call(`${server.url}/api/incidents`)).message, /per 00:01:00/);
  });

  it('the status fault still answers 429 as before', async () => {
    server = await startMock({ incidentCount: 3, rateLimit: { limit: 100, windowMs: 60_000 } });
    server.faults.add({ kind: 'status', status: 429 });
    const r = await call(`${server.url}/api/incidents`);
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '1');
  });
});

describe('mock server: its own clock', () => {
  const MIN3 = 3 * 60_000;
  let server: MockServer;
  afterEach(async () => {
    await server?.close();
  });

  for (const offset of [-MIN3, MIN3]) {
    it(`every timestamp it writes is now ${offset < 0 ? '-' : '+'} 3 minutes (clockOffsetMs ${offset})`, async () => {
      server = await startMock({ incidentCount: 4, now: () => NOW, clockOffsetMs: offset });
      const t = new Date(NOW.getTime() + offset).toISOString().replace('Z', '0000Z');
      assert.equal(server.now().getTime(), NOW.getTime() + offset);
      const [a, b] = server.db.list();
      const d = rec((await call(`${server.url}/api/incidents/${a.incidentId}`, { method: 'PATCH', json: { comment: 'defender' } })).json);
      assert.equal(rec(arr(d.comments).at(-1)).createdTime, t);
      assert.equal(d.lastUpdateTime, t);
      const g = rec((await call(`${server.url}/v1.0/security/incidents/${b.incidentId}/comments`, { method: 'POST', json: { comment: 'graph' } })).json);
      assert.equal(rec(arr(g.value).at(-1)).createdDateTime, t);
      assert.equal(server.db.get(b.incidentId)?.lastUpdateTime, t);
      const arrived = rec((await call(`${server.url}/__mock/incidents`, { method: 'POST', json: {} })).json);
      assert.deepEqual([arrived.createdTime, arrived.lastUpdateTime], [t, t]);
      assert.equal(server.edit(a.incidentId, { comment: 'edit' }, 'bob@contoso.com').comments.at(-1)?.createdTime, t);
    });
  }

  it('the control route moves it while running; health shows it', async () => {
    server = await startMock({ incidentCount: 2, now: () => NOW });
    assert.deepEqual((await call(`${server.url}/__mock/clock`)).json, { offsetMs: 0, now: NOW.toISOString() });
    const moved = await call(`${server.url}/__mock/clock`, { method: 'PUT', json: { offsetMs: -MIN3 } });
    assert.deepEqual(moved.json, { offsetMs: -MIN3, now: new Date(NOW.getTime() - MIN3).toISOString() });
    const health = rec((await call(`${server.url}/__mock/health`)).json);
    assert.equal(health.clockOffsetMs, -MIN3);
    const id = server.db.list()[0].incidentId;
    const d = rec((await call(`${server.url}/api/incidents/${id}`, { method: 'PATCH', json: { comment: 'behind' } })).json);
    assert.equal(rec(arr(d.comments).at(-1)).createdTime, new Date(NOW.getTime() - MIN3).toISOString().replace('Z', '0000Z'));
    server.setClockOffset(MIN3);
    assert.equal(server.now().getTime(), NOW.getTime() + MIN3);
    for (const bad of [{ offsetMs: 1.5 }, { offsetMs: '60000' }, {}, { offsetMs: 400 * 86_400_000 }]) {
      assert.equal((await call(`${server.url}/__mock/clock`, { method: 'PUT', json: bad })).status, 400, JSON.stringify(bad));
    }
  });
});

describe('mock server: losing the answer of a comment that was written', () => {
  let server: MockServer;
  beforeEach(async () => {
    server = await startMock({ incidentCount: 4, now: () => NOW });
  });
  afterEach(async () => {
    await server.close();
  });

  const writes: [string, (s: MockServer, id: number, text: string) => Promise<unknown>][] = [
    ['Defender PATCH comment', (s, id, text) => call(`${s.url}/api/incidents/${id}`, { method: 'PATCH', json: { comment: text } })],
    ['Graph POST comments', (s, id, text) => call(`${s.url}/v1.0/security/incidents/${id}/comments`, { method: 'POST', json: { comment: text } })],
  ];

  for (const [name, write] of writes) {
    it(`${name}: status 500 with apply: true commits the comment once, then answers 500`, async () => {
      const id = server.db.list()[0].incidentId;
      const r = await call(`${server.url}/__mock/faults`, {
        method: 'POST',
        json: { kind: 'status', status: 500, apply: true, match: { method: name.startsWith('Graph') ? 'POST' : 'PATCH' } },
      });
      assert.equal(r.status, 201, r.text);
      const answer = (await write(server, id, `committed ${name}`)) as { status: number; json: unknown };
      assert.equal(answer.status, 500);
      assert.equal(errorOf(answer as Parameters<typeof errorOf>[0]).code, 'InternalServerError');
      assert.equal(server.db.get(id)?.comments.filter(c => c.comment === `committed ${name}`).length, 1);
      assert.equal(server.requests.at(-1)?.fault, 'status');
    });

    it(`${name}: timeoutAfterApply commits the comment once and never answers`, async () => {
      const id = server.db.list()[1].incidentId;
      server.faults.add({ kind: 'timeoutAfterApply', ms: 200 });
      await assert.rejects(write(server, id, `hung ${name}`));
      assert.equal(server.db.get(id)?.comments.filter(c => c.comment === `hung ${name}`).length, 1);
      assert.equal(server.requests.at(-1)?.fault, 'timeoutAfterApply');
    });
  }

  it('without apply, a status fault applies nothing', async () => {
    const id = server.db.list()[2].incidentId;
    server.faults.add({ kind: 'status', status: 500 });
    assert.equal((await call(`${server.url}/v1.0/security/incidents/${id}/comments`, { method: 'POST', json: { comment: 'lost' } })).status, 500);
    assert.equal(
      server.db.get(id)?.comments.some(c => c.comment === 'lost'),
      false,
    );
    assert.equal((await call(`${server.url}/__mock/faults`, { method: 'POST', json: { kind: 'status', status: 500, apply: 'yes' } })).status, 400);
  });
});
