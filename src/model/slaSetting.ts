/**
 * The `defenderIncidents.sla` setting read into an SLA policy (src/model/sla.ts holds the policy, the
 * clocks and their texts). Pure: every bad entry is named in `errors` and keeps its default.
 */
import { normalizeSeverity } from './enums';
import { durationMinutes, MAX_DURATION_LENGTH } from './duration';
import { DEFAULT_SLA_POLICY, MAX_SLA_MINUTES, SLA_SETTING, SLA_SEVERITIES, type SeveritySla, type SlaPolicy, type SlaSeverity } from './sla';

const FIELDS = { assign: 'assignWithinMinutes', resolve: 'resolveWithinMinutes' } as const;
type Field = keyof typeof FIELDS;

const DURATION_HINT = '(use e.g. "30m", "4h", "2d", or "off")';
export { DURATION_PATTERN, MAX_DURATION_LENGTH } from './duration';

/** The value as the user wrote it, for an error message (JSON, shortened). */
function shown(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * One clock's value in the setting: a duration string, a number of minutes, or `null` / `"off"`.
 * Returns minutes, `null` for off, or an error message (without the setting path).
 */
export function parseSlaDuration(v: unknown): { minutes: number | null } | { error: string } {
  if (v === null) return { minutes: null };
  let minutes: number;
  if (typeof v === 'number') {
    if (!Number.isFinite(v) || v <= 0) return { error: `${shown(v)} is not a positive number of minutes ${DURATION_HINT}` };
    minutes = v;
  } else if (typeof v === 'string') {
    if (v.length > MAX_DURATION_LENGTH) return { error: `${shown(v)} is too long for a duration (at most ${MAX_DURATION_LENGTH} characters) ${DURATION_HINT}` };
    const s = v.trim();
    if (s.toLowerCase() === 'off') return { minutes: null };
    const parsed = durationMinutes(s);
    if (parsed === undefined) {
      if (s.startsWith('-') && durationMinutes(s.slice(1)) !== undefined)
        return { error: `${shown(v)} is negative: a duration must be more than zero ${DURATION_HINT}` };
      return { error: `${shown(v)} is not a duration ${DURATION_HINT}` };
    }
    minutes = parsed;
    if (!(minutes > 0)) return { error: `${shown(v)} is zero: a duration must be more than zero ${DURATION_HINT}` };
  } else {
    return { error: `${shown(v)} is not a duration ${DURATION_HINT}` };
  }
  if (minutes > MAX_SLA_MINUTES) return { error: `${shown(v)} is longer than the longest duration allowed, 365d` };
  // Whole milliseconds, so due times are exact.
  return { minutes: Math.round(minutes * 60_000) / 60_000 };
}

const SEVERITY_LIST = SLA_SEVERITIES.map(s => `"${s}"`).join(', ');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads the `defenderIncidents.sla` setting: `{ "High": { "assign": "30m", "resolve": "4h" }, ... }`.
 * Severity keys are matched like the API's values (case-insensitive, "unknown" = UnSpecified).
 * Missing severities and fields keep the defaults; `"High": null` or `"High": "off"` turns both of
 * High's clocks off. Every bad entry is named in `errors` (by the path the user wrote) and keeps its
 * default, so the rest of the setting still applies. `undefined` / `null` (no setting): the defaults.
 */
export function parseSlaSetting(raw: unknown): { policy: SlaPolicy; errors: string[] } {
  const policy: Record<SlaSeverity, SeveritySla> = {
    High: { ...DEFAULT_SLA_POLICY.High },
    Medium: { ...DEFAULT_SLA_POLICY.Medium },
    Low: { ...DEFAULT_SLA_POLICY.Low },
    Informational: { ...DEFAULT_SLA_POLICY.Informational },
    UnSpecified: { ...DEFAULT_SLA_POLICY.UnSpecified },
  };
  const errors: string[] = [];
  if (raw === undefined || raw === null) return { policy, errors };
  if (!isObject(raw)) {
    errors.push(`${SLA_SETTING}: ${shown(raw)} is not an object like { "High": { "assign": "30m", "resolve": "4h" } }`);
    return { policy, errors };
  }
  const seen = new Map<SlaSeverity, string>();
  for (const [key, entry] of Object.entries(raw)) {
    const path = `${SLA_SETTING}.${key}`;
    const sev = normalizeSeverity(key) as string;
    if (!(SLA_SEVERITIES as readonly string[]).includes(sev)) {
      errors.push(`${path}: unknown severity (use ${SEVERITY_LIST})`);
      continue;
    }
    const severity = sev as SlaSeverity;
    const first = seen.get(severity);
    if (first !== undefined) {
      errors.push(`${path}: ${severity} is already set by ${SLA_SETTING}.${first}`);
      continue;
    }
    seen.set(severity, key);
    if (entry === null || (typeof entry === 'string' && entry.trim().toLowerCase() === 'off')) {
      policy[severity] = { assignWithinMinutes: null, resolveWithinMinutes: null };
      continue;
    }
    if (!isObject(entry)) {
      errors.push(`${path}: ${shown(entry)} is not an object like { "assign": "30m", "resolve": "4h" } (or null to turn both clocks off)`);
      continue;
    }
    for (const [field, value] of Object.entries(entry)) {
      if (!Object.prototype.hasOwnProperty.call(FIELDS, field)) {
        errors.push(`${path}.${field}: unknown field (use "assign" or "resolve")`);
        continue;
      }
      const r = parseSlaDuration(value);
      if ('error' in r) errors.push(`${path}.${field}: ${r.error}`);
      else policy[severity][FIELDS[field as Field]] = r.minutes;
    }
  }
  return { policy, errors };
}
