import * as assert from 'assert/strict';
import { DETERMINATIONS_BY_CLASSIFICATION, type KnownClassification } from '../../src/model/types';
import { MOCK_ANALYSTS, seedIncidents } from '../../src/mock/seed';
import { DEFENDER_READ_SPELLING, DEFENDER_SEVERITIES, DEFENDER_STATUSES, DEFENDER_WRITE_SPELLING, wireTime } from '../../src/mock/wire';
import { NOW } from '../fixtures/mock-helpers';

const DAY = 86_400_000;

describe('mock seed', () => {
  const incidents = seedIncidents({ now: NOW });

  it('makes 75 incidents by default, and exactly the count asked for', () => {
    assert.equal(incidents.length, 75);
    assert.equal(seedIncidents({ count: 3, now: NOW }).length, 3);
    assert.equal(seedIncidents({ count: 0, now: NOW }).length, 0);
  });

  it('is deterministic for a seed and clock, and differs for another seed', () => {
    assert.deepEqual(seedIncidents({ now: NOW, seed: 7 }), seedIncidents({ now: NOW, seed: 7 }));
    assert.notDeepEqual(
      seedIncidents({ now: NOW, seed: 7 }).map(i => i.incidentName),
      seedIncidents({ now: NOW, seed: 8 }).map(i => i.incidentName),
    );
  });

  it('gives unique incident ids in the real range, increasing with creation time', () => {
    const ids = incidents.map(i => i.incidentId);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.ok(Number.isSafeInteger(id) && id > 900_000, `id ${id}`);
    const byCreated = [...incidents].sort((a, b) => Date.parse(a.createdTime) - Date.parse(b.createdTime));
    for (let i = 1; i < byCreated.length; i++) assert.ok(byCreated[i].incidentId > byCreated[i - 1].incidentId);
  });

  it('gives unique alert ids, each pointing back at its incident', () => {
    const big = seedIncidents({ now: NOW, count: 2000 });
    const alertIds = new Set<string>();
    for (const inc of big) {
      assert.ok(inc.alerts.length >= 1, `incident ${inc.incidentId} has no alerts`);
      for (const a of inc.alerts) {
        assert.ok(!alertIds.has(a.alertId), `duplicate alert id ${a.alertId}`);
        alertIds.add(a.alertId);
        assert.equal(a.incidentId, inc.incidentId);
      }
    }
  });

  it('covers every severity, status and owner, with a few redirected incidents', () => {
    const big = seedIncidents({ now: NOW, count: 400 });
    for (const s of ['High', 'Medium', 'Low', 'Informational'])
      assert.ok(
        big.some(i => i.severity === s),
        `severity ${s}`,
      );
    for (const s of DEFENDER_STATUSES)
      assert.ok(
        big.some(i => i.status === s),
        `status ${s}`,
      );
    for (const a of MOCK_ANALYSTS)
      assert.ok(
        big.some(i => i.assignedTo === a),
        `owner ${a}`,
      );
    assert.ok(big.some(i => i.assignedTo === null));
    for (const i of big) assert.ok((DEFENDER_SEVERITIES as readonly string[]).includes(i.severity));
    const redirected = big.filter(i => i.status === 'Redirected');
    assert.ok(redirected.length > 0 && redirected.length < big.length * 0.1, `${redirected.length} redirected`);
    const ids = new Set(big.map(i => i.incidentId));
    for (const r of redirected) assert.ok(r.redirectIncidentId !== null && ids.has(r.redirectIncidentId) && r.redirectIncidentId > r.incidentId);
    for (const i of big.filter(x => x.status !== 'Redirected')) assert.equal(i.redirectIncidentId, null);
  });

  it('only pairs classifications with valid determinations, in the read spellings; resolved incidents are classified', () => {
    const big = seedIncidents({ now: NOW, count: 1000 });
    const seenClass = new Set<string>();
    const seenDet = new Set<string>();
    // The model lists the write spellings; the store keeps (and Defender reads answer) the resource page's.
    const written = (d: string | null): string => DEFENDER_WRITE_SPELLING[d ?? ''] ?? d ?? '';
    for (const i of big) {
      const valid = DETERMINATIONS_BY_CLASSIFICATION[i.classification as KnownClassification];
      assert.ok(valid, `unknown classification ${i.classification}`);
      assert.ok((valid as readonly string[]).includes(written(i.determination)), `${i.classification}/${i.determination}`);
      assert.equal(i.determination in DEFENDER_READ_SPELLING, false, `${i.determination} is a write spelling`);
      if (i.status === 'Resolved') assert.notEqual(i.classification, 'Unknown', `resolved ${i.incidentId} is unclassified`);
      seenClass.add(i.classification);
      seenDet.add(i.determination);
      for (const a of i.alerts) {
        if (a.classification !== null)
          assert.ok((DETERMINATIONS_BY_CLASSIFICATION[a.classification as KnownClassification] as readonly string[]).includes(written(a.determination)));
        if (i.status === 'Resolved') assert.equal(a.status, 'Resolved');
      }
    }
    for (const c of ['Unknown', 'TruePositive', 'FalsePositive', 'InformationalExpectedActivity']) assert.ok(seenClass.has(c), `classification ${c}`);
    for (const d of ['MultiStagedAttack', 'Malware', 'Phishing', 'CompromisedUser', 'Clean', 'SecurityTesting', 'InsufficientData'])
      assert.ok(seenDet.has(d), `determination ${d}`);
  });

  it('has times in the wire format, relative to now: mostly the last 30 days, none older than ~6 months or in the future', () => {
    const big = seedIncidents({ now: NOW, count: 500 });
    const fmt = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
    let recent = 0;
    for (const i of big) {
      assert.match(i.createdTime, fmt);
      assert.match(i.lastUpdateTime, fmt);
      const c = Date.parse(i.createdTime);
      const u = Date.parse(i.lastUpdateTime);
      assert.ok(c <= u, `${i.incidentId}: created after last update`);
      assert.ok(u < NOW.getTime(), `${i.incidentId}: updated in the future`);
      assert.ok(NOW.getTime() - c <= 181 * DAY, `${i.incidentId}: too old`);
      if (NOW.getTime() - c <= 30 * DAY) recent++;
      for (const cm of i.comments) {
        assert.ok(Date.parse(cm.createdTime) >= c && Date.parse(cm.createdTime) <= u);
        assert.ok(cm.comment.length > 0 && cm.createdBy);
      }
      for (const a of i.alerts)
        assert.ok(Date.parse(a.firstActivity) <= Date.parse(a.lastActivity) || Date.parse(a.firstActivity) <= Date.parse(a.creationTime));
    }
    assert.ok(recent > big.length * 0.6, `${recent} of ${big.length} in the last 30 days`);
    assert.ok(
      big.some(i => NOW.getTime() - Date.parse(i.createdTime) > 90 * DAY),
      'a tail of older incidents',
    );
  });

  it('looks like the portal: names, hosts, users, sources, categories, entities', () => {
    const big = seedIncidents({ now: NOW, count: 600 });
    const names = new Set(big.map(i => i.incidentName));
    for (const n of [
      'Ransomware activity on one endpoint',
      'BEC financial fraud',
      'Impossible travel activity involving one user',
      'Credential access incident involving one user',
      'Suspicious PowerShell command line on one endpoint',
      'Email messages containing malicious URL removed after delivery involving one user',
    ]) {
      assert.ok(names.has(n), `name "${n}"`);
    }
    assert.ok([...names].some(n => /^Multi-stage incident involving .+ & .+ on multiple endpoints reported by multiple sources$/.test(n)));
    const alerts = big.flatMap(i => i.alerts);
    for (const s of [
      'MicrosoftDefenderForEndpoint',
      'MicrosoftDefenderForOffice365',
      'MicrosoftDefenderForIdentity',
      'MicrosoftCloudAppSecurity',
      'AzureAdIdentityProtection',
    ]) {
      assert.ok(
        alerts.some(a => a.serviceSource === s),
        `service source ${s}`,
      );
    }
    for (const c of ['InitialAccess', 'Execution', 'Persistence', 'CredentialAccess', 'LateralMovement', 'Exfiltration', 'Impact', 'CommandAndControl']) {
      assert.ok(
        alerts.some(a => a.category === c),
        `category ${c}`,
      );
    }
    const entities = alerts.flatMap(a => a.entities);
    for (const t of ['User', 'Ip', 'Url', 'File', 'Process', 'MailBox', 'MailMessage', 'Registry'])
      assert.ok(
        entities.some(e => e.entityType === t),
        `entity ${t}`,
      );
    for (const e of entities) {
      if (e.entityType === 'User') assert.match(e.userPrincipalName ?? '', /^[a-z0-9.]+@contoso\.com$/);
      if (e.entityType === 'File') {
        assert.match(e.sha1 ?? '', /^[0-9a-f]{40}$/);
        assert.match(e.sha256 ?? '', /^[0-9a-f]{64}$/);
      }
      if (e.entityType === 'Ip') assert.match(e.ipAddress ?? '', /^\d+\.\d+\.\d+\.\d+$/);
    }
    const devices = alerts.flatMap(a => a.devices);
    assert.ok(devices.length > 0);
    for (const d of devices) {
      assert.match(d.deviceDnsName, /^(ws|lt|srv)-[a-z]+-\d+\.contoso\.com$/);
      assert.match(d.mdatpDeviceId, /^[0-9a-f]{40}$/);
      for (const k of ['osPlatform', 'healthStatus', 'riskScore', 'rbacGroupName', 'firstSeen'] as const) assert.equal(typeof d[k], 'string', k);
    }
    assert.ok(big.some(i => i.tags.length > 0) && big.some(i => i.comments.length > 0));
  });

  it('names agree with the alerts ("one endpoint" means one device)', () => {
    for (const i of seedIncidents({ now: NOW, count: 500 })) {
      const devices = new Set(i.alerts.flatMap(a => a.devices.map(d => d.mdatpDeviceId)));
      if (i.incidentName.endsWith('on one endpoint')) assert.equal(devices.size, 1, i.incidentName);
      if (i.incidentName.includes('on multiple endpoints')) assert.ok(devices.size > 1, i.incidentName);
      if (/reported by multiple sources$/.test(i.incidentName)) assert.ok(new Set(i.alerts.map(a => a.serviceSource)).size > 1);
      const sev = ['Informational', 'Low', 'Medium', 'High'];
      assert.equal(Math.max(...i.alerts.map(a => sev.indexOf(a.severity))), sev.indexOf(i.severity), `${i.incidentId} severity is its highest alert's`);
    }
  });

  it('generates 10,000 incidents (no timing assertion: the machine may be busy)', () => {
    const started = Date.now();
    const big = seedIncidents({ now: NOW, count: 10_000 });
    assert.equal(big.length, 10_000);
    assert.equal(new Set(big.map(i => i.incidentId)).size, 10_000);
    console.log(`      (10,000 incidents in ${Date.now() - started} ms)`);
  });

  it('formats wire times with seven fractional digits, like the services', () => {
    assert.equal(wireTime(Date.parse('2026-03-01T12:34:56.789Z')), '2026-03-01T12:34:56.7890000Z');
    assert.equal(wireTime(new Date(0)), '1970-01-01T00:00:00.0000000Z');
    assert.throws(() => wireTime(NaN), RangeError);
  });
});
