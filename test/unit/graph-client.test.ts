import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { GraphClient } from '../../src/backend/graph/client';
import { NoAuthTokenProvider, StaticTokenProvider, type TokenProvider } from '../../src/backend/auth';
import { SlidingWindowPacer } from '../../src/backend/pacer';
import type { Clock } from '../../src/backend/clock';
import { CancelledError, ConflictError } from '../../src/backend/errors';
import type { Incident } from '../../src/model/types';
import { startMockServer, type MockServer } from '../../src/mock/server';

import { startServer, json, type TestServer } from './support/server';
import { until } from '../support/until';

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
const example = (): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'graph-incident-example.json'), 'utf8')) as Record<string, unknown>;

describe('GraphClient (precise fake server)', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  function client(timeoutMs?: number): GraphClient {
    if (!server) {
      throw new Error('no server');
    }
    return new GraphClient({
      baseUrl: server.url,
      tokens: new NoAuthTokenProvider(),
      log: () => undefined,
      timeoutMs,
      pacer: new SlidingWindowPacer(10_000, 60_000, fastClock),
      http: { clock: fastClock, backoffBaseMs: 1 },
      comments: { clock: fastClock, backoffMs: 1 },
    });
  }

  it('lists with $expand=alerts, camelCase $filter, $top at most 50, nextLink paging and the Prefer header', async () => {
    server = await startServer((req, res) => {
      const u = new URL(req.url ?? '', 'http://x');
      const page = Number(u.searchParams.get('page') ?? 0);
      const body: Record<string, unknown> = { value: [{ ...example(), id: `g${page}` }] };
      if (page < 2) {
        body['@odata.nextLink'] = `${server?.url}/v1.0/security/incidents?$expand=alerts&page=${page + 1}`;
      }
      json(res, 200, body);
    });
    const c = client();
    assert.deepEqual(c.capabilities.serverFilters, ['status', 'severity', 'assignedTo', 'classification', 'lastUpdateTime', 'createdTime']);
    assert.equal(c.capabilities.maxPageSize, 50);
    const ids: string[] = [];
    let cursor: string | null = null;
    let first = true;
    do {
      const p = await c.listIncidents(
        first
          ? {
              statuses: ['InProgress', 'Active'],
              severities: ['UnSpecified', 'Medium'],
              classifications: ['TruePositive'],
              assignedTo: "o'neil@contoso.com",
              updatedSince: '2024-01-01T00:00:00Z',
            }
          : {},
        { top: 999, cursor },
      );
      first = false;
      ids.push(...p.items.map(i => i.id));
      cursor = p.next;
    } while (cursor);
    assert.deepEqual(ids, ['g0', 'g1', 'g2']);
    const u = new URL(server.requests[0].url, server.url);
    assert.equal(u.pathname, '/v1.0/security/incidents');
    assert.equal(u.searchParams.get('$expand'), 'alerts');
    assert.equal(u.searchParams.get('$top'), '50');
    assert.equal(
      u.searchParams.get('$filter'),
      "(status eq 'inProgress' or status eq 'active') and (severity eq 'unknown' or severity eq 'medium') and classification eq 'truePositive'" +
        " and assignedTo eq 'o''neil@contoso.com' and lastUpdateDateTime ge 2024-01-01T00:00:00.000Z",
    );
    for (const r of server.requests) {
      assert.equal(r.headers.prefer, 'include-unknown-enum-members');
    }
  });

  it('drops a nextLink to another host and refuses a foreign cursor', async () => {
    server = await startServer((_req, res) => json(res, 200, { value: [], '@odata.nextLink': 'https://evil.example/v1.0/security/incidents?page=2' }));
    const p = await client().listIncidents({});
    assert.equal(p.next, null);
    await assert.rejects(client().listIncidents({}, { cursor: 'https://evil.example/x' }));
    assert.equal(server.requests.length, 1);
  });

  it('drops a same-origin nextLink to another path and refuses such a cursor (issue 16 item 10)', async () => {
    let link = '';
    server = await startServer((_req, res) => json(res, 200, { value: [], '@odata.nextLink': link }));
    for (const path of ['/v1.0/security/incidents/42', '/v1.0/me/messages', '/__mock/reset', '/v1.0/security/incidents/../alerts_v2']) {
      link = `${server.url}${path}?$skiptoken=x`;
      assert.equal((await client().listIncidents({})).next, null, path);
    }
    const before = server.requests.length;
    await assert.rejects(client().listIncidents({}, { cursor: `${server.url}/__mock/reset` }), /Invalid page cursor/);
    assert.equal(server.requests.length, before, 'nothing was sent');
    // The list's own path, any query: followed.
    link = `${server.url}/v1.0/security/incidents?$skiptoken=abc`;
    assert.equal((await client().listIncidents({})).next, link);
  });

  it('PATCHes only the writable fields in Graph names and keeps the alerts', async () => {
    server = await startServer((req, res, body) => {
      if (req.method === 'GET') {
        json(res, 200, example());
        return;
      }
      const { alerts: _alerts, ...rest } = example();
      json(res, 200, { ...rest, ...(JSON.parse(body) as Record<string, unknown>), lastUpdateDateTime: '2030-01-01T00:00:00Z' });
    });
    const c = client();
    assert.equal(c.capabilities.canRename, true);
    assert.equal(c.capabilities.canChangeSeverity, true);
    await c.updateIncident('2972395', { name: 'Renamed', severity: 'UnSpecified' });
    assert.deepEqual(JSON.parse(server.requests[0].body), { displayName: 'Renamed', severity: 'unknown' });
    // The answer has no alerts and nothing was read before: the incident is read back with them.
    assert.deepEqual(
      server.requests.map(r => r.method),
      ['PATCH', 'GET'],
    );
    server.requests.length = 0;
    const seen = await client().getIncident('2972395');
    assert.equal(server.requests[0].url, '/v1.0/security/incidents/2972395?$expand=alerts');
    const updated = await client().updateIncident(
      '2972395',
      { status: 'Resolved', classification: 'FalsePositive', determination: 'NoEnoughDataToValidate', tags: ['t'] },
      { expected: seen },
    );
    const patch = server.requests.find(r => r.method === 'PATCH');
    assert.equal(patch?.url, '/v1.0/security/incidents/2972395');
    assert.deepEqual(JSON.parse(patch?.body ?? ''), {
      status: 'resolved',
      classification: 'falsePositive',
      determination: 'notEnoughDataToValidate',
      customTags: ['t'],
    });
    assert.equal(updated.status, 'Resolved');
    assert.equal(updated.determination, 'NoEnoughDataToValidate');
    assert.equal(updated.alerts.length, 1, 'alerts kept from the conflict-check read');
  });

  it('conflict: nothing sent', async () => {
    server = await startServer((_req, res) => json(res, 200, { ...example(), lastUpdateDateTime: '2031-01-01T00:00:00Z', assignedTo: 'x@y' }));
    const seen = { ...(await client().getIncident('1')), lastUpdateTime: '2021-09-30T09:35:45.1133333Z', assignedTo: 'KaiC@contoso.onmicrosoft.com' };
    await assert.rejects(
      client().updateIncident('1', { status: 'Resolved' }, { expected: seen }),
      (e: unknown) => e instanceof ConflictError && e.changes.length === 1 && e.changes[0].field === 'assignedTo',
    );
    assert.ok(server.requests.every(r => r.method === 'GET'));
  });

  it('POSTs comments as alertComment and is not fooled by a timeout after apply', async () => {
    const comments: Record<string, unknown>[] = [];
    let posts = 0;
    server = await startServer((req, res, body) => {
      if (req.method === 'GET') {
        json(res, 200, { ...example(), comments });
        return;
      }
      posts++;
      const b = JSON.parse(body) as { comment: string };
      comments.push({ comment: b.comment, createdByDisplayName: 'me', createdDateTime: new Date().toISOString() });
      if (posts === 1) {
        return; /* applied, never answers */
      }
      json(res, 200, { '@odata.context': 'x', value: comments });
    });
    const list = await client(150).addComment('1', 'first');
    assert.deepEqual(
      list.map(c => c.text),
      ['first'],
    );
    assert.equal(posts, 1);
    const post = server.requests.find(r => r.method === 'POST');
    assert.equal(post?.url, '/v1.0/security/incidents/1/comments');
    assert.deepEqual(JSON.parse(post?.body ?? ''), { '@odata.type': 'microsoft.graph.security.alertComment', comment: 'first' });
    const list2 = await client().addComment('1', 'second');
    assert.deepEqual(
      list2.map(c => c.text),
      ['first', 'second'],
    );
    assert.equal(posts, 2);
  });

  it('updates alerts through alerts_v2', async () => {
    server = await startServer((_req, res, body) =>
      json(res, 200, { ...(example().alerts as Record<string, unknown>[])[0], ...(JSON.parse(body) as Record<string, unknown>) }),
    );
    const a = await client().updateAlert('da637551227677560813_-961444813', {
      status: 'Resolved',
      assignedTo: 'me@contoso.com',
      determination: 'NotMalicious',
      classification: 'FalsePositive',
    });
    assert.equal(server.requests[0].method, 'PATCH');
    assert.equal(server.requests[0].url, '/v1.0/security/alerts_v2/da637551227677560813_-961444813');
    assert.deepEqual(JSON.parse(server.requests[0].body), {
      status: 'resolved',
      assignedTo: 'me@contoso.com',
      classification: 'falsePositive',
      determination: 'notMalicious',
    });
    assert.equal(a.status, 'Resolved');
    assert.equal(a.determination, 'NotMalicious');
  });
});

describe('GraphClient contract (mock server)', function () {
  this.timeout(20_000);
  let mock: MockServer;
  let lines: string[];
  beforeEach(async () => {
    lines = [];
    mock = await startMockServer({ port: 0, incidentCount: 120, seed: 11 });
  });
  afterEach(async () => {
    await mock.close();
  });

  function client(over: { timeoutMs?: number; tokens?: TokenProvider } = {}): GraphClient {
    return new GraphClient({
      baseUrl: mock.url,
      tokens: over.tokens ?? new StaticTokenProvider(mock.key),
      log: l => lines.push(l),
      timeoutMs: over.timeoutMs,
      pacer: new SlidingWindowPacer(10_000, 60_000, fastClock),
      http: { clock: fastClock, backoffBaseMs: 1 },
      comments: { clock: fastClock, backoffMs: 1 },
    });
  }
  async function listAll(c: GraphClient, q: Parameters<GraphClient['listIncidents']>[0] = {}): Promise<Incident[]> {
    const all: Incident[] = [];
    let cursor: string | null = null;
    do {
      const p = await c.listIncidents(q, { cursor });
      all.push(...p.items);
      cursor = p.next;
    } while (cursor);
    return all;
  }
  const count = (method: string): number => mock.requests.filter(r => r.method === method).length;

  it('shows evolvable enum members thanks to the Prefer header', async () => {
    const [inc] = (await client().listIncidents({}, { top: 1 })).items;
    mock.edit(inc.id, { status: 'AwaitingAction' }, 'other@contoso.com');
    assert.equal((await client().getIncident(inc.id)).status, 'AwaitingAction');
  });

  it('updates, renames, comments (POST), cascades to alerts_v2, raises conflict', async () => {
    const inc = (await listAll(client())).find(i => i.alerts.length > 0 && i.status !== 'Resolved');
    assert.ok(inc);
    const renamed = await client().updateIncident(inc.id, { name: 'Renamed on Graph', severity: 'Low' });
    assert.equal(renamed.name, 'Renamed on Graph');
    assert.equal(renamed.severity, 'Low');
    const updated = await client().updateIncident(
      inc.id,
      {
        status: 'Resolved',
        assignedTo: 'me@contoso.com',
        classification: 'FalsePositive',
        determination: 'NoEnoughDataToValidate',
        tags: ['fp'],
      },
      { expected: renamed },
    );
    assert.equal(updated.status, 'Resolved');
    assert.equal(updated.determination, 'NoEnoughDataToValidate');
    assert.deepEqual(updated.tags, ['fp']);
    assert.equal(updated.alerts.length, inc.alerts.length);
    const comments = await client().addComment(inc.id, 'closing as FP');
    assert.equal(comments.at(-1)?.text, 'closing as FP');
    for (const a of inc.alerts) {
      const res = await client().updateAlert(a.id, { status: 'Resolved', assignedTo: 'me@contoso.com' });
      assert.equal(res.status, 'Resolved');
    }
    assert.ok((await client().getIncident(inc.id)).alerts.every(a => a.status === 'Resolved' && a.assignedTo === 'me@contoso.com'));
    const seen = await client().getIncident(inc.id);
    await until(() => Date.now() > Date.parse(seen.lastUpdateTime), 'the clock to pass the copy seen');
    mock.edit(inc.id, { classification: 'TruePositive', determination: 'Malware' }, 'other@contoso.com');
    const patches = count('PATCH');
    await assert.rejects(
      client().updateIncident(inc.id, { status: 'Active' }, { expected: seen }),
      (e: unknown) => e instanceof ConflictError && e.changes.some(c => c.field === 'classification' && c.to === 'TruePositive'),
    );
    assert.equal(count('PATCH'), patches);
  });

  it('a POST is never retried on 503 by the HTTP layer, but the comment logic re-reads first', async () => {
    const [inc] = (await client().listIncidents({}, { top: 1 })).items;
    mock.faults.add({ match: { method: 'POST' }, kind: 'status', status: 503 });
    const text = `graph 503 ${Date.now()}`;
    const comments = await client().addComment(inc.id, text);
    assert.equal(comments.filter(c => c.text === text).length, 1);
    assert.equal(count('POST'), 2, 'the 503 was not applied, so it was sent again after the re-read');
  });

  it('top above 50 is capped, so the server never answers 400', async () => {
    const p = await client().listIncidents({}, { top: 80 });
    assert.equal(p.items.length, 50);
  });
});
