/**
 * Wire enums <-> the domain values of `types.ts`.
 *
 * The domain spelling is Defender's PascalCase. Both APIs (and different pages of their docs) use more
 * than one spelling for the same value, and Graph's enums are evolvable, so reading is lenient and
 * case-insensitive, and a value no table knows is kept exactly as it came: the UI shows it, and it is
 * never silently turned into another value. No `vscode` import.
 */
import {
  CLASSIFICATIONS, DETERMINATIONS, DETERMINATIONS_BY_CLASSIFICATION, SEVERITIES, STATUSES, ALERT_STATUSES,
  type AlertStatus, type Classification, type Determination, type KnownClassification, type Severity, type Status,
} from './types';

type Table = ReadonlyMap<string, string>;

/** Builds a lower-case lookup of the canonical values plus their alias spellings. */
function table(canonical: readonly string[], aliases: Record<string, string> = {}): Table {
  const m = new Map<string, string>();
  for (const v of canonical) { m.set(v.toLowerCase(), v); }
  for (const [alias, v] of Object.entries(aliases)) { m.set(alias.toLowerCase(), v); }
  return m;
}

const SEVERITY_IN = table(SEVERITIES, { unknown: 'UnSpecified' });
const STATUS_IN = table(STATUSES);
const CLASSIFICATION_IN = table(CLASSIFICATIONS);
const DETERMINATION_IN = table(DETERMINATIONS, {
  unknown: 'NotAvailable',
  compromisedAccount: 'CompromisedUser',
  noEnoughDataToValidate: 'InsufficientData',
  notEnoughDataToValidate: 'InsufficientData',
  notMalicious: 'Clean',
  confirmedActivity: 'ConfirmedUserActivity',
});
const ALERT_STATUS_IN = table(ALERT_STATUSES);

function normalize(t: Table, value: string): string {
  return t.get(value.trim().toLowerCase()) ?? value;
}

export function normalizeSeverity(value: string): Severity { return normalize(SEVERITY_IN, value); }
export function normalizeStatus(value: string): Status { return normalize(STATUS_IN, value); }
export function normalizeClassification(value: string): Classification { return normalize(CLASSIFICATION_IN, value); }
export function normalizeDetermination(value: string): Determination { return normalize(DETERMINATION_IN, value); }
export function normalizeAlertStatus(value: string): AlertStatus { return normalize(ALERT_STATUS_IN, value); }

export type EnumKind = 'severity' | 'status' | 'classification' | 'determination' | 'alertStatus';

const NORMALIZERS: Record<EnumKind, (v: string) => string> = {
  severity: normalizeSeverity,
  status: normalizeStatus,
  classification: normalizeClassification,
  determination: normalizeDetermination,
  alertStatus: normalizeAlertStatus,
};

export function normalizeEnum(kind: EnumKind, value: string): string {
  return NORMALIZERS[kind](value);
}

// ---- domain -> wire ------------------------------------------------------------------------------

/** Defender PATCH bodies are case-sensitive and use the domain spelling; unknown values pass through. */
export function toDefenderEnum(kind: EnumKind, value: string): string {
  return normalizeEnum(kind, value);
}

/**
 * Graph v1.0 spellings. Where Defender renamed a determination, Graph v1.0's `alertDetermination`
 * still has the older member (compromisedAccount, notMalicious, ...), so those are what we send.
 */
const GRAPH_OUT: Record<EnumKind, Record<string, string>> = {
  severity: { UnSpecified: 'unknown' },
  status: {},
  classification: {},
  determination: {
    NotAvailable: 'unknown',
    CompromisedUser: 'compromisedAccount',
    Clean: 'notMalicious',
    InsufficientData: 'notEnoughDataToValidate',
    ConfirmedUserActivity: 'confirmedActivity',
  },
  alertStatus: {},
};

const KNOWN: Record<EnumKind, ReadonlySet<string>> = {
  severity: new Set(SEVERITIES),
  status: new Set(STATUSES),
  classification: new Set(CLASSIFICATIONS),
  determination: new Set(DETERMINATIONS),
  alertStatus: new Set(ALERT_STATUSES),
};

export function toGraphEnum(kind: EnumKind, value: string): string {
  const v = normalizeEnum(kind, value);
  const special = GRAPH_OUT[kind][v];
  if (special) { return special; }
  // Unknown values came from the service in this spelling already: send them back untouched.
  if (!KNOWN[kind].has(v)) { return v; }
  return v.charAt(0).toLowerCase() + v.slice(1);
}

// ---- display labels ------------------------------------------------------------------------------

const LABELS: Record<EnumKind, Record<string, string>> = {
  severity: { High: 'High', Medium: 'Medium', Low: 'Low', Informational: 'Informational', UnSpecified: 'Unspecified' },
  status: { Active: 'Active', InProgress: 'In progress', Resolved: 'Resolved', Redirected: 'Redirected', AwaitingAction: 'Awaiting action' },
  classification: {
    Unknown: 'Not set', TruePositive: 'True positive', InformationalExpectedActivity: 'Informational, expected activity',
    FalsePositive: 'False positive',
  },
  determination: {
    NotAvailable: 'Not available', MultiStagedAttack: 'Multi-staged attack', MaliciousUserActivity: 'Malicious user activity',
    CompromisedUser: 'Compromised user', Malware: 'Malware', Phishing: 'Phishing', UnwantedSoftware: 'Unwanted software',
    SecurityTesting: 'Security testing', LineOfBusinessApplication: 'Line-of-business application',
    ConfirmedUserActivity: 'Confirmed user activity', Clean: 'Clean', InsufficientData: 'Not enough data to validate',
    Other: 'Other', Apt: 'Advanced persistent threat (deprecated)', SecurityPersonnel: 'Security personnel (deprecated)',
  },
  alertStatus: { New: 'New', InProgress: 'In progress', Resolved: 'Resolved' },
};

export function enumLabel(kind: EnumKind, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') { return kind === 'classification' ? 'Not set' : 'None'; }
  const v = normalizeEnum(kind, value);
  // A value nobody knows yet is shown exactly as the service sent it.
  return LABELS[kind][v] ?? v;
}

export const severityLabel = (v: Severity | null | undefined): string => enumLabel('severity', v);
export const statusLabel = (v: Status | null | undefined): string => enumLabel('status', v);
export const classificationLabel = (v: Classification | null | undefined): string => enumLabel('classification', v);
export const determinationLabel = (v: Determination | null | undefined): string => enumLabel('determination', v);
export const alertStatusLabel = (v: AlertStatus | null | undefined): string => enumLabel('alertStatus', v);

/** Determinations allowed for a classification; unknown classifications allow none. */
export function determinationsFor(classification: Classification): readonly Determination[] {
  const c = normalizeClassification(classification);
  return (DETERMINATIONS_BY_CLASSIFICATION as Record<string, readonly Determination[] | undefined>)[c] ?? [];
}

export function isValidDetermination(classification: Classification, determination: Determination): boolean {
  const d = normalizeDetermination(determination);
  return determinationsFor(classification).includes(d);
}

export function isKnownClassification(value: string): value is KnownClassification {
  return (CLASSIFICATIONS as readonly string[]).includes(value);
}
