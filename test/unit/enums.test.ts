import * as assert from 'assert/strict';
import {
  normalizeSeverity, normalizeStatus, normalizeClassification, normalizeDetermination, normalizeAlertStatus,
  toDefenderEnum, toGraphEnum, statusLabel, classificationLabel, determinationLabel, severityLabel, isValidDetermination, determinationsFor,
} from '../../src/model/enums';

describe('enums', () => {
  it('maps both spellings of a determination to one value', () => {
    assert.equal(normalizeDetermination('CompromisedUser'), 'CompromisedUser');
    assert.equal(normalizeDetermination('CompromisedAccount'), 'CompromisedUser');
    assert.equal(normalizeDetermination('compromisedAccount'), 'CompromisedUser');
    assert.equal(normalizeDetermination('InsufficientData'), 'InsufficientData');
    assert.equal(normalizeDetermination('NoEnoughDataToValidate'), 'InsufficientData');
    assert.equal(normalizeDetermination('notEnoughDataToValidate'), 'InsufficientData');
    assert.equal(normalizeDetermination('Clean'), 'Clean');
    assert.equal(normalizeDetermination('NotMalicious'), 'Clean');
    assert.equal(normalizeDetermination('ConfirmedActivity'), 'ConfirmedUserActivity');
    assert.equal(normalizeDetermination('confirmedUserActivity'), 'ConfirmedUserActivity');
    assert.equal(normalizeDetermination('multiStagedAttack'), 'MultiStagedAttack');
  });

  it('maps Graph camelCase and "unknown" to the domain values', () => {
    assert.equal(normalizeSeverity('unknown'), 'UnSpecified');
    assert.equal(normalizeSeverity('high'), 'High');
    assert.equal(normalizeSeverity('Unspecified'), 'UnSpecified');
    assert.equal(normalizeDetermination('unknown'), 'NotAvailable');
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
  });

  it('writes Defender PascalCase and Graph v1.0 camelCase', () => {
    assert.equal(toDefenderEnum('status', 'inProgress'), 'InProgress');
    assert.equal(toDefenderEnum('determination', 'compromisedAccount'), 'CompromisedUser');
    assert.equal(toGraphEnum('status', 'InProgress'), 'inProgress');
    assert.equal(toGraphEnum('severity', 'UnSpecified'), 'unknown');
    assert.equal(toGraphEnum('classification', 'TruePositive'), 'truePositive');
    assert.equal(toGraphEnum('determination', 'NotAvailable'), 'unknown');
    assert.equal(toGraphEnum('determination', 'CompromisedUser'), 'compromisedAccount');
    assert.equal(toGraphEnum('determination', 'Clean'), 'notMalicious');
    assert.equal(toGraphEnum('determination', 'InsufficientData'), 'notEnoughDataToValidate');
    assert.equal(toGraphEnum('determination', 'ConfirmedUserActivity'), 'confirmedActivity');
    assert.equal(toGraphEnum('determination', 'MultiStagedAttack'), 'multiStagedAttack');
    assert.equal(toGraphEnum('alertStatus', 'Resolved'), 'resolved');
  });

  it('has display labels', () => {
    assert.equal(statusLabel('InProgress'), 'In progress');
    assert.equal(classificationLabel('TruePositive'), 'True positive');
    assert.equal(classificationLabel('InformationalExpectedActivity'), 'Informational, expected activity');
    assert.equal(determinationLabel('MultiStagedAttack'), 'Multi-staged attack');
    assert.equal(determinationLabel('compromisedAccount'), 'Compromised user');
    assert.equal(severityLabel('UnSpecified'), 'Unspecified');
  });

  it('validates determination against classification', () => {
    assert.equal(isValidDetermination('TruePositive', 'Malware'), true);
    assert.equal(isValidDetermination('TruePositive', 'compromisedAccount'), true);
    assert.equal(isValidDetermination('FalsePositive', 'Malware'), false);
    assert.equal(isValidDetermination('FalsePositive', 'NotMalicious'), true);
    assert.equal(isValidDetermination('InformationalExpectedActivity', 'SecurityTesting'), true);
    assert.equal(isValidDetermination('Unknown', 'NotAvailable'), true);
    assert.equal(isValidDetermination('somethingNew', 'Other'), false);
    assert.deepEqual(determinationsFor('falsePositive'), ['Clean', 'InsufficientData', 'Other']);
  });
});
