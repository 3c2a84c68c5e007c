import * as assert from 'assert/strict';
import type { MockServer } from '../../src/mock/server';
import { arr, call, errorOf, NOW, rec, startMock } from '../fixtures/mock-helpers';

const AUTH = {
  tenantId: '8a1c2b4e-8d3a-4c6b-9e7f-2a1d5c8b0e99',
  clientId: '11111111-2222-4333-8444-555555555555',
  clientSecret: 's3cr3t~value',
  required: true,
  tokenLifetimeSec: 600,
};
const DEFENDER_SCOPE = 'https://api.security.microsoft.com/.default';
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';

describe('mock server: token endpoint and auth', () => {
  let server: MockServer;
  let clock = NOW.getTime();

  before(async () => {
    server = await startMock({ incidentCount: 5, seed: 1, auth: AUTH, now: () => new Date(clock) });
  });
  after(async () => {
    await server.close();
  });

  function tokenRequest(over: Record<string, string> = {}, tenant = AUTH.tenantId): ReturnType<typeof call> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: AUTH.clientId,
      client_secret: AUTH.clientSecret,
      scope: DEFENDER_SCOPE,
      ...over,
    });
    return call(`${server.url}/${tenant}/oauth2/v2.0/token`, {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async function token(scope = DEFENDER_SCOPE): Promise<string> {
    const r = await tokenRequest({ scope });
    assert.equal(r.status, 200, r.text);
    return String(rec(r.json).access_token);
  }

  it('issues an opaque bearer token for the client-credentials flow', async () => {
    const r = await tokenRequest();
    assert.equal(r.status, 200);
    const body = rec(r.json);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 600);
    assert.equal(body.ext_expires_in, 600);
    assert.equal(typeof body.access_token, 'string');
    assert.ok(String(body.access_token).length >= 32);
    assert.notEqual(body.access_token, await token(), 'every token is new');
  });

  it('refuses a wrong secret, client, tenant, grant or scope with Entra errors', async () => {
    const cases: [Record<string, string>, string | undefined, number, string, RegExp][] = [
      [{ client_secret: 'wrong' }, undefined, 401, 'invalid_client', /^AADSTS7000215: Invalid client secret provided/],
      [{ client_id: '99999999-2222-4333-8444-555555555555' }, undefined, 400, 'unauthorized_client', /^AADSTS700016/],
      [{}, '00000000-0000-4000-8000-000000000000', 400, 'invalid_request', /^AADSTS90002/],
      [{ grant_type: 'password' }, undefined, 400, 'unsupported_grant_type', /AADSTS70003/],
      [{ scope: 'https://api.security.microsoft.com/Incident.Read.All' }, undefined, 400, 'invalid_scope', /\/\.default/],
      [{ client_secret: '' }, undefined, 401, 'invalid_client', /client_secret/],
    ];
    for (const [over, tenant, status, error, description] of cases) {
      const r = await tokenRequest(over, tenant);
      assert.equal(r.status, status, JSON.stringify(over));
      const body = rec(r.json);
      assert.equal(body.error, error);
      assert.match(String(body.error_description), description);
      assert.ok(Array.isArray(body.error_codes));
      assert.ok(!String(body.error_description).includes('wrong'), 'never echoes the secret');
    }
    assert.equal((await call(`${server.url}/${AUTH.tenantId}/oauth2/v2.0/token`)).status, 405);
  });

  it('requires a valid token on both dialects when auth is required', async () => {
    const none = await call(`${server.url}/api/incidents`);
    assert.equal(none.status, 401);
    assert.equal(errorOf(none).code, 'Unauthorized');
    assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer /);
    const noneGraph = await call(`${server.url}/v1.0/security/incidents`);
    assert.equal(noneGraph.status, 401);
    assert.equal(errorOf(noneGraph).code, 'InvalidAuthenticationToken');
    assert.equal((await call(`${server.url}/api/incidents`, { headers: { Authorization: 'Bearer made-up' } })).status, 401);
    assert.equal((await call(`${server.url}/api/incidents`, { headers: { Authorization: 'Basic eDp5' } })).status, 401);

    const t = await token();
    assert.equal((await call(`${server.url}/api/incidents`, { headers: { Authorization: `Bearer ${t}` } })).status, 200);
    const wrongAudience = await call(`${server.url}/v1.0/security/incidents`, { headers: { Authorization: `Bearer ${t}` } });
    assert.equal(wrongAudience.status, 401, 'a Defender token does not open Graph');
    assert.match(errorOf(wrongAudience).message, /audience/);
    const gt = await token(GRAPH_SCOPE);
    assert.equal((await call(`${server.url}/v1.0/security/incidents`, { headers: { Authorization: `Bearer ${gt}` } })).status, 200);
    assert.equal((await call(`${server.url}/__mock/health`)).status, 200, 'the control routes take the key, not a token');
    assert.equal((await call(`${server.url}/__mock/health`, { headers: { Authorization: `Bearer ${gt}` } })).status, 401, 'a token does not open them');
    assert.equal((await call(`${server.url}/api/incidents`, { key: server.key })).status, 401, 'the key does not open the API when tokens are required');
  });

  it('refuses a token once it has expired', async () => {
    const t = await token();
    clock += 599_000;
    assert.equal((await call(`${server.url}/api/incidents`, { headers: { Authorization: `Bearer ${t}` } })).status, 200);
    clock += 2_000;
    const r = await call(`${server.url}/api/incidents`, { headers: { Authorization: `Bearer ${t}` } });
    assert.equal(r.status, 401);
    assert.match(errorOf(r).message, /expired/);
    assert.equal((await call(`${server.url}/api/incidents`, { headers: { Authorization: `Bearer ${await token()}` } })).status, 200);
  });

  it("attributes a token caller's writes to the app, or to X-Mock-User", async () => {
    const t = await token();
    const id = server.db.list()[0].incidentId;
    const r = await call(`${server.url}/api/incidents/${id}`, { method: 'PATCH', json: { comment: 'by the app' }, headers: { Authorization: `Bearer ${t}` } });
    assert.equal(rec(arr(rec(r.json).comments).at(-1)).createdBy, `Defender Incidents app (${AUTH.clientId})`);
    const r2 = await call(`${server.url}/api/incidents/${id}`, {
      method: 'PATCH',
      json: { comment: 'by erin' },
      headers: { Authorization: `Bearer ${t}`, 'X-Mock-User': 'erin@contoso.com' },
    });
    assert.equal(rec(arr(rec(r2.json).comments).at(-1)).createdBy, 'erin@contoso.com');
  });

  // Without the key requirement (in-process tests only): with it, the Authorization header carries the key.
  describe('when auth is not required (and no key)', () => {
    let open: MockServer;
    before(async () => {
      open = await startMock({ incidentCount: 3, identity: 'me@contoso.com', auth: { ...AUTH, required: false }, requireKey: false });
    });
    after(async () => {
      await open.close();
    });

    it('answers without a token and attributes writes to the identity option', async () => {
      const id = open.db.list()[0].incidentId;
      const r = await call(`${open.url}/api/incidents/${id}`, { method: 'PATCH', json: { comment: 'hi' } });
      assert.equal(r.status, 200);
      assert.equal(rec(arr(rec(r.json).comments).at(-1)).createdBy, 'me@contoso.com');
    });

    it('still refuses a token it issued that was revoked by an expiredToken fault', async () => {
      const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: AUTH.clientId, client_secret: AUTH.clientSecret, scope: DEFENDER_SCOPE });
      const t = String(rec((await call(`${open.url}/${AUTH.tenantId}/oauth2/v2.0/token`, { method: 'POST', body: form })).json).access_token);
      open.faults.add({ kind: 'expiredToken', match: { path: '/api/' } });
      assert.equal((await call(`${open.url}/api/incidents`, { headers: { Authorization: `Bearer ${t}` } })).status, 401);
      assert.equal((await call(`${open.url}/api/incidents`, { headers: { Authorization: `Bearer ${t}` } })).status, 401, 'the token stays invalid');
      assert.equal((await call(`${open.url}/api/incidents`)).status, 200, 'no token is fine here');
    });
  });
});
