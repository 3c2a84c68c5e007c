/**
 * Wire enums <-> the domain values of `types.ts`, and the one table of display labels.
 *
 * The domain spelling is Defender's PascalCase; for determinations it is the spelling the Defender update
 * API takes (CompromisedAccount, ConfirmedActivity, NotMalicious, NoEnoughDataToValidate). Both APIs (and
 * different pages of their docs) use more than one spelling for the same value, and Graph's enums are
 * evolvable, so reading is lenient and case-insensitive and folds every known spelling onto one value; a
 * value no table knows is kept exactly as it came: the UI shows it, and it is never silently turned into
 * another value. Writing gives only the spelling each API takes. Old persisted values (journal, drafts)
 * normalise the same way. Labels are the Defender portal's words. No `vscode` import.
 */
import {
  CLASSIFICATIONS,
  DETERMINATIONS,
  DETERMINATIONS_BY_CLASSIFICATION,
  SEVERITIES,
  STATUSES,
  ALERT_STATUSES,
  type AlertStatus,
  type Classification,
  type Determination,
  type KnownClassification,
  type Severity,
  type Status,
} from './types';
import { own } from './own';

type Table = ReadonlyMap<string, string>;

/** Builds a lower-case lookup of the canonical values plus their alias spellings. */
function table(canonical: readonly string[], aliases: Record<string, string> = {}): Table {
  const m = new Map<string, string>();
  for (const v of canonical) {
    m.set(v.toLowerCase(), v);
  }
  for (const [alias, v] of Object.entries(aliases)) {
    m.set(alias.toLowerCase(), v);
  }
  return m;
}

const SEVERITY_IN = table(SEVERITIES, { unknown: 'UnSpecified' });
const STATUS_IN = table(STATUSES);
const CLASSIFICATION_IN = table(CLASSIFICATIONS);
/** The read family (resource pages, Graph property tables) and Graph's own spellings of the write family. */
const DETERMINATION_IN = table(DETERMINATIONS, {
  unknown: 'NotAvailable',
  compromisedUser: 'CompromisedAccount',
  insufficientData: 'NoEnoughDataToValidate',
  notEnoughDataToValidate: 'NoEnoughDataToValidate',
  clean: 'NotMalicious',
  confirmedUserActivity: 'ConfirmedActivity',
});
const ALERT_STATUS_IN = table(ALERT_STATUSES);

function normalize(t: Table, value: string): string {
  return t.get(value.trim().toLowerCase()) ?? value;
}

export function normalizeSeverity(value: string): Severity {
  return normalize(SEVERITY_IN, value);
}
export function normalizeStatus(value: string): Status {
  return normalize(STATUS_IN, value);
}
export function normalizeClassification(value: string): Classification {
  return normalize(CLASSIFICATION_IN, value);
}
export function normalizeDetermination(value: string): Determination {
  return normalize(DETERMINATION_IN, value);
}
export function normalizeAlertStatus(value: string): AlertStatus {
  return normalize(ALERT_STATUS_IN, value);
}

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

/**
 * Defender PATCH bodies are case-sensitive and take the domain spelling (for determinations the corrected
 * update page's: CompromisedAccount, ConfirmedActivity, NotMalicious, NoEnoughDataToValidate; NotAvailable
 * clears). Unknown values pass through.
 */
export function toDefenderEnum(kind: EnumKind, value: string): string {
  return normalizeEnum(kind, value);
}

/**
 * Graph v1.0 spellings where they are not just the camelCase of the domain value. Determinations follow
 * the service metadata / SDKs (compromisedAccount, notMalicious, notEnoughDataToValidate, confirmedActivity);
 * only NoEnoughDataToValidate differs from plain camelCase.
 */
const GRAPH_OUT: Record<EnumKind, Record<string, string>> = {
  severity: { UnSpecified: 'unknown' },
  status: {},
  classification: {},
  determination: {
    NotAvailable: 'unknown',
    NoEnoughDataToValidate: 'notEnoughDataToValidate',
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
  const special = own(GRAPH_OUT[kind], v);
  if (special) {
    return special;
  }
  // Unknown values came from the service in this spelling already: send them back untouched.
  if (!KNOWN[kind].has(v)) {
    return v;
  }
  return v.charAt(0).toLowerCase() + v.slice(1);
}

// ---- display labels ------------------------------------------------------------------------------

/**
 * The one label table: the Defender portal's words, in the order the portal lists the values. Tree,
 * pane, palette, timeline and Markdown export all read it (through `enumLabel` and `labelTable`).
 * Unknown / NotAvailable read "Not set": that pair means nothing is set, and sending it clears.
 */
const LABELS: Readonly<Record<EnumKind, Readonly<Record<string, string>>>> = deepFreeze({
  severity: { High: 'High', Medium: 'Medium', Low: 'Low', Informational: 'Informational', UnSpecified: 'Unspecified' },
  status: { Active: 'Active', InProgress: 'In progress', AwaitingAction: 'Awaiting action', Resolved: 'Resolved', Redirected: 'Redirected' },
  classification: {
    Unknown: 'Not set',
    TruePositive: 'True positive',
    InformationalExpectedActivity: 'Informational, expected activity',
    FalsePositive: 'False positive',
  },
  determination: {
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
  alertStatus: { New: 'New', InProgress: 'In progress', Resolved: 'Resolved' },
});

/** Values the service still returns but no longer takes: shown (labelled "deprecated"), never offered. */
const DEPRECATED: Readonly<Record<EnumKind, ReadonlySet<string>>> = {
  severity: new Set(),
  status: new Set(),
  classification: new Set(),
  determination: new Set(['Apt', 'SecurityPersonnel']),
  alertStatus: new Set(),
};

function deepFreeze<T extends Record<string, Record<string, string>>>(o: T): T {
  for (const v of Object.values(o)) {
    Object.freeze(v);
  }
  return Object.freeze(o);
}

/**
 * The label table of one kind, domain value -> label, in the portal's order (frozen). Build selects and
 * quick picks from it (skipping `isDeprecated` values) instead of keeping another copy of the words.
 */
export function labelTable(kind: EnumKind): Readonly<Record<string, string>> {
  return LABELS[kind];
}

export function isDeprecated(kind: EnumKind, value: string): boolean {
  return DEPRECATED[kind].has(normalizeEnum(kind, value));
}

export function enumLabel(kind: EnumKind, value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') {
    return kind === 'classification' || kind === 'determination' ? 'Not set' : 'None';
  }
  const v = normalizeEnum(kind, value);
  // A value nobody knows yet is shown exactly as the service sent it.
  return Object.prototype.hasOwnProperty.call(LABELS[kind], v) ? LABELS[kind][v] : v;
}

export const severityLabel = (v: Severity | null | undefined): string => enumLabel('severity', v);
export const statusLabel = (v: Status | null | undefined): string => enumLabel('status', v);
export const classificationLabel = (v: Classification | null | undefined): string => enumLabel('classification', v);
export const determinationLabel = (v: Determination | null | undefined): string => enumLabel('determination', v);
export const alertStatusLabel = (v: AlertStatus | null | undefined): string => enumLabel('alertStatus', v);

/** Determinations allowed for a classification; unknown classifications allow none. */
export function determinationsFor(classification: Classification): readonly Determination[] {
  const c = normalizeClassification(classification);
  return own(DETERMINATIONS_BY_CLASSIFICATION as Record<string, readonly Determination[]>, c) ?? [];
}

export function isValidDetermination(classification: Classification, determination: Determination): boolean {
  const d = normalizeDetermination(determination);
  return determinationsFor(classification).includes(d);
}

export function isKnownClassification(value: string): value is KnownClassification {
  return (CLASSIFICATIONS as readonly string[]).includes(value);
}
