import * as assert from 'assert/strict';
import { HttpClient, type HttpClientOptions } from '../../src/backend/http';
import { USER_AGENT } from '../../src/backend/transport';
import { SlidingWindowPacer, clockTime, pacerFor, sharedPacer, resetSharedPacers } from '../../src/backend/pacer';
import { MAX_RETRY_AFTER_MS, MIN_RETRY_AFTER_MS, parseRetryAfter, serverMessage } from '../../src/backend/serverMessage';
import type { Clock } from '../../src/backend/clock';
import type { TokenProvider } from '../../src/backend/auth';
import {
  AuthError,
  BackendError,
  CancelledError,
  ForbiddenError,
  InvalidResponseError,
  NotFoundError,
  ThrottledError,
  UnreachableError,
} from '../../src/backend/errors';
import { startServer, json, type TestServer } from './support/server';

class CountingTokens implements TokenProvider {
  calls: { forceRefresh?: boolean }[] = [];
  constructor(private readonly tokens: string[] = ['tok-1', 'tok-2', 'tok-3']) {}
  async getToken(opts?: { forceRefresh?: boolean }): Promise<string> {
    this.calls.push({ forceRefresh: opts?.forceRefresh });
    const refreshes = this.calls.filter(c => c.forceRefresh).length;
    return this.tokens[Math.min(refreshes, this.tokens.length - 1)];
  }
  clear(): void {
    /* */
  }
}

/** Real time plus every wait skipped: waits are recorded and cost nothing, yet time moves past them. */
function recordingClock(): Clock & { delays: number[] } {
  const delays: number[] = [];
  let skipped = 0;
  return {
    delays,
    now: () => Date.now() + skipped,
    sleep: async (ms: number, signal?: AbortSignal) => {
      delays.push(ms);
      if (signal?.aborted) {
        throw new CancelledError();
      }
      skipped += Math.max(0, ms);
    },
  };
}

const fastPacer = (clock?: Clock): SlidingWindowPacer => new SlidingWindowPacer(10_000, 60_000, clock);

describe('http: the one request function', () => {
  let server: TestServer | undefined;
  let lines: string[];
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  beforeEach(() => {
    lines = [];
  });

  function client(over: Partial<HttpClientOptions> = {}): HttpClient {
    if (!server) {
      throw new Error('no server');
    }
    // The pacer shares the client's clock: a 429's hold is then over once the client has waited it out.
    const clock = 'clock' in over ? over.clock : recordingClock();
    return new HttpClient({
      flavor: 'defender',
      baseUrl: server.url,
      tokens: new CountingTokens(),
      log: l => lines.push(l),
      pacer: fastPacer(clock),
      clock,
      backoffBaseMs: 10,
      ...over,
    });
  }

  it('sends the user agent, JSON and the bearer token, and logs one line without secrets', async () => {
    server = await startServer((_req, res) => json(res, 200, { ok: true }));
    const res = await client().request({ method: 'PATCH', path: "/api/incidents/1?$filter=status eq 'Active'", body: { comment: 'very secret body' } });
    assert.deepEqual(res.data, { ok: true });
    const r = server.requests[0];
    assert.equal(r.headers['user-agent'], USER_AGENT);
    assert.match(USER_AGENT, /^defender-incidents-vscode\/\d+\.\d+\.\d+/);
    assert.equal(r.headers.authorization, 'Bearer tok-1');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.equal(r.body, '{"comment":"very secret body"}');
    assert.equal(lines.length, 1);
    assert.match(lines[0], /^PATCH \/api\/incidents\/1\?\$filter=status%20eq%20%27Active%27 200 \d+ms retries=0$/);
    assert.ok(!lines[0].includes('tok-1') && !lines[0].includes('secret'));
  });

  it('keeps a path prefix of the base URL', async () => {
    server = await startServer((_req, res) => json(res, 200, {}));
    await client({ baseUrl: `${server.url}/prefix/` }).request({ method: 'GET', path: '/api/incidents' });
    assert.equal(server.requests[0].url, '/prefix/api/incidents');
  });

  it('retries GET on 503/504 with backoff and reports each retry', async () => {
    server = await startServer((_req, res, _b, n) => (n <= 2 ? json(res, n === 1 ? 503 : 504, {}) : json(res, 200, [1])));
    const retries: { attempt: number; delayMs: number; reason: string }[] = [];
    const res = await client({ random: () => 0.5 }).request({ method: 'GET', path: '/x', onRetry: i => retries.push(i) });
    assert.deepEqual(res.data, [1]);
    assert.equal(server.requests.length, 3);
    assert.deepEqual(
      retries.map(r => r.attempt),
      [1, 2],
    );
    // Exponential, never below the base: base * 2^(n-1) plus up to as much again at random.
    assert.deepEqual(
      retries.map(r => r.delayMs),
      [15, 30],
    );
    assert.match(retries[0].reason, /503/);
    assert.match(lines[0], /^GET \/x 200 \d+ms retries=2$/);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const clock = recordingClock();
    // The date is on the client's clock, which will have moved past the first 2 s wait.
    const date = new Date(clock.now() + 7000).toUTCString();
    server = await startServer((_req, res, _b, n) => {
      if (n === 1) {
        json(res, 429, {}, { 'Retry-After': '2' });
      } else if (n === 2) {
        json(res, 429, {}, { 'Retry-After': date });
      } else {
        json(res, 200, {});
      }
    });
    const retries: number[] = [];
    await client({ clock }).request({ method: 'GET', path: '/x', onRetry: i => retries.push(i.delayMs) });
    assert.equal(clock.delays[0], 2000);
    assert.ok(clock.delays[1] > 3000 && clock.delays[1] <= 5000, String(clock.delays[1]));
    assert.deepEqual(retries, clock.delays);
  });

  it('reads "try again in N seconds" from a Defender 429 body', () => {
    assert.equal(parseRetryAfter(undefined, { error: { code: 'TooManyRequests', message: 'Rate limit is exceeded. Try again in 7 seconds.' } }, 0), 7000);
    assert.equal(parseRetryAfter('1.5', undefined, 0), 1500);
    assert.equal(parseRetryAfter(undefined, undefined, 0), null);
  });

  it('parses Retry-After in seconds and as an HTTP date, before anything in the body', () => {
    const now = Date.parse('2025-03-04T10:00:00Z');
    const body = { error: { message: 'Try again in 99 seconds.' } };
    assert.equal(parseRetryAfter('12', body, now), 12_000);
    // Issue 16 item 7: floored at 1 s (Retry-After: 0 gave 4 requests in 52 ms), capped at an hour.
    assert.equal(parseRetryAfter(' 0 ', body, now), MIN_RETRY_AFTER_MS);
    assert.equal(parseRetryAfter('Tue, 04 Mar 2025 10:00:30 GMT', body, now), 30_000);
    assert.equal(parseRetryAfter('Tue, 04 Mar 2025 09:59:00 GMT', undefined, now), MIN_RETRY_AFTER_MS, 'a date in the past: the floor');
    assert.equal(parseRetryAfter('999999999', body, now), MAX_RETRY_AFTER_MS, 'a huge wait blocks the host for an hour at most, not until reload');
    assert.equal(parseRetryAfter(undefined, { error: { message: 'Try again in 9999999 minutes.' } }, now), MAX_RETRY_AFTER_MS);
  });

  it('one 429 with a huge Retry-After holds the shared pacer for the cap at most (issue 16 item 7)', () => {
    let t = 0;
    const pacer = new SlidingWindowPacer(100, 60_000, { now: () => t, sleep: async () => undefined });
    pacer.holdFor(10 * 365 * 86_400_000);
    t = MAX_RETRY_AFTER_MS + 1;
    assert.equal(pacer.heldFor(), 0, 'free again after the cap');
  });

  it('reads both phrasings of the wait from the body, in the message or the raw text, any case', () => {
    const quota = 'API calls quota exceeded! Maximum allowed 50 per 00:01:00 for the key Destination+TenantID+AppID. You can send requests again in 8 seconds.';
    assert.equal(parseRetryAfter(undefined, { error: { code: 'TooManyRequests', message: quota } }, 0), 8000);
    assert.equal(parseRetryAfter(undefined, undefined, 0, quota), 8000, 'a plain-text body');
    assert.equal(parseRetryAfter(undefined, undefined, 0, 'RATE LIMIT. TRY AGAIN IN 3 SECONDS'), 3000);
    assert.equal(parseRetryAfter(undefined, { message: 'send requests again in 2 minutes' }, 0), 120_000);
    assert.equal(parseRetryAfter('', { error: { message: 'try again in 1.5 seconds' } }, 0), 1500);
  });

  it('junk, negative or missing waits are null, and the client then backs off at least 1 s', async () => {
    for (const junk of ['-5', 'soon', '12abc', '1e3', 'NaN']) {
      assert.equal(parseRetryAfter(junk, { error: { message: 'Try again in -4 seconds.' } }, 0), null, junk);
    }
    assert.equal(parseRetryAfter(undefined, { error: { message: 'Try again later.' } }, 0), null);
    server = await startServer((_req, res, _b, n) => {
      if (n === 1) {
        json(res, 429, { error: { message: 'Try again in -4 seconds.' } }, { 'Retry-After': '-5' });
      } else if (n === 2) {
        json(res, 429, {}, { 'Retry-After': 'soon' });
      } else {
        json(res, 200, {});
      }
    });
    const clock = recordingClock();
    await client({ clock, backoffBaseMs: undefined, random: () => 0 }).request({ method: 'GET', path: '/x' });
    assert.deepEqual(clock.delays, [1000, 2000]);
  });

  it('gives up with ThrottledError when Retry-After is beyond the cap, or after 3 retries', async () => {
    server = await startServer((_req, res) => json(res, 429, { error: { code: 'TooManyRequests', message: 'slow down' } }, { 'Retry-After': '120' }));
    const capClock = recordingClock();
    const before = capClock.now();
    await assert.rejects(
      client({ clock: capClock }).request({ method: 'GET', path: '/x' }),
      (e: unknown) =>
        e instanceof ThrottledError &&
        e.retryAfterMs === 120_000 &&
        /try again in 120 s/i.test(e.message) &&
        e.until !== undefined &&
        e.until >= before + 120_000 &&
        e.until <= capClock.now() + 120_000 &&
        e.message.includes(`(at ${clockTime(e.until)})`),
    );
    assert.equal(server.requests.length, 1);
    assert.deepEqual(capClock.delays, [], 'nothing waited: the caller decides');
    assert.ok(
      lines.some(l => /throttled until \d\d:\d\d \(120 s, longer than the 60 s this client waits\)/.test(l)),
      lines.join('\n'),
    );
    await server.close();
    server = await startServer((_req, res) => json(res, 429, {}, { 'Retry-After': '1' }));
    const clock = recordingClock();
    await assert.rejects(client({ clock }).request({ method: 'GET', path: '/x' }), ThrottledError);
    assert.equal(server.requests.length, 4);
    assert.deepEqual(clock.delays, [1000, 1000, 1000]);
  });

  it('caps exponential backoff (full jitter)', async () => {
    server = await startServer((_req, res) => json(res, 503, {}));
    const clock = recordingClock();
    await assert.rejects(
      client({ clock, random: () => 0.999999, backoffBaseMs: 1000, backoffMaxMs: 2500 }).request({ method: 'GET', path: '/x' }),
      (e: unknown) => e instanceof BackendError && e.kind === 'server' && e.status === 503,
    );
    assert.deepEqual(clock.delays, [1999, 2500, 2500]);
    assert.match(lines[0], /^GET \/x 503 \d+ms retries=3 client-request-id=[0-9a-f-]{36}$/);
  });

  it('never retries a POST, and does not retry 500', async () => {
    server = await startServer((_req, res) => json(res, 503, {}));
    await assert.rejects(client().request({ method: 'POST', path: '/x', body: {} }), (e: unknown) => e instanceof BackendError && e.status === 503);
    assert.equal(server.requests.length, 1);
    await server.close();
    server = await startServer((_req, res) => json(res, 500, { error: { code: 'InternalServerError', message: 'boom' } }));
    await assert.rejects(
      client().request({ method: 'GET', path: '/x' }),
      (e: unknown) => e instanceof BackendError && e.kind === 'server' && /boom/.test(e.message),
    );
    assert.equal(server.requests.length, 1);
  });

  it('times out each attempt, retries GET, and reports an ambiguous UnreachableError', async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const t0 = Date.now();
    await assert.rejects(
      client({ timeoutMs: 100, maxRetries: 1 }).request({ method: 'GET', path: '/x' }),
      (e: unknown) => e instanceof UnreachableError && e.ambiguous && /did not answer in time/.test(e.message),
    );
    assert.equal(server.requests.length, 2);
    assert.ok(Date.now() - t0 < 2000);
    assert.match(lines[0], /^GET \/x TIMEOUT \d+ms retries=1$/);
  });

  it('cancels via AbortSignal, during a request and during a backoff wait', async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    await assert.rejects(client().request({ method: 'GET', path: '/x', signal: ac.signal }), CancelledError);
    await server.close();
    server = await startServer((_req, res) => json(res, 503, {}));
    const ac2 = new AbortController();
    const p = client({ clock: undefined, backoffBaseMs: 60_000, random: () => 1 }).request({
      method: 'GET',
      path: '/x',
      signal: ac2.signal,
      onRetry: () => ac2.abort(),
    });
    await assert.rejects(p, CancelledError);
    const pre = new AbortController();
    pre.abort();
    await assert.rejects(client().request({ method: 'GET', path: '/x', signal: pre.signal }), CancelledError);
  });

  it('retries a connection reset on GET; a reset POST is ambiguous', async () => {
    server = await startServer((req, res, _b, n) => {
      if (n === 1 || req.method === 'POST') {
        req.socket.destroy();
      } else {
        json(res, 200, {});
      }
    });
    await client().request({ method: 'GET', path: '/x' });
    assert.equal(server.requests.length, 2);
    await assert.rejects(client().request({ method: 'POST', path: '/x', body: { a: 1 } }), (e: unknown) => e instanceof UnreachableError && e.ambiguous);
    assert.equal(server.requests.length, 3);
  });

  it('connection refused is unreachable and not ambiguous', async () => {
    server = await startServer(() => undefined);
    const url = server.url;
    await server.close();
    server = undefined;
    const c = new HttpClient({
      flavor: 'graph',
      baseUrl: url,
      tokens: new CountingTokens(),
      log: l => lines.push(l),
      pacer: fastPacer(),
      clock: recordingClock(),
      maxRetries: 2,
    });
    await assert.rejects(
      c.request({ method: 'GET', path: '/x' }),
      (e: unknown) => e instanceof UnreachableError && !e.ambiguous && /ECONNREFUSED/.test(e.message),
    );
    assert.match(lines[0], /^GET \/x ECONNREFUSED \d+ms retries=2$/);
  });

  it('refreshes the token once on 401, then gives up with AuthError', async () => {
    server = await startServer((req, res) => (req.headers.authorization === 'Bearer tok-2' ? json(res, 200, {}) : json(res, 401, {})));
    const tokens = new CountingTokens();
    await client({ tokens }).request({ method: 'GET', path: '/x' });
    assert.equal(tokens.calls.filter(c => c.forceRefresh).length, 1);
    assert.equal(server.requests.length, 2);
    await server.close();
    server = await startServer((_req, res) => json(res, 401, { error: { code: 'Unauthorized', message: 'no' } }));
    const tokens2 = new CountingTokens();
    await assert.rejects(
      client({ tokens: tokens2 }).request({ method: 'GET', path: '/x' }),
      (e: unknown) => e instanceof AuthError && /sign in again/i.test(e.message),
    );
    assert.equal(server.requests.length, 2);
    assert.equal(tokens2.calls.filter(c => c.forceRefresh).length, 1);
  });

  it('names the missing permission on 403', async () => {
    server = await startServer((_req, res) => json(res, 403, { error: { code: 'Forbidden', message: 'Missing role', target: 'abc' } }));
    await assert.rejects(
      client().request({ method: 'GET', path: '/api/incidents' }),
      (e: unknown) =>
        e instanceof ForbiddenError &&
        /Incident\.Read\.All/.test(e.message) &&
        /Incident\.Read \(delegated\)/.test(e.message) &&
        /Missing role/.test(e.message),
    );
    await assert.rejects(
      client().request({ method: 'PATCH', path: '/api/incidents/1', body: {} }),
      (e: unknown) => e instanceof ForbiddenError && /Incident\.ReadWrite\.All/.test(e.message),
    );
    await assert.rejects(
      client({ flavor: 'graph' }).request({ method: 'PATCH', path: '/v1.0/security/incidents/1', body: {} }),
      (e: unknown) =>
        e instanceof ForbiddenError && /SecurityIncident\.ReadWrite\.All/.test(e.message) && /Security Operator or Security Administrator/.test(e.message),
    );
    await assert.rejects(
      client({ flavor: 'graph' }).request({ method: 'GET', path: '/v1.0/security/incidents' }),
      (e: unknown) => e instanceof ForbiddenError && /SecurityIncident\.Read\.All/.test(e.message),
    );
    await assert.rejects(
      client({ flavor: 'graph' }).request({ method: 'PATCH', path: '/v1.0/security/alerts_v2/a', body: {} }),
      (e: unknown) => e instanceof ForbiddenError && /SecurityAlert\.ReadWrite\.All/.test(e.message),
    );
  });

  it('maps 404, 400 and odd error bodies', async () => {
    server = await startServer((req, res) => {
      if (req.url === '/404') {
        json(res, 404, { error: { code: 'NotFound', message: 'x' } });
      }
      if (req.url === '/400') {
        json(res, 400, {
          error: { code: 'BadRequest', message: "The limit of '50' for Top query has been exceeded.", innerError: { message: 'inner detail', date: 'x' } },
        });
      }
      if (req.url === '/entra') {
        json(res, 400, { error: 'invalid_request', error_description: 'AADSTS900144: missing grant\r\nTrace ID: 1' });
      }
      if (req.url === '/text') {
        res.writeHead(409);
        res.end('plain conflict');
      }
    });
    await assert.rejects(
      client().request({ method: 'GET', path: '/404', what: 'Incident 123' }),
      (e: unknown) => e instanceof NotFoundError && e.message === 'Incident 123 no longer exists or you cannot see it.',
    );
    await assert.rejects(
      client().request({ method: 'GET', path: '/400' }),
      (e: unknown) =>
        e instanceof BackendError && e.kind === 'badRequest' && e.status === 400 && /limit of '50'/.test(e.message) && /inner detail/.test(e.message),
    );
    await assert.rejects(
      client().request({ method: 'GET', path: '/entra' }),
      (e: unknown) => e instanceof BackendError && /AADSTS900144: missing grant \(invalid_request\)/.test(e.message),
    );
    await assert.rejects(
      client().request({ method: 'GET', path: '/text' }),
      (e: unknown) => e instanceof BackendError && e.kind === 'badRequest' && e.message === 'plain conflict',
    );
  });

  it('reports a non-JSON answer as InvalidResponseError', async () => {
    server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>login</html>');
    });
    await assert.rejects(
      client().request({ method: 'GET', path: '/api/incidents?$top=5' }),
      (e: unknown) => e instanceof InvalidResponseError && /GET \/api\/incidents is not JSON, content type text\/html/.test(e.message),
    );
  });

  it('never sends the token to another origin, and never follows redirects', async () => {
    const other = await startServer((_req, res) => json(res, 200, {}));
    try {
      server = await startServer((_req, res) => {
        res.writeHead(302, { Location: `${other.url}/steal` });
        res.end();
      });
      await assert.rejects(client().request({ method: 'GET', path: `${other.url}/x` }), InvalidResponseError);
      await assert.rejects(client().request({ method: 'GET', path: '/x' }), (e: unknown) => e instanceof InvalidResponseError && /redirect/.test(e.message));
      assert.equal(other.requests.length, 0);
      await client()
        .request({ method: 'GET', path: `${server.url}/same-origin` })
        .catch(() => undefined);
      assert.equal(server.requests.at(-1)?.url, '/same-origin');
    } finally {
      await other.close();
    }
  });

  it('dispose aborts requests in flight', async () => {
    server = await startServer(() => undefined);
    const c = client();
    const p = c.request({ method: 'GET', path: '/x' });
    setTimeout(() => c.dispose(), 30);
    await assert.rejects(p, CancelledError);
  });
});

describe('serverMessage: secrets are scrubbed before the text is cut short', () => {
  it('a token that straddles the 300-character cut leaves no part of itself', () => {
    const token = 'eyJ0eXAiOiJKV1Qi' + 'x'.repeat(60);
    const text = `${'a'.repeat(280)} ${token} trailing`;
    const out = serverMessage({ error: { code: 'Forbidden', message: text } }, '', [token]);
    assert.ok(out.length <= 303, String(out.length));
    assert.ok(!out.includes(token.slice(0, 12)), out.slice(270));
  });

  it('credential-looking fields in a raw body are redacted, whatever the cut', () => {
    const out = serverMessage(undefined, `${'b'.repeat(290)} Authorization: Bearer abc.def.ghi client_secret=hunter2hunter2`);
    assert.ok(!out.includes('abc.def'), out.slice(280));
    assert.ok(!out.includes('hunter2'), out.slice(280));
    assert.ok(!serverMessage(undefined, 'client_secret=hunter2hunter2 was refused').includes('hunter2'));
  });
});

describe('pacer', () => {
  afterEach(() => resetSharedPacers());

  /** Virtual time: sleeping moves the clock forward, so long windows cost nothing. */
  function virtualClock(): Clock & { t: number } {
    const c = {
      t: 0,
      now: () => c.t,
      sleep: async (ms: number, signal?: AbortSignal) => {
        if (signal?.aborted) {
          throw new CancelledError();
        }
        const target = c.t + ms;
        await Promise.resolve();
        c.t = Math.max(c.t, target);
      },
    };
    return c;
  }

  it('never grants more than N per sliding window, delaying instead of failing', async () => {
    const clock = virtualClock();
    const pacer = new SlidingWindowPacer(45, 60_000, clock);
    const grants: number[] = [];
    await Promise.all(
      Array.from({ length: 200 }, async () => {
        await pacer.acquire();
        grants.push(clock.now());
      }),
    );
    assert.equal(grants.length, 200);
    grants.sort((a, b) => a - b);
    for (let i = 0; i < grants.length; i++) {
      const inWindow = grants.filter(g => g >= grants[i] && g < grants[i] + 60_000).length;
      assert.ok(inWindow <= 45, `window at ${grants[i]} has ${inWindow}`);
    }
    assert.ok(grants[199] >= 4 * 60_000, 'the 200th grant waits four windows');
  });

  it('paces real requests through the client', async () => {
    const server = await startServer((_req, res) => json(res, 200, {}));
    try {
      const pacer = new SlidingWindowPacer(5, 300);
      const c = new HttpClient({ flavor: 'mock', baseUrl: server.url, tokens: new CountingTokens(), pacer });
      await Promise.all(Array.from({ length: 12 }, () => c.request({ method: 'GET', path: '/x' })));
      const at = server.requests.map(r => r.at).sort((a, b) => a - b);
      for (const t of at) {
        assert.ok(at.filter(x => x >= t && x < t + 250).length <= 5);
      }
      assert.ok(at[11] - at[0] >= 500, 'twelve requests at five per 300 ms take two windows');
    } finally {
      await server.close();
    }
  });

  it('honours abort while waiting', async () => {
    const pacer = new SlidingWindowPacer(1, 60_000);
    await pacer.acquire();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(pacer.acquire(ac.signal), CancelledError);
    assert.equal(pacer.inWindow(), 1);
  });

  it('paces under an hourly window as well as the minute one (virtual clock)', async () => {
    const clock = virtualClock();
    const pacer = new SlidingWindowPacer(45, 60_000, clock, [{ limit: 1400, windowMs: 3_600_000 }]);
    const grants: number[] = [];
    for (let i = 0; i < 1500; i++) {
      await pacer.acquire();
      grants.push(clock.now());
    }
    const most = (windowMs: number): number => {
      let best = 0;
      for (let i = 0, j = 0; i < grants.length; i++) {
        while (grants[i] - grants[j] >= windowMs) {
          j++;
        }
        best = Math.max(best, i - j + 1);
      }
      return best;
    };
    assert.equal(most(60_000), 45);
    assert.equal(most(3_600_000), 1400);
    // 1,400 at 45 a minute take 31 minutes; the 1,401st waits for the first to leave the hour.
    assert.ok(grants[1399] < 32 * 60_000, String(grants[1399]));
    assert.equal(grants[1400], grants[0] + 3_600_000);
    const [minute, hour] = pacer.budget();
    assert.equal(hour.limit, 1400);
    assert.equal(hour.used + hour.remaining, 1400);
    assert.ok(minute.remaining <= 45);
  });

  it('a pacer wait beyond what the caller accepts throws ThrottledError with until, instead of hanging', async () => {
    const clock = virtualClock();
    const pacer = new SlidingWindowPacer(2, 60_000, clock, [{ limit: 3, windowMs: 3_600_000 }]);
    for (let i = 0; i < 3; i++) {
      await pacer.acquire(undefined, 60_000);
    }
    const t = clock.now();
    await assert.rejects(
      pacer.acquire(undefined, 60_000),
      (e: unknown) => e instanceof ThrottledError && e.until === 3_600_000 && e.retryAfterMs === 3_600_000 - t && /3 per hour/.test(e.message),
    );
    assert.equal(clock.now(), t, 'nothing waited');
  });

  it('holds every caller after a 429 said how long, and logs once when a window runs low', async () => {
    const server = await startServer((_req, res, _b, n) => (n === 3 ? json(res, 429, {}, { 'Retry-After': '5' }) : json(res, 200, {})));
    try {
      const clock = virtualClock();
      const pacer = new SlidingWindowPacer(10, 60_000, clock);
      const lines: string[] = [];
      const c = new HttpClient({ flavor: 'defender', baseUrl: server.url, tokens: new CountingTokens(), pacer, clock, log: l => lines.push(l) });
      for (let i = 0; i < 9; i++) {
        await c.request({ method: 'GET', path: '/x' });
      }
      // The third request waited the 5 s out (and the pacer held for everyone meanwhile).
      assert.ok(clock.now() >= 5000);
      const low = lines.filter(l => /budget running low/.test(l));
      assert.deepEqual(low, ['Defender API budget running low: 0 of 10 requests left this minute.']);
      assert.deepEqual(
        c.budget().map(b => [b.limit, b.used, b.remaining]),
        [[10, 10, 0]],
      );
    } finally {
      await server.close();
    }
  });

  it('builds Defender pacers with both windows, Graph per minute only', () => {
    assert.deepEqual(pacerFor('defender').windows, [
      { limit: 45, windowMs: 60_000 },
      { limit: 1400, windowMs: 3_600_000 },
    ]);
    assert.deepEqual(pacerFor('graph').windows, [{ limit: 140, windowMs: 60_000 }]);
  });

  it('is shared per backend and host', () => {
    const a = sharedPacer('defender', 'https://api.security.microsoft.com');
    assert.equal(a, sharedPacer('defender', 'https://api.security.microsoft.com/'));
    assert.equal(a.limit, 45);
    assert.equal(a.windows[1].limit, 1400);
    assert.notEqual(a, sharedPacer('defender', 'https://us.api.security.microsoft.com'));
    assert.equal(sharedPacer('graph', 'https://graph.microsoft.com').limit, 140);
    assert.equal(sharedPacer('mock', 'http://127.0.0.1:1').limit, 6000);
  });
});
