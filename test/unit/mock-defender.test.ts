import * as assert from 'assert/strict';
import type { MockServer } from '../../src/mock/server';
import { arr, call, errorOf, NOW, rec, startMock, type Json } from '../fixtures/mock-helpers';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('mock server: Defender XDR dialect', () => {
  let server: MockServer;
  let clock = NOW.getTime();
  const api = (p: string): string => `${server.url}/api/${p}`;

  before(async () => {
    server = await startMock({ incidentCount: 230, seed: 5, now: () => new Date(clock) });
  });
  after(async () => {
    await server.close();
  });

  async function list(query: string): Promise<Json[]> {
    const r = await call(api(`incidents${query}`));
    assert.equal(r.status, 200, r.text);
    return arr(rec(r.json).value).map(v => rec(v));
  }

  describe('list', () => {
    it('answers the documented envelope, newest lastUpdateTime first, without a nextLink', async () => {
      const r = await call(api('incidents?$top=5'));
      assert.equal(r.status, 200);
      assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
      const body = rec(r.json);
      assert.equal(body['@odata.context'], 'https://api.security.microsoft.com/api/$metadata#Incidents');
      assert.equal('@odata.nextLink' in body, false);
      const value = arr(body.value).map(v => rec(v));
      assert.equal(value.length, 5);
      const first = value[0];
      for (const k of [
        'incidentId',
        'incidentName',
        'createdTime',
        'lastUpdateTime',
        'assignedTo',
        'classification',
        'determination',
        'status',
        'severity',
        'tags',
        'comments',
        'alerts',
        'redirectIncidentId',
      ]) {
        assert.ok(k in first, `incident field ${k}`);
      }
      assert.equal(typeof first.incidentId, 'number');
      const alert = rec(arr(first.alerts)[0]);
      for (const k of [
        'alertId',
        'incidentId',
        'serviceSource',
        'creationTime',
        'title',
        'category',
        'status',
        'severity',
        'detectionSource',
        'mitreTechniques',
        'devices',
        'entities',
      ]) {
        assert.ok(k in alert, `alert field ${k}`);
      }
      const all = await list('?$top=100');
      for (let i = 1; i < all.length; i++) assert.ok(Date.parse(String(all[i - 1].lastUpdateTime)) >= Date.parse(String(all[i].lastUpdateTime)));
    });

    it('pages with $top and $skip through every incident exactly once (default page 100)', async () => {
      assert.equal((await list('')).length, 100);
      const ids: unknown[] = [];
      for (let skip = 0; ; skip += 100) {
        const page = await list(`?$top=100&$skip=${skip}`);
        ids.push(...page.map(i => i.incidentId));
        if (page.length < 100) break;
      }
      assert.equal(ids.length, 230);
      assert.equal(new Set(ids).size, 230);
      assert.equal((await list('?$skip=500')).length, 0);
    });

    it('refuses $top over 100 with the Defender error shape', async () => {
      const r = await call(api('incidents?$top=101'));
      assert.equal(r.status, 400);
      const e = errorOf(r);
      assert.equal(e.code, 'InvalidInput');
      assert.match(e.message, /\$top/);
      assert.match(String(e.target), GUID);
      assert.equal((await call(api('incidents?$top=abc'))).status, 400);
      assert.equal((await call(api('incidents?$skip=-1'))).status, 400);
      assert.equal((await call(api('incidents?$orderby=severity'))).status, 400);
    });

    it('filters on status, assignedTo, lastUpdateTime and createdTime with and/or/parentheses', async () => {
      const all = server.db.list();
      const since = all[120].lastUpdateTime.slice(0, 19) + 'Z';
      const q = `(status eq 'Active' or status eq 'InProgress') and lastUpdateTime ge ${since}`;
      const got = await list(`?$top=100&$filter=${encodeURIComponent(q)}`);
      const want = all.filter(i => (i.status === 'Active' || i.status === 'InProgress') && Date.parse(i.lastUpdateTime) >= Date.parse(since));
      assert.ok(want.length > 0);
      assert.deepEqual(
        got.map(i => i.incidentId),
        want.map(i => i.incidentId).slice(0, 100),
      );

      const unassigned = await list(`?$top=100&$filter=${encodeURIComponent("assignedTo eq null and status ne 'Resolved'")}`);
      assert.ok(unassigned.length > 0 && unassigned.every(i => i.assignedTo === null && i.status !== 'Resolved'));
      const alice = await list(`?$filter=${encodeURIComponent("assignedTo eq 'ALICE@contoso.com'")}`);
      assert.ok(alice.length > 0 && alice.every(i => i.assignedTo === 'alice@contoso.com'), 'UPNs compare case-insensitively');
      const old = await list(`?$top=100&$filter=${encodeURIComponent('createdTime lt 2026-01-01T00:00:00Z')}`);
      assert.ok(old.every(i => Date.parse(String(i.createdTime)) < Date.parse('2026-01-01T00:00:00Z')));
      assert.equal(old.length, Math.min(100, all.filter(i => Date.parse(i.createdTime) < Date.parse('2026-01-01T00:00:00Z')).length));
    });

    it('refuses a filter on any other field (severity!) naming it, and malformed filters', async () => {
      for (const [filter, pattern] of [
        ["severity eq 'High'", /severity/],
        ["classification eq 'TruePositive'", /classification/],
        ["incidentName eq 'x'", /incidentName/],
        ["status eq 'Open'", /Open/],
        ["lastUpdateTime ge '2026-01-01T00:00:00Z'", /without quotes|incompatible/],
        ['lastUpdateTime ge yesterday', /yesterday/],
        ["status eq 'Active' and", /expression expected|Syntax/],
        ["(status eq 'Active'", /\)/],
        ["status gt 'Active'", /gt/],
      ] as const) {
        const r = await call(api(`incidents?$filter=${encodeURIComponent(filter)}`));
        assert.equal(r.status, 400, filter);
        const e = errorOf(r);
        assert.equal(e.code, 'InvalidInput');
        assert.match(e.message, pattern, filter);
      }
    });
  });

  describe('get', () => {
    it('answers one incident, 404 NotFound for an unknown id, 400 for a malformed one', async () => {
      const id = server.db.list()[0].incidentId;
      const r = await call(api(`incidents/${id}`));
      assert.equal(r.status, 200);
      assert.equal(rec(r.json).incidentId, id);
      const missing = await call(api('incidents/999999999'));
      assert.equal(missing.status, 404);
      assert.equal(errorOf(missing).code, 'NotFound');
      assert.match(errorOf(missing).message, /999999999/);
      assert.equal((await call(api('incidents/abc'))).status, 400);
      assert.equal((await call(api('nothing-here'))).status, 404);
      assert.equal((await call(api('incidents/1'), { method: 'DELETE' })).status, 405);
    });
  });

  describe('PATCH', () => {
    it('updates the writable fields, replaces tags, appends a comment, bumps lastUpdateTime, answers the incident', async () => {
      const id = server.db.list()[5].incidentId;
      clock += 60_000;
      const r = await call(api(`incidents/${id}`), {
        method: 'PATCH',
        json: {
          status: 'Resolved',
          assignedTo: 'secop2@contoso.com',
          classification: 'TruePositive',
          determination: 'Malware',
          tags: ['a', 'b'],
          comment: 'pen testing',
        },
      });
      assert.equal(r.status, 200, r.text);
      const inc = rec(r.json);
      assert.equal(inc.status, 'Resolved');
      assert.equal(inc.assignedTo, 'secop2@contoso.com');
      assert.equal(inc.classification, 'TruePositive');
      assert.equal(inc.determination, 'Malware');
      assert.deepEqual(inc.tags, ['a', 'b']);
      const last = rec(arr(inc.comments).at(-1));
      assert.deepEqual(last, { comment: 'pen testing', createdBy: 'analyst@contoso.com', createdTime: new Date(clock).toISOString().replace('Z', '0000Z') });
      assert.equal(inc.lastUpdateTime, new Date(clock).toISOString().replace('Z', '0000Z'));
      assert.equal(server.db.list()[0].incidentId, id, 'now the most recently updated');
      const tagsOnly = rec((await call(api(`incidents/${id}`), { method: 'PATCH', json: { tags: ['c'] } })).json);
      assert.deepEqual(tagsOnly.tags, ['c'], 'tags replace the list');
      const unassign = rec((await call(api(`incidents/${id}`), { method: 'PATCH', json: { assignedTo: null } })).json);
      assert.equal(unassign.assignedTo, null);
    });

    it("writes take the update page's determinations; reads answer the resource page's spellings", async () => {
      const id = server.db.list()[6].incidentId;
      for (const [classification, written, read] of [
        ['TruePositive', 'CompromisedAccount', 'CompromisedUser'],
        ['FalsePositive', 'NoEnoughDataToValidate', 'InsufficientData'],
        ['InformationalExpectedActivity', 'ConfirmedActivity', 'ConfirmedUserActivity'],
        ['FalsePositive', 'NotMalicious', 'Clean'],
        ['TruePositive', 'Malware', 'Malware'],
        ['InformationalExpectedActivity', 'Other', 'Other'],
        ['Unknown', 'NotAvailable', 'NotAvailable'],
      ]) {
        const r = await call(api(`incidents/${id}`), { method: 'PATCH', json: { classification, determination: written } });
        assert.equal(r.status, 200, `${written}: ${r.text}`);
        assert.equal(rec(r.json).determination, read, 'the answer spells it as reads do');
        assert.equal(rec((await call(api(`incidents/${id}`))).json).determination, read);
        assert.ok(
          arr(rec((await call(api('incidents?$top=100'))).json).value).some(v => rec(v).incidentId === id && rec(v).determination === read),
          'and so does the list',
        );
      }
    });

    it('refuses the read-only spellings (and deprecated values) on write, naming the valid ones for the classification', async () => {
      const inc = server.db.list()[8];
      const before = JSON.stringify(inc);
      for (const [json, valid] of [
        [
          { classification: 'TruePositive', determination: 'CompromisedUser' },
          'MultiStagedAttack, MaliciousUserActivity, CompromisedAccount, Malware, Phishing, UnwantedSoftware, Other',
        ],
        [
          { classification: 'InformationalExpectedActivity', determination: 'ConfirmedUserActivity' },
          'SecurityTesting, LineOfBusinessApplication, ConfirmedActivity, Other',
        ],
        [{ classification: 'FalsePositive', determination: 'Clean' }, 'NotMalicious, NoEnoughDataToValidate, Other'],
        [{ classification: 'FalsePositive', determination: 'InsufficientData' }, 'NotMalicious, NoEnoughDataToValidate, Other'],
        [
          { classification: 'TruePositive', determination: 'Apt' },
          'MultiStagedAttack, MaliciousUserActivity, CompromisedAccount, Malware, Phishing, UnwantedSoftware, Other',
        ],
        [{ classification: 'Unknown', determination: 'Bogus' }, 'NotAvailable'],
      ] as const) {
        const r = await call(api(`incidents/${inc.incidentId}`), { method: 'PATCH', json });
        assert.equal(r.status, 400, JSON.stringify(json));
        const e = errorOf(r);
        assert.equal(e.code, 'InvalidInput');
        assert.ok(e.message.includes(json.determination), e.message);
        assert.ok(e.message.includes(`valid values: ${valid}.`), e.message);
      }
      const readOnly = errorOf(
        await call(api(`incidents/${inc.incidentId}`), { method: 'PATCH', json: { classification: 'FalsePositive', determination: 'Clean' } }),
      ).message;
      assert.match(readOnly, /must send 'NotMalicious'/);
      // No classification in the patch: the incident's own decides the list.
      server.edit(inc.incidentId, { classification: 'FalsePositive', determination: 'Other' }, 'bob@contoso.com');
      const alone = errorOf(await call(api(`incidents/${inc.incidentId}`), { method: 'PATCH', json: { determination: 'InsufficientData' } })).message;
      assert.match(alone, /With classification 'FalsePositive', valid values: NotMalicious, NoEnoughDataToValidate, Other\./);
      assert.notEqual(JSON.stringify(server.db.get(inc.incidentId)), before, 'the edit applied');
      const afterEdit = JSON.stringify(server.db.get(inc.incidentId));
      assert.equal(
        (await call(api(`incidents/${inc.incidentId}`), { method: 'PATCH', json: { determination: 'Clean', comment: 'with a refused field' } })).status,
        400,
      );
      assert.equal(JSON.stringify(server.db.get(inc.incidentId)), afterEdit, 'a refused write applies nothing');
    });

    it('refuses unknown, read-only and wrongly cased fields, bad enums, long comments; applies nothing then', async () => {
      const inc = server.db.list()[7];
      const before = JSON.stringify(inc);
      for (const [body, pattern] of [
        [{ Status: 'Active' }, /Status/],
        [{ severity: 'High' }, /severity/],
        [{ incidentName: 'x' }, /incidentName/],
        [{ lastUpdateTime: '2026-01-01T00:00:00Z' }, /lastUpdateTime/],
        [{ foo: 1 }, /foo/],
        [{ status: 'Resolved', classification: 'Bogus' }, /Bogus/],
        [{ status: 'Done' }, /Done/],
        [{ determination: 'Malicious' }, /Malicious/],
        [{ tags: 'a' }, /tags/],
        [{ comment: 'x'.repeat(30_001) }, /30000|30,000/],
        [{ comment: '' }, /comment/],
        [{}, /no properties/],
      ] as const) {
        const r = await call(api(`incidents/${inc.incidentId}`), { method: 'PATCH', json: body });
        assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
        assert.equal(errorOf(r).code, 'InvalidInput');
        assert.match(errorOf(r).message, pattern);
      }
      assert.equal(JSON.stringify(server.db.get(inc.incidentId)), before, 'nothing was applied');
      const max = await call(api(`incidents/${inc.incidentId}`), { method: 'PATCH', json: { comment: 'y'.repeat(30_000) } });
      assert.equal(max.status, 200, 'exactly 30,000 characters is allowed');
    });

    it('answers 404 for an unknown id, 400 for bad JSON or no body, 413 past 1 MB', async () => {
      assert.equal((await call(api('incidents/999999999'), { method: 'PATCH', json: { status: 'Active' } })).status, 404);
      const id = server.db.list()[0].incidentId;
      const badJson = await call(api(`incidents/${id}`), { method: 'PATCH', body: '{"status":', headers: { 'content-type': 'application/json' } });
      assert.equal(badJson.status, 400);
      assert.match(errorOf(badJson).message, /JSON/);
      assert.equal((await call(api(`incidents/${id}`), { method: 'PATCH' })).status, 400);
      const big = await call(api(`incidents/${id}`), { method: 'PATCH', json: { comment: 'z'.repeat(1024 * 1024 + 10) } });
      assert.equal(big.status, 413);
    });

    it('attributes writes to X-Mock-User when given', async () => {
      const id = server.db.list()[0].incidentId;
      const r = await call(api(`incidents/${id}`), { method: 'PATCH', json: { comment: 'from carol' }, headers: { 'X-Mock-User': 'carol@contoso.com' } });
      assert.equal(rec(arr(rec(r.json).comments).at(-1)).createdBy, 'carol@contoso.com');
    });

    it('has no rename, severity or alert update without extensions', async () => {
      const inc = server.db.list()[0];
      assert.equal((await call(api(`alerts/${inc.alerts[0].alertId}`), { method: 'PATCH', json: { status: 'Resolved' } })).status, 404);
    });
  });

  describe('with extensions (the built-in mock mode)', () => {
    let ext: MockServer;
    before(async () => {
      ext = await startMock({ incidentCount: 10, seed: 2, extensions: true, identity: 'me@contoso.com', now: () => new Date(clock) });
    });
    after(async () => {
      await ext.close();
    });

    it('renames and changes severity', async () => {
      const id = ext.db.list()[0].incidentId;
      const r = await call(`${ext.url}/api/incidents/${id}`, { method: 'PATCH', json: { incidentName: 'Renamed', severity: 'Low' } });
      assert.equal(r.status, 200, r.text);
      assert.equal(rec(r.json).incidentName, 'Renamed');
      assert.equal(rec(r.json).severity, 'Low');
      assert.equal((await call(`${ext.url}/api/incidents/${id}`, { method: 'PATCH', json: { severity: 'Critical' } })).status, 400);
    });

    it('updates an alert and bumps its incident', async () => {
      const inc = ext.db.list()[4];
      const alertId = inc.alerts[0].alertId;
      clock += 120_000;
      const r = await call(`${ext.url}/api/alerts/${encodeURIComponent(alertId)}`, {
        method: 'PATCH',
        json: { status: 'Resolved', assignedTo: 'me@contoso.com', classification: 'FalsePositive', determination: 'NotMalicious' },
      });
      assert.equal(r.status, 200, r.text);
      const a = rec(r.json);
      assert.equal(a.status, 'Resolved');
      assert.equal(a.assignedTo, 'me@contoso.com');
      assert.equal(a.determination, 'Clean', 'stored and answered as reads spell it');
      assert.equal(
        (await call(`${ext.url}/api/alerts/${encodeURIComponent(alertId)}`, { method: 'PATCH', json: { determination: 'Clean' } })).status,
        400,
        'the read spelling is refused',
      );
      assert.equal(a.resolvedTime, new Date(clock).toISOString().replace('Z', '0000Z'));
      assert.equal(ext.db.get(inc.incidentId)?.lastUpdateTime, new Date(clock).toISOString().replace('Z', '0000Z'));
      assert.equal(ext.db.list()[0].incidentId, inc.incidentId);
      assert.equal((await call(`${ext.url}/api/alerts/${encodeURIComponent(alertId)}`, { method: 'PATCH', json: { status: 'Closed' } })).status, 400);
      assert.equal((await call(`${ext.url}/api/alerts/${encodeURIComponent(alertId)}`, { method: 'PATCH', json: { title: 'x' } })).status, 400);
      assert.equal((await call(`${ext.url}/api/alerts/nope`, { method: 'PATCH', json: { status: 'New' } })).status, 404);
      const reopened = rec((await call(`${ext.url}/api/alerts/${encodeURIComponent(alertId)}`, { method: 'PATCH', json: { status: 'New' } })).json);
      assert.equal(reopened.resolvedTime, null);
    });
  });

  it('filters 10,000 incidents quickly', async function () {
    this.timeout(60_000);
    const big = await startMock({ incidentCount: 10_000, seed: 3 });
    try {
      const q = encodeURIComponent("(status eq 'Active' or status eq 'InProgress') and lastUpdateTime ge 2020-01-01T00:00:00Z and assignedTo ne null");
      await call(`${big.url}/api/incidents?$top=100&$filter=${q}`); // warm-up (sorts once)
      const t0 = process.hrtime.bigint();
      const r = await call(`${big.url}/api/incidents?$top=100&$skip=200&$filter=${q}`);
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      assert.equal(r.status, 200);
      assert.equal(arr(rec(r.json).value).length, 100);
      console.log(`      (filtered page over 10,000 incidents in ${ms.toFixed(1)} ms, including JSON and HTTP)`);
      // Generous bound: catches an accidental quadratic path, not a slow machine.
      assert.ok(ms < 2000, `${ms} ms`);
    } finally {
      await big.close();
    }
  });
});
