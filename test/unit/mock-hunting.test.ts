import * as assert from 'assert/strict';
import { alertEvidence } from '../../src/mock/evidence';
import { MOCK_HOSTILE } from '../../src/mock/hostile';
import { HuntingService } from '../../src/mock/hunting/service';
import { parseArgs, UsageError } from '../../src/mock/cli';
import { MockDb } from '../../src/mock/db';
import type { MockServer } from '../../src/mock/server';
import type { DefenderAlert, DefenderIncident } from '../../src/mock/wire';
import { arr, call, errorOf, NOW, rec, startMock, type Json } from '../fixtures/mock-helpers';

const H = 3_600_000;
/** A KQL string literal (the test's own, so a mistake in the product's quoting cannot hide here). */
const lit = (v: string): string =>
  `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/\0/g, '\\0')}"`;
const when = (ms: number): string => `datetime(${new Date(ms).toISOString()})`;

function around(inc: DefenderIncident): string {
  const first = Math.min(...inc.alerts.map(a => Date.parse(a.firstActivity)));
  const last = Math.max(...inc.alerts.map(a => Date.parse(a.lastActivity)));
  return `Timestamp between (${when(first - 2 * H)} .. ${when(last + 2 * H)})`;
}

describe('mock hunting: POST /v1.0/security/runHuntingQuery', () => {
  let server: MockServer;
  let clock = NOW.getTime();
  const url = (): string => `${server.url}/v1.0/security/runHuntingQuery`;
  const hunt = (Query: string, Timespan?: string, extra: Json = {}): ReturnType<typeof call> =>
    call(url(), { method: 'POST', json: { Query, ...(Timespan !== undefined ? { Timespan } : {}), ...extra } });
  async function rows(Query: string, Timespan?: string): Promise<Json[]> {
    const r = await hunt(Query, Timespan);
    assert.equal(r.status, 200, `${Query}: ${r.text.slice(0, 400)}`);
    return arr(rec(r.json).results).map(x => rec(x));
  }
  const recent = (): DefenderIncident[] => server.db.list().filter(i => Date.parse(i.createdTime) > clock - 25 * 24 * H);

  before(async () => {
    server = await startMock({ now: () => new Date(clock) });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.hunting.reset();
    server.faults.clear();
  });

  describe('tables generated from the incidents', () => {
    it("a device hunt around an incident returns that incident's own process, network and file rows", async () => {
      const inc = recent().find(i => i.alerts.some(a => a.devices.length > 0 && a.entities.some(e => e.entityType === 'Process')))!;
      const a = inc.alerts.find(x => x.devices.length > 0 && x.entities.some(e => e.entityType === 'Process'))!;
      const device = a.devices[0];
      const procs = await rows(
        `DeviceProcessEvents | where DeviceName == ${lit(device.deviceDnsName)} and ${around(inc)} | project Timestamp, DeviceId, ProcessCommandLine`,
      );
      assert.ok(procs.length > 0);
      assert.ok(procs.every(r => r.DeviceId === device.mdatpDeviceId));
      for (const p of a.entities.filter(e => e.entityType === 'Process'))
        assert.ok(
          procs.some(r => r.ProcessCommandLine === p.processCommandLine),
          p.processCommandLine,
        );
      const net = await rows(`DeviceNetworkEvents | where DeviceId == ${lit(device.mdatpDeviceId)} and ${around(inc)}`);
      assert.ok(net.length > 0 && net.every(r => r.DeviceName === device.deviceDnsName));
      const file = inc.alerts.flatMap(x => (x.devices.length ? x.entities : [])).find(e => e.entityType === 'File' && e.sha256);
      if (file) {
        const files = await rows(`DeviceFileEvents | where SHA256 == ${lit(file.sha256!)}`);
        assert.ok(files.length > 0 && files.every(r => r.FileName === file.fileName));
      }
    });

    it('user → sign-ins, IP → network events, message → email, alert → AlertInfo and one AlertEvidence row per evidence item', async () => {
      const inc = recent().find(i => i.alerts.some(a => a.entities.some(e => e.entityType === 'User')))!;
      const user = inc.alerts.flatMap(a => a.entities).find(e => e.entityType === 'User')!;
      const logons = await rows(`IdentityLogonEvents | where AccountUpn =~ ${lit(user.userPrincipalName!.toUpperCase())} and ${around(inc)}`);
      assert.ok(logons.length > 0);
      assert.ok(logons.every(r => r.AccountUpn === user.userPrincipalName && /^Logon(Success|Failed)$/.test(String(r.ActionType))));

      const withIp = recent()
        .flatMap(i => i.alerts)
        .find(a => a.devices.length > 0 && a.entities.some(e => e.entityType === 'Ip'))!;
      const ip = withIp.entities.find(e => e.entityType === 'Ip')!.ipAddress!;
      const net = await rows(`DeviceNetworkEvents | where RemoteIP == ${lit(ip)} | distinct DeviceName`);
      assert.ok(net.some(r => r.DeviceName === withIp.devices[0].deviceDnsName));

      const mail = recent()
        .flatMap(i => i.alerts)
        .flatMap(a => a.entities)
        .find(e => e.entityType === 'MailMessage')!;
      const mails = await rows(`EmailEvents | where NetworkMessageId == ${lit(mail.networkMessageId!)}`);
      assert.equal(mails.length, 1);
      assert.equal(mails[0].Subject, mail.subject);
      assert.equal(mails[0].RecipientEmailAddress, mail.recipient);

      const alert: DefenderAlert = inc.alerts[0];
      assert.deepEqual(
        (await rows(`AlertInfo | where AlertId == ${lit(alert.alertId)} | project Title`)).map(r => r.Title),
        [alert.title],
      );
      const ev = await rows(`AlertEvidence | where AlertId == ${lit(alert.alertId)} | summarize count()`);
      assert.equal(ev[0].count_, alertEvidence(alert).length);
    });

    it('the answer: @odata.context, schema name/type by default (Name/Type when asked), results keyed by the schema, times in ISO 8601', async () => {
      const r = await hunt('DeviceProcessEvents | project Timestamp, DeviceName, ProcessId | take 3');
      assert.equal(r.status, 200);
      assert.match(String(r.headers.get('content-type')), /application\/json/);
      const body = rec(r.json);
      assert.equal(body['@odata.context'], 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults');
      assert.deepEqual(body.schema, [
        { name: 'Timestamp', type: 'DateTime' },
        { name: 'DeviceName', type: 'String' },
        { name: 'ProcessId', type: 'Int64' },
      ]);
      const results = arr(body.results).map(x => rec(x));
      assert.equal(results.length, 3);
      for (const x of results) {
        assert.deepEqual(Object.keys(x), ['Timestamp', 'DeviceName', 'ProcessId']);
        assert.match(String(x.Timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
        assert.equal(typeof x.ProcessId, 'number');
      }
      assert.equal((await call(`${server.url}/__mock/hunting`, { method: 'PUT', json: { schemaCase: 'pascal' } })).status, 200);
      const p = rec((await hunt('AlertInfo | summarize count() by Severity')).json);
      assert.deepEqual(p.schema, [
        { Name: 'Severity', Type: 'String' },
        { Name: 'count_', Type: 'Int64' },
      ]);
      assert.equal((await call(`${server.url}/__mock/hunting`, { method: 'PUT', json: { schemaCase: 'snake' } })).status, 400);
    });

    it('Timespan: 30 days when absent, a duration, the interval forms; data older than the retention is gone', async () => {
      const all = await rows('AlertInfo | project Timestamp');
      const times = all.map(r => Date.parse(String(r.Timestamp)));
      assert.ok(times.every(t => t >= clock - 30 * 24 * H && t <= clock));
      assert.ok(
        server.db.list().some(i => Date.parse(i.createdTime) < clock - 31 * 24 * H),
        'the seed has older incidents',
      );
      const week = await rows('AlertInfo | count', 'P7D');
      assert.ok(Number(week[0].Count) < all.length && Number(week[0].Count) > 0);
      const end = new Date(clock - 2 * 24 * H).toISOString();
      const start = new Date(clock - 9 * 24 * H).toISOString();
      const a = (await rows('AlertInfo | count', `${start}/${end}`))[0].Count;
      assert.equal((await rows('AlertInfo | count', `P7D/${end}`))[0].Count, a);
      assert.equal((await rows('AlertInfo | count', `${start}/P7D`))[0].Count, a);
      assert.equal((await rows('AlertInfo | count', 'P365D'))[0].Count, all.length, 'no further back than the retention');
      const bad = await hunt('AlertInfo | count', '7 days');
      assert.equal(bad.status, 400);
      assert.match(errorOf(bad).message, /Timespan '7 days' is not valid/);
    });

    it('refuses a bad request the way Graph does: no Query, unknown parameter, not JSON, GET; takes "query" in any case', async () => {
      for (const json of [{}, { Query: '' }, { Query: 7 }, { Query: 'AlertInfo', Top: 5 }, ['AlertInfo']]) {
        const r = await call(url(), { method: 'POST', json });
        assert.equal(r.status, 400, JSON.stringify(json));
        assert.equal(errorOf(r).code, 'BadRequest');
      }
      assert.equal((await call(url())).status, 405);
      assert.equal((await call(url(), { method: 'POST', json: { query: 'AlertInfo | take 1', timespan: 'P1D' } })).status, 200);
    });

    it('outside the subset: 400 naming it; a syntax error: 400 with the syntax message; an unknown column: semantic error', async () => {
      const join = await hunt('DeviceProcessEvents | join kind=inner (DeviceNetworkEvents) on DeviceId');
      assert.equal(join.status, 400);
      assert.match(errorOf(join).message, /does not support the 'join' operator/);
      const syntax = await hunt('DeviceProcessEvents | where FileName = "x"');
      assert.equal(syntax.status, 400);
      assert.equal(errorOf(syntax).message, "Syntax error: Query could not be parsed at '=' on line [1,38]");
      const semantic = await hunt('DeviceProcessEvents | where Nope == 1');
      assert.match(errorOf(semantic).message, /Failed to resolve scalar expression named 'Nope'/);
      assert.match(errorOf(await hunt('NoSuchTable | take 1')).message, /Failed to resolve table or column expression named 'NoSuchTable'/);
    });

    it('hostile evidence values are data: quoted, they match exactly their own rows; spliced in, they are refused, not run', async () => {
      const h = await startMock({ now: () => new Date(clock), hostile: true });
      try {
        const ask = async (Query: string): Promise<{ status: number; json: unknown; text: string }> =>
          call(`${h.url}/v1.0/security/runHuntingQuery`, { method: 'POST', json: { Query } });
        const proc = h.db
          .list()
          .filter(i => Date.parse(i.createdTime) > clock - 25 * 24 * H)
          .flatMap(i => i.alerts)
          .filter(a => a.devices.length > 0)
          .flatMap(a => a.entities)
          .find(e => e.entityType === 'Process' && MOCK_HOSTILE.some(x => e.processCommandLine?.includes(x) && /["|\\]/.test(x)))!;
        assert.ok(proc, 'a hostile command line with quotes, pipes or backslashes');
        const value = proc.processCommandLine!;
        const r = await ask(`DeviceProcessEvents | where ProcessCommandLine == ${lit(value)} | project ProcessCommandLine`);
        assert.equal(r.status, 200, r.text.slice(0, 300));
        const got = arr(rec(r.json).results).map(x => rec(x).ProcessCommandLine);
        assert.ok(got.length > 0 && got.every(v => v === value), 'exactly the hostile value, byte for byte');
        const verbatim = await ask(`DeviceProcessEvents | where ProcessCommandLine == @"${value.replace(/"/g, '""')}" | count`);
        assert.equal(rec(arr(rec(verbatim.json).results)[0]).Count, got.length);
        const spliced = await ask(`DeviceProcessEvents | where ProcessCommandLine == "${value}" | count`);
        assert.equal(spliced.status, 400, 'a spliced value breaks the query instead of widening it');
      } finally {
        await h.close();
      }
    });
  });

  describe('limits and faults on the server clock', () => {
    it('45 calls a minute per tenant, then 429 with the documented body and Retry-After; the next minute is free again', async () => {
      for (let i = 0; i < 45; i++) {
        clock += 100;
        assert.equal((await hunt('AlertInfo | take 1')).status, 200, `call ${i + 1}`);
      }
      const r = await hunt('AlertInfo | take 1');
      assert.equal(r.status, 429);
      assert.equal(errorOf(r).code, 'TooManyRequests');
      assert.equal(errorOf(r).message, 'API calls quota exceeded! maximum allowed 45 per 00:01:00');
      assert.equal(r.headers.get('retry-after'), '56');
      clock += 56_000;
      assert.equal((await hunt('AlertInfo | take 1')).status, 200);
      const usage = rec(rec((await call(`${server.url}/__mock/hunting`)).json).usage);
      assert.ok(Object.keys(usage).length === 1);
    });

    it('hunting has its own quota: a throttled incidents API does not refuse hunts, and hunts do not use its budget', async () => {
      server.setRateLimit({ limit: 2, windowMs: 60_000 });
      try {
        for (let i = 0; i < 5; i++) assert.equal((await hunt('AlertInfo | take 1')).status, 200);
        assert.equal((await call(`${server.url}/v1.0/security/incidents?$top=1`)).status, 200);
        assert.equal((await call(`${server.url}/v1.0/security/incidents?$top=1`)).status, 200);
        assert.equal((await call(`${server.url}/v1.0/security/incidents?$top=1`)).status, 429);
        assert.equal((await hunt('AlertInfo | take 1')).status, 200);
      } finally {
        server.setRateLimit(undefined);
      }
    });

    it('rows cut at maxRows (100,000 by default), the size cap answers 400 result too large', async () => {
      assert.equal(server.hunting.settings.maxRows, 100_000);
      await call(`${server.url}/__mock/hunting`, { method: 'PUT', json: { maxRows: 7 } });
      assert.equal((await rows('DeviceProcessEvents')).length, 7);
      await call(`${server.url}/__mock/hunting`, { method: 'PUT', json: { maxRows: 100_000, maxResultBytes: 2_000 } });
      const r = await hunt('DeviceProcessEvents');
      assert.equal(r.status, 400);
      assert.match(errorOf(r).message, /^Query execution has exceeded the allowed result size/);
      assert.equal((await hunt('DeviceProcessEvents | count')).status, 200, 'a small answer is fine');
    });

    it('the CPU quota blocks the tenant until after the next 15-minute cycle', async () => {
      clock = Math.floor(clock / 900_000) * 900_000 + 60_000;
      await call(`${server.url}/__mock/hunting`, { method: 'PUT', json: { cpuBudget: 100 } });
      assert.equal((await hunt('DeviceProcessEvents | count')).status, 200, 'the query that uses it up still runs');
      const r = await hunt('AlertInfo | take 1');
      assert.equal(r.status, 429);
      assert.match(errorOf(r).message, /blocked until after the next 15-minute cycle/);
      assert.equal(r.headers.get('retry-after'), String(14 * 60));
      clock += 14 * 60_000 - 1_000;
      assert.equal((await hunt('AlertInfo | take 1')).status, 429);
      clock += 1_000;
      assert.equal((await hunt('AlertInfo | take 1')).status, 200);
    });

    it('a query over 3 minutes times out; hunting faults: 504 UnknownError, 500 empty message, result too large, CPU block', async () => {
      await call(`${server.url}/__mock/hunting`, { method: 'PUT', json: { runMs: 180_001 } });
      const slow = await hunt('AlertInfo | take 1');
      assert.equal(slow.status, 408);
      assert.match(errorOf(slow).message, /exceeded the allowed time limit of 00:03:00/);
      await call(`${server.url}/__mock/hunting`, { method: 'PUT', json: { runMs: 180_000 } });
      assert.equal((await hunt('AlertInfo | take 1')).status, 200, 'exactly 3 minutes is in time');

      const fault = async (error: string): ReturnType<typeof call> => {
        assert.equal((await call(`${server.url}/__mock/faults`, { method: 'POST', json: { kind: 'hunting', error } })).status, 201);
        assert.equal((await call(`${server.url}/v1.0/security/incidents?$top=1`)).status, 200, 'a hunting fault waits for a hunt');
        return hunt('AlertInfo | take 1');
      };
      const gw = await fault('unknownError');
      assert.deepEqual([gw.status, errorOf(gw).code, errorOf(gw).message], [504, 'UnknownError', '']);
      const e500 = await fault('emptyMessage');
      assert.deepEqual([e500.status, errorOf(e500).message], [500, '']);
      const big = await fault('resultTooLarge');
      assert.equal(big.status, 400);
      assert.match(errorOf(big).message, /allowed result size/);
      const to = await fault('timeout');
      assert.equal(to.status, 408);
      const cpu = await fault('cpuQuota');
      assert.equal(cpu.status, 429);
      assert.equal((await hunt('AlertInfo | take 1')).status, 429, 'the CPU fault blocks the tenant');
      assert.ok(server.requests.some(q => q.fault === 'hunting'));
      assert.equal((await call(`${server.url}/__mock/faults`, { method: 'POST', json: { kind: 'hunting', error: 'meteor' } })).status, 400);
    });

    it('a slow hunt (delayMs) can be cancelled: the mock answers nothing and records nothing', async () => {
      await call(`${server.url}/__mock/hunting`, { method: 'PUT', json: { delayMs: 1_500 } });
      const before = server.requests.length;
      const ac = new AbortController();
      const started = Date.now();
      setTimeout(() => ac.abort(), 100);
      await assert.rejects(
        fetch(url(), {
          method: 'POST',
          signal: ac.signal,
          headers: { authorization: `Bearer ${server.key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ Query: 'AlertInfo' }),
        }),
        /abort/i,
      );
      assert.ok(Date.now() - started < 1_400);
      await new Promise(resolve => setTimeout(resolve, 1_700));
      assert.equal(server.requests.length, before, 'the cancelled hunt is not recorded as answered');
      await call(`${server.url}/__mock/hunting`, { method: 'DELETE' });
      assert.equal(server.hunting.settings.delayMs, 0);
    });
  });

  describe('the 1,500 calls an hour, on an injected clock', () => {
    it('counts per tenant over a sliding hour; the 1,501st waits for the oldest call to leave it', async () => {
      let t = NOW.getTime();
      const db = await MockDb.open({ count: 10, now: () => new Date(t) });
      const svc = new HuntingService(() => t);
      for (let i = 0; i < 1500; i++) {
        const a = svc.run('tenant-a', { Query: 'AlertInfo | take 1' }, db);
        assert.ok(a.ok, `call ${i + 1}`);
        t += 2_000;
      }
      const refused = svc.run('tenant-a', { Query: 'AlertInfo | take 1' }, db);
      assert.ok(!refused.ok && refused.status === 429 && refused.message === 'API calls quota exceeded! maximum allowed 1500 per 01:00:00');
      assert.ok(!refused.ok && refused.retryAfter === 600, 'the first call leaves the hour 600 s from now');
      assert.ok(svc.run('tenant-b', { Query: 'AlertInfo | take 1' }, db).ok, 'another tenant has its own quota');
      t += 599_000;
      assert.ok(!svc.run('tenant-a', { Query: 'AlertInfo | take 1' }, db).ok);
      t += 1_000;
      assert.ok(svc.run('tenant-a', { Query: 'AlertInfo | take 1' }, db).ok);
    });
  });

  describe('the standalone server', () => {
    it('--hostile and --hunting-schema-case reach the server options; a wrong casing is a usage error', () => {
      const o = parseArgs(['--hostile', '--hunting-schema-case', 'pascal'], '/work').server;
      assert.equal(o.hostile, true);
      assert.deepEqual(o.hunting, { schemaCase: 'pascal' });
      assert.throws(() => parseArgs(['--hunting-schema-case', 'Name'], '/work'), UsageError);
    });
  });

  describe('permission', () => {
    it('a token without ThreatHunting.Read.All gets the 403 naming it; with it, the hunt runs', async () => {
      const auth = { tenantId: 'c0ffee00-0000-4000-8000-000000000001', clientId: 'app-1', clientSecret: 's3cret-s3cret', required: true };
      for (const [roles, status] of [
        [['SecurityIncident.ReadWrite.All'], 403],
        [['SecurityIncident.ReadWrite.All', 'ThreatHunting.Read.All'], 200],
      ] as const) {
        const s = await startMock({ now: () => new Date(clock), auth: { ...auth, roles: [...roles] } });
        try {
          const form = new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: 'app-1',
            client_secret: 's3cret-s3cret',
            scope: 'https://graph.microsoft.com/.default',
          });
          const tok = rec(
            (
              await call(`${s.url}/${auth.tenantId}/oauth2/v2.0/token`, {
                method: 'POST',
                body: form,
                headers: { 'content-type': 'application/x-www-form-urlencoded' },
              })
            ).json,
          );
          const headers = { authorization: `Bearer ${String(tok.access_token)}` };
          const r = await call(`${s.url}/v1.0/security/runHuntingQuery`, { method: 'POST', headers, json: { Query: 'AlertInfo | take 1' } });
          assert.equal(r.status, status);
          if (status === 403) {
            assert.equal(errorOf(r).code, 'Forbidden');
            assert.match(errorOf(r).message, /API required roles: ThreatHunting\.Read\.All/);
          }
          assert.equal((await call(`${s.url}/v1.0/security/incidents?$top=1`, { headers })).status, 200, 'incidents need no hunting permission');
        } finally {
          await s.close();
        }
      }
    });
  });
});
