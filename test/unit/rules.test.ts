import * as assert from 'assert/strict';
import {
  isOpen,
  PANE_STATUSES,
  SETTABLE_CLASSIFICATIONS,
  SETTABLE_SEVERITIES,
  NOT_SET,
  severityRank,
  statusRank,
  determinationsFor,
  isValidPair,
  resolveNeeds,
  resolveNeedsText,
} from '../../src/model/rules';
import { commentAuthor } from '../../src/model/authors';
import { isDeprecated, labelTable } from '../../src/model/enums';
import { defenderPatchBody } from '../../src/backend/defender/mapping';
import { graphPatchBody } from '../../src/backend/graph/mapping';

/**
 * What the corrected reference (shared/reference/incident-apis.md) says each API takes on WRITE, per
 * classification: Defender's update page after microsoft-365-docs #13466/#13499, Graph's service metadata.
 */
const DEFENDER_WRITES: Record<string, readonly string[]> = {
  TruePositive: ['MultiStagedAttack', 'MaliciousUserActivity', 'CompromisedAccount', 'Malware', 'Phishing', 'UnwantedSoftware', 'Other'],
  InformationalExpectedActivity: ['SecurityTesting', 'LineOfBusinessApplication', 'ConfirmedActivity', 'Other'],
  FalsePositive: ['NotMalicious', 'NoEnoughDataToValidate', 'Other'],
  Unknown: ['NotAvailable'],
};
const GRAPH_WRITES: Record<string, readonly string[]> = {
  truePositive: ['multiStagedAttack', 'maliciousUserActivity', 'compromisedAccount', 'malware', 'phishing', 'unwantedSoftware', 'other'],
  informationalExpectedActivity: ['securityTesting', 'lineOfBusinessApplication', 'confirmedActivity', 'other'],
  falsePositive: ['notMalicious', 'notEnoughDataToValidate', 'other'],
  unknown: ['unknown'],
};
/** The read-only spellings: never written. */
const READ_ONLY_SPELLINGS = [
  'CompromisedUser',
  'ConfirmedUserActivity',
  'Clean',
  'InsufficientData',
  'compromisedUser',
  'confirmedUserActivity',
  'clean',
  'insufficientData',
];

describe('rules', () => {
  it('every pair the pane offers is written in a spelling the reference lists for that dialect', () => {
    let pairs = 0;
    for (const c of SETTABLE_CLASSIFICATIONS) {
      const offered = determinationsFor(c);
      assert.ok(offered.length > 0, c);
      for (const d of offered) {
        pairs++;
        assert.ok(isValidPair(c, d), `${c}/${d}`);
        const dz = defenderPatchBody({ classification: c, determination: d });
        assert.ok(Object.prototype.hasOwnProperty.call(DEFENDER_WRITES, dz.classification as string), `Defender classification ${String(dz.classification)}`);
        assert.ok(DEFENDER_WRITES[dz.classification as string].includes(dz.determination as string), `Defender ${c}/${d} -> ${String(dz.determination)}`);
        const gz = graphPatchBody({ classification: c, determination: d });
        assert.ok(Object.prototype.hasOwnProperty.call(GRAPH_WRITES, gz.classification as string), `Graph classification ${String(gz.classification)}`);
        assert.ok(GRAPH_WRITES[gz.classification as string].includes(gz.determination as string), `Graph ${c}/${d} -> ${String(gz.determination)}`);
        assert.ok(!READ_ONLY_SPELLINGS.includes(dz.determination as string) && !READ_ONLY_SPELLINGS.includes(gz.determination as string), `${c}/${d}`);
      }
    }
    // ... and it offers every pair the reference allows, no more.
    assert.equal(
      pairs,
      Object.values(DEFENDER_WRITES).reduce((n, l) => n + l.length, 0),
    );
  });

  it('offers no deprecated determination, and a label for every offered value', () => {
    for (const c of SETTABLE_CLASSIFICATIONS) {
      assert.ok(labelTable('classification')[c], c);
      for (const d of determinationsFor(c)) {
        assert.equal(isDeprecated('determination', d), false, d);
        assert.ok(labelTable('determination')[d], d);
      }
    }
    assert.ok(PANE_STATUSES.every(s => labelTable('status')[s]));
    assert.ok(SETTABLE_SEVERITIES.every(s => labelTable('severity')[s]));
  });

  it('knows which statuses are open, in any spelling', () => {
    for (const s of ['Active', 'InProgress', 'inProgress', 'ACTIVE', ' active ']) assert.equal(isOpen(s), true, s);
    for (const s of ['Resolved', 'resolved', 'Redirected', 'AwaitingAction', 'unknownFutureValue', '', null, undefined])
      assert.equal(isOpen(s), false, String(s));
  });

  it('lists the values each surface may set', () => {
    assert.deepEqual(PANE_STATUSES, ['Active', 'InProgress', 'Resolved']);
    assert.deepEqual(SETTABLE_SEVERITIES, ['High', 'Medium', 'Low', 'Informational']);
    assert.deepEqual(SETTABLE_CLASSIFICATIONS, ['Unknown', 'TruePositive', 'InformationalExpectedActivity', 'FalsePositive']);
    assert.deepEqual(determinationsFor(NOT_SET.classification), [NOT_SET.determination]);
    assert.throws(() => {
      (PANE_STATUSES as string[]).push('Redirected');
    }, TypeError);
  });

  it('ranks severities and statuses, unknown values last', () => {
    const sev = ['unknownFutureValue', 'Low', 'informational', 'HIGH', 'UnSpecified', 'medium'];
    assert.deepEqual(
      [...sev].sort((a, b) => severityRank(a) - severityRank(b)),
      ['HIGH', 'medium', 'Low', 'informational', 'UnSpecified', 'unknownFutureValue'],
    );
    assert.equal(severityRank('unknown'), severityRank('UnSpecified'));
    const st = ['Redirected', 'resolved', 'somethingNew', 'inProgress', 'awaitingAction', 'Active'];
    assert.deepEqual(
      [...st].sort((a, b) => statusRank(a) - statusRank(b)),
      ['Active', 'inProgress', 'awaitingAction', 'resolved', 'Redirected', 'somethingNew'],
    );
  });

  it('validates pairs in any spelling, old persisted ones included', () => {
    assert.equal(isValidPair('truePositive', 'compromisedUser'), true);
    assert.equal(isValidPair('FalsePositive', 'Clean'), true);
    assert.equal(isValidPair('FalsePositive', 'insufficientData'), true);
    assert.equal(isValidPair('InformationalExpectedActivity', 'confirmedUserActivity'), true);
    assert.equal(isValidPair('FalsePositive', 'Malware'), false);
    assert.equal(isValidPair('TruePositive', 'Apt'), false);
    assert.equal(isValidPair('Unknown', 'Malware'), false);
    assert.equal(isValidPair('somethingNew', 'Other'), false);
  });
});

describe('resolveNeeds', () => {
  const input = (classification: string | null, determination: string | null, comment: string | null) => ({ classification, determination, comment });

  it('needs nothing when the team does not require a classification and nothing is chosen', () => {
    assert.deepEqual(resolveNeeds(input(null, null, null), false), []);
    assert.deepEqual(resolveNeeds(input('', '', ''), false), []);
    assert.deepEqual(resolveNeeds(input('Unknown', 'NotAvailable', ''), false), []);
    assert.deepEqual(resolveNeeds(input('unknown', 'unknown', null), false), []);
    assert.deepEqual(resolveNeeds(input('TruePositive', 'Malware', ''), false), []);
  });

  it('still asks for a consistent pair when one is given', () => {
    assert.deepEqual(resolveNeeds(input('TruePositive', null, ''), false), ['Choose a determination valid for True positive']);
    assert.deepEqual(resolveNeeds(input('FalsePositive', 'Malware', ''), false), ['Choose a determination valid for False positive']);
    assert.deepEqual(resolveNeeds(input('informationalExpectedActivity', 'NotAvailable', ''), false), [
      'Choose a determination valid for Informational, expected activity',
    ]);
    assert.deepEqual(resolveNeeds(input(null, 'Malware', ''), false), ['Choose a classification']);
    assert.deepEqual(resolveNeeds(input('Unknown', 'Phishing', ''), false), ['Choose a classification']);
    assert.deepEqual(resolveNeeds(input('somethingNew', 'Other', ''), false), ['Choose a classification']);
  });

  it('requires classification, a determination valid for it and a comment when the team does', () => {
    assert.deepEqual(resolveNeeds(input(null, null, null), true), ['Choose a classification', 'Add a comment']);
    assert.deepEqual(resolveNeeds(input('Unknown', 'NotAvailable', '  '), true), ['Choose a classification', 'Add a comment']);
    assert.deepEqual(resolveNeeds(input('TruePositive', 'NotAvailable', 'done'), true), ['Choose a determination valid for True positive']);
    assert.deepEqual(resolveNeeds(input('FalsePositive', 'Clean', ''), true), ['Add a comment']);
    assert.deepEqual(resolveNeeds(input('falsePositive', 'notMalicious', 'benign admin script'), true), []);
    assert.deepEqual(resolveNeeds(input('TruePositive', 'CompromisedUser', 'x'), true), []);
  });

  it('says it as one sentence', () => {
    assert.equal(resolveNeedsText(['Choose a classification', 'Add a comment']), 'Choose a classification. Add a comment.');
    assert.equal(resolveNeedsText([]), '');
  });
});

describe('commentAuthor', () => {
  it('explains a comment posted with an app-only token', () => {
    assert.deepEqual(commentAuthor('API-App:1f2e3d4c-0000-4000-8000-123456789abc'), {
      label: 'API-App:1f2e3d4c-0000-4000-8000-123456789abc (posted through the app registration)',
      viaApp: true,
      appId: '1f2e3d4c-0000-4000-8000-123456789abc',
    });
    assert.deepEqual(commentAuthor(' api-app: abc '), { label: 'api-app: abc (posted through the app registration)', viaApp: true, appId: 'abc' });
    assert.deepEqual(commentAuthor('API-App:'), { label: 'API-App: (posted through the app registration)', viaApp: true });
  });

  it('shows a user as recorded, and no author as Unknown', () => {
    assert.deepEqual(commentAuthor('secop123@contoso.com'), { label: 'secop123@contoso.com', viaApp: false });
    assert.deepEqual(commentAuthor('Automation: API-App:abc'), { label: 'Automation: API-App:abc', viaApp: false });
    assert.deepEqual(commentAuthor(null), { label: 'Unknown', viaApp: false });
    assert.deepEqual(commentAuthor('  '), { label: 'Unknown', viaApp: false });
  });
});
