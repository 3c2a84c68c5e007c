import * as assert from 'assert/strict';
import {
  normalizeSeverity,
  normalizeStatus,
  normalizeClassification,
  normalizeDetermination,
  normalizeAlertStatus,
  normalizeEnum,
  toDefenderEnum,
  toGraphEnum,
  statusLabel,
  classificationLabel,
  determinationLabel,
  severityLabel,
  isValidDetermination,
  determinationsFor,
  labelTable,
  isDeprecated,
  enumLabel,
  type EnumKind,
} from '../../src/model/enums';
import { ALERT_STATUSES, CLASSIFICATIONS, DETERMINATIONS, SEVERITIES, STATUSES } from '../../src/model/types';

/** Every spelling either API (or either doc family) uses, with the one domain value it means. */
const DETERMINATION_SPELLINGS: [string, string][] = [
  ['CompromisedUser', 'CompromisedAccount'],
  ['CompromisedAccount', 'CompromisedAccount'],
  ['compromisedUser', 'CompromisedAccount'],
  ['compromisedAccount', 'CompromisedAccount'],
  ['ConfirmedUserActivity', 'ConfirmedActivity'],
  ['ConfirmedActivity', 'ConfirmedActivity'],
  ['confirmedUserActivity', 'ConfirmedActivity'],
  ['confirmedActivity', 'ConfirmedActivity'],
  ['Clean', 'NotMalicious'],
  ['NotMalicious', 'NotMalicious'],
  ['clean', 'NotMalicious'],
  ['notMalicious', 'NotMalicious'],
  ['InsufficientData', 'NoEnoughDataToValidate'],
  ['NoEnoughDataToValidate', 'NoEnoughDataToValidate'],
  ['insufficientData', 'NoEnoughDataToValidate'],
  ['notEnoughDataToValidate', 'NoEnoughDataToValidate'],
  ['unknown', 'NotAvailable'],
  ['NotAvailable', 'NotAvailable'],
  ['multiStagedAttack', 'MultiStagedAttack'],
  ['lineOfBusinessApplication', 'LineOfBusinessApplication'],
  ['apt', 'Apt'],
  ['securityPersonnel', 'SecurityPersonnel'],
];

describe('enums', () => {
  it('maps both spellings of a determination, in both dialects and any case, to one canonical value', () => {
    for (const [wire, domain] of DETERMINATION_SPELLINGS) {
      assert.equal(normalizeDetermination(wire), domain, wire);
      assert.equal(normalizeDetermination(wire.toUpperCase()), domain, wire.toUpperCase());
      assert.equal(normalizeDetermination(` ${wire.toLowerCase()} `), domain, wire.toLowerCase());
    }
  });

  it('has exactly one canonical value per meaning: the write spelling', () => {
    for (const old of ['CompromisedUser', 'ConfirmedUserActivity', 'Clean', 'InsufficientData']) {
      assert.ok(!(DETERMINATIONS as readonly string[]).includes(old), old);
    }
    for (const d of DETERMINATIONS) {
      assert.equal(normalizeDetermination(d), d);
    }
  });

  it('normalises values persisted in the old spellings (journal, drafts)', () => {
    const persisted = { field: 'determination', from: 'InsufficientData', to: 'CompromisedUser' };
    assert.equal(normalizeEnum('determination', persisted.from), 'NoEnoughDataToValidate');
    assert.equal(determinationLabel(persisted.to), 'Compromised account');
    assert.equal(isValidDetermination('FalsePositive', 'Clean'), true);
    assert.equal(isValidDetermination('InformationalExpectedActivity', 'ConfirmedUserActivity'), true);
  });

  it('maps Graph camelCase and "unknown" to the domain values', () => {
    assert.equal(normalizeSeverity('unknown'), 'UnSpecified');
    assert.equal(normalizeSeverity('high'), 'High');
    assert.equal(normalizeSeverity('Unspecified'), 'UnSpecified');
    assert.equal(normalizeClassification('unknown'), 'Unknown');
    assert.equal(normalizeClassification('informationalExpectedActivity'), 'InformationalExpectedActivity');
    assert.equal(normalizeStatus('inProgress'), 'InProgress');
    assert.equal(normalizeStatus('awaitingAction'), 'AwaitingAction');
    assert.equal(normalizeStatus('ACTIVE'), 'Active');
    assert.equal(normalizeAlertStatus('inprogress'), 'InProgress');
  });

  it('keeps unknown values exactly as they came', () => {
    assert.equal(normalizeStatus('unknownFutureValue'), 'unknownFutureValue');
    assert.equal(normalizeDetermination('somethingNew'), 'somethingNew');
    assert.equal(normalizeSeverity('Critical'), 'Critical');
    assert.equal(toGraphEnum('status', 'unknownFutureValue'), 'unknownFutureValue');
    assert.equal(toDefenderEnum('determination', 'somethingNew'), 'somethingNew');
    assert.equal(statusLabel('somethingNew'), 'somethingNew');
    // Not a lookup into Object.prototype.
    assert.equal(statusLabel('constructor'), 'constructor');
    assert.equal(determinationLabel('__proto__'), '__proto__');
  });

  it('writes only the Defender update spelling of a determination, whatever spelling it was given', () => {
    const write: Record<string, string> = {
      CompromisedAccount: 'CompromisedAccount',
      ConfirmedActivity: 'ConfirmedActivity',
      NotMalicious: 'NotMalicious',
      NoEnoughDataToValidate: 'NoEnoughDataToValidate',
      NotAvailable: 'NotAvailable',
      MultiStagedAttack: 'MultiStagedAttack',
    };
    for (const [wire, domain] of DETERMINATION_SPELLINGS) {
      if (write[domain]) {
        assert.equal(toDefenderEnum('determination', wire), write[domain], wire);
      }
    }
    assert.equal(toDefenderEnum('status', 'inProgress'), 'InProgress');
    assert.equal(toDefenderEnum('classification', 'falsePositive'), 'FalsePositive');
  });

  it('writes the Graph v1.0 (service metadata) spelling of a determination, whatever spelling it was given', () => {
    const write: Record<string, string> = {
      CompromisedAccount: 'compromisedAccount',
      ConfirmedActivity: 'confirmedActivity',
      NotMalicious: 'notMalicious',
      NoEnoughDataToValidate: 'notEnoughDataToValidate',
      NotAvailable: 'unknown',
      MultiStagedAttack: 'multiStagedAttack',
      LineOfBusinessApplication: 'lineOfBusinessApplication',
    };
    for (const [wire, domain] of DETERMINATION_SPELLINGS) {
      if (write[domain]) {
        assert.equal(toGraphEnum('determination', wire), write[domain], wire);
      }
    }
    assert.equal(toGraphEnum('status', 'InProgress'), 'inProgress');
    assert.equal(toGraphEnum('severity', 'UnSpecified'), 'unknown');
    assert.equal(toGraphEnum('classification', 'TruePositive'), 'truePositive');
    assert.equal(toGraphEnum('alertStatus', 'Resolved'), 'resolved');
  });

  it("labels with the portal's words from one table", () => {
    assert.equal(statusLabel('InProgress'), 'In progress');
    assert.equal(statusLabel('inProgress'), 'In progress');
    assert.equal(classificationLabel('TruePositive'), 'True positive');
    assert.equal(classificationLabel('InformationalExpectedActivity'), 'Informational, expected activity');
    assert.equal(classificationLabel('Unknown'), 'Not set');
    assert.equal(classificationLabel(null), 'Not set');
    assert.deepEqual(
      { ...labelTable('determination') },
      {
        NotAvailable: 'Not set',
        MultiStagedAttack: 'Multistage attack',
        MaliciousUserActivity: 'Malicious user activity',
        CompromisedAccount: 'Compromised account',
        Malware: 'Malware',
        Phishing: 'Phishing',
        UnwantedSoftware: 'Unwanted software',
        Other: 'Other',
        SecurityTesting: 'Security testing',
        LineOfBusinessApplication: 'Line-of-business application',
        ConfirmedActivity: 'Confirmed activity',
        NotMalicious: 'Not malicious',
        NoEnoughDataToValidate: 'Not enough data to validate',
        Apt: 'Advanced persistent threat (deprecated)',
        SecurityPersonnel: 'Security personnel (deprecated)',
      },
    );
    assert.equal(determinationLabel('unknown'), 'Not set');
    assert.equal(determinationLabel(null), 'Not set');
    assert.equal(determinationLabel('clean'), 'Not malicious');
    assert.equal(determinationLabel('insufficientData'), 'Not enough data to validate');
    assert.equal(severityLabel('UnSpecified'), 'Unspecified');
    assert.equal(severityLabel(null), 'None');
  });

  it('has a label for every known value of every kind, and the table cannot be changed by a caller', () => {
    const known: Record<EnumKind, readonly string[]> = {
      severity: SEVERITIES,
      status: STATUSES,
      classification: CLASSIFICATIONS,
      determination: DETERMINATIONS,
      alertStatus: ALERT_STATUSES,
    };
    for (const [kind, values] of Object.entries(known) as [EnumKind, readonly string[]][]) {
      assert.deepEqual(Object.keys(labelTable(kind)).sort(), [...values].sort(), kind);
      for (const v of values) {
        assert.equal(enumLabel(kind, v), labelTable(kind)[v], `${kind} ${v}`);
      }
    }
    assert.throws(() => {
      (labelTable('status') as Record<string, string>).Active = 'x';
    }, TypeError);
    assert.equal(statusLabel('Active'), 'Active');
  });

  it('marks Apt and SecurityPersonnel deprecated, in any spelling', () => {
    assert.equal(isDeprecated('determination', 'Apt'), true);
    assert.equal(isDeprecated('determination', 'securityPersonnel'), true);
    assert.equal(isDeprecated('determination', 'Malware'), false);
    assert.equal(isDeprecated('classification', 'Unknown'), false);
  });

  it('validates determination against classification', () => {
    assert.equal(isValidDetermination('TruePositive', 'Malware'), true);
    assert.equal(isValidDetermination('TruePositive', 'compromisedUser'), true);
    assert.equal(isValidDetermination('FalsePositive', 'Malware'), false);
    assert.equal(isValidDetermination('FalsePositive', 'NotMalicious'), true);
    assert.equal(isValidDetermination('InformationalExpectedActivity', 'SecurityTesting'), true);
    assert.equal(isValidDetermination('Unknown', 'NotAvailable'), true);
    assert.equal(isValidDetermination('somethingNew', 'Other'), false);
    assert.deepEqual(determinationsFor('falsePositive'), ['NotMalicious', 'NoEnoughDataToValidate', 'Other']);
  });
});
