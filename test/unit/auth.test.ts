import * as assert from 'assert/strict';
import {
  ClientSecretTokenProvider,
  CallbackTokenProvider,
  NoAuthTokenProvider,
  SessionTokenProvider,
  sessionRequestOptions,
  type SessionLike,
  type SessionRequestOptions,
} from '../../src/backend/auth';
import { HttpClient } from '../../src/backend/http';
import { SlidingWindowPacer } from '../../src/backend/pacer';
import { AuthError, CancelledError, UnreachableError } from '../../src/backend/errors';
import { startServer, json, type TestServer } from './support/server';

const SECRET = 'S3cr3t~Value_that-must-never-leak';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

describe('auth', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function provider(over: Partial<ConstructorParameters<typeof ClientSecretTokenProvider>[0]> = {}): ClientSecretTokenProvider {
    if (!server) {
      throw new Error('no server');
    }
    return new ClientSecretTokenProvider({
      authorityHost: server.url,
      tenantId: TENANT,
      clientId: CLIENT,
      scope: 'https://api.security.microsoft.com/.default',
      getSecret: async () => SECRET,
      ...over,
    });
  }

  let issued = 0;
  const tokenServer = (expiresIn = 3599): Promise<TestServer> =>
    startServer((_req, res) => {
      issued++;
      setTimeout(() => json(res, 200, { token_type: 'Bearer', expires_in: expiresIn, access_token: `token-${issued}` }), 20);
    });
  beforeEach(() => {
    issued = 0;
  });

  it('runs the client-credentials flow with a form body at {authority}/{tenant}/oauth2/v2.0/token', async () => {
    server = await tokenServer();
    assert.equal(await provider().getToken(), 'token-1');
    const r = server.requests[0];
    assert.equal(r.method, 'POST');
    assert.equal(r.url, `/${TENANT}/oauth2/v2.0/token`);
    assert.match(String(r.headers['content-type']), /^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(r.body);
    assert.equal(form.get('grant_type'), 'client_credentials');
    assert.equal(form.get('client_id'), CLIENT);
    assert.equal(form.get('client_secret'), SECRET);
    assert.equal(form.get('scope'), 'https://api.security.microsoft.com/.default');
  });

  it('caches the token until 5 minutes before expiry and shares one in-flight request', async () => {
    server = await tokenServer(3600);
    let now = 1_000_000;
    const p = provider({ now: () => now });
    const all = await Promise.all([p.getToken(), p.getToken(), p.getToken(), p.getToken()]);
    assert.deepEqual(all, ['token-1', 'token-1', 'token-1', 'token-1']);
    assert.equal(server.requests.length, 1);
    now += 3600_000 - 5 * 60_000 - 1000;
    assert.equal(await p.getToken(), 'token-1');
    now += 2000;
    assert.equal(await p.getToken(), 'token-2');
    assert.equal(await p.getToken({ forceRefresh: true }), 'token-3');
    p.clear();
    assert.equal(await p.getToken(), 'token-4');
  });

  it('keeps short-lived tokens for at least half their lifetime', async () => {
    server = await tokenServer(120);
    let now = 0;
    const p = provider({ now: () => now });
    await p.getToken();
    now = 59_000;
    assert.equal(await p.getToken(), 'token-1');
    now = 61_000;
    assert.equal(await p.getToken(), 'token-2');
  });

  it('without a secret, says how to set one', async () => {
    server = await tokenServer();
    await assert.rejects(
      provider({ getSecret: async () => undefined }).getToken(),
      (e: unknown) => e instanceof AuthError && e.message === 'No client secret is set: run "Defender Incidents: Set Client Secret".',
    );
    assert.equal(server.requests.length, 0);
  });

  it('reports Entra errors with the AADSTS description but never the secret', async () => {
    server = await startServer((_req, res, body) =>
      json(res, 401, {
        error: 'invalid_client',
        error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent is the client secret value (you sent ${new URLSearchParams(body).get('client_secret')}).\r\nTrace ID: 1\r\nCorrelation ID: 2`,
      }),
    );
    const lines: string[] = [];
    await assert.rejects(provider({ log: l => lines.push(l) }).getToken(), (e: unknown) => {
      assert.ok(e instanceof AuthError);
      assert.match(e.message, /invalid_client: AADSTS7000215: Invalid client secret provided/);
      assert.ok(!e.message.includes(SECRET), e.message);
      assert.ok(!e.message.includes('Trace ID'));
      assert.ok(!JSON.stringify(e).includes(SECRET));
      assert.ok(!String(e.stack).includes(SECRET));
      return true;
    });
    assert.equal(lines.length, 1);
    assert.match(lines[0], new RegExp(`^POST /${TENANT}/oauth2/v2.0/token 401 \\d+ms retries=0$`));
    assert.ok(!lines.join('\n').includes(SECRET));
  });

  it('an unreachable authority is UnreachableError without the secret', async () => {
    server = await startServer(() => undefined);
    const url = server.url;
    await server.close();
    server = undefined;
    const p = new ClientSecretTokenProvider({ authorityHost: url, tenantId: TENANT, clientId: CLIENT, scope: 's', getSecret: async () => SECRET });
    await assert.rejects(p.getToken(), (e: unknown) => e instanceof UnreachableError && !e.message.includes(SECRET) && !JSON.stringify(e).includes(SECRET));
    server = await startServer(() => undefined);
    await assert.rejects(provider({ timeoutMs: 100 }).getToken(), (e: unknown) => e instanceof UnreachableError && /no answer/.test(e.message));
  });

  it('a caller can stop waiting for the shared token request', async () => {
    server = await startServer(() => undefined);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(provider({ timeoutMs: 2000 }).getToken({ signal: ac.signal }), CancelledError);
  });

  it('no token or secret in the HTTP log lines or errors', async () => {
    const tokens = await tokenServer();
    const api = await startServer((req, res) => json(res, 403, { error: { message: `you sent ${req.headers.authorization}` } }));
    try {
      const lines: string[] = [];
      const p = new ClientSecretTokenProvider({
        authorityHost: tokens.url,
        tenantId: TENANT,
        clientId: CLIENT,
        scope: 's',
        getSecret: async () => SECRET,
        log: l => lines.push(l),
      });
      const c = new HttpClient({ flavor: 'defender', baseUrl: api.url, tokens: p, log: l => lines.push(l), pacer: new SlidingWindowPacer(100) });
      await assert.rejects(
        c.request({ method: 'GET', path: '/api/incidents' }),
        (e: unknown) => e instanceof Error && !e.message.includes('token-1') && /\*\*\*/.test(e.message),
      );
      assert.equal(lines.length, 2);
      for (const l of lines) {
        assert.ok(!l.includes('token-1') && !l.includes(SECRET) && !/bearer/i.test(l), l);
      }
    } finally {
      await tokens.close();
      await api.close();
    }
  });

  it('CallbackTokenProvider passes forceRefresh; NoAuth gives null', async () => {
    const seen: boolean[] = [];
    const p = new CallbackTokenProvider(async force => {
      seen.push(force);
      return 'x';
    });
    assert.equal(await p.getToken(), 'x');
    assert.equal(await p.getToken({ forceRefresh: true }), 'x');
    assert.deepEqual(seen, [false, true]);
    assert.equal(await new NoAuthTokenProvider().getToken(), null);
  });
});

describe('auth: VS Code Microsoft session', () => {
  it('only an interactive Sign In may create or replace a session; everything else is silent', () => {
    assert.deepEqual(sessionRequestOptions({ interactive: false, refused: false }), { silent: true });
    assert.deepEqual(sessionRequestOptions({ interactive: false, refused: true }), { silent: true });
    assert.deepEqual(sessionRequestOptions({ interactive: true, refused: false }), { createIfNone: true });
    const forced = sessionRequestOptions({ interactive: true, refused: true });
    assert.ok(forced.forceNewSession, 'Sign In after a refusal asks for a new session');
    assert.equal(forced.silent, undefined);
  });

  /** A stand-in for vscode.authentication.getSession that records the options it was called with. */
  function sessions(answers: (SessionLike | undefined | Error)[]) {
    const calls: SessionRequestOptions[] = [];
    const get = async (opts: SessionRequestOptions): Promise<SessionLike | undefined> => {
      calls.push(opts);
      const a = answers.length > 1 ? answers.shift() : answers[0];
      if (a instanceof Error) throw a;
      return a;
    };
    return { calls, get };
  }
  const session = (token: string, label = 'alice@contoso.com'): SessionLike => ({ accessToken: token, account: { label } });

  it('a 401 in the background (forceRefresh) asks silently, never with forceNewSession, and stops with an AuthError when VS Code has no other token', async () => {
    const s = sessions([session('t1')]);
    const accounts: string[] = [];
    const p = new SessionTokenProvider(s.get, l => accounts.push(l));
    assert.equal(await p.getToken(), 't1');
    assert.deepEqual(accounts, ['alice@contoso.com']);
    await assert.rejects(p.getToken({ forceRefresh: true }), (e: unknown) => e instanceof AuthError && /Sign In/.test(e.message));
    assert.ok(p.refused);
    assert.ok(s.calls.length === 2 && s.calls.every(o => o.silent === true && !o.forceNewSession && !o.createIfNone), JSON.stringify(s.calls));
  });

  it('a forced refresh that VS Code renews silently gives the new token and clears the refusal', async () => {
    const s = sessions([session('t1'), session('t2')]);
    const p = new SessionTokenProvider(s.get);
    assert.equal(await p.getToken(), 't1');
    assert.equal(await p.getToken({ forceRefresh: true }), 't2');
    assert.equal(p.refused, false);
    assert.ok(s.calls.every(o => o.silent === true && !o.forceNewSession));
  });

  it('no session is "Not signed in" (an AuthError the tree shows with Sign In); a failing provider is an AuthError too; a cancelled request is cancelled', async () => {
    await assert.rejects(
      new SessionTokenProvider(sessions([undefined]).get).getToken(),
      (e: unknown) => e instanceof AuthError && /Not signed in.*Sign In/.test(e.message),
    );
    await assert.rejects(
      new SessionTokenProvider(sessions([new Error('provider gone')]).get).getToken(),
      (e: unknown) => e instanceof AuthError && /provider gone/.test(e.message),
    );
    await assert.rejects(new SessionTokenProvider(sessions([undefined]).get).getToken({ forceRefresh: true }), AuthError);
    const c = new AbortController();
    c.abort();
    await assert.rejects(new SessionTokenProvider(sessions([session('t')]).get).getToken({ signal: c.signal }), CancelledError);
  });

  it('through the HTTP layer: a 401 re-asks silently once and then the request fails with an AuthError, without sending the refused token twice', async () => {
    const server = await startServer((_req, res) => json(res, 401, { error: { code: 'Unauthorized', message: 'expired' } }));
    try {
      const s = sessions([session('stale')]);
      const http = new HttpClient({
        flavor: 'defender',
        baseUrl: server.url,
        tokens: new SessionTokenProvider(s.get),
        log: () => undefined,
        pacer: new SlidingWindowPacer(100),
      });
      await assert.rejects(http.request({ method: 'GET', path: '/api/incidents' }), AuthError);
      assert.equal(server.requests.length, 1, 'the refused token is not sent again');
      assert.ok(s.calls.every(o => o.silent === true && !o.forceNewSession && !o.createIfNone));
    } finally {
      await server.close();
    }
  });
});
