/**
 * Advanced hunting queries built from an incident's evidence: "Hunt from this incident" (a notebook of
 * cells) and "Hunt for this" (the cells for one value). Pure; no `vscode` import.
 *
 * Evidence values are attacker-controlled. They enter a query only through `kqlString`, as one string
 * literal each, never as query text: a value such as `x" | take 1000000 //` stays a value.
 */
import type { Incident } from './types';
import type { EvidenceItem } from './evidence';
import type { HuntKind } from './evidenceTypes';

export interface HuntCell {
  /** One line; carries evidence text, so surfaces show it as text. */
  title: string;
  query: string;
  /** ISO 8601 interval for runHuntingQuery's `Timespan` (`start/end`); absent = the service's default (30 days). */
  timespan?: string;
}

/** A time window in ISO 8601. */
export interface HuntWindow {
  start: string;
  end: string;
}

/** How far before the first alert and after the last one the incident's cells look. */
export const HUNT_MARGIN_MS = 60 * 60 * 1000;
/** Rows a generated cell asks for (the service's own cap is 100,000). */
export const HUNT_ROW_LIMIT = 1000;
/** Values one incident cell lists; the title says when there were more. */
export const HUNT_MAX_VALUES = 50;

/**
 * Escapes as Kusto's own `KustoFacts.GetDoubleQuotedStringLiteral` does (`"`, `\`, \a \b \f \n \r \t, plus
 * \v which its decoder reads). A string literal ends at a line break, and Kusto counts more than \n and \r
 * as one; no escape for the other controls, line/paragraph separators or lone surrogates is documented,
 * so they become U+FFFD: such a value can no longer match exactly, but it can never end its literal.
 */
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '\\"',
  '\\': '\\\\',
  '\x07': '\\a',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\v': '\\v',
};
const UNREPRESENTABLE = /[\p{Cc}\p{Zl}\p{Zp}]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/gu;

/** A KQL double-quoted string literal whose value is `value`: nothing in it can end the literal early. */
export function kqlString(value: string): string {
  // Every character with an escape, then what is left of the controls: no-control-regex is the point here.
  // eslint-disable-next-line no-control-regex
  const escaped = value.replace(/["\\\x07\b\f\n\r\t\v]/g, c => ESCAPES[c]).replace(UNREPRESENTABLE, '\uFFFD');
  return `"${escaped}"`;
}

/** `("a", "b")` for `in`. */
function kqlList(values: readonly string[]): string {
  return `(${values.map(kqlString).join(', ')})`;
}

/** `Col == "v"` for one value, `Col in ("a", "b")` for more; `~` for case-insensitive names. */
function match(column: string, values: readonly string[], caseInsensitive: boolean): string {
  if (values.length === 1) return `${column} ${caseInsensitive ? '=~' : '=='} ${kqlString(values[0])}`;
  return `${column} ${caseInsensitive ? 'in~' : 'in'} ${kqlList(values)}`;
}

function isoOrNull(s: string | null | undefined): number | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

/** From an hour before the incident's first alert activity to an hour after its last (incident times as fallback). */
export function incidentWindow(incident: Pick<Incident, 'alerts' | 'createdTime' | 'lastUpdateTime'>): HuntWindow {
  const starts = incident.alerts.map(a => isoOrNull(a.firstActivity) ?? isoOrNull(a.createdTime)).filter((t): t is number => t !== null);
  const ends = incident.alerts.map(a => isoOrNull(a.lastActivity) ?? isoOrNull(a.createdTime)).filter((t): t is number => t !== null);
  const created = isoOrNull(incident.createdTime) ?? 0;
  const first = starts.length ? Math.min(...starts) : created;
  const last = Math.max(ends.length ? Math.max(...ends) : (isoOrNull(incident.lastUpdateTime) ?? created), first);
  return { start: new Date(first - HUNT_MARGIN_MS).toISOString(), end: new Date(last + HUNT_MARGIN_MS).toISOString() };
}

export function timespanOf(w: HuntWindow): string {
  return `${w.start}/${w.end}`;
}

/** One line, at most 80 characters: titles name values, and a value may hold line breaks. */
function short(v: string): string {
  const one = v.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, ' ').trim();
  return one.length > 80 ? `${one.slice(0, 79)}…` : one;
}

function describeValues(noun: string, values: readonly string[], total: number): string {
  if (total === 1) return `${noun} ${short(values[0])}`;
  const nouns = noun.endsWith('s') ? `${noun}es` : `${noun}s`;
  return total > values.length ? `${values.length} of ${total} ${nouns}` : `${total} ${nouns}`;
}

const body = (table: string, where: string): string => `${table}\n| where ${where}\n| order by Timestamp asc\n| take ${HUNT_ROW_LIMIT}`;

const HEX40 = /^[0-9a-f]{40}$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Splits values by the column they belong in; a clause per non-empty column, joined with `or`. */
function clauses(parts: readonly (readonly [string, string[], boolean])[]): string {
  return parts
    .filter(([, vs]) => vs.length > 0)
    .map(([col, vs, ci]) => match(col, vs, ci))
    .join(' or ');
}

function deviceWhere(values: readonly string[]): string {
  // mdeDeviceId is 40 hex digits and matches DeviceId exactly; a name matches DeviceName whatever its case.
  return clauses([
    ['DeviceId', values.filter(v => HEX40.test(v)), false],
    ['DeviceName', values.filter(v => !HEX40.test(v)), true],
  ]);
}

function userWhere(values: readonly string[]): string {
  const upn = values.filter(v => v.includes('@'));
  const oid = values.filter(v => !v.includes('@') && GUID.test(v));
  const sid = values.filter(v => /^S-1-/i.test(v));
  const name = values.filter(v => !upn.includes(v) && !oid.includes(v) && !sid.includes(v)).map(v => v.slice(v.lastIndexOf('\\') + 1));
  return clauses([
    ['AccountUpn', upn, true],
    ['AccountObjectId', oid, false],
    ['AccountSid', sid, false],
    ['AccountName', name, true],
  ]);
}

function hashWhere(values: readonly string[]): string {
  const by = (n: number) => values.filter(v => new RegExp(`^[0-9a-f]{${n}}$`, 'i').test(v));
  const known = [...by(64), ...by(40), ...by(32)];
  // Not a hash of a known length: looked for as any of them, so the cell still says what was asked.
  const odd = values.filter(v => !known.includes(v));
  return clauses([
    ['SHA256', [...by(64), ...odd], false],
    ['SHA1', [...by(40), ...odd], false],
    ['MD5', [...by(32), ...odd], false],
  ]);
}

function urlHost(v: string): string {
  try {
    return new URL(v).hostname || v;
  } catch {
    return v;
  }
}

/** The cells for values of one kind (already distinct), titled for `total` values. */
function cellsFor(kind: HuntKind, values: readonly string[], total: number, timespan: string | undefined): HuntCell[] {
  const cell = (title: string, query: string): HuntCell => (timespan === undefined ? { title, query } : { title, query, timespan });
  switch (kind) {
    case 'device': {
      const what = describeValues('device', values, total);
      return [
        cell(`Process events on ${what}`, body('DeviceProcessEvents', deviceWhere(values))),
        cell(`Network events on ${what}`, body('DeviceNetworkEvents', deviceWhere(values))),
      ];
    }
    case 'user':
      return [cell(`Sign-ins of ${describeValues('user', values, total)}`, body('IdentityLogonEvents', userWhere(values)))];
    case 'fileHash': {
      const what = describeValues('file hash', values, total);
      return [
        cell(`File events for ${what}`, body('DeviceFileEvents', hashWhere(values))),
        cell(`Processes started from ${what}`, body('DeviceProcessEvents', hashWhere(values))),
      ];
    }
    case 'ip': {
      const what = describeValues('IP address', values, total);
      return [
        cell(`Network events with ${what}`, body('DeviceNetworkEvents', `${match('RemoteIP', values, false)} or ${match('LocalIP', values, false)}`)),
        cell(`Sign-ins from ${what}`, body('IdentityLogonEvents', match('IPAddress', values, false))),
      ];
    }
    case 'url': {
      const hosts = [...new Set(values.map(urlHost))];
      return [
        cell(
          `Network events to ${describeValues('URL', values, total)}`,
          body('DeviceNetworkEvents', hosts.map(h => `RemoteUrl has ${kqlString(h)}`).join(' or ')),
        ),
      ];
    }
    case 'mailbox':
      return [
        cell(
          `Email to or from ${describeValues('mailbox', values, total)}`,
          body('EmailEvents', `${match('RecipientEmailAddress', values, true)} or ${match('SenderFromAddress', values, true)}`),
        ),
      ];
  }
}

/** "Hunt for this": the cells for one value, over `window` (the service's default when absent). */
export function huntCellsForValue(kind: HuntKind, value: string, window?: HuntWindow): HuntCell[] {
  return cellsFor(kind, [value], 1, window ? timespanOf(window) : undefined);
}

/** The order "Hunt from this incident" lists its cells in: the issue's four first, then URLs and mailboxes. */
const INCIDENT_KINDS: readonly HuntKind[] = ['device', 'user', 'fileHash', 'ip', 'url', 'mailbox'];

/**
 * "Hunt from this incident": the incident's own alert evidence first, then per kind of identifying value
 * (devices, users, file hashes, IPs, URLs, mailboxes) its cells over the incident's window. Values of a kind
 * are listed in one cell (the first HUNT_MAX_VALUES; the title says how many there were).
 */
export function huntCellsForIncident(
  incident: Pick<Incident, 'id' | 'alerts' | 'createdTime' | 'lastUpdateTime'>,
  evidence: readonly EvidenceItem[],
): HuntCell[] {
  const timespan = timespanOf(incidentWindow(incident));
  const cells: HuntCell[] = [];
  const alertIds = [...new Set(incident.alerts.map(a => a.id))];
  if (alertIds.length) {
    cells.push({
      title: `Evidence of the incident's ${alertIds.length === 1 ? 'alert' : `${alertIds.length} alerts`}`,
      query: `AlertEvidence\n| where ${match('AlertId', alertIds.slice(0, HUNT_MAX_VALUES), false)}\n| order by Timestamp asc`,
      timespan,
    });
  }
  for (const kind of INCIDENT_KINDS) {
    const seen = new Set<string>();
    const values: string[] = [];
    for (const t of evidence.flatMap(e => e.targets)) {
      const k = t.value.toLowerCase();
      if (t.kind === kind && !seen.has(k)) {
        seen.add(k);
        values.push(t.value);
      }
    }
    if (values.length) cells.push(...cellsFor(kind, values.slice(0, HUNT_MAX_VALUES), values.length, timespan));
  }
  return cells;
}
