import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { groupEvidence, incidentEvidence, mergeEvidence, parseDefenderEntities, parseGraphEvidence, type EvidenceItem } from '../../src/model/evidence';
import { DEFENDER_EVIDENCE_GAPS, EVIDENCE_GROUPS, GRAPH_EVIDENCE_TYPES } from '../../src/model/evidenceTypes';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'test', 'fixtures', name), 'utf8')) as Record<string, unknown>;

const T = (t: string) => `#microsoft.graph.security.${t}`;

/** The 31 v1.0 types (Graph docs, alertEvidence), spelled as the reference lists them. */
const V1_TYPES = [
  'amazonResource',
  'analyzedMessage',
  'azureResource',
  'blobContainer',
  'blob',
  'cloudApplication',
  'cloudLogonRequest',
  'cloudLogonSession',
  'container',
  'containerImage',
  'containerRegistry',
  'device',
  'file',
  'googleCloudResource',
  'ip',
  'kubernetesCluster',
  'kubernetesController',
  'kubernetesNamespace',
  'kubernetesPod',
  'kubernetesSecret',
  'kubernetesServiceAccount',
  'kubernetesService',
  'mailCluster',
  'mailbox',
  'oauthApplication',
  'process',
  'registryKey',
  'registryValue',
  'securityGroup',
  'url',
  'user',
];

describe('evidence: Graph alerts_v2 evidence', () => {
  it('knows all 31 v1.0 types, each in a group', () => {
    assert.equal(V1_TYPES.length, 31);
    assert.deepEqual(Object.keys(GRAPH_EVIDENCE_TYPES).sort(), V1_TYPES.map(t => `${t}Evidence`).sort());
    const raw = V1_TYPES.map((t, i) => ({ '@odata.type': T(`${t}Evidence`), name: `n${i}`, roles: ['contextual'] }));
    const { items, problems } = parseGraphEvidence(raw, 'a1');
    assert.deepEqual(problems, []);
    assert.equal(items.length, 31);
    assert.ok(items.every(i => !i.unknownType && EVIDENCE_GROUPS.some(g => g.kind === i.kind)));
    assert.equal(items.find(i => i.type === 'kubernetesPodEvidence')?.kind, 'cloud');
    assert.equal(items.find(i => i.type === 'analyzedMessageEvidence')?.kind, 'message');
  });

  it('reads the documented example: labels, roles, verdicts, statuses and hunt targets', () => {
    const alert = (fixture('graph-incident-example.json').alerts as Record<string, unknown>[])[0];
    const { items, problems } = parseGraphEvidence(alert.evidence, 'a1');
    assert.deepEqual(problems, []);
    const by = (type: string) => items.find(i => i.type === type)!;
    const device = by('deviceEvidence');
    assert.equal(device.kind, 'device');
    assert.equal(device.label, 'tempDns');
    assert.deepEqual(device.tags, ['Test Machine']);
    assert.equal(device.fields['loggedOnUsers[0].accountName'], 'SecAdmin');
    assert.deepEqual(
      device.targets.map(t => [t.kind, t.value]),
      [
        ['device', 'tempDns'],
        ['device', '73e7e2de709dff64ef64b1d0c30e67fab63279db'],
      ],
    );
    const user = by('userEvidence');
    assert.equal(user.label, 'testUser2@contoso.com');
    assert.deepEqual(user.roles, ['compromised']);
    assert.deepEqual(user.verdicts, ['suspicious']);
    assert.deepEqual(user.remediationStatuses, ['none']);
    assert.equal(by('ipEvidence').targets[0].value, '203.0.113.7');
    assert.equal(by('fileEvidence').label, 'MsSense.exe');
    assert.deepEqual(
      by('fileEvidence').targets.map(t => t.kind),
      ['fileHash', 'fileHash'],
    );
    assert.equal(by('processEvidence').label, '"MsSense.exe"');
    assert.equal(by('processEvidence').fields['userAccount.userSid'], 'S-1-5-18');
    assert.equal(by('urlEvidence').targets[0].kind, 'url');
    assert.equal(by('mailboxEvidence').targets[0].kind, 'mailbox');
    assert.equal(by('registryKeyEvidence').kind, 'other');
    assert.ok(items.every(i => i.alertIds.length === 1 && i.alertIds[0] === 'a1' && i.source === 'graph'));
    assert.equal(device.firstSeen, '2021-04-27T12:19:27.7211305Z');
  });

  it('keeps an unknown type by its @odata.type and its string fields, never drops it', () => {
    const { items, problems } = parseGraphEvidence(
      [
        { '@odata.type': T('dnsEvidence'), domainName: 'evil.example', hostIpAddress: { ipAddress: '198.51.100.1' }, verdict: 'Malicious' },
        { '@odata.type': '#contoso.custom.thing', note: 'kept' },
        { ipAddress: '192.0.2.1' },
      ],
      'a1',
    );
    assert.deepEqual(problems, []);
    assert.equal(items.length, 3);
    assert.equal(items[0].type, T('dnsEvidence'));
    assert.equal(items[0].unknownType, true);
    assert.equal(items[0].kind, 'other');
    assert.equal(items[0].label, 'evil.example');
    assert.equal(items[0].fields['hostIpAddress.ipAddress'], '198.51.100.1');
    assert.deepEqual(items[0].verdicts, ['malicious']);
    assert.equal(items[1].type, '#contoso.custom.thing');
    assert.equal(items[2].type, '(no @odata.type)');
    assert.equal(items[2].label, '192.0.2.1');
  });

  it('reports malformed items and lists and reads the rest', () => {
    const bad = parseGraphEvidence({ not: 'an array' }, 'a1');
    assert.deepEqual(bad.items, []);
    assert.deepEqual(bad.problems, ['alert a1: evidence is an object, expected an array']);
    const mixed = parseGraphEvidence(['text', null, 7, [], { '@odata.type': T('ipEvidence'), ipAddress: '192.0.2.9', roles: 'attacker', verdict: 3 }], 'a2');
    assert.equal(mixed.items.length, 1);
    assert.deepEqual(mixed.problems, [
      'alert a2: evidence[0] is a string, expected an object',
      'alert a2: evidence[1] is null, expected an object',
      'alert a2: evidence[2] is a number, expected an object',
      'alert a2: evidence[3] is an array, expected an object',
    ]);
    // Wrong types in optional parts are lenient: no roles rather than a crash.
    assert.deepEqual(mixed.items[0].roles, []);
    assert.deepEqual(mixed.items[0].verdicts, ['3']);
    assert.deepEqual(parseGraphEvidence(undefined, 'a3'), { items: [], problems: [] });
  });

  it('survives deep nesting, huge field counts and prototype keys', () => {
    const deep: Record<string, unknown> = { '@odata.type': T('fileEvidence') };
    let node = deep;
    for (let i = 0; i < 50; i++) {
      const next = {};
      node[`n${i}`] = next;
      node = next;
    }
    const wide: Record<string, unknown> = { '@odata.type': T('ipEvidence'), ipAddress: '192.0.2.5' };
    for (let i = 0; i < 5000; i++) wide[`f${i}`] = `v${i}`;
    const proto = JSON.parse(
      '{"@odata.type":"#microsoft.graph.security.__proto__","__proto__":"p","constructor":"c","nested":{"__proto__":{"x":"y"}}}',
    ) as unknown;
    const { items, problems } = parseGraphEvidence([deep, wide, proto], 'a1');
    assert.deepEqual(problems, []);
    assert.equal(items.length, 3);
    assert.ok(Object.keys(items[1].fields).length <= 200);
    assert.equal(items[2].unknownType, true);
    assert.ok(Object.hasOwn(items[2].fields, '__proto__'));
    assert.equal(items[2].fields.__proto__, 'p');
    assert.equal(items[2].fields['nested.__proto__.x'], 'y');
    const merged = mergeEvidence([items[2], { ...items[2], alertIds: ['a2'] }]);
    assert.equal(merged[0].fields.__proto__, 'p');
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });
});

describe('evidence: Defender entities and devices', () => {
  it('reads entities and devices, without roles, and names what the API does not carry', () => {
    const { items, problems } = parseDefenderEntities(
      [
        { entityType: 'User', accountName: 'testUser2', userPrincipalName: 'testUser2@contoso.com', verdict: 'Suspicious', remediationStatus: 'None' },
        { entityType: 'Ip', ipAddress: '203.0.113.7', evidenceCreationTime: '2024-01-01T00:00:00Z' },
        { entityType: 'File', fileName: 'a.exe', sha256: 'ab'.repeat(32) },
        { entityType: 'Process', processId: 12, processCommandLine: 'cmd /c whoami', sha1: 'cd'.repeat(20) },
        { entityType: 'MailBox', mailboxAddress: 'x@contoso.com' },
        { entityType: 'NewThing', foo: 'bar' },
      ],
      [{ mdatpDeviceId: 'ef'.repeat(20), deviceDnsName: 'host1.contoso.com', osPlatform: 'Windows11' }],
      'da1',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(
      items.map(i => i.kind),
      ['device', 'user', 'ip', 'file', 'process', 'mailbox', 'other'],
    );
    assert.ok(items.every(i => i.source === 'defender' && i.roles.length === 0));
    assert.deepEqual(items[1].verdicts, ['suspicious']);
    assert.deepEqual(items[1].remediationStatuses, ['none']);
    assert.equal(items[2].firstSeen, '2024-01-01T00:00:00Z');
    assert.equal(items[0].label, 'host1.contoso.com');
    assert.deepEqual(
      items[4].targets.map(t => [t.kind, t.value]),
      [['fileHash', 'cd'.repeat(20)]],
    );
    assert.equal(items[6].type, 'NewThing');
    assert.equal(items[6].unknownType, true);
    assert.ok(DEFENDER_EVIDENCE_GAPS.some(g => g.startsWith('roles')));
  });

  it('reports malformed entities and devices', () => {
    const { items, problems } = parseDefenderEntities([null, { entityType: 'Ip', ipAddress: '192.0.2.1' }], 'nope', 'da2');
    assert.equal(items.length, 1);
    assert.deepEqual(problems, ['alert da2: devices is a string, expected an array', 'alert da2: entities[0] is null, expected an object']);
  });
});

describe('evidence: one row per entity, grouped', () => {
  const ip = (alertId: string, over: Record<string, unknown> = {}) =>
    parseGraphEvidence([{ '@odata.type': T('ipEvidence'), ipAddress: '203.0.113.7', ...over }], alertId).items;

  it('merges the same entity named by several alerts, with all roles, verdicts, statuses and alerts', () => {
    const merged = mergeEvidence([
      ...ip('a1', { roles: ['attacker'], verdict: 'suspicious', remediationStatus: 'none', createdDateTime: '2024-01-02T00:00:00Z' }),
      ...ip('a2', { roles: ['attacker', 'commandAndControl'], verdict: 'malicious', remediationStatus: 'blocked', createdDateTime: '2024-01-01T00:00:00Z' }),
      ...ip('a2', { roles: ['source'] }),
      ...ip('a3', { ipAddress: '198.51.100.2' }),
    ]);
    assert.equal(merged.length, 2);
    assert.deepEqual(merged[0].roles, ['attacker', 'commandAndControl', 'source']);
    assert.deepEqual(merged[0].verdicts, ['suspicious', 'malicious']);
    assert.deepEqual(merged[0].remediationStatuses, ['none', 'blocked']);
    assert.deepEqual(merged[0].alertIds, ['a1', 'a2']);
    assert.equal(merged[0].firstSeen, '2024-01-01T00:00:00Z');
    assert.deepEqual(merged[1].alertIds, ['a3']);
  });

  it('merges devices by device id and users by UPN whatever their case; keeps unlike items apart', () => {
    const items = parseGraphEvidence(
      [
        { '@odata.type': T('userEvidence'), userAccount: { userPrincipalName: 'Alice@Contoso.com' } },
        { '@odata.type': T('userEvidence'), userAccount: { userPrincipalName: 'alice@contoso.com' } },
        { '@odata.type': T('kubernetesPodEvidence'), name: 'web', namespace: { name: 'a' } },
        { '@odata.type': T('kubernetesPodEvidence'), name: 'web', namespace: { name: 'b' } },
      ],
      'a1',
    ).items;
    const merged = mergeEvidence(items);
    assert.equal(merged.length, 3);
  });

  it('groups by kind in a fixed order with counts that add up to the total', () => {
    const alerts = [
      { evidence: parseGraphEvidence((fixture('graph-incident-example.json').alerts as Record<string, unknown>[])[0].evidence, 'a1').items },
      { evidence: ip('a2'), evidenceProblems: ['alert a2: evidence[1] is null, expected an object'] },
      {},
    ];
    const { items, problems } = incidentEvidence(alerts);
    assert.deepEqual(problems, ['alert a2: evidence[1] is null, expected an object']);
    const groups = groupEvidence(items);
    assert.equal(
      groups.reduce((n, g) => n + g.items.length, 0),
      items.length,
    );
    assert.deepEqual(
      groups.map(g => g.kind),
      ['device', 'user', 'ip', 'file', 'process', 'mailbox', 'url', 'other'],
    );
    const ipRow = groups.find(g => g.kind === 'ip')!.items[0];
    assert.deepEqual(ipRow.alertIds, ['a1', 'a2']);
  });

  it('merging does not change its input', () => {
    const a = ip('a1', { roles: ['attacker'] });
    const before = JSON.stringify(a);
    mergeEvidence([...a, ...ip('a2', { roles: ['source'] })]);
    assert.equal(JSON.stringify(a), before);
    const typed: EvidenceItem[] = a;
    assert.equal(typed.length, 1);
  });
});
