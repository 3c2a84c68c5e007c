import * as assert from 'assert/strict';
import { HuntingClient, huntingPacer, nextCpuCycle, parseHuntAnswer, HUNTING_PATH } from '../../src/hunting/client';
import { huntingTarget, huntingTenantKey } from '../../src/hunting/connection';
import { pacerFor } from '../../src/backend/pacer';
import { StaticTokenProvider } from '../../src/backend/auth';
import { BackendError, CancelledError, ForbiddenError, InvalidResponseError, ThrottledError, UnreachableError } from '../../src/backend/errors';
import type { Clock } from '../../src/backend/clock';
import { startServer, json, type TestServer } from './support/server';

/** A virtual clock: sleeps advance it instantly. */
function virtualClock(start = Date.UTC(2026, 0, 5, 10, 7, 0)): Clock & { t: number; slept: number[] } {
  const c = {
    t: start,
    slept: [] as number[],
    now: () => c.t,
    sleep: async (ms: number, signal?: AbortSignal) => {
      if (signal?.aborted) throw new CancelledError();
      c.slept.push(ms);
      c.t += Math.max(0, ms);
    },
  };
  return c;
}

const META = { query: 'T', elapsedMs: 5, ranAt: '2026-01-05T10:00:00.000Z' };

describe('hunting: the pacer against the hunting quotas', () => {
  it('grants 45 calls in a minute, then waits for the oldest to leave the window', async () => {
    const clock = virtualClock();
    const p = huntingPacer(clock);
    for (let i = 0; i < 45; i++) await p.acquire(undefined, 0);
    await assert.rejects(p.acquire(undefined, 0), (e: unknown) => e instanceof ThrottledError && /45 per minute/.test(e.message));
    const before = clock.t;
    await p.acquire();
    assert.equal(clock.t - before, 60_000, 'waited exactly until the first grant left the minute');
  });

  it('holds at 1,500 calls an hour even when every minute is under 45', async () => {
    const clock = virtualClock();
    const p = huntingPacer(clock);
    let granted = 0;
    // 40 a minute for 37.5 minutes = 1,500 calls.
    while (granted < 1500) {
      for (let i = 0; i < 40 && granted < 1500; i++) {
        await p.acquire(undefined, 0);
        granted++;
      }
      clock.t += 60_000;
    }
    await assert.rejects(p.acquire(undefined, 0), (e: unknown) => e instanceof ThrottledError && /1500 per hour/.test(e.message));
    assert.deepEqual(
      p.budget().map(b => b.remaining),
      [45, 0],
    );
  });

  it('is not the incidents budget: a full hunting minute leaves triage its whole budget', async () => {
    const clock = virtualClock();
    const hunting = huntingPacer(clock);
    const incidents = pacerFor('graph', clock);
    for (let i = 0; i < 45; i++) await hunting.acquire(undefined, 0);
    assert.equal(incidents.budget()[0].remaining, incidents.limit);
    await incidents.acquire(undefined, 0);
  });

  it('the CPU block lasts until the next quarter hour', () => {
    assert.equal(nextCpuCycle(Date.UTC(2026, 0, 5, 10, 7, 30)), Date.UTC(2026, 0, 5, 10, 15, 0));
    assert.equal(nextCpuCycle(Date.UTC(2026, 0, 5, 10, 15, 0)), Date.UTC(2026, 0, 5, 10, 30, 0));
  });
});

describe('hunting: reading the answer', () => {
  it('reads name/type and Name/Type, and top-level Schema/Results', () => {
    const a = parseHuntAnswer(
      {
        schema: [
          { name: 'Timestamp', type: 'DateTime' },
          { name: 'DeviceName', type: 'String' },
        ],
        results: [{ Timestamp: '2026-01-01T00:00:00Z', DeviceName: 'ws-01' }],
      },
      META,
    );
    const b = parseHuntAnswer(
      {
        Schema: [
          { Name: 'Timestamp', Type: 'DateTime' },
          { Name: 'DeviceName', Type: 'String' },
        ],
        Results: [{ Timestamp: '2026-01-01T00:00:00Z', DeviceName: 'ws-01' }],
      },
      META,
    );
    assert.deepEqual(a.columns, [
      { name: 'Timestamp', type: 'DateTime' },
      { name: 'DeviceName', type: 'String' },
    ]);
    assert.deepEqual(b.columns, a.columns);
    assert.deepEqual(a.rows, [['2026-01-01T00:00:00Z', 'ws-01']]);
    assert.deepEqual(b.rows, a.rows);
    assert.equal(a.truncated, false);
  });

  it('keeps dynamic values as JSON text and missing ones as empty', () => {
    const a = parseHuntAnswer(
      {
        schema: [
          { name: 'A', type: 'Dynamic' },
          { name: 'B', type: 'Int64' },
          { name: 'C', type: 'String' },
        ],
        results: [{ A: { x: [1, '<b>'] }, B: 7 }],
      },
      META,
    );
    assert.deepEqual(a.rows, [['{"x":[1,"<b>"]}', 7, null]]);
  });

  it('reports malformed answers precisely instead of crashing', () => {
    const cases: [unknown, RegExp][] = [
      [undefined, /body is empty/],
      ['text', /not a JSON object/],
      [[], /not a JSON object/],
      [{ results: [] }, /"schema" is missing/],
      [{ schema: [] }, /"results" is missing/],
      [{ schema: [{ type: 'String' }], results: [] }, /schema entry 1 has no name/],
      [{ schema: ['x'], results: [] }, /schema entry 1 is not an object/],
      [{ schema: [{ name: 'A' }], results: [1] }, /result row 1 is not an object/],
    ];
    for (const [data, re] of cases)
      assert.throws(
        () => parseHuntAnswer(data, META),
        (e: unknown) => e instanceof InvalidResponseError && re.test(e.message),
        String(re),
      );
  });

  it('marks a result at the service limit as truncated', () => {
    const results = Array.from({ length: 100_000 }, (_, i) => ({ N: i }));
    const a = parseHuntAnswer({ schema: [{ name: 'N', type: 'Int64' }], results }, META);
    assert.equal(a.truncated, true);
    assert.equal(a.rowLimit, 100_000);
  });
});

describe('hunting: the client on the HTTP road', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  const client = (clock = virtualClock(), over: { timeoutMs?: number } = {}) =>
    new HuntingClient({
      baseUrl: server!.url,
      tokens: new StaticTokenProvider('tok'),
      flavor: 'graph',
      pacer: huntingPacer(clock),
      clock,
      retryDelayMs: 5,
      ...over,
    });
  const ok = { schema: [{ name: 'X', type: 'String' }], results: [{ X: 'ä ✓' }] };

  it('POSTs {Query, Timespan} as UTF-8 JSON to /v1.0/security/runHuntingQuery', async () => {
    server = await startServer((_q, res) => json(res, 200, ok));
    const out = await client().runHunt('DeviceProcessEvents | where FileName == "ä.exe"', 'P7D');
    const r = server.requests[0];
    assert.equal(r.method, 'POST');
    assert.equal(r.url, HUNTING_PATH);
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers.authorization, 'Bearer tok');
    assert.deepEqual(JSON.parse(r.body), { Query: 'DeviceProcessEvents | where FileName == "ä.exe"', Timespan: 'P7D' });
    assert.deepEqual(out.rows, [['ä ✓']]);
    assert.equal(out.timespan, 'P7D');
  });

  it('sends no Timespan when none is set, and refuses an empty query without sending', async () => {
    server = await startServer((_q, res) => json(res, 200, ok));
    await client().runHunt('T', undefined);
    assert.deepEqual(JSON.parse(server.requests[0].body), { Query: 'T' });
    await assert.rejects(client().runHunt('  \n', undefined), /empty/);
    assert.equal(server.requests.length, 1);
  });

  it('a 429 "maximum allowed 45 per 00:01:00" waits out the minute once, then runs', async () => {
    server = await startServer((_q, res, _b, n) =>
      n === 1
        ? json(res, 429, { error: { code: 'TooManyRequests', message: 'API calls quota exceeded! maximum allowed 45 per 00:01:00' } })
        : json(res, 200, ok),
    );
    const clock = virtualClock();
    const waits: string[] = [];
    const out = await client(clock).runHunt('T', undefined, { onWait: m => waits.push(m) });
    assert.equal(out.rows.length, 1);
    assert.equal(server.requests.length, 2);
    assert.match(waits[0], /at most 45 queries per minute/);
    assert.ok(clock.slept.includes(60_000), `waited the minute: ${clock.slept.join(',')}`);
  });

  it('a 429 on the hourly quota is not waited out: it says when queries run again', async () => {
    server = await startServer((_q, res) =>
      json(res, 429, { error: { code: 'TooManyRequests', message: 'API calls quota exceeded! maximum allowed 1500 per 01:00:00' } }),
    );
    const clock = virtualClock();
    await assert.rejects(
      client(clock).runHunt('T', undefined),
      (e: unknown) =>
        e instanceof ThrottledError && /1500 queries per hour/.test(e.message) && e.until === clock.t + 3_600_000 && /run again at \d\d:\d\d/.test(e.message),
    );
    assert.equal(server.requests.length, 1);
  });

  it('the CPU quota blocks until the next 15-minute cycle, and the pacer holds later calls', async () => {
    server = await startServer((_q, res) =>
      json(res, 429, {
        error: { code: 'TooManyRequests', message: 'Tenant exceeded the allocated CPU resources. Queries are blocked until the next 15 minute cycle.' },
      }),
    );
    const clock = virtualClock(Date.UTC(2026, 0, 5, 10, 7, 0));
    const c = client(clock);
    await assert.rejects(
      c.runHunt('T', undefined),
      (e: unknown) => e instanceof ThrottledError && /CPU quota/.test(e.message) && e.until === Date.UTC(2026, 0, 5, 10, 15, 0),
    );
    // 8 minutes away: the next call is refused by our own pacer, without a request.
    await assert.rejects(c.runHunt('T', undefined), ThrottledError);
    assert.equal(server.requests.length, 1);
  });

  it('400 result too large and 400 syntax errors say what to do', async () => {
    server = await startServer((_q, res, body) =>
      JSON.parse(body).Query === 'big'
        ? json(res, 400, { error: { code: 'BadRequest', message: 'Query execution has exceeded the allowed result size' } })
        : json(res, 400, { error: { code: 'BadRequest', message: "Query could not be parsed at 'whre'" } }),
    );
    await assert.rejects(
      client().runHunt('big', undefined),
      (e: unknown) => e instanceof BackendError && /larger than advanced hunting returns/.test(e.message),
    );
    await assert.rejects(
      client().runHunt('T | whre', undefined),
      (e: unknown) => e instanceof BackendError && /refused the query: Query could not be parsed at 'whre'/.test(e.message),
    );
  });

  it('504 UnknownError and 500 with an empty message are retried once', async () => {
    server = await startServer((_q, res, _b, n) =>
      n === 1
        ? json(res, 504, { error: { code: 'UnknownError', message: '' } })
        : n === 2
          ? json(res, 200, ok)
          : n === 3
            ? json(res, 500, { error: { code: '', message: '' } })
            : json(res, 500, {}),
    );
    assert.equal((await client().runHunt('T', undefined)).rows.length, 1);
    assert.equal(server.requests.length, 2);
    await assert.rejects(client().runHunt('T', undefined), (e: unknown) => e instanceof BackendError && /HTTP 500.*also on a retry/.test(e.message));
    assert.equal(server.requests.length, 4, 'one retry, not more');
  });

  it('403 names ThreatHunting.Read.All', async () => {
    server = await startServer((_q, res) => json(res, 403, { error: { code: 'Forbidden', message: 'Missing role' } }));
    await assert.rejects(
      client().runHunt('T', undefined),
      (e: unknown) => e instanceof ForbiddenError && /ThreatHunting\.Read\.All/.test(e.message) && /Missing role/.test(e.message),
    );
  });

  it('a malformed 200 is reported', async () => {
    server = await startServer((_q, res) => json(res, 200, { rows: [] }));
    await assert.rejects(client().runHunt('T', undefined), InvalidResponseError);
  });

  it('cancelling aborts the request in flight', async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const ctl = new AbortController();
    const run = client(undefined).runHunt('T', undefined, { signal: ctl.signal });
    setTimeout(() => ctl.abort(), 50);
    await assert.rejects(run, CancelledError);
  });

  it('a query past the time limit is reported as the service limit', async () => {
    server = await startServer(() => {
      /* never answers */
    });
    const c = new HuntingClient({ baseUrl: server.url, tokens: new StaticTokenProvider('tok'), flavor: 'graph', pacer: huntingPacer(), timeoutMs: 100 });
    await assert.rejects(c.runHunt('T', undefined), (e: unknown) => e instanceof UnreachableError && /3 minutes/.test(e.message));
  });
});

describe('hunting: where it goes', () => {
  it('Graph on the Graph backend; a Graph host beside the Defender one; the mock origin on loopback', () => {
    assert.deepEqual(huntingTarget({ kind: 'graph', apiBaseUrl: 'https://graph.microsoft.com' }), {
      baseUrl: 'https://graph.microsoft.com',
      scope: 'https://graph.microsoft.com/.default',
    });
    assert.deepEqual(huntingTarget({ kind: 'defender', apiBaseUrl: 'https://api.security.microsoft.com' }), {
      baseUrl: 'https://graph.microsoft.com',
      scope: 'https://graph.microsoft.com/.default',
    });
    assert.deepEqual(huntingTarget({ kind: 'defender', apiBaseUrl: 'https://api-gcc.security.microsoft.us' }), {
      baseUrl: 'https://graph.microsoft.us',
      scope: 'https://graph.microsoft.us/.default',
    });
    assert.deepEqual(huntingTarget({ kind: 'defender', apiBaseUrl: 'http://127.0.0.1:7000' }), {
      baseUrl: 'http://127.0.0.1:7000',
      scope: 'https://graph.microsoft.com/.default',
    });
  });

  it('one hunting budget per tenant', () => {
    assert.equal(huntingTenantKey({ kind: 'defender', tenantId: 'ABC' }, 'https://graph.microsoft.com'), 'graph.microsoft.com|abc');
    assert.notEqual(
      huntingTenantKey({ kind: 'graph', tenantId: 'a' }, 'https://graph.microsoft.com'),
      huntingTenantKey({ kind: 'graph', tenantId: 'b' }, 'https://graph.microsoft.com'),
    );
  });
});
