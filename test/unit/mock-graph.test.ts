import * as assert from 'assert/strict';
import type { MockServer } from '../../src/mock/server';
import { arr, call, errorOf, NOW, rec, startMock, type Json } from '../fixtures/mock-helpers';

const PREFER = { Prefer: 'include-unknown-enum-members' };

describe('mock server: Graph security dialect', () => {
  let server: MockServer;
  let clock = NOW.getTime();
  const g = (p: string): string => `${server.url}/v1.0/security/${p}`;

  before(async () => {
    server = await startMock({ incidentCount: 230, seed: 9, now: () => new Date(clock) });
  });
  after(async () => {
    await server.close();
  });

  async function ok(url: string, init: Parameters<typeof call>[1] = {}): Promise<Json> {
    const r = await call(url, init);
    assert.equal(r.status, 200, `${url}: ${r.text.slice(0, 300)}`);
    return rec(r.json);
  }

  describe('list', () => {
    it('pages by an absolute @odata.nextLink on the same host until the last page', async () => {
      const ids: string[] = [];
      let url: string | undefined = g('incidents?$top=50');
      let pages = 0;
      while (url) {
        const body = await ok(url);
        pages++;
        ids.push(...arr(body.value).map(v => String(rec(v).id)));
        const next = body['@odata.nextLink'];
        if (next !== undefined) {
          assert.equal(typeof next, 'string');
          assert.ok(String(next).startsWith(`${server.url}/v1.0/security/incidents?`), String(next));
        }
        url = next as string | undefined;
      }
      assert.equal(pages, 5);
      assert.equal(ids.length, 230);
      assert.equal(new Set(ids).size, 230);
      assert.deepEqual(
        ids,
        server.db.list().map(i => String(i.incidentId)),
        'same order as the store: newest update first',
      );
    });

    it('defaults to pages of 50 and keeps $filter, $count and $expand in the nextLink', async () => {
      const first = await ok(g('incidents'));
      assert.equal(arr(first.value).length, 50);
      const body = await ok(g(`incidents?$top=10&$count=true&$expand=alerts&$filter=${encodeURIComponent("status eq 'resolved'")}`));
      const total = server.db.list().filter(i => i.status === 'Resolved').length;
      assert.equal(body['@odata.count'], total);
      const next = new URL(String(body['@odata.nextLink']));
      assert.equal(next.searchParams.get('$filter'), "status eq 'resolved'");
      assert.equal(next.searchParams.get('$skip'), '10');
      assert.equal(next.searchParams.get('$count'), 'true');
      assert.equal(next.searchParams.get('$expand'), 'alerts');
      const second = await ok(next.toString());
      assert.equal(second['@odata.count'], total);
      assert.ok(arr(second.value).every(v => rec(v).status === 'resolved' && Array.isArray(rec(v).alerts)));
      const last = await ok(g(`incidents?$top=10&$skip=${total - 3}&$filter=${encodeURIComponent("status eq 'resolved'")}`));
      assert.equal(arr(last.value).length, 3);
      assert.equal('@odata.nextLink' in last, false);
      // Exactly at the end: no nextLink; one short of it: a nextLink to the last incident.
      assert.equal('@odata.nextLink' in (await ok(g('incidents?$top=50&$skip=180'))), false);
      const oneLeft = await ok(g('incidents?$top=50&$skip=179'));
      assert.equal(arr((await ok(String(oneLeft['@odata.nextLink']))).value).length, 1);
    });

    it('refuses $top over 50 with the exact Graph message and innerError', async () => {
      const r = await call(g('incidents?$top=100'), { headers: { 'client-request-id': 'c0ffee00-0000-4000-8000-000000000001' } });
      assert.equal(r.status, 400);
      const e = errorOf(r);
      assert.equal(e.code, 'BadRequest');
      assert.equal(e.message, "The limit of '50' for Top query has been exceeded. The value from the incoming request is '100'.");
      const inner = rec(e.innerError);
      assert.match(String(inner.date), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      assert.match(String(inner['request-id']), /^[0-9a-f-]{36}$/);
      assert.equal(inner['client-request-id'], 'c0ffee00-0000-4000-8000-000000000001');
      assert.equal(r.headers.get('client-request-id'), 'c0ffee00-0000-4000-8000-000000000001');
      assert.equal((await call(g('incidents?$top=50'))).status, 200);
      assert.equal((await call(g('incidents?$orderby=createdDateTime'))).status, 400);
      assert.equal((await call(g('incidents?$count=maybe'))).status, 400);
    });

    it('filters on the documented fields, in Graph spellings, and refuses the others', async () => {
      const all = server.db.list();
      const high = await ok(g(`incidents?$top=50&$count=true&$filter=${encodeURIComponent("severity eq 'high' and status ne 'resolved'")}`));
      assert.equal(high['@odata.count'], all.filter(i => i.severity === 'High' && i.status !== 'Resolved').length);
      for (const [filter, test] of [
        ["determination eq 'notMalicious'", (i: Json) => i.determination === 'notMalicious'],
        ["determination eq 'clean'", (i: Json) => i.determination === 'notMalicious'],
        ["classification eq 'truePositive'", (i: Json) => i.classification === 'truePositive'],
        ["status eq 'inProgress' or status eq 'active'", (i: Json) => i.status === 'inProgress' || i.status === 'active'],
        ['assignedTo eq null', (i: Json) => i.assignedTo === null],
        ['lastUpdateDateTime ge 2026-02-20T00:00:00Z', (i: Json) => Date.parse(String(i.lastUpdateDateTime)) >= Date.parse('2026-02-20T00:00:00Z')],
        ['createdDateTime lt 2026-01-01T00:00:00Z', (i: Json) => Date.parse(String(i.createdDateTime)) < Date.parse('2026-01-01T00:00:00Z')],
      ] as const) {
        const body = await ok(g(`incidents?$top=50&$count=true&$filter=${encodeURIComponent(filter)}`));
        const value = arr(body.value).map(v => rec(v));
        assert.ok(Number(body['@odata.count']) > 0, `${filter} matches something`);
        assert.ok(value.every(test), filter);
      }
      for (const [filter, pattern] of [
        ["displayName eq 'x'", /displayName/],
        ["severity eq 'High'", /High/],
        ["status eq 'awaitingAction'", /awaitingAction/],
        ["tenantId eq 'x'", /tenantId/],
      ] as const) {
        const r = await call(g(`incidents?$filter=${encodeURIComponent(filter)}`));
        assert.equal(r.status, 400, filter);
        assert.equal(errorOf(r).code, 'BadRequest');
        assert.match(errorOf(r).message, pattern);
      }
    });

    it('has alerts only with $expand=alerts', async () => {
      const plain = rec(arr((await ok(g('incidents?$top=3'))).value)[0]);
      assert.equal('alerts' in plain, false);
      const expanded = await ok(g('incidents?$top=3&$expand=alerts'));
      assert.match(String(expanded['@odata.context']), /incidents\(alerts\(\)\)$/);
      const alerts = arr(rec(arr(expanded.value)[0]).alerts);
      assert.ok(alerts.length > 0);
      assert.equal((await call(g('incidents?$expand=comments'))).status, 400);
    });
  });

  describe('incident shape', () => {
    it('maps every documented field from the store, camelCase, with modern determinations', async () => {
      const inc = server.db.list().find(i => i.status === 'Resolved' && i.comments.length > 0 && i.tags.length > 0) ?? server.db.list()[0];
      const body = await ok(g(`incidents/${inc.incidentId}`));
      for (const k of [
        'id',
        'displayName',
        'description',
        'summary',
        'incidentWebUrl',
        'tenantId',
        'redirectIncidentId',
        'createdDateTime',
        'lastUpdateDateTime',
        'lastModifiedBy',
        'assignedTo',
        'classification',
        'determination',
        'status',
        'severity',
        'customTags',
        'systemTags',
        'comments',
        'resolvingComment',
        'priorityScore',
      ]) {
        assert.ok(k in body, `field ${k}`);
      }
      assert.equal(body.id, String(inc.incidentId));
      assert.equal(body.displayName, inc.incidentName);
      assert.equal(body.createdDateTime, inc.createdTime);
      assert.equal(body.lastUpdateDateTime, inc.lastUpdateTime);
      assert.equal(body.incidentWebUrl, `https://security.microsoft.com/incidents/${inc.incidentId}?tid=${String(body.tenantId)}`);
      assert.equal(body.status, inc.status[0].toLowerCase() + inc.status.slice(1));
      assert.equal(body.severity, inc.severity.toLowerCase());
      assert.deepEqual(body.customTags, inc.tags);
      assert.ok(Array.isArray(body.systemTags));
      const c = rec(arr(body.comments)[0]);
      assert.deepEqual(
        Object.keys(c)
          .filter(k => !k.startsWith('@'))
          .sort(),
        ['comment', 'createdByDisplayName', 'createdDateTime'],
      );
      assert.equal(c.comment, inc.comments[0].comment);
      const unknown = server.db.list().find(i => i.classification === 'Unknown');
      assert.ok(unknown);
      const u = await ok(g(`incidents/${unknown.incidentId}`));
      assert.equal(u.classification, 'unknown');
      assert.equal(u.determination, 'unknown');
      const missing = await call(g('incidents/999999999'));
      assert.equal(missing.status, 404);
      assert.equal(errorOf(missing).code, 'NotFound');
      assert.equal((await call(g('incidents/abc'))).status, 404);
      assert.equal((await call(g('nothing'))).status, 404);
    });
  });

  describe('PATCH incident', () => {
    it('writes assignedTo, status, classification, determination, customTags; both dialects see it', async () => {
      const id = server.db.list()[20].incidentId;
      clock += 60_000;
      const body = await ok(g(`incidents/${id}`), {
        method: 'PATCH',
        json: {
          assignedTo: 'erin@contoso.com',
          status: 'resolved',
          classification: 'truePositive',
          determination: 'compromisedAccount',
          customTags: ['x', 'y'],
        },
      });
      assert.equal(body.status, 'resolved');
      assert.equal(body.determination, 'compromisedAccount');
      assert.equal(body.lastModifiedBy, 'analyst@contoso.com');
      assert.equal(body.lastUpdateDateTime, new Date(clock).toISOString().replace('Z', '0000Z'));
      const d = await ok(`${server.url}/api/incidents/${id}`);
      assert.equal(d.status, 'Resolved');
      assert.equal(d.classification, 'TruePositive');
      assert.equal(d.determination, 'CompromisedUser');
      assert.deepEqual(d.tags, ['x', 'y']);
      assert.equal(d.assignedTo, 'erin@contoso.com');
      for (const determination of [
        'notEnoughDataToValidate',
        'notMalicious',
        'confirmedActivity',
        'compromisedAccount',
        'apt',
        'securityPersonnel',
        'unknown',
      ]) {
        assert.equal((await ok(g(`incidents/${id}`), { method: 'PATCH', json: { determination } })).determination, determination);
      }
      // The property tables' spellings are not members of the service's enum: refused on write, naming the members.
      for (const determination of ['insufficientData', 'clean', 'confirmedUserActivity', 'compromisedUser', 'unknownFutureValue']) {
        const r = await call(g(`incidents/${id}`), { method: 'PATCH', json: { determination } });
        assert.equal(r.status, 400, determination);
        assert.equal(errorOf(r).code, 'BadRequest');
        assert.match(
          errorOf(r).message,
          new RegExp(`'${determination}'.*Valid values: .*compromisedAccount.*notMalicious.*notEnoughDataToValidate.*confirmedActivity`),
        );
      }
    });

    it('writes displayName, severity, description and resolvingComment (since December 2024); both dialects see the first two', async () => {
      const inc = server.db.list()[22];
      clock += 60_000;
      const body = await ok(g(`incidents/${inc.incidentId}`), {
        method: 'PATCH',
        json: {
          displayName: 'Renamed through Graph',
          severity: 'low',
          description: 'Reviewed: a test run.',
          resolvingComment: 'Pen test, approved.',
          status: 'resolved',
        },
      });
      assert.equal(body.displayName, 'Renamed through Graph');
      assert.equal(body.severity, 'low');
      assert.equal(body.description, 'Reviewed: a test run.');
      assert.equal(body.resolvingComment, 'Pen test, approved.');
      const again = await ok(g(`incidents/${inc.incidentId}`));
      assert.deepEqual([again.description, again.resolvingComment], ['Reviewed: a test run.', 'Pen test, approved.'], 'kept');
      const d = await ok(`${server.url}/api/incidents/${inc.incidentId}`);
      assert.equal(d.incidentName, 'Renamed through Graph');
      assert.equal(d.severity, 'Low');
      assert.equal('graph' in d || 'description' in d || 'resolvingComment' in d, false, 'the Defender shape has no Graph-only fields');
      const cleared = await ok(g(`incidents/${inc.incidentId}`), { method: 'PATCH', json: { description: null, resolvingComment: null } });
      assert.deepEqual([cleared.description, cleared.resolvingComment], [null, null]);
      for (const [json, pattern] of [
        [{ displayName: '' }, /displayName/],
        [{ displayName: 'n'.repeat(1001) }, /1000/],
        [{ severity: 'unknown' }, /severity/],
        [{ severity: 'High' }, /High/],
        [{ description: 5 }, /description/],
        [{ resolvingComment: 'c'.repeat(30_001) }, /30000/],
      ] as const) {
        const r = await call(g(`incidents/${inc.incidentId}`), { method: 'PATCH', json });
        assert.equal(r.status, 400, JSON.stringify(json).slice(0, 80));
        assert.match(errorOf(r).message, pattern);
      }
    });

    it('refuses summary, priorityScore, other read-only and unknown fields and bad enums', async () => {
      const inc = server.db.list()[21];
      const before = JSON.stringify(inc);
      for (const [json, pattern] of [
        [{ summary: 'x' }, /'summary' is read-only/],
        [{ priorityScore: 99 }, /'priorityScore' is read-only/],
        [{ incidentWebUrl: 'https://x' }, /read-only/],
        [{ status: 'Resolved' }, /Resolved/],
        [{ classification: 'tp' }, /tp/],
        [{ status: 'awaitingAction' }, /awaitingAction/],
        [{ customTags: 'a' }, /customTags/],
        [{ nope: 1 }, /nope/],
        [{ assignedTo: 'a@contoso.com', status: 'bogus' }, /bogus/],
      ] as const) {
        const r = await call(g(`incidents/${inc.incidentId}`), { method: 'PATCH', json });
        assert.equal(r.status, 400, JSON.stringify(json));
        assert.equal(errorOf(r).code, 'BadRequest');
        assert.match(errorOf(r).message, pattern);
      }
      assert.equal(JSON.stringify(server.db.get(inc.incidentId)), before);
      assert.equal((await call(g('incidents/999999999'), { method: 'PATCH', json: { status: 'active' } })).status, 404);
    });
  });

  describe('comments', () => {
    it('POST appends and answers the whole list; the Defender dialect sees it', async () => {
      const inc = server.db.list()[30];
      const n = inc.comments.length;
      const r = await call(g(`incidents/${inc.incidentId}/comments`), {
        method: 'POST',
        json: { '@odata.type': 'microsoft.graph.security.alertComment', comment: 'Isolated host' },
        headers: { 'X-Mock-User': 'dave@contoso.com' },
      });
      assert.equal(r.status, 200, r.text);
      const body = rec(r.json);
      assert.match(String(body['@odata.context']), /Collection\(microsoft\.graph\.security\.alertComment\)/);
      const value = arr(body.value).map(v => rec(v));
      assert.equal(value.length, n + 1);
      assert.equal(value[n].comment, 'Isolated host');
      assert.equal(value[n].createdByDisplayName, 'dave@contoso.com');
      const d = await ok(`${server.url}/api/incidents/${inc.incidentId}`);
      assert.equal(rec(arr(d.comments).at(-1)).comment, 'Isolated host');
      for (const json of [{ comment: '' }, { text: 'x' }, { comment: 'x'.repeat(30_001) }, { '@odata.type': 'microsoft.graph.x', comment: 'x' }]) {
        assert.equal((await call(g(`incidents/${inc.incidentId}/comments`), { method: 'POST', json })).status, 400, JSON.stringify(json).slice(0, 60));
      }
      assert.equal((await call(g('incidents/999999999/comments'), { method: 'POST', json: { comment: 'x' } })).status, 404);
    });
  });

  describe('alerts_v2', () => {
    it('GET has the alerts_v2 shape with typed evidence', async () => {
      const incs = server.db.list();
      const withDevice = incs.flatMap(i => i.alerts).find(a => a.devices.length > 0 && a.entities.some(e => e.entityType === 'File'));
      assert.ok(withDevice);
      const a = await ok(g(`alerts_v2/${encodeURIComponent(withDevice.alertId)}`));
      for (const k of [
        'id',
        'providerAlertId',
        'incidentId',
        'status',
        'severity',
        'classification',
        'determination',
        'serviceSource',
        'detectionSource',
        'title',
        'description',
        'category',
        'assignedTo',
        'alertWebUrl',
        'incidentWebUrl',
        'mitreTechniques',
        'createdDateTime',
        'lastUpdateDateTime',
        'resolvedDateTime',
        'firstActivityDateTime',
        'lastActivityDateTime',
        'comments',
        'evidence',
      ]) {
        assert.ok(k in a, `alert field ${k}`);
      }
      assert.equal(a.incidentId, String(withDevice.incidentId));
      assert.match(String(a.status), /^(new|inProgress|resolved)$/);
      assert.match(String(a.serviceSource), /^[a-z]/);
      const evidence = arr(a.evidence).map(v => rec(v));
      const device = evidence.find(e => e['@odata.type'] === '#microsoft.graph.security.deviceEvidence');
      assert.ok(device);
      assert.equal(device.deviceDnsName, withDevice.devices[0].deviceDnsName);
      assert.equal(device.mdeDeviceId, withDevice.devices[0].mdatpDeviceId);
      const file = evidence.find(e => e['@odata.type'] === '#microsoft.graph.security.fileEvidence');
      assert.ok(file);
      assert.match(String(rec(file.fileDetails).sha256), /^[0-9a-f]{64}$/);
      const types = new Set(
        incs
          .flatMap(i => i.alerts)
          .slice(0, 200)
          .map(x => x.alertId),
      );
      const seen = new Set<string>();
      for (const id of [...types].slice(0, 120)) {
        for (const e of arr((await ok(g(`alerts_v2/${encodeURIComponent(id)}`))).evidence)) seen.add(String(rec(e)['@odata.type']));
      }
      for (const t of ['userEvidence', 'ipEvidence', 'urlEvidence', 'mailboxEvidence', 'processEvidence'])
        assert.ok(seen.has(`#microsoft.graph.security.${t}`), t);
      const user = await ok(
        g(`alerts_v2/${encodeURIComponent(incs.flatMap(i => i.alerts).find(x => x.entities.some(e => e.entityType === 'User'))?.alertId ?? '')}`),
      );
      const ue = arr(user.evidence)
        .map(v => rec(v))
        .find(e => e['@odata.type'] === '#microsoft.graph.security.userEvidence');
      assert.ok(ue);
      assert.match(String(rec(ue.userAccount).userPrincipalName), /@contoso\.com$/);
      assert.equal((await call(g('alerts_v2/nope'))).status, 404);
    });

    it('PATCH sets status, assignedTo, classification, determination and bumps the incident', async () => {
      const inc = server.db.list()[40];
      const alertId = inc.alerts[0].alertId;
      clock += 60_000;
      const a = await ok(g(`alerts_v2/${encodeURIComponent(alertId)}`), {
        method: 'PATCH',
        json: { status: 'resolved', assignedTo: 'bob@contoso.com', classification: 'falsePositive', determination: 'notMalicious' },
      });
      const t = new Date(clock).toISOString().replace('Z', '0000Z');
      assert.equal(a.status, 'resolved');
      assert.equal(a.resolvedDateTime, t);
      assert.equal(a.determination, 'notMalicious');
      assert.equal(server.db.get(inc.incidentId)?.lastUpdateTime, t);
      assert.equal(server.db.get(inc.incidentId)?.alerts[0].determination, 'Clean');
      for (const json of [{ title: 'x' }, { status: 'closed' }, { severity: 'high' }]) {
        assert.equal((await call(g(`alerts_v2/${encodeURIComponent(alertId)}`), { method: 'PATCH', json })).status, 400, JSON.stringify(json));
      }
    });
  });

  describe('evolvable enums', () => {
    it('sends awaitingAction only with Prefer: include-unknown-enum-members', async () => {
      const id = server.db.list()[50].incidentId;
      server.edit(id, { status: 'AwaitingAction' }, 'bob@contoso.com');
      assert.equal((await ok(g(`incidents/${id}`))).status, 'unknownFutureValue');
      const r = await call(g(`incidents/${id}`), { headers: PREFER });
      assert.equal(rec(r.json).status, 'awaitingAction');
      assert.equal(r.headers.get('preference-applied'), 'include-unknown-enum-members');
      assert.equal(rec((await call(`${server.url}/api/incidents/${id}`)).json).status, 'AwaitingAction');
      const filtered = await ok(g(`incidents?$filter=${encodeURIComponent("status eq 'awaitingAction'")}`), { headers: PREFER });
      assert.deepEqual(
        arr(filtered.value).map(v => rec(v).id),
        [String(id)],
      );
      const other = server.db.list()[51].incidentId;
      assert.equal((await call(g(`incidents/${other}`), { method: 'PATCH', json: { status: 'awaitingAction' } })).status, 400);
      assert.equal((await ok(g(`incidents/${other}`), { method: 'PATCH', json: { status: 'awaitingAction' }, headers: PREFER })).status, 'awaitingAction');
    });
  });
});
