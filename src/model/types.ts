/**
 * The one domain model for incidents, shared by every backend (Defender XDR API, Graph security API,
 * mock). No `vscode` import: this module and everything that depends only on it runs in plain Node.
 *
 * Enum-valued fields are open: a value that no known spelling maps to is kept as it came (see
 * `enums.ts`), so a new value from the service is shown, never a crash.
 */
import type { EvidenceItem } from './evidence';

export const SEVERITIES = ['High', 'Medium', 'Low', 'Informational', 'UnSpecified'] as const;
export type KnownSeverity = (typeof SEVERITIES)[number];
export type Severity = KnownSeverity | (string & { readonly __unknownSeverity?: never });

export const STATUSES = ['Active', 'InProgress', 'Resolved', 'Redirected', 'AwaitingAction'] as const;
export type KnownStatus = (typeof STATUSES)[number];
export type Status = KnownStatus | (string & { readonly __unknownStatus?: never });

export const CLASSIFICATIONS = ['Unknown', 'TruePositive', 'InformationalExpectedActivity', 'FalsePositive'] as const;
export type KnownClassification = (typeof CLASSIFICATIONS)[number];
export type Classification = KnownClassification | (string & { readonly __unknownClassification?: never });

/**
 * One canonical value per meaning: the spelling the Defender update API takes (the "write family").
 * Reads accept the older spellings too (CompromisedUser, ConfirmedUserActivity, Clean, InsufficientData
 * and Graph's camelCase of both families), and `enums.ts` folds them onto these. Apt and
 * SecurityPersonnel are deprecated: read and shown, never offered.
 */
export const DETERMINATIONS = [
  'NotAvailable',
  'MultiStagedAttack',
  'MaliciousUserActivity',
  'CompromisedAccount',
  'Malware',
  'Phishing',
  'UnwantedSoftware',
  'SecurityTesting',
  'LineOfBusinessApplication',
  'ConfirmedActivity',
  'NotMalicious',
  'NoEnoughDataToValidate',
  'Other',
  'Apt',
  'SecurityPersonnel',
] as const;
export type KnownDetermination = (typeof DETERMINATIONS)[number];
export type Determination = KnownDetermination | (string & { readonly __unknownDetermination?: never });

export const ALERT_STATUSES = ['New', 'InProgress', 'Resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number] | (string & { readonly __unknownAlertStatus?: never });

/**
 * Which determinations are valid for each classification (Defender docs, "Determination by classification"),
 * in the order the portal lists them. Unknown + NotAvailable is the "not set" pair: sending it clears both.
 */
export const DETERMINATIONS_BY_CLASSIFICATION: Readonly<Record<KnownClassification, readonly KnownDetermination[]>> = {
  Unknown: ['NotAvailable'],
  TruePositive: ['MultiStagedAttack', 'MaliciousUserActivity', 'CompromisedAccount', 'Malware', 'Phishing', 'UnwantedSoftware', 'Other'],
  InformationalExpectedActivity: ['SecurityTesting', 'LineOfBusinessApplication', 'ConfirmedActivity', 'Other'],
  FalsePositive: ['NotMalicious', 'NoEnoughDataToValidate', 'Other'],
};

export interface Comment {
  text: string;
  createdBy: string | null;
  /** ISO 8601. */
  createdTime: string | null;
}

export interface Device {
  id: string | null;
  dnsName: string | null;
  osPlatform: string | null;
  osBuild: string | number | null;
  healthStatus: string | null;
  riskScore: string | null;
  firstSeen: string | null;
}

/** An impacted asset. `type` is the API's entityType (User, Ip, Url, File, Process, MailBox, ...), kept open. */
export interface Entity {
  type: string;
  /** The most useful single label: UPN, IP, URL, file name, mailbox address... */
  label: string;
  /** Other non-empty flat fields as they came, for tooltips and export. */
  details: Record<string, string>;
}

export interface Alert {
  id: string;
  incidentId: string;
  title: string;
  description: string | null;
  severity: Severity;
  status: AlertStatus;
  category: string | null;
  serviceSource: string | null;
  detectionSource: string | null;
  assignedTo: string | null;
  classification: Classification | null;
  determination: Determination | null;
  createdTime: string | null;
  lastUpdateTime: string | null;
  resolvedTime: string | null;
  firstActivity: string | null;
  lastActivity: string | null;
  mitreTechniques: string[];
  devices: Device[];
  entities: Entity[];
  /**
   * The alert's evidence with roles, verdicts and remediation status (`evidence.ts`), one item per evidence
   * entry. Absent on alerts built without it (tests, journals written before it existed).
   */
  evidence?: EvidenceItem[];
  /** What could not be read of the evidence ("evidence[3] is a string, expected an object"). */
  evidenceProblems?: string[];
}

export interface Incident {
  /** Stable string id (Defender's long incidentId as decimal text; Graph's id). */
  id: string;
  name: string;
  severity: Severity;
  status: Status;
  assignedTo: string | null;
  classification: Classification;
  determination: Determination;
  createdTime: string;
  lastUpdateTime: string;
  tags: string[];
  /** Graph's systemTags; empty on Defender. Read-only. */
  systemTags: string[];
  comments: Comment[];
  alerts: Alert[];
  redirectIncidentId: string | null;
  /** Portal link when the backend gives one (Defender incidentUri, Graph incidentWebUrl); carries `?tid=`. */
  webUrl: string | null;
  description: string | null;
  resolvingComment: string | null;
  detectionSource: string | null;
  /** Who changed the incident last, as Graph records it (`lastModifiedBy`); null on Defender and when absent. */
  lastModifiedBy: string | null;
  /** Graph's `priorityScore` (0-100, read-only); null on Defender and when absent. */
  priorityScore: number | null;
}

/** The fields an update may change. Absent = unchanged. */
export interface IncidentPatch {
  assignedTo?: string | null;
  status?: Status;
  classification?: Classification;
  determination?: Determination;
  tags?: string[];
  name?: string;
  severity?: Severity;
  resolvingComment?: string;
}

export interface AlertPatch {
  assignedTo?: string | null;
  status?: AlertStatus;
  classification?: Classification;
  determination?: Determination;
}
