/**
 * The same contract for both real clients, against the project's mock over HTTP (issue #9, "works
 * against a real tenant"): the live write spellings, what each API can write, resolve in one request,
 * throttling by the server's own words, and comments that land exactly once whatever the clocks say.
 */
import * as assert from 'assert/strict';
import { ClientSecretTokenProvider, type TokenProvider } from '../../src/backend/auth';
import { SlidingWindowPacer } from '../../src/backend/pacer';
import type { Clock } from '../../src/backend/clock';
import { AuthError, CancelledError, ConflictError, NotFoundError, UnsupportedError } from '../../src/backend/errors';
import type { Backend } from '../../src/backend/types';
import { compileFilter, type IncidentQuery } from '../../src/model/query';
import type { Incident } from '../../src/model/types';
import { SETTABLE_CLASSIFICATIONS, determinationsFor } from '../../src/model/rules';
import { startMockServer, type MockServer } from '../../src/mock/server';
import { until } from '../support/until';
import { clientFor, type Dialect } from '../support/world';

/** Real time plus every wait skipped; the pacer shares it. */
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

function makeClient(
  dialect: Dialect,
  mock: MockServer,
  over: { timeoutMs?: number; clock?: Clock; log?: (l: string) => void; tokens?: TokenProvider } = {},
): Backend {
  const clock = over.clock ?? skippingClock();
  return clientFor(dialect, mock, {
    tokens: over.tokens,
    log: over.log,
    timeoutMs: over.timeoutMs,
    pacer: new SlidingWindowPacer(10_000, 60_000, clock),
    http: { clock, backoffBaseMs: 5 },
    comments: { clock, backoffMs: 5 },
  });
}

async function listAll(c: Backend, q: IncidentQuery, top: number): Promise<Incident[]> {
  const all: Incident[] = [];
  let cursor: string | null = null;
  do {
    const p = await c.listIncidents(q, { top, cursor });
    all.push(...p.items);
    cursor = p.next;
  } while (cursor);
  return all;
}

const MOCK_AUTH = {
  tenantId: '3f1c2b4e-8d3a-4c6b-9e7f-2a1d5c8b0e35',
  clientId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46',
  clientSecret: 'mock-secret-value-42',
  required: true,
};
const SCOPE: Record<Dialect, string> = { defender: 'https://api.security.microsoft.com/.default', graph: 'https://graph.microsoft.com/.default' };
const API_PREFIX: Record<Dialect, string> = { defender: '/api/', graph: '/v1.0/' };

const incidentPath = (dialect: Dialect, id: string): string => (dialect === 'defender' ? `/api/incidents/${id}` : `/v1.0/security/incidents/${id}`);
/** The request that carries a comment: Defender's PATCH, Graph's POST .../comments. */
const commentWrite = (dialect: Dialect, id: string): { method: string; path: string } =>
  dialect === 'defender' ? { method: 'PATCH', path: `/api/incidents/${id}` } : { method: 'POST', path: `/v1.0/security/incidents/${id}/comments` };

for (const dialect of ['defender', 'graph'] as const) {
  describe(`contract: the ${dialect} client against the mock`, function () {
    this.timeout(20_000);
    let mock: MockServer;
    let id: string;
    beforeEach(async () => {
      mock = await startMockServer({ port: 0, incidentCount: 20, seed: 5 });
      const c = makeClient(dialect, mock);
      id = (await c.listIncidents({ statuses: ['Active'] }, { top: 1 })).items[0].id;
      mock.requests.length = 0;
    });
    afterEach(async () => {
      await mock.close();
    });

    const writes = (method: string, path: string): number => mock.requests.filter(r => r.method === method && r.path.split('?')[0] === path).length;

    it('lists every page without duplicates, alerts and their evidence included, one log line per request', async () => {
      const lines: string[] = [];
      const all = await listAll(makeClient(dialect, mock, { log: l => lines.push(l) }), {}, 7);
      assert.equal(all.length, 20);
      assert.equal(new Set(all.map(i => i.id)).size, 20);
      assert.equal(mock.requests.filter(r => r.method === 'GET').length, 3);
      assert.ok(
        all.some(i => i.alerts.some(a => a.devices.length + a.entities.length > 0)),
        'evidence mapped',
      );
      assert.ok(lines.length === 3 && lines.every(l => /^GET \S+ 200 \d+ms retries=0$/.test(l)), lines.join('\n'));
    });

    it("filters on the server what the backend can and returns what the server matched: the rest is the caller's one match (unassigned never sent)", async () => {
      const c = makeClient(dialect, mock);
      const everything = await listAll(c, {}, 50);
      const open = (i: Incident) => i.status === 'Active' || i.status === 'InProgress';
      const highOrMedium = (i: Incident) => ['High', 'Medium'].includes(i.severity);
      const ids = (xs: Incident[]) => xs.map(i => i.id).sort();
      assert.ok(
        everything.some(i => open(i) && highOrMedium(i)),
        'the seed has open High or Medium incidents',
      );
      assert.ok(
        everything.some(i => open(i) && !highOrMedium(i)),
        'the seed has open Low or Informational incidents',
      );
      mock.requests.length = 0;
      const got = await listAll(c, { statuses: ['Active', 'InProgress'], severities: ['High', 'Medium'] }, 50);
      const sent = decodeURIComponent(mock.requests[0].path);
      assert.match(sent, /status eq/);
      const serverSeverity = c.capabilities.serverFilters.includes('severity');
      assert.equal(/severity eq/.test(sent), serverSeverity, sent);
      // Exactly what the server ran: severity too where it can, otherwise every open incident (no second match here).
      assert.deepEqual(ids(got), ids(everything.filter(i => open(i) && (!serverSeverity || highOrMedium(i)))));
      const since = everything.map(i => i.lastUpdateTime).sort()[8];
      const recent = await listAll(c, { updatedSince: since, assignedTo: null }, 50);
      assert.doesNotMatch(decodeURIComponent(mock.requests.at(-1)?.path ?? ''), /assignedTo/, 'unassigned is never sent');
      const updated = everything.filter(i => Date.parse(i.lastUpdateTime) >= Date.parse(since));
      assert.ok(updated.some(i => i.assignedTo) && updated.some(i => !i.assignedTo), 'the window holds assigned and unassigned incidents');
      assert.deepEqual(ids(recent), ids(updated), "owned incidents come back: the caller's filter drops them");
    });

    it('gets, updates status, owner and tags on the copy seen, comments; an unknown id is NotFoundError naming it', async () => {
      const c = makeClient(dialect, mock);
      const got = await c.getIncident(id);
      assert.equal(got.id, id);
      const updated = await c.updateIncident(id, { status: 'InProgress', assignedTo: 'me@contoso.com', tags: ['triage'] }, { expected: got });
      assert.equal(updated.status, 'InProgress');
      assert.equal(updated.assignedTo, 'me@contoso.com');
      assert.deepEqual(updated.tags, ['triage']);
      const comments = await c.addComment(id, "it's me");
      assert.equal(comments.at(-1)?.text, "it's me");
      await assert.rejects(c.getIncident('999999999'), (e: unknown) => e instanceof NotFoundError && /Incident 999999999/.test(e.message));
    });

    it('raises ConflictError after another analyst edits, and sends nothing', async () => {
      const c = makeClient(dialect, mock);
      const seen = await c.getIncident(id);
      await until(() => Date.now() > Date.parse(seen.lastUpdateTime), 'the clock to pass the copy seen');
      mock.edit(id, { assignedTo: 'other@contoso.com', status: 'InProgress' }, 'other@contoso.com');
      mock.requests.length = 0;
      await assert.rejects(c.updateIncident(id, { status: 'Resolved' }, { expected: seen }), (e: unknown) => {
        assert.ok(e instanceof ConflictError);
        assert.ok(e.changes.some(ch => ch.field === 'assignedTo' && ch.to === 'other@contoso.com'));
        assert.equal(e.server.assignedTo, 'other@contoso.com');
        return true;
      });
      assert.equal(mock.requests.filter(r => r.method !== 'GET').length, 0);
    });

    it('signs in with a client secret, caches the token, refreshes silently once after expiredToken, then asks to sign in', async () => {
      await mock.close();
      mock = await startMockServer({ port: 0, incidentCount: 4, seed: 2, auth: MOCK_AUTH });
      const lines: string[] = [];
      const tokens = new ClientSecretTokenProvider({
        authorityHost: mock.url,
        tenantId: MOCK_AUTH.tenantId,
        clientId: MOCK_AUTH.clientId,
        scope: SCOPE[dialect],
        getSecret: async () => MOCK_AUTH.clientSecret,
        log: l => lines.push(l),
      });
      const c = makeClient(dialect, mock, { tokens, log: l => lines.push(l) });
      assert.equal((await c.listIncidents({})).items.length, 4);
      await c.listIncidents({});
      assert.equal(mock.requests.filter(r => r.dialect === 'token').length, 1);
      mock.faults.add({ match: { path: API_PREFIX[dialect] }, kind: 'expiredToken' });
      assert.equal((await c.listIncidents({})).items.length, 4);
      assert.equal(mock.requests.filter(r => r.dialect === 'token').length, 2);
      mock.faults.add({ match: { path: API_PREFIX[dialect] }, kind: 'expiredToken', times: 2 });
      await assert.rejects(c.listIncidents({}), (e: unknown) => e instanceof AuthError && /sign in again/i.test(e.message));
      for (const l of lines) {
        assert.ok(!l.includes(MOCK_AUTH.clientSecret) && !/bearer/i.test(l), l);
      }
    });

    describe('client-secret auth refused by the mock token endpoint', () => {
      beforeEach(async () => {
        await mock.close();
        mock = await startMockServer({ port: 0, incidentCount: 3, seed: 1, auth: MOCK_AUTH });
      });
      const tokens = (secret: string): ClientSecretTokenProvider =>
        new ClientSecretTokenProvider({
          authorityHost: mock.url,
          tenantId: MOCK_AUTH.tenantId,
          clientId: MOCK_AUTH.clientId,
          scope: SCOPE[dialect],
          getSecret: async () => secret,
        });

      it('a wrong secret is AuthError with the AADSTS text and never the secret', async () => {
        await assert.rejects(
          makeClient(dialect, mock, { tokens: tokens('wrong-secret-123') }).listIncidents({}),
          (e: unknown) => e instanceof AuthError && /AADSTS7000215/.test(e.message) && !e.message.includes('wrong-secret-123'),
        );
      });

      it('a token the endpoint did not issue: AuthError telling to sign in again', async () => {
        await assert.rejects(makeClient(dialect, mock).listIncidents({}), (e: unknown) => e instanceof AuthError && /sign in again/i.test(e.message));
      });
    });

    it('writes every classification/determination pair the pane offers in a spelling the API accepts', async () => {
      const c = makeClient(dialect, mock);
      let pairs = 0;
      for (const classification of SETTABLE_CLASSIFICATIONS) {
        for (const determination of determinationsFor(classification)) {
          const r = await c.updateIncident(id, { classification, determination });
          assert.equal(r.classification, classification, `${classification}/${determination}`);
          assert.equal(r.determination, determination, `${classification}/${determination}`);
          pairs++;
        }
      }
      assert.equal(pairs, 15);
      assert.ok(
        mock.requests.every(r => r.status === 200),
        mock.requests
          .filter(r => r.status !== 200)
          .map(r => `${r.method} ${r.path} ${r.status}`)
          .join('\n'),
      );
    });

    it(dialect === 'graph' ? 'renames and changes severity' : 'refuses rename and severity before any request, naming the API that can', async () => {
      const c = makeClient(dialect, mock);
      if (dialect === 'graph') {
        const r = await c.updateIncident(id, { name: 'Renamed from VS Code', severity: 'Informational' });
        assert.equal(r.name, 'Renamed from VS Code');
        assert.equal(r.severity, 'Informational');
        assert.equal((await c.getIncident(id)).name, 'Renamed from VS Code');
        return;
      }
      assert.equal(c.capabilities.canRename, false);
      for (const patch of [{ name: 'x' }, { severity: 'Low' }, { severity: 'Low', status: 'Resolved' }]) {
        await assert.rejects(
          c.updateIncident(id, patch),
          (e: unknown) => e instanceof UnsupportedError && /Microsoft Defender XDR API cannot .*Microsoft Graph security API can/.test(e.message),
        );
      }
      assert.deepEqual(mock.requests, [], 'nothing reached the server');
    });

    it('resolves with a comment in one write; the comment lands once (Graph: as the resolving comment)', async () => {
      const c = makeClient(dialect, mock);
      const text = `Resolved: contained (${dialect})`;
      const r = await c.updateIncident(id, { status: 'Resolved', classification: 'TruePositive', determination: 'Malware', resolvingComment: text });
      assert.equal(r.status, 'Resolved');
      assert.equal(writes('PATCH', incidentPath(dialect, id)), 1);
      assert.equal(mock.requests.filter(q => q.method === 'POST').length, 0);
      const now = await c.getIncident(id);
      if (dialect === 'graph') {
        assert.equal(r.resolvingComment, text);
        assert.equal(now.resolvingComment, text);
      } else {
        assert.equal(now.comments.filter(x => x.text === text).length, 1);
      }
    });

    for (const offsetMin of [-3, 3]) {
      for (const fault of ['timeoutAfterApply', 'apply+500'] as const) {
        it(`a comment whose answer is lost after commit (${fault}) lands exactly once, server clock ${offsetMin > 0 ? 'ahead' : 'behind'} by 3 min`, async () => {
          mock.setClockOffset(offsetMin * 60_000);
          const w = commentWrite(dialect, id);
          mock.faults.add(
            fault === 'timeoutAfterApply' ? { match: w, kind: 'timeoutAfterApply', ms: 2000 } : { match: w, kind: 'status', status: 500, apply: true },
          );
          const text = `exactly once ${fault} ${offsetMin}`;
          const list = await makeClient(dialect, mock, { timeoutMs: 300 }).addComment(id, text);
          assert.equal(list.filter(x => x.text === text).length, 1);
          assert.equal(writes(w.method, w.path), 1, 'never sent again');
          assert.equal((await makeClient(dialect, mock).getIncident(id)).comments.filter(x => x.text === text).length, 1);
        });
      }
    }

    it('a comment write that answered 2xx is not sent again, even when its answer is odd and the read-back fails', async () => {
      const w = commentWrite(dialect, id);
      // The snapshot read goes through (the latency fault is taken first); every later read is reset.
      mock.faults.add({ match: { method: 'GET', path: incidentPath(dialect, id) }, kind: 'latency', ms: 0 });
      mock.faults.add({ match: w, kind: 'status', status: 200, apply: true, body: { unexpected: true } });
      mock.faults.add({ match: { method: 'GET', path: incidentPath(dialect, id) }, kind: 'reset', times: 100 });
      const text = `2xx then lost (${dialect})`;
      const list = await makeClient(dialect, mock).addComment(id, text);
      assert.ok(
        list.some(x => x.text === text),
        'reported as added',
      );
      assert.equal(writes(w.method, w.path), 1);
      mock.faults.clear();
      assert.equal((await makeClient(dialect, mock).getIncident(id)).comments.filter(x => x.text === text).length, 1);
    });
  });
}

describe("contract: throttling by the server's own words (real time, both dialects at once)", function () {
  this.timeout(60_000);
  let mock: MockServer;
  afterEach(async () => {
    await mock.close();
  });

  // The window is long enough that the server's wait (3 to 6 s) cannot be mistaken for a backoff guess (1 s), and
  // short enough that the three waits Graph needs do not dominate the unit suite (12 s cost it 36 s).
  const WINDOW_MS = 6_000;
  it("four updates under a limit of 2 per 6 s all succeed; Defender's 429 carries the wait only in its body", async () => {
    mock = await startMockServer({ port: 0, incidentCount: 10, seed: 9, rateLimit: { limit: 2, windowMs: WINDOW_MS } });
    const run = async (dialect: Dialect): Promise<{ waits: number[] }> => {
      const lines: string[] = [];
      const c = makeClient(dialect, mock, {
        clock: {
          now: () => Date.now(),
          sleep: (ms, s) =>
            new Promise((resolve, reject) => {
              const t = setTimeout(resolve, ms);
              s?.addEventListener(
                'abort',
                () => {
                  clearTimeout(t);
                  reject(new CancelledError());
                },
                { once: true },
              );
            }),
        },
        log: l => lines.push(l),
      });
      const waits: number[] = [];
      const ids = ['1', '2', '3', '4'].map(n => String(mock.db.list()[Number(n)].incidentId));
      for (const target of ids) {
        const r = await c.updateIncident(target, { tags: ['paced'] }, { onRetry: i => waits.push(i.delayMs) });
        assert.deepEqual(r.tags, ['paced']);
      }
      return { waits };
    };
    const t0 = Date.now();
    const [defender, graph] = await Promise.all([run('defender'), run('graph')]);
    const throttled = mock.requests.filter(r => r.status === 429);
    assert.ok(throttled.some(r => r.dialect === 'defender') && throttled.some(r => r.dialect === 'graph'), 'each dialect was throttled');
    // The waits came from the server (about the window), not from a 1 s backoff guess.
    for (const w of [...defender.waits, ...graph.waits]) {
      assert.ok(w >= WINDOW_MS - 3_000 && w <= WINDOW_MS, String(w));
    }
    assert.ok(defender.waits.length >= 1 && graph.waits.length >= 1);
    // Defender: 4 PATCHes, one wait of a window. Graph: a PATCH answer has no alerts, so each update reads the
    // incident back (8 requests, three waits); 9 s to spare over those three windows.
    assert.equal(defender.waits.length, 1);
    assert.ok(Date.now() - t0 < 3 * WINDOW_MS + 9_000);
    assert.equal(mock.requests.filter(r => r.method === 'PATCH' && r.status === 200).length, 8);
    // Defender's 429 said how long only in its body (no Retry-After header by default in the mock).
    assert.ok(defender.waits.every(w => w % 1000 === 0));
  });
});

describe('contract: a $filter with "or" the server refuses', function () {
  this.timeout(20_000);
  let mock: MockServer;
  afterEach(async () => {
    await mock.close();
  });

  it("is dropped from the server query for the client's life (the caller's filter matches statuses), and logged once", async () => {
    mock = await startMockServer({ port: 0, incidentCount: 60, seed: 3 });
    const lines: string[] = [];
    const c = makeClient('defender', mock, { log: l => lines.push(l) });
    const everything = (await c.listIncidents({}, { top: 100 })).items;
    const want = everything
      .filter(i => (i.status === 'Active' || i.status === 'InProgress') && i.severity === 'High')
      .map(i => i.id)
      .sort();
    assert.ok(want.length > 0);
    mock.faults.add({
      match: { method: 'GET', path: '%20or%20' },
      kind: 'status',
      status: 400,
      times: 100,
      body: { error: { code: 'InvalidInput', message: "Invalid filter: 'or' is not supported." } },
    });
    mock.requests.length = 0;
    const q = { statuses: ['Active', 'InProgress'], severities: ['High'], createdSince: '2000-01-01T00:00:00Z' };
    const first = await c.listIncidents(q, { top: 100 });
    // The page is what the server ran (every status, every severity: Defender filters neither now); the
    // caller's one match of its filter keeps the open High ones.
    assert.deepEqual(first.items.map(i => i.id).sort(), everything.map(i => i.id).sort());
    const match = compileFilter({ statuses: ['Active', 'InProgress'], severities: ['High'] }, '', Date.now());
    const matched = (page: { items: Incident[] }) =>
      page.items
        .filter(match)
        .map(i => i.id)
        .sort();
    assert.deepEqual(matched(first), want);
    assert.deepEqual(
      mock.requests.map(r => r.status),
      [400, 200],
    );
    const kept = decodeURIComponent(mock.requests[1].path);
    assert.match(kept, /createdTime ge 2000-01-01/, 'the rest of the filter stays on the server');
    assert.doesNotMatch(kept, / or |status eq/);
    const again = await c.listIncidents(q, { top: 100 });
    assert.deepEqual(matched(again), want);
    assert.deepEqual(
      mock.requests.map(r => r.status),
      [400, 200, 200],
      'not asked again',
    );
    assert.equal(lines.filter(l => /refused a \$filter with "or"/.test(l)).length, 1);
    // A single status has no "or": still filtered on the server.
    await c.listIncidents({ statuses: ['Active'] }, { top: 100 });
    assert.match(decodeURIComponent(mock.requests.at(-1)?.path ?? ''), /status eq 'Active'/);
  });
});
