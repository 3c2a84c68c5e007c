import * as assert from 'assert/strict';
import * as http from 'http';
import type { MockServer } from '../../src/mock/server';
import { arr, call, errorOf, NOW, rec, startMock } from '../fixtures/mock-helpers';

const AUTH = { tenantId: '8a1c2b4e-8d3a-4c6b-9e7f-2a1d5c8b0e99', clientId: '11111111-2222-4333-8444-555555555555', clientSecret: 'x', required: true };

/** A raw request with any Host header (fetch will not send a foreign one). */
function rawGet(server: MockServer, path: string, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers }, res => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', c => {
        text += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('mock server: not an open door', () => {
  let server: MockServer;
  let id: number;

  before(async () => {
    server = await startMock({ incidentCount: 12, seed: 2, now: () => NOW, extensions: true });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.faults.clear();
    server.requests.length = 0;
    id = server.db.list()[0].incidentId;
  });

  describe('the launch key', () => {
    it('is at least 128 bits of randomness, new on every start', async () => {
      assert.match(server.key, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
      const other = await startMock({ incidentCount: 1 });
      try {
        assert.notEqual(other.key, server.key);
      } finally {
        await other.close();
      }
    });

    it("missing or wrong: 401 in the dialect's error shape, on every route, and nothing is applied", async () => {
      const before = JSON.stringify(server.db.get(id));
      for (const key of [false, 'not-the-key-0123456789', `${server.key}x`] as const) {
        const d = await call(`${server.url}/api/incidents/${id}`, { method: 'PATCH', json: { comment: 'sneaky' }, key });
        assert.equal(d.status, 401, String(key));
        assert.equal(errorOf(d).code, 'Unauthorized');
        assert.equal(typeof rec(rec(d.json).error).target, 'string', 'Defender errors carry a tracking id');
        assert.match(d.headers.get('www-authenticate') ?? '', /^Bearer /);
        const g = await call(`${server.url}/v1.0/security/incidents`, { key });
        assert.equal(g.status, 401);
        assert.equal(errorOf(g).code, 'InvalidAuthenticationToken');
        assert.ok(rec(errorOf(g).innerError)['request-id']);
        for (const route of ['/__mock/health', '/__mock/reset', '/nothing']) {
          const c = await call(`${server.url}${route}`, {
            method: route === '/__mock/reset' ? 'POST' : 'GET',
            json: route === '/__mock/reset' ? { count: 1 } : undefined,
            key,
          });
          assert.equal(c.status, 401, route);
          assert.equal(errorOf(c).code, 'Unauthorized');
        }
        assert.ok(!d.text.includes(server.key) && !g.text.includes(server.key), 'never echoes the key');
      }
      assert.equal(JSON.stringify(server.db.get(id)), before);
      assert.equal(server.db.size, 12, 'the reset did not happen');
      assert.equal((await call(`${server.url}/api/incidents/${id}`)).status, 200, 'the right key opens it');
      assert.equal(
        (await call(`${server.url}/api/incidents/${id}`, { headers: { Authorization: `bearer  ${server.key} ` } })).status,
        200,
        'scheme case and spaces as HTTP allows',
      );
    });

    it('a refused request takes no fault from the queue', async () => {
      server.faults.add({ kind: 'status', status: 503 });
      assert.equal((await call(`${server.url}/api/incidents`, { key: false })).status, 401);
      assert.equal((await call(`${server.url}/api/incidents`)).status, 503);
    });

    it('a fixed key can be given; a weak one is refused', async () => {
      const fixed = await startMock({ incidentCount: 1, key: 'fixed-key-for-a-script-0001' });
      try {
        assert.equal(fixed.key, 'fixed-key-for-a-script-0001');
        assert.equal((await call(`${fixed.url}/api/incidents`, { key: 'fixed-key-for-a-script-0001' })).status, 200);
      } finally {
        await fixed.close();
      }
      await assert.rejects(startMock({ incidentCount: 1, key: 'short' }), /16 characters/);
    });

    it('requireKey: false (in-process tests only) answers without it', async () => {
      const open = await startMock({ incidentCount: 1, requireKey: false });
      try {
        assert.equal((await call(`${open.url}/api/incidents`, { key: false })).status, 200);
        assert.equal((await call(`${open.url}/__mock/health`, { key: false })).status, 200);
      } finally {
        await open.close();
      }
    });

    it('with auth required the API takes issued tokens, the token endpoint the client secret, the control routes the key', async () => {
      const authed = await startMock({ incidentCount: 2, auth: AUTH });
      try {
        const form = new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: AUTH.clientId,
          client_secret: AUTH.clientSecret,
          scope: 'https://api.security.microsoft.com/.default',
        });
        const tok = await call(`${authed.url}/${AUTH.tenantId}/oauth2/v2.0/token`, { method: 'POST', body: form, key: false });
        assert.equal(tok.status, 200, tok.text);
        const token = String(rec(tok.json).access_token);
        assert.equal((await call(`${authed.url}/api/incidents`, { headers: { Authorization: `Bearer ${token}` } })).status, 200);
        assert.equal((await call(`${authed.url}/__mock/health`, { headers: { Authorization: `Bearer ${token}` } })).status, 401);
        assert.equal((await call(`${authed.url}/__mock/health`)).status, 200);
      } finally {
        await authed.close();
      }
    });
  });

  describe('browsers', () => {
    it('any Origin header: 403 before anything else, even with the key', async () => {
      const before = JSON.stringify(server.db.get(id));
      for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${server.port}`]) {
        const d = await call(`${server.url}/api/incidents/${id}`, { method: 'PATCH', json: { comment: 'from a page' }, headers: { Origin: origin } });
        assert.equal(d.status, 403, origin);
        assert.equal(errorOf(d).code, 'Forbidden');
        assert.equal(d.headers.get('access-control-allow-origin'), null);
        const c = await call(`${server.url}/__mock/reset`, { method: 'POST', json: { count: 5000 }, headers: { Origin: origin } });
        assert.equal(c.status, 403);
        const g = await call(`${server.url}/v1.0/security/incidents`, { headers: { Origin: origin } });
        assert.equal(g.status, 403);
        assert.ok(rec(errorOf(g).innerError)['request-id'], 'in the Graph error shape');
      }
      assert.equal(JSON.stringify(server.db.get(id)), before);
      assert.equal(server.db.size, 12);
    });

    it('a Host other than the address it listens on (a DNS-rebound name): 403; localhost is fine', async () => {
      const auth = { Authorization: `Bearer ${server.key}` };
      for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, '127.0.0.1', `[::1]:${server.port}`]) {
        const r = await rawGet(server, '/api/incidents?$top=1', { ...auth, Host: host });
        assert.equal(r.status, 403, host);
        assert.match(String(rec(rec(r.body).error).message), /Host/);
      }
      for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`, `LOCALHOST:${server.port}`]) {
        assert.equal((await rawGet(server, '/api/incidents?$top=1', { ...auth, Host: host })).status, 200, host);
      }
    });
  });

  describe('control routes', () => {
    it('exist only with control: true; otherwise 404 like any unknown route', async () => {
      const plain = await startMock({ incidentCount: 3, control: false });
      try {
        for (const [method, route, json] of [
          ['GET', '/__mock/health', undefined],
          ['POST', '/__mock/reset', { count: 1 }],
          ['POST', '/__mock/edit', { incidentId: 1, patch: {}, by: 'x' }],
          ['POST', '/__mock/faults', { kind: 'reset' }],
          ['PUT', '/__mock/clock', { offsetMs: 1 }],
          ['PUT', '/__mock/rate-limit', { limit: 1, windowMs: 1000 }],
        ] as const) {
          const r = await call(`${plain.url}${route}`, { method, json });
          assert.equal(r.status, 404, route);
          assert.equal(errorOf(r).code, 'NotFound');
          assert.match(errorOf(r).message, /No route/);
        }
        assert.equal(plain.db.size, 3);
        assert.deepEqual(plain.faults.list(), []);
        assert.equal((await call(`${server.url}/__mock/health`)).status, 200, 'and are there with control: true');
      } finally {
        await plain.close();
      }
    });
  });

  describe('size caps', () => {
    it('reset count at most 5,000', async () => {
      const r = await call(`${server.url}/__mock/reset`, { method: 'POST', json: { count: 100_000 } });
      assert.equal(r.status, 400);
      assert.match(errorOf(r).message, /5000/);
      assert.equal(server.db.size, 12);
    });

    it('names, tags, users, comments: 400 naming the limit, nothing applied', async () => {
      const before = JSON.stringify(server.db.get(id));
      for (const [json, pattern] of [
        [{ incidentName: 'n'.repeat(1001) }, /1000/],
        [{ tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, /51 tags; the limit is 50/],
        [{ tags: ['t'.repeat(129)] }, /128/],
        [{ assignedTo: `${'a'.repeat(320)}@x` }, /320/],
        [{ comment: 'c'.repeat(30_001) }, /30000/],
      ] as const) {
        const r = await call(`${server.url}/api/incidents/${id}`, { method: 'PATCH', json });
        assert.equal(r.status, 400, JSON.stringify(json).slice(0, 60));
        assert.match(errorOf(r).message, pattern);
      }
      const g = await call(`${server.url}/v1.0/security/incidents/${id}`, {
        method: 'PATCH',
        json: { customTags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
      });
      assert.equal(g.status, 400);
      assert.match(errorOf(g).message, /limit is 50/);
      const who = await call(`${server.url}/api/incidents/${id}`, { method: 'PATCH', json: { comment: 'x' }, headers: { 'X-Mock-User': 'u'.repeat(321) } });
      assert.equal(who.status, 400);
      assert.match(errorOf(who).message, /320/);
      const by = await call(`${server.url}/__mock/edit`, { method: 'POST', json: { incidentId: id, patch: { tags: ['x'] }, by: 'b'.repeat(321) } });
      assert.equal(by.status, 400);
      assert.match(errorOf(by).message, /320/);
      assert.equal(JSON.stringify(server.db.get(id)), before);
      assert.equal(
        (
          await call(`${server.url}/api/incidents/${id}`, {
            method: 'PATCH',
            json: { incidentName: 'n'.repeat(1000), tags: Array.from({ length: 50 }, (_, i) => `t${i}`) },
          })
        ).status,
        200,
        'at the limits',
      );
    });

    it('bodies past 1 MB: 413 on the API and the control routes', async () => {
      const big = 'z'.repeat(1024 * 1024 + 10);
      assert.equal((await call(`${server.url}/__mock/edit`, { method: 'POST', json: { incidentId: id, patch: { comment: big }, by: 'x' } })).status, 413);
      assert.equal((await call(`${server.url}/v1.0/security/incidents/${id}/comments`, { method: 'POST', json: { comment: big } })).status, 413);
    });
  });

  describe('portal links', () => {
    it('Defender list and get carry incidentUri with the tenant; Graph incidentWebUrl too', async () => {
      const tenant = String(rec((await call(`${server.url}/v1.0/security/incidents/${id}`)).json).tenantId);
      assert.match(tenant, /^[0-9a-f-]{36}$/);
      const list = arr(rec((await call(`${server.url}/api/incidents?$top=100`)).json).value).map(v => rec(v));
      assert.equal(list.length, 12);
      for (const inc of list) assert.equal(inc.incidentUri, `https://security.microsoft.com/incidents/${String(inc.incidentId)}?tid=${tenant}`);
      assert.equal(rec((await call(`${server.url}/api/incidents/${id}`)).json).incidentUri, `https://security.microsoft.com/incidents/${id}?tid=${tenant}`);
      const arrived = rec((await call(`${server.url}/__mock/incidents`, { method: 'POST', json: {} })).json);
      assert.equal(
        arrived.incidentUri,
        `https://security.microsoft.com/incidents/${String(arrived.incidentId)}?tid=${tenant}`,
        'a new incident links to itself',
      );
      const g = rec((await call(`${server.url}/v1.0/security/incidents/${id}`)).json);
      assert.equal(g.incidentWebUrl, `https://security.microsoft.com/incidents/${id}?tid=${tenant}`);
      await server.reset({ count: 12, seed: 2 });
    });

    it('the auth tenant, when a GUID, is the tid', async () => {
      const authed = await startMock({ incidentCount: 1, auth: { ...AUTH, required: false } });
      try {
        const inc = rec(arr(rec((await call(`${authed.url}/api/incidents`)).json).value)[0]);
        assert.match(String(inc.incidentUri), new RegExp(`\\?tid=${AUTH.tenantId}$`));
      } finally {
        await authed.close();
      }
    });
  });

  describe('Graph-only fields', () => {
    it('priorityScore is an integer from 0 to 100 on every incident; lastModifiedBy follows writes', async () => {
      const all = arr(rec((await call(`${server.url}/v1.0/security/incidents?$top=50`)).json).value).map(v => rec(v));
      for (const inc of all) {
        assert.ok(
          Number.isInteger(inc.priorityScore) && (inc.priorityScore as number) >= 0 && (inc.priorityScore as number) <= 100,
          `${String(inc.id)}: ${String(inc.priorityScore)}`,
        );
        assert.ok('lastModifiedBy' in inc && 'resolvingComment' in inc);
      }
      await call(`${server.url}/api/incidents/${id}`, { method: 'PATCH', json: { tags: ['x'] }, headers: { 'X-Mock-User': 'erin@contoso.com' } });
      assert.equal(rec((await call(`${server.url}/v1.0/security/incidents/${id}`)).json).lastModifiedBy, 'erin@contoso.com');
    });
  });
});
