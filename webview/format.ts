/**
 * Display labels and date formatting for the pane. Enum labels come from the one table in src/model/enums.ts
 * (the portal's words); values are open (a new value from the service arrives as it came), so every lookup
 * falls back to the raw value instead of hiding it.
 */
import { isBackendKind, othersThatCan, withoutVendor } from '../src/model/backends';
import { enumLabel, normalizeSeverity, type EnumKind } from '../src/model/enums';
import { SETTABLE_SEVERITIES } from '../src/model/rules';
import { showInvisibles } from '../src/shared/text';
import type { PaneCapabilities } from '../src/shared/protocol';

// Product names as the portal shows them; the API gives one PascalCase token.
const SERVICE_SOURCE_LABELS: Record<string, string> = {
  MicrosoftDefenderForEndpoint: 'Microsoft Defender for Endpoint',
  MicrosoftDefenderForIdentity: 'Microsoft Defender for Identity',
  MicrosoftDefenderForOffice365: 'Microsoft Defender for Office 365',
  MicrosoftDefenderForCloudApps: 'Microsoft Defender for Cloud Apps',
  MicrosoftCloudAppSecurity: 'Microsoft Defender for Cloud Apps',
  MicrosoftDefenderForCloud: 'Microsoft Defender for Cloud',
  AzureAdIdentityProtection: 'Microsoft Entra ID Protection',
  MicrosoftDataLossPrevention: 'Microsoft Data Loss Prevention',
  MicrosoftThreatExperts: 'Microsoft Defender Experts',
  MicrosoftSentinel: 'Microsoft Sentinel',
  MicrosoftDefenderXdr: 'Microsoft Defender XDR',
  MicrosoftInsiderRiskManagement: 'Microsoft Purview Insider Risk Management',
  MicrosoftAppGovernance: 'App governance',
};

/**
 * Longer than any enum value or date the services send: such text is shown as it came without being parsed
 * or normalised (a megabyte of hostile text must not be lower-cased or date-parsed on every render).
 */
const MAX_TOKEN = 200;

const label =
  (kind: EnumKind) =>
  (v: string | null | undefined): string =>
    v == null || v === '' ? '—' : v.length > MAX_TOKEN ? v : enumLabel(kind, v);

export const statusLabel = label('status');
export const classificationLabel = label('classification');
export const determinationLabel = label('determination');
export const severityLabel = label('severity');
export const alertStatusLabel = label('alertStatus');
export const serviceSourceLabel = (v: string | null | undefined): string =>
  v == null || v === '' ? '—' : Object.prototype.hasOwnProperty.call(SERVICE_SOURCE_LABELS, v) ? SERVICE_SOURCE_LABELS[v] : v;

/**
 * Text whose identity matters (owners, account names, UPNs, comment authors): invisible and format
 * characters, bidi controls included, show as `⟦U+200B⟧`, so a look-alike cannot pass for someone else.
 * The `.v` span it lands in isolates it from the text around it.
 */
export function identityText(s: string): string {
  if (s.length < 4096) return showInvisibles(s);
  // Long names are rare and re-rendered with every change of their section: transform each once.
  let shown = identityCache.get(s);
  if (shown === undefined) {
    shown = showInvisibles(s);
    if (identityCache.size >= 32) identityCache.delete(identityCache.keys().next().value!);
    identityCache.set(s, shown);
  }
  return shown;
}
const identityCache = new Map<string, string>();

/**
 * What the backend cannot edit, as the end of a sentence that starts "The <backend> ": "cannot rename
 * incidents or change severity; the Graph security API can". Undefined when it can edit both.
 */
export function editLimits(c: PaneCapabilities): string | undefined {
  const cannot = [c.canRename ? '' : 'rename incidents', c.canChangeSeverity ? '' : 'change severity'].filter(Boolean);
  if (!cannot.length) return undefined;
  // The backend table names an API that can (src/model/backends.ts).
  const other = isBackendKind(c.backendKind) ? othersThatCan(c.backendKind, c.canRename ? 'canChangeSeverity' : 'canRename')[0] : undefined;
  return `cannot ${cannot.join(' or ')}${other ? `; the ${withoutVendor(other)} can` : ''}`;
}

/** Lower-case token for CSS classes; anything unknown (and UnSpecified) shares one look. */
export function severityClass(sev: string): string {
  if (sev.length > MAX_TOKEN) return 'sev-other';
  const v = normalizeSeverity(sev);
  return (SETTABLE_SEVERITIES as readonly string[]).includes(v) ? `sev-${v.toLowerCase()}` : 'sev-other';
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
  if (iso.length > MAX_TOKEN) return iso;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : absFmt.format(t);
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

/** "3 hours ago"; empty when the text is not a date. */
export function formatRelative(iso: string | null | undefined, now = Date.now()): string {
  if (!iso || iso.length > MAX_TOKEN) return '';
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const secs = Math.round((t - now) / 1000);
  for (const [unit, size] of UNITS) {
    if (Math.abs(secs) >= size) return relFmt.format(Math.trunc(secs / size), unit);
  }
  return 'just now';
}
