/**
 * Display labels and date formatting for the pane. Enum values are open (a new value from the service
 * arrives as it came), so every lookup falls back to the raw value instead of hiding it.
 */

const STATUS_LABELS: Record<string, string> = {
  Active: 'Active', InProgress: 'In progress', Resolved: 'Resolved', Redirected: 'Redirected', AwaitingAction: 'Awaiting action',
};
const CLASSIFICATION_LABELS: Record<string, string> = {
  Unknown: 'Not set', TruePositive: 'True positive', InformationalExpectedActivity: 'Informational, expected activity', FalsePositive: 'False positive',
};
// Wording of the Defender portal, so analysts see the same words in both places.
const DETERMINATION_LABELS: Record<string, string> = {
  NotAvailable: 'Not available', MultiStagedAttack: 'Multi-staged attack', MaliciousUserActivity: 'Malicious user activity',
  CompromisedUser: 'Compromised account', Malware: 'Malware', Phishing: 'Phishing', UnwantedSoftware: 'Unwanted software',
  SecurityTesting: 'Security testing', LineOfBusinessApplication: 'Line-of-business application',
  ConfirmedUserActivity: 'Confirmed activity', Clean: 'Not malicious', InsufficientData: 'Not enough data to validate',
  Other: 'Other', Apt: 'APT', SecurityPersonnel: 'Security personnel',
};
const SEVERITY_LABELS: Record<string, string> = { UnSpecified: 'Unspecified' };
const ALERT_STATUS_LABELS: Record<string, string> = { New: 'New', InProgress: 'In progress', Resolved: 'Resolved' };

// Product names as the portal shows them; the API gives one PascalCase token.
const SERVICE_SOURCE_LABELS: Record<string, string> = {
  MicrosoftDefenderForEndpoint: 'Microsoft Defender for Endpoint', MicrosoftDefenderForIdentity: 'Microsoft Defender for Identity',
  MicrosoftDefenderForOffice365: 'Microsoft Defender for Office 365', MicrosoftDefenderForCloudApps: 'Microsoft Defender for Cloud Apps',
  MicrosoftCloudAppSecurity: 'Microsoft Defender for Cloud Apps', MicrosoftDefenderForCloud: 'Microsoft Defender for Cloud',
  AzureAdIdentityProtection: 'Microsoft Entra ID Protection', MicrosoftDataLossPrevention: 'Microsoft Data Loss Prevention',
  MicrosoftThreatExperts: 'Microsoft Defender Experts', MicrosoftSentinel: 'Microsoft Sentinel', MicrosoftDefenderXdr: 'Microsoft Defender XDR',
  MicrosoftInsiderRiskManagement: 'Microsoft Purview Insider Risk Management', MicrosoftAppGovernance: 'App governance',
};

const pick = (map: Record<string, string>) => (v: string | null | undefined): string =>
  v == null || v === '' ? '—' : Object.prototype.hasOwnProperty.call(map, v) ? map[v] : v;

export const statusLabel = pick(STATUS_LABELS);
export const classificationLabel = pick(CLASSIFICATION_LABELS);
export const determinationLabel = pick(DETERMINATION_LABELS);
export const severityLabel = pick(SEVERITY_LABELS);
export const alertStatusLabel = pick(ALERT_STATUS_LABELS);
export const serviceSourceLabel = pick(SERVICE_SOURCE_LABELS);

/** Lower-case token for CSS classes; anything unknown shares one look. */
export function severityClass(sev: string): string {
  return /^(High|Medium|Low|Informational)$/.test(sev) ? `sev-${sev.toLowerCase()}` : 'sev-other';
}

const absFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relFmt = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const numFmt = new Intl.NumberFormat('en-US');

export function formatNumber(n: number): string {
  return numFmt.format(n);
}

/** "Mar 4, 2025, 10:12 AM", or the raw text when it is not a date (never "Invalid Date"). */
export function formatAbsolute(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : absFmt.format(t);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600], ['month', 30 * 24 * 3600], ['week', 7 * 24 * 3600], ['day', 24 * 3600], ['hour', 3600], ['minute', 60],
];

/** "3 hours ago"; empty when the text is not a date. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const secs = Math.round((t - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(secs) >= size) return relFmt.format(Math.trunc(secs / size), unit);
  }
  return 'just now';
}
