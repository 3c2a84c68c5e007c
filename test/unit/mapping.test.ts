import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { mapDefenderIncident, mapDefenderList, defenderPatchBody } from '../../src/backend/defender/mapping';
import { mapGraphIncident, mapGraphList, mapGraphCommentList, graphPatchBody, graphAlertPatchBody } from '../../src/backend/graph/mapping';
import { InvalidResponseError } from '../../src/backend/errors';
import { portalUrl } from '../../src/model/links';

const fixture = (name: string): unknown => JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', name), 'utf8'));

function defenderIncident(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    incidentId: 7,
    incidentName: 'x',
    createdTime: '2024-01-01T00:00:00Z',
    lastUpdateTime: '2024-01-02T00:00:00Z',
    status: 'Active',
    severity: 'High',
    ...over,
  };
}

describe('Defender mapping', () => {
  it('parses the documented list example', () => {
    const list = mapDefenderList(fixture('defender-list-example.json'));
    assert.equal(list.items.length, 1);
    assert.equal(list.rawCount, 1);
    const i = list.items[0];
    assert.equal(i.id, '924565');
    assert.equal(i.name, 'Ransomware activity');
    assert.equal(i.status, 'Active');
    assert.equal(i.severity, 'Medium');
    assert.equal(i.classification, 'Unknown');
    assert.equal(i.determination, 'NotAvailable');
    assert.equal(i.assignedTo, null);
    assert.equal(i.redirectIncidentId, null);
    assert.equal(i.webUrl, 'https://security.microsoft.com/incidents/924565?tid=3f5a2e8c-6f0e-4b1a-9d2c-7e1b4c0a9f11');
    assert.equal(i.lastModifiedBy, null);
    assert.equal(i.priorityScore, null);
    assert.deepEqual(i.tags, []);
    assert.deepEqual(i.comments, [{ text: 'test comment for docs', createdBy: 'secop123@contoso.com', createdTime: '2021-01-26T01:00:37.8404534Z' }]);
    assert.equal(i.alerts.length, 1);
    const a = i.alerts[0];
    assert.equal(a.id, 'caD70CFEE2-...');
    assert.equal(a.incidentId, '924565');
    assert.equal(a.classification, null);
    assert.equal(a.determination, null);
    assert.equal(a.createdTime, null);
    assert.equal(a.entities[0].type, 'User');
    assert.equal(a.entities[0].label, 'testUser2@contoso.com');
    assert.equal(a.entities[0].details.accountName, 'testUser2');
  });

  it('names the missing field and its position', () => {
    const body = { value: [defenderIncident(), defenderIncident(), defenderIncident(), defenderIncident({ incidentId: undefined })] };
    assert.throws(
      () => mapDefenderList(body),
      (e: unknown) => e instanceof InvalidResponseError && e.message === 'Defender API answer: value[3].incidentId is missing',
    );
  });

  it('names mistyped fields', () => {
    assert.throws(() => mapDefenderIncident(defenderIncident({ incidentName: 5 }), 'value[0]'), /value\[0\]\.incidentName is a number, expected a string/);
    assert.throws(() => mapDefenderIncident(defenderIncident({ createdTime: 'yesterday' }), 'value[0]'), /value\[0\]\.createdTime .*ISO 8601/);
    assert.throws(() => mapDefenderIncident(defenderIncident({ alerts: [{ title: 'no id' }] }), 'value[0]'), /value\[0\]\.alerts\[0\]\.alertId is missing/);
    assert.throws(() => mapDefenderList({ value: {} }), /value is an object, expected an array/);
    assert.throws(() => mapDefenderList([]), InvalidResponseError);
    assert.throws(() => mapDefenderList(null), InvalidResponseError);
  });

  it('carries entities and devices as evidence on each alert; malformed ones are reported there, not fatal', () => {
    const list = mapDefenderList(fixture('defender-list-example.json'));
    const a = list.items[0].alerts[0];
    assert.equal(a.evidence?.length, 1);
    assert.equal(a.evidence?.[0].kind, 'user');
    assert.equal(a.evidence?.[0].source, 'defender');
    assert.deepEqual(
      a.evidence?.[0].targets.map(t => t.value),
      ['testUser2@contoso.com'],
    );
    const odd = mapDefenderIncident(
      defenderIncident({ alerts: [{ alertId: 'da9', entities: [null, { entityType: 'Ip', ipAddress: '192.0.2.1' }], devices: 'x' }] }),
      'value[0]',
    );
    assert.deepEqual(odd.alerts[0].evidenceProblems, [
      'Defender API answer: value[0].alerts[0] (alert da9): devices is a string, expected an array',
      'Defender API answer: value[0].alerts[0] (alert da9): entities[0] is null, expected an object',
    ]);
    assert.equal(odd.alerts[0].entities.length, 1);
    assert.deepEqual(odd.alerts[0].devices, []);
  });

  it('tolerates null and absent optional fields and keeps unknown enum values', () => {
    const i = mapDefenderIncident(
      defenderIncident({
        tags: null,
        comments: null,
        alerts: undefined,
        assignedTo: null,
        classification: null,
        determination: 'somethingNew',
        severity: undefined,
      }),
    );
    assert.deepEqual(i.tags, []);
    assert.deepEqual(i.comments, []);
    assert.equal(i.classification, 'Unknown');
    assert.equal(i.determination, 'somethingNew');
    assert.equal(i.severity, 'UnSpecified');
    assert.equal(i.webUrl, null);
    assert.equal(i.lastModifiedBy, null);
    assert.equal(i.priorityScore, null);
  });

  it('reads both determination spellings onto the canonical one', () => {
    for (const [wire, domain] of [
      ['CompromisedUser', 'CompromisedAccount'],
      ['CompromisedAccount', 'CompromisedAccount'],
      ['Clean', 'NotMalicious'],
      ['NotMalicious', 'NotMalicious'],
      ['InsufficientData', 'NoEnoughDataToValidate'],
      ['NoEnoughDataToValidate', 'NoEnoughDataToValidate'],
      ['ConfirmedUserActivity', 'ConfirmedActivity'],
      ['ConfirmedActivity', 'ConfirmedActivity'],
    ]) {
      assert.equal(mapDefenderIncident(defenderIncident({ determination: wire })).determination, domain, wire);
      const alert = mapDefenderIncident(defenderIncident({ alerts: [{ alertId: 'a', determination: wire }] })).alerts[0];
      assert.equal(alert.determination, domain, `alert ${wire}`);
    }
  });

  it('a mistyped incidentUri never becomes a link: the portal link is built from the id instead', () => {
    const i = mapDefenderIncident(defenderIncident({ incidentId: 552, incidentUri: { href: 'https://evil.example' } }), 'value[2]');
    assert.equal(i.webUrl, null);
    assert.equal(portalUrl(i), 'https://security.microsoft.com/incidents/552/overview');
  });

  it('links to the portal with the tenant from incidentUri, and only to a genuine portal link', () => {
    const link = (incidentUri: unknown): string => portalUrl(mapDefenderIncident(defenderIncident({ incidentId: 552, incidentUri })));
    assert.equal(link('https://security.microsoft.com/incidents/552?tid=3f5a2e8c'), 'https://security.microsoft.com/incidents/552?tid=3f5a2e8c');
    const built = 'https://security.microsoft.com/incidents/552/overview';
    assert.equal(link(undefined), built);
    assert.equal(link('http://security.microsoft.com/incidents/552?tid=3f5a2e8c'), built);
    assert.equal(link('https://security.microsoft.com.evil.example/incidents/552?tid=3f5a2e8c'), built);
    assert.equal(link('https://evil.example/incidents/552?tid=3f5a2e8c'), built);
    assert.equal(link('https://user:pw@security.microsoft.com/incidents/552?tid=3f5a2e8c'), built);
    assert.equal(link('https://security.microsoft.com:8443/incidents/552?tid=3f5a2e8c'), built);
    assert.equal(link('javascript:alert(1)'), built);
    assert.equal(link('not a url'), built);
  });

  it('builds PATCH bodies with only the changed fields in Defender names', () => {
    assert.deepEqual(defenderPatchBody({ status: 'inProgress', determination: 'compromisedAccount' }), {
      status: 'InProgress',
      determination: 'CompromisedAccount',
    });
    // A value kept in the old spelling (a draft, the journal) is written in the spelling the update API takes.
    assert.deepEqual(defenderPatchBody({ classification: 'FalsePositive', determination: 'Clean' }), {
      classification: 'FalsePositive',
      determination: 'NotMalicious',
    });
    assert.deepEqual(defenderPatchBody({ determination: 'InsufficientData' }), { determination: 'NoEnoughDataToValidate' });
    assert.deepEqual(defenderPatchBody({ determination: 'ConfirmedUserActivity' }), { determination: 'ConfirmedActivity' });
    assert.deepEqual(defenderPatchBody({ classification: 'Unknown', determination: 'NotAvailable' }), {
      classification: 'Unknown',
      determination: 'NotAvailable',
    });
    assert.deepEqual(defenderPatchBody({ assignedTo: null, tags: ['a'] }), { assignedTo: null, tags: ['a'] });
    assert.deepEqual(defenderPatchBody({ name: 'n', severity: 'High' }), { incidentName: 'n', severity: 'High' });
  });
});

describe('Graph mapping', () => {
  it('parses the documented incident example with alerts and evidence', () => {
    const i = mapGraphIncident(fixture('graph-incident-example.json'));
    assert.equal(i.id, '2972395');
    assert.equal(i.status, 'Active');
    assert.equal(i.severity, 'Medium');
    assert.equal(i.classification, 'TruePositive');
    assert.equal(i.determination, 'MultiStagedAttack');
    assert.equal(i.assignedTo, 'KaiC@contoso.onmicrosoft.com');
    assert.deepEqual(i.tags, ['Demo']);
    assert.deepEqual(i.systemTags, ['Defender Experts']);
    assert.equal(i.webUrl, 'https://security.microsoft.com/incidents/2972395?tid=12f988bf-16f1-11af-11ab-1d7cd011db47');
    assert.equal(portalUrl(i), 'https://security.microsoft.com/incidents/2972395?tid=12f988bf-16f1-11af-11ab-1d7cd011db47');
    assert.equal(i.lastModifiedBy, 'DefenderExperts');
    assert.equal(i.priorityScore, 75);
    assert.equal(i.resolvingComment, null);
    assert.deepEqual(i.comments, [{ text: 'Demo incident', createdBy: 'DavidS@contoso.onmicrosoft.com', createdTime: '2021-09-30T12:07:37.2756993Z' }]);
    const a = i.alerts[0];
    assert.equal(a.incidentId, '2972395');
    assert.equal(a.status, 'New');
    assert.equal(a.classification, 'Unknown');
    assert.equal(a.determination, 'NotAvailable');
    assert.deepEqual(a.mitreTechniques, ['T1564.001']);
    assert.equal(a.devices.length, 1);
    assert.equal(a.devices[0].id, '73e7e2de709dff64ef64b1d0c30e67fab63279db');
    assert.equal(a.devices[0].dnsName, 'tempDns');
    assert.equal(a.devices[0].osBuild, 22424);
    const byType = new Map(a.entities.map(e => [e.type, e]));
    assert.deepEqual([...byType.keys()].sort(), ['File', 'Ip', 'MailBox', 'Process', 'Registry', 'Url', 'User']);
    assert.equal(byType.get('File')?.label, 'MsSense.exe');
    assert.equal(byType.get('File')?.details['fileDetails.sha256'], '8963a19fb992ad9a76576c5638fd68292cffb9aaac29eb8285f9abf6196a7dec');
    assert.equal(byType.get('User')?.label, 'testUser2@contoso.com');
    assert.equal(byType.get('Ip')?.label, '203.0.113.7');
    assert.equal(byType.get('Url')?.label, 'https://malicious.example/payload');
    assert.equal(byType.get('MailBox')?.label, 'testUser2@contoso.com');
    assert.equal(byType.get('Process')?.label, '"MsSense.exe"');
    assert.match(byType.get('Registry')?.label ?? '', /SENSEAUDITLOGGER/);
  });

  it('reads lists, old comment spellings, unknown evidence and unknown enums', () => {
    const inc = fixture('graph-incident-example.json') as Record<string, unknown>;
    const list = mapGraphList({
      value: [{ ...inc, status: 'unknownFutureValue', comments: [{ comment: 'c', createdBy: 'me', createdTime: '2021-01-01T00:00:00Z' }] }],
      '@odata.nextLink': 'https://graph.microsoft.com/v1.0/security/incidents?$skip=50',
    });
    assert.equal(list.items[0].status, 'unknownFutureValue');
    assert.deepEqual(list.items[0].comments, [{ text: 'c', createdBy: 'me', createdTime: '2021-01-01T00:00:00Z' }]);
    assert.equal(list.nextLink, 'https://graph.microsoft.com/v1.0/security/incidents?$skip=50');
    const withOdd = mapGraphIncident({
      ...inc,
      alerts: [{ id: 'a1', evidence: [{ '@odata.type': '#microsoft.graph.security.kubernetesPodEvidence', name: 'pod-1' }] }],
    });
    assert.equal(withOdd.alerts[0].entities[0].type, 'KubernetesPod');
    assert.equal(withOdd.alerts[0].entities[0].label, 'pod-1');
    assert.deepEqual(
      mapGraphCommentList({ value: [{ comment: 'x', createdByDisplayName: 'a', createdDateTime: '2021-01-01T00:00:00Z' }] }).map(c => c.text),
      ['x'],
    );
  });

  it('names missing Graph fields with their position', () => {
    const inc = fixture('graph-incident-example.json') as Record<string, unknown>;
    assert.throws(
      () => mapGraphList({ value: [inc, { ...inc, lastUpdateDateTime: null }] }),
      (e: unknown) => e instanceof InvalidResponseError && e.message === 'Graph API answer: value[1].lastUpdateDateTime is missing',
    );
    assert.throws(() => mapGraphIncident({ ...inc, alerts: [{ title: 'x' }] }), /alerts\[0\]\.id is missing/);
  });

  it('carries evidence with roles and verdicts on each alert; a malformed evidence item is reported there, not fatal', () => {
    const inc = fixture('graph-incident-example.json') as Record<string, unknown>;
    const alert = mapGraphIncident(inc).alerts[0];
    assert.equal(alert.evidence?.length, 8);
    assert.deepEqual(alert.evidenceProblems, []);
    const user = alert.evidence?.find(e => e.kind === 'user');
    assert.deepEqual(user?.roles, ['compromised']);
    assert.deepEqual(user?.alertIds, [alert.id]);
    const odd = mapGraphIncident(
      { ...inc, alerts: [{ id: 'x', evidence: [7, { '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress: '192.0.2.1' }] }] },
      'value[2]',
    );
    assert.deepEqual(odd.alerts[0].evidenceProblems, ['Graph API answer: value[2].alerts[0] (alert x): evidence[0] is a number, expected an object']);
    assert.equal(odd.alerts[0].evidence?.length, 1);
    assert.equal(odd.alerts[0].entities[0].label, '192.0.2.1');
    const notList = mapGraphIncident({ ...inc, alerts: [{ id: 'y', evidence: 'none' }] });
    assert.deepEqual(notList.alerts[0].evidenceProblems, ['Graph API answer: alerts[0] (alert y): evidence is a string, expected an array']);
  });

  it('reads resolvingComment, lastModifiedBy and priorityScore, and tolerates older answers without them', () => {
    const inc = fixture('graph-incident-example.json') as Record<string, unknown>;
    const resolved = mapGraphIncident({
      ...inc,
      status: 'resolved',
      resolvingComment: 'Pen test, expected',
      lastModifiedBy: 'secop2@contoso.com',
      priorityScore: '12',
    });
    assert.equal(resolved.resolvingComment, 'Pen test, expected');
    assert.equal(resolved.lastModifiedBy, 'secop2@contoso.com');
    assert.equal(resolved.priorityScore, 12);
    const older: Record<string, unknown> = { ...inc };
    delete older.resolvingComment;
    delete older.lastModifiedBy;
    delete older.priorityScore;
    const o = mapGraphIncident(older);
    assert.equal(o.resolvingComment, null);
    assert.equal(o.lastModifiedBy, null);
    assert.equal(o.priorityScore, null);
    const nulled = mapGraphIncident({ ...inc, lastModifiedBy: null, priorityScore: null });
    assert.equal(nulled.lastModifiedBy, null);
    assert.equal(nulled.priorityScore, null);
  });

  it('mistyped cosmetic fields (score, last modified by) become null: one odd field never hides the whole list', () => {
    const inc = fixture('graph-incident-example.json') as Record<string, unknown>;
    const cases: Record<string, unknown>[] = [{ priorityScore: 'high' }, { priorityScore: {} }, { priorityScore: true }, { lastModifiedBy: { user: 'x' } }];
    for (const over of cases) {
      const [i] = mapGraphList({ value: [{ ...inc, ...over }] }).items;
      const field = Object.keys(over)[0] as 'priorityScore' | 'lastModifiedBy';
      assert.equal(i[field], null, JSON.stringify(over));
    }
    assert.equal(mapGraphList({ value: [{ ...inc, priorityScore: '42' }] }).items[0].priorityScore, 42);
  });

  it('reads both determination spellings onto the canonical one', () => {
    const inc = fixture('graph-incident-example.json') as Record<string, unknown>;
    for (const [wire, domain] of [
      ['compromisedUser', 'CompromisedAccount'],
      ['compromisedAccount', 'CompromisedAccount'],
      ['clean', 'NotMalicious'],
      ['notMalicious', 'NotMalicious'],
      ['insufficientData', 'NoEnoughDataToValidate'],
      ['notEnoughDataToValidate', 'NoEnoughDataToValidate'],
      ['confirmedUserActivity', 'ConfirmedActivity'],
      ['confirmedActivity', 'ConfirmedActivity'],
      ['unknown', 'NotAvailable'],
    ]) {
      assert.equal(mapGraphIncident({ ...inc, determination: wire }).determination, domain, wire);
      assert.equal(mapGraphIncident({ ...inc, alerts: [{ id: 'a', determination: wire }] }).alerts[0].determination, domain, `alert ${wire}`);
    }
  });

  it('links to the portal with the tenant from incidentWebUrl, and only to a genuine portal link', () => {
    const inc = fixture('graph-incident-example.json') as Record<string, unknown>;
    const link = (incidentWebUrl: unknown): string => portalUrl(mapGraphIncident({ ...inc, incidentWebUrl }));
    const built = 'https://security.microsoft.com/incidents/2972395/overview';
    assert.equal(link('https://security.microsoft.com/incidents/2972395?tid=abc'), 'https://security.microsoft.com/incidents/2972395?tid=abc');
    assert.equal(link(null), built);
    assert.equal(link('http://security.microsoft.com/incidents/2972395?tid=abc'), built);
    assert.equal(link('https://portal.example.com/incidents/2972395?tid=abc'), built);
    assert.equal(link('https://admin@security.microsoft.com/incidents/2972395?tid=abc'), built);
  });

  it('builds Graph PATCH bodies with v1.0 spellings', () => {
    assert.deepEqual(graphPatchBody({ status: 'InProgress', classification: 'FalsePositive', determination: 'NotMalicious', tags: ['t'], assignedTo: 'a@b' }), {
      status: 'inProgress',
      classification: 'falsePositive',
      determination: 'notMalicious',
      customTags: ['t'],
      assignedTo: 'a@b',
    });
    assert.deepEqual(graphPatchBody({ determination: 'NoEnoughDataToValidate' }), { determination: 'notEnoughDataToValidate' });
    assert.deepEqual(graphPatchBody({ determination: 'CompromisedUser' }), { determination: 'compromisedAccount' });
    assert.deepEqual(graphPatchBody({ determination: 'ConfirmedUserActivity' }), { determination: 'confirmedActivity' });
    assert.deepEqual(graphPatchBody({ classification: 'Unknown', determination: 'NotAvailable' }), { classification: 'unknown', determination: 'unknown' });
    assert.deepEqual(graphAlertPatchBody({ determination: 'Clean' }), { determination: 'notMalicious' });
    assert.deepEqual(graphAlertPatchBody({ status: 'Resolved' }), { status: 'resolved' });
    // The wire names are the field table's (src/model/fields.ts); a resolving comment is the client's to add.
    assert.deepEqual(graphPatchBody({ name: 'n', severity: 'High', resolvingComment: 'c' }), { displayName: 'n', severity: 'high' });
    assert.deepEqual(defenderPatchBody({ name: 'n', severity: 'High', resolvingComment: 'c' }), { incidentName: 'n', severity: 'High' });
  });
});
