import * as assert from 'assert/strict';
import { alertEvidence, BETA_EVIDENCE_TYPES, incidentEvidenceCount, V1_EVIDENCE_TYPES } from '../../src/mock/evidence';
import { MOCK_HOSTILE } from '../../src/mock/hostile';
import { seedIncidents } from '../../src/mock/seed';
import type { MockServer } from '../../src/mock/server';
import { arr, call, NOW, rec, startMock, type Json } from '../fixtures/mock-helpers';
import { CORPUS } from '../fixtures/hostile';

const NS = '#microsoft.graph.security.';
const VERDICTS = ['unknown', 'suspicious', 'malicious', 'noThreatsFound'];
const REMEDIATION = ['none', 'remediated', 'prevented', 'blocked', 'notFound'];

describe('mock evidence (Graph alerts_v2 evidence, Defender entities)', () => {
  const incidents = seedIncidents({ now: NOW });

  it('the default seed carries all 31 v1.0 evidence types and beta ones, each with the common fields', () => {
    const seen = new Map<string, number>();
    for (const inc of incidents) {
      for (const a of inc.alerts) {
        for (const e of alertEvidence(a)) {
          const t = e['@odata.type'];
          assert.ok(t.startsWith(NS), t);
          seen.set(t.slice(NS.length), (seen.get(t.slice(NS.length)) ?? 0) + 1);
          assert.match(e.createdDateTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/, t);
          assert.ok(Array.isArray(e.roles) && Array.isArray(e.detailedRoles) && Array.isArray(e.tags), t);
          assert.ok(VERDICTS.includes(String(e.verdict)), `${t} verdict ${String(e.verdict)}`);
          assert.ok(REMEDIATION.includes(String(e.remediationStatus)), `${t} remediationStatus ${String(e.remediationStatus)}`);
        }
      }
    }
    assert.equal(V1_EVIDENCE_TYPES.length, 31);
    for (const t of V1_EVIDENCE_TYPES) assert.ok(seen.has(t), `no ${t} in the default seed`);
    for (const t of BETA_EVIDENCE_TYPES) assert.ok(seen.has(t), `no beta ${t} in the default seed`);
    assert.ok(!seen.has('alertEvidence'), 'no untyped evidence');
  });

  it("enum values are members of Graph's enums (roles, delivery, detection status, device states)", () => {
    const ROLES = [
      'unknown',
      'contextual',
      'scanned',
      'source',
      'destination',
      'created',
      'added',
      'compromised',
      'edited',
      'attacked',
      'attacker',
      'commandAndControl',
      'loaded',
      'suspicious',
      'policyViolator',
    ];
    const ENUMS: Record<string, string[]> = {
      deliveryAction: ['unknown', 'deliveredToJunk', 'delivered', 'blocked', 'replaced'],
      deliveryLocation: ['unknown', 'inbox_folder', 'junkFolder', 'deletedFolder', 'quarantine', 'onprem_external', 'failed', 'dropped', 'others'],
      detectionStatus: ['detected', 'blocked', 'prevented'],
      healthStatus: ['active', 'inactive', 'impairedCommunication', 'noSensorData', 'noSensorDataImpairedCommunication', 'unknown'],
      riskScore: ['none', 'informational', 'low', 'medium', 'high'],
      defenderAvStatus: ['notReporting', 'disabled', 'notUpdated', 'updated', 'unknown', 'notSupported'],
      onboardingStatus: ['insufficientInfo', 'onboarded', 'canBeOnboarded', 'unsupported'],
    };
    for (const e of incidents.flatMap(i => i.alerts.flatMap(a => alertEvidence(a)))) {
      for (const r of e.roles) assert.ok(ROLES.includes(r), `role ${r}`);
      for (const [k, members] of Object.entries(ENUMS))
        if (k in e && e[k] !== null) assert.ok(members.includes(String(e[k])), `${e['@odata.type']} ${k} ${String(e[k])}`);
    }
  });

  it('roles tell who is who, and identifying fields match the Defender entities of the same alert', () => {
    const all = incidents.flatMap(i => i.alerts);
    const roles = new Set(all.flatMap(a => alertEvidence(a).flatMap(e => e.roles)));
    for (const r of ['attacker', 'compromised', 'source', 'destination', 'commandAndControl', 'contextual', 'suspicious']) assert.ok(roles.has(r), `role ${r}`);
    for (const a of all) {
      const ev = alertEvidence(a);
      for (const d of a.devices) {
        const de = ev.find(e => e['@odata.type'] === `${NS}deviceEvidence` && e.mdeDeviceId === d.mdatpDeviceId);
        assert.ok(de, 'device evidence for every device');
        assert.equal(de.deviceDnsName, d.deviceDnsName);
      }
      for (const en of a.entities) {
        if (en.entityType === 'User')
          assert.ok(
            ev.some(e => rec(e.userAccount ?? {}).userPrincipalName === en.userPrincipalName),
            'user',
          );
        if (en.entityType === 'Ip')
          assert.ok(
            ev.some(e => e.ipAddress === en.ipAddress),
            'ip',
          );
        if (en.entityType === 'Url')
          assert.ok(
            ev.some(e => e.url === en.url),
            'url',
          );
        if (en.entityType === 'File')
          assert.ok(
            ev.some(e => rec(e.fileDetails ?? {}).sha256 === en.sha256),
            'file',
          );
        if (en.entityType === 'Process')
          assert.ok(
            ev.some(e => e.processCommandLine === en.processCommandLine && e.processId === en.processId),
            'process',
          );
        if (en.entityType === 'MailBox')
          assert.ok(
            ev.some(e => e.primaryAddress === en.mailboxAddress),
            'mailbox',
          );
        if (en.entityType === 'MailMessage')
          assert.ok(
            ev.some(e => e.networkMessageId === en.networkMessageId && e.subject === en.subject),
            'message',
          );
      }
      assert.deepEqual(alertEvidence(a), ev, 'the same alert always has the same evidence');
    }
  });

  it('hostile seed: attacker text in evidence values and entities, the ordinary data unchanged otherwise', () => {
    const hostile = seedIncidents({ now: NOW, hostile: true });
    assert.deepEqual(
      hostile.map(i => i.incidentId),
      incidents.map(i => i.incidentId),
    );
    const values = hostile.flatMap(i => i.alerts.flatMap(a => alertEvidence(a))).map(e => JSON.stringify(e));
    let hits = 0;
    for (const h of MOCK_HOSTILE) if (values.some(v => v.includes(JSON.stringify(h).slice(1, -1)))) hits++;
    assert.ok(hits >= 6, `only ${hits} hostile strings reached the evidence`);
    // The mock's list has the kinds of the tests' corpus: markup, command links, codicons, bidi.
    for (const probe of ['<script>', 'command:', '$(', '\u202E']) {
      assert.ok(MOCK_HOSTILE.some(h => h.includes(probe)) && CORPUS.some(([, s]) => s.includes(probe)), probe);
    }
    assert.ok(
      hostile.some(i => i.alerts.some(a => a.entities.some(e => MOCK_HOSTILE.some(h => (e.processCommandLine ?? e.fileName ?? e.subject ?? '').includes(h))))),
    );
  });

  describe('over HTTP', () => {
    let server: MockServer;
    before(async () => {
      server = await startMock({ now: () => NOW });
    });
    after(async () => {
      await server.close();
    });

    it('$expand=alerts and alerts_v2 carry the same evidence; Defender alerts carry entities and devices without roles', async () => {
      const inc = server.db.list().find(i => i.alerts.some(a => a.devices.length > 0 && a.entities.length > 1))!;
      const g = rec((await call(`${server.url}/v1.0/security/incidents/${inc.incidentId}?$expand=alerts`)).json);
      const alerts = arr(g.alerts).map(a => rec(a));
      for (const a of alerts) {
        const single = rec((await call(`${server.url}/v1.0/security/alerts_v2/${encodeURIComponent(String(a.id))}`)).json);
        assert.deepEqual(single.evidence, a.evidence);
      }
      const d = rec((await call(`${server.url}/api/incidents/${inc.incidentId}`)).json);
      for (const a of arr(d.alerts).map(x => rec(x))) {
        assert.ok(Array.isArray(a.devices));
        for (const e of arr(a.entities).map(x => rec(x))) {
          assert.equal(typeof e.entityType, 'string');
          assert.equal('roles' in e, false, 'the Defender API has no roles');
          assert.ok('verdict' in e && 'remediationStatus' in e && 'evidenceCreationTime' in e);
        }
      }
    });

    it('POST /__mock/incidents {"evidenceCount": 500}: an incident with exactly 500 evidence items on both dialects', async () => {
      const made = rec((await call(`${server.url}/__mock/incidents`, { method: 'POST', json: { evidenceCount: 500, severity: 'High' } })).json);
      const id = Number(made.incidentId);
      assert.equal(incidentEvidenceCount(server.db.get(id)!), 500);
      const g = rec((await call(`${server.url}/v1.0/security/incidents/${id}?$expand=alerts`)).json);
      const items = arr(g.alerts).flatMap(a => arr(rec(a).evidence) as Json[]);
      assert.equal(items.length, 500);
      const d = rec((await call(`${server.url}/api/incidents/${id}`)).json);
      const entities = arr(d.alerts).reduce<number>((n, a) => n + arr(rec(a).entities).length, 0);
      assert.ok(entities > 400, `${entities} Defender entities`);
      assert.equal((await call(`${server.url}/__mock/incidents`, { method: 'POST', json: { evidenceCount: 5001 } })).status, 400);
      assert.equal((await call(`${server.url}/__mock/incidents`, { method: 'POST', json: { evidenceCount: 'many' } })).status, 400);
    });

    it('POST /__mock/reset {"hostile": true} reseeds with hostile evidence values', async () => {
      assert.equal((await call(`${server.url}/__mock/reset`, { method: 'POST', json: { hostile: 'yes' } })).status, 400);
      assert.equal((await call(`${server.url}/__mock/reset`, { method: 'POST', json: { hostile: true } })).status, 200);
      const body = (await call(`${server.url}/v1.0/security/incidents?$expand=alerts&$top=50`)).text;
      assert.ok(body.includes('<script>alert(1)</script>') || body.includes('\\u003cscript') || body.includes('command:workbench'), 'hostile text served');
    });
  });
});
