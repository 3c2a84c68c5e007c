/**
 * The Microsoft Defender XDR incidents API wire shape, as the mock stores it. This is deliberately the
 * mock's own copy of the documented shape (../shared/reference/incident-apis.md), not the client's: the
 * clients are contract-tested against the mock, so the two must not share a definition that could hide
 * a mistake on both sides at once.
 *
 * No `vscode` import: runs in plain Node and is bundled into the extension.
 */

export interface DefenderComment {
  comment: string;
  createdBy: string | null;
  createdTime: string;
}

export interface DefenderLoggedOnUser {
  accountName: string;
  domainName: string;
}

export interface DefenderDevice {
  mdatpDeviceId: string;
  aadDeviceId: string | null;
  deviceDnsName: string;
  osPlatform: string;
  version: string | null;
  osProcessor: string;
  osBuild: number | null;
  healthStatus: string;
  riskScore: string;
  rbacGroupName: string;
  rbacGroupId: number;
  firstSeen: string;
  tags: string[];
  defenderAvStatus: string;
  onboardingStatus: string;
  vmMetadata: null;
  loggedOnUsers: DefenderLoggedOnUser[];
}

/** One impacted entity. The API sends flat, type-dependent fields; absent ones are simply missing. */
export interface DefenderEntity {
  entityType: string;
  accountName?: string;
  userPrincipalName?: string;
  domainName?: string;
  userSid?: string;
  aadUserId?: string;
  ipAddress?: string;
  url?: string;
  fileName?: string;
  filePath?: string;
  sha1?: string;
  sha256?: string;
  processId?: number;
  processCommandLine?: string;
  processCreationTime?: string;
  parentProcessId?: number;
  parentProcessCreationTime?: string;
  mailboxDisplayName?: string;
  mailboxAddress?: string;
  deliveryAction?: string;
  networkMessageId?: string;
  recipient?: string;
  sender?: string;
  senderIp?: string;
  subject?: string;
  clusterBy?: string;
  clusterByValue?: string;
  registryKey?: string;
  registryHive?: string;
  registryValueType?: string;
  registryValueName?: string;
  registryValue?: string;
  securityGroupId?: string;
  securityGroupName?: string;
  deviceId?: string;
  remediationStatus?: string;
  verdict?: string;
  evidenceCreationTime?: string;
}

export interface DefenderAlert {
  alertId: string;
  providerAlertId: string;
  incidentId: number;
  serviceSource: string;
  creationTime: string;
  lastUpdatedTime: string;
  resolvedTime: string | null;
  firstActivity: string;
  lastActivity: string;
  title: string;
  description: string;
  category: string;
  status: string;
  severity: string;
  investigationId: number | null;
  investigationState: string;
  classification: string | null;
  determination: string | null;
  detectionSource: string;
  detectorId: string;
  assignedTo: string | null;
  actorName: string | null;
  threatFamilyName: string | null;
  mitreTechniques: string[];
  devices: DefenderDevice[];
  entities: DefenderEntity[];
}

export interface DefenderIncident {
  incidentId: number;
  incidentUri: string;
  redirectIncidentId: number | null;
  incidentName: string;
  createdTime: string;
  lastUpdateTime: string;
  assignedTo: string | null;
  classification: string;
  determination: string;
  status: string;
  severity: string;
  detectionSource: string;
  tags: string[];
  comments: DefenderComment[];
  alerts: DefenderAlert[];
  /**
   * What only the Graph dialect shows or writes, kept with the incident so it survives a restart. Not part
   * of the Defender wire shape: the Defender dialect strips it (`defenderView`).
   */
  graph?: GraphOnly;
}

export interface GraphOnly {
  /** Written through Graph PATCH; absent = derived from the first alert. */
  description?: string | null;
  /** Written through Graph PATCH; absent = derived (the last comment of a resolved incident). */
  resolvingComment?: string | null;
  /** Who last changed the incident through the mock. */
  lastModifiedBy?: string;
}

// Enum spellings the Defender API accepts. AwaitingAction is not in the Defender docs but the portal has
// it and the shared model knows it; the mock stores it only through `/__mock/edit`.
export const DEFENDER_STATUSES = ['Active', 'InProgress', 'Resolved', 'Redirected'] as const;
export const DEFENDER_EDIT_STATUSES = [...DEFENDER_STATUSES, 'AwaitingAction'] as const;
export const DEFENDER_SEVERITIES = ['UnSpecified', 'Informational', 'Low', 'Medium', 'High'] as const;
export const DEFENDER_CLASSIFICATIONS = ['Unknown', 'TruePositive', 'InformationalExpectedActivity', 'FalsePositive'] as const;
/** Both documented spellings of the renamed values, and the deprecated Apt/SecurityPersonnel. */
export const DEFENDER_DETERMINATIONS = [
  'NotAvailable',
  'MultiStagedAttack',
  'MaliciousUserActivity',
  'CompromisedUser',
  'CompromisedAccount',
  'Malware',
  'Phishing',
  'UnwantedSoftware',
  'SecurityTesting',
  'LineOfBusinessApplication',
  'ConfirmedUserActivity',
  'ConfirmedActivity',
  'Clean',
  'NotMalicious',
  'InsufficientData',
  'NoEnoughDataToValidate',
  'Other',
  'Apt',
  'SecurityPersonnel',
] as const;
/**
 * What an update may send, per classification (the update page as corrected in 2024, and what integrations
 * that call the live API send). Reads use the resource page's spellings (`DEFENDER_READ_SPELLING`).
 */
export const DEFENDER_WRITE_DETERMINATIONS: Readonly<Record<(typeof DEFENDER_CLASSIFICATIONS)[number], readonly string[]>> = {
  TruePositive: ['MultiStagedAttack', 'MaliciousUserActivity', 'CompromisedAccount', 'Malware', 'Phishing', 'UnwantedSoftware', 'Other'],
  InformationalExpectedActivity: ['SecurityTesting', 'LineOfBusinessApplication', 'ConfirmedActivity', 'Other'],
  FalsePositive: ['NotMalicious', 'NoEnoughDataToValidate', 'Other'],
  Unknown: ['NotAvailable'],
};
/** Write spelling -> the resource page's (read) spelling, which the store keeps and every Defender read answers. */
export const DEFENDER_READ_SPELLING: Readonly<Record<string, string>> = {
  CompromisedAccount: 'CompromisedUser',
  ConfirmedActivity: 'ConfirmedUserActivity',
  NotMalicious: 'Clean',
  NoEnoughDataToValidate: 'InsufficientData',
};
/** Read-only spelling -> the write spelling an update must use instead. */
export const DEFENDER_WRITE_SPELLING: Readonly<Record<string, string>> = Object.fromEntries(Object.entries(DEFENDER_READ_SPELLING).map(([w, r]) => [r, w]));

/** The spelling the store keeps for any accepted determination. */
export function readSpelling(determination: string): string {
  return DEFENDER_READ_SPELLING[determination] ?? determination;
}

export const DEFENDER_ALERT_STATUSES = ['New', 'InProgress', 'Resolved'] as const;

const DAY_MS = 86_400_000;
const TIME_BUF = Buffer.from('0000-00-00T00:00:00.0000000Z', 'latin1');
let cachedDay = NaN;

function put(n: number, at: number, width: number): void {
  for (let i = at + width - 1; i >= at; i--) {
    TIME_BUF[i] = 0x30 + (n % 10);
    n = Math.floor(n / 10);
  }
}

/**
 * Seven fractional digits, as both services send them (`2020-09-06T14:46:57.0730000Z`). Written into a
 * buffer because the seed formats hundreds of thousands of times, and `toISOString` plus concatenation
 * was most of its run time and left rope strings behind.
 */
export function wireTime(d: Date | number): string {
  const ms = Math.floor(typeof d === 'number' ? d : d.getTime());
  if (!Number.isFinite(ms)) throw new RangeError('Invalid time value');
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    const iso = new Date(day * DAY_MS).toISOString();
    // Years outside 0000-9999 are not worth a fast path.
    if (iso.length !== 24) return new Date(ms).toISOString().slice(0, -1) + '0000Z';
    TIME_BUF.write(iso.slice(0, 10), 0, 'latin1');
    cachedDay = day;
  }
  let rem = ms - day * DAY_MS;
  put(Math.floor(rem / 3_600_000), 11, 2);
  rem %= 3_600_000;
  put(Math.floor(rem / 60_000), 14, 2);
  rem %= 60_000;
  put(Math.floor(rem / 1000), 17, 2);
  put(rem % 1000, 20, 3);
  return TIME_BUF.toString('latin1');
}

export function isOneOf<T extends string>(list: readonly T[], v: unknown): v is T {
  return typeof v === 'string' && (list as readonly string[]).includes(v);
}

const parsedTimes = new Map<string, number>();

/**
 * `Date.parse` with a memo: the list order and every date filter compare the same few thousand stored
 * timestamps over and over, and parsing them each time was most of a filtered list's cost.
 */
export function timeMs(text: string): number {
  let ms = parsedTimes.get(text);
  if (ms === undefined) {
    if (parsedTimes.size > 200_000) parsedTimes.clear();
    ms = Date.parse(text);
    parsedTimes.set(text, ms);
  }
  return ms;
}
