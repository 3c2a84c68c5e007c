/**
 * The model's tables (src/model/fields.ts, actions.ts, identity.ts, backends.ts): what every consumer
 * derives from them, so a new row reaches each list without another edit.
 */
import { strict as assert } from 'assert';
import { COMPARED_FIELDS, emptyWords, FIELDS, fieldFor, fieldWords, isPersonField, wireName } from '../../src/model/fields';
import { actionProblem, hasTag, MAX_TAGS, normalizeTags, splitTags, TAG_MAX_LENGTH } from '../../src/model/actions';
import { isMine, sameIdentity } from '../../src/model/identity';
import { BACKEND_KINDS, BACKENDS, capabilitiesOf, othersThatCan, permissionWords } from '../../src/model/backends';
import { diffIncidents } from '../../src/backend/common';
import { diffIncidents as historyDiff } from '../../src/store/history';
import { incident } from '../support/builders';

describe('model tables', () => {
  it('fields: the conflict check, the history and the pane read one table', () => {
    assert.deepEqual(COMPARED_FIELDS, ['assignedTo', 'status', 'classification', 'determination', 'tags', 'name', 'severity']);
    const seen = incident({
      assignedTo: null,
      status: 'Active',
      tags: ['a'],
      name: 'x',
      severity: 'High',
      classification: 'Unknown',
      determination: 'NotAvailable',
    });
    const server = {
      ...seen,
      assignedTo: 'Bob@contoso.com',
      status: 'InProgress',
      tags: ['a', 'b'],
      name: 'y',
      severity: 'Low',
      classification: 'TruePositive',
      determination: 'Malware',
    };
    assert.deepEqual(
      diffIncidents(seen, server).map(c => c.field),
      COMPARED_FIELDS,
      "every compared field, in the table's order",
    );
    assert.deepEqual(
      historyDiff(seen, server).map(c => [c.field, c.from, c.to]),
      [
        ['owner', null, 'Bob@contoso.com'],
        ['status', 'Active', 'In progress'],
        ['classification', 'Not set', 'True positive'],
        ['determination', 'Not set', 'Malware'],
        ['tags', 'a', 'a, b'],
        ['name', 'x', 'y'],
        ['severity', 'High', 'Low'],
      ],
      "the journal's names and words",
    );
    // Any name a message may carry (key, label, journal name, wire name) finds the field, in any case.
    for (const n of ['assignedTo', 'Owner', 'owner', 'ASSIGNEDTO']) assert.equal(fieldFor(n)?.key, 'assignedTo', n);
    assert.equal(fieldFor('displayName')?.key, 'name');
    assert.equal(fieldFor('customTags')?.key, 'tags');
    assert.equal(fieldFor('customField'), undefined);
    assert.equal(fieldFor('__proto__'), undefined);
    assert.ok(isPersonField('owner') && isPersonField('assignedTo') && !isPersonField('status') && !isPersonField(undefined));
    assert.equal(fieldWords(fieldFor('status'), 'inProgress'), 'In progress');
    assert.equal(fieldWords(fieldFor('tags'), ['a', 'b']), 'a, b');
    assert.equal(fieldWords(undefined, 'raw'), 'raw');
    assert.equal(fieldWords(fieldFor('name'), ''), null);
    assert.deepEqual([emptyWords(fieldFor('owner')), emptyWords(fieldFor('classification')), emptyWords(undefined)], ['Unassigned', 'Not set', '—']);
    assert.deepEqual(
      [wireName('lastUpdateTime', 'graph'), wireName('lastUpdateTime', 'defender'), wireName('status', 'graph')],
      ['lastUpdateDateTime', 'lastUpdateTime', 'status'],
    );
    assert.equal(new Set(FIELDS.map(f => f.key)).size, FIELDS.length, 'one row per field');
  });

  it('tags: one normaliser, case-insensitive as the portal, first spelling kept', () => {
    assert.deepEqual(normalizeTags([' VPN ', 'vpn', '', 'Phish', 'phish ', 'x']), ['VPN', 'Phish', 'x']);
    assert.deepEqual(splitTags('a, B ,b,, c'), ['a', 'B', 'c']);
    assert.ok(hasTag(['VPN'], ' vpn') && !hasTag(['VPN'], 'vpn2'));
    const settings = { requireClassificationToResolve: false };
    assert.equal(actionProblem({ kind: 'setTags', tags: Array.from({ length: MAX_TAGS }, (_, i) => `t${i}`) }, settings), undefined);
    assert.match(actionProblem({ kind: 'setTags', tags: Array.from({ length: MAX_TAGS + 1 }, (_, i) => `t${i}`) }, settings) ?? '', /at most 50 tags/);
    assert.match(actionProblem({ kind: 'setTags', tags: ['x'.repeat(TAG_MAX_LENGTH + 1)] }, settings) ?? '', /longer than 128/);
    assert.match(actionProblem({ kind: 'assign', to: `${'a'.repeat(320)}@x` }, settings) ?? '', /at most 320/);
  });

  it('identity: one isMine, case-insensitive; nobody is never mine', () => {
    assert.ok(isMine({ assignedTo: 'Alice@Contoso.com' }, 'alice@contoso.com'));
    assert.ok(!isMine({ assignedTo: null }, ''));
    assert.ok(!isMine({ assignedTo: 'alice@contoso.com' }, ''));
    assert.ok(!isMine({ assignedTo: 'bob@contoso.com' }, 'alice@contoso.com'));
    const huge = 'A'.repeat(5000);
    assert.ok(sameIdentity(huge, huge) && !sameIdentity(huge, huge.toLowerCase()), 'a huge value compares as it is');
  });

  it('backends: one descriptor each; capabilities, budgets and 403 words come from it', () => {
    assert.deepEqual([...BACKEND_KINDS], Object.keys(BACKENDS));
    assert.deepEqual(
      othersThatCan('defender', 'canRename').map(d => d.kind),
      ['graph'],
    );
    assert.deepEqual(othersThatCan('graph', 'canRename'), []);
    assert.deepEqual(othersThatCan('mock', 'canChangeSeverity'), []);
    assert.deepEqual(capabilitiesOf('defender'), {
      kind: 'defender',
      displayName: 'Microsoft Defender XDR API',
      canRename: false,
      canChangeSeverity: false,
      canUpdateAlerts: false,
      maxPageSize: 100,
      serverFilters: ['status', 'assignedTo', 'lastUpdateTime', 'createdTime'],
      requestsPerMinute: 45,
      requestsPerHour: 1400,
    });
    assert.equal(capabilitiesOf('graph').requestsPerHour, undefined);
    assert.equal(
      permissionWords('defender', 'writeIncidents'),
      'Access denied (403): changing incidents on the Defender API needs the permission Incident.ReadWrite.All (application) or Incident.ReadWrite (delegated).',
    );
    assert.equal(
      permissionWords('defender', 'readAlerts'),
      'Access denied (403): reading incidents on the Defender API needs the permission Incident.Read.All (application) or Incident.Read (delegated).',
    );
    assert.equal(
      permissionWords('graph', 'writeAlerts'),
      'Access denied (403): the Graph API needs the permission SecurityAlert.ReadWrite.All; signed-in users also need the Microsoft Entra role Security Operator or Security Administrator.',
    );
    assert.equal(permissionWords('mock', 'readIncidents'), 'Access denied (403) by the mock backend.');
    assert.ok(BACKENDS.graph.hasPriorityScore && !BACKENDS.defender.hasPriorityScore && !BACKENDS.mock.hasPriorityScore);
  });
});
