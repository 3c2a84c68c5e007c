/**
 * The queue's filter: what the user asked for, how much of it the backend runs, and the rest on the
 * client. Pure; no `vscode` import.
 */
import type { BackendCapabilities, IncidentQuery } from '../backend/types';
import type { Incident } from '../model/types';
import { classificationLabel, statusLabel } from '../model/enums';
import { safeText } from '../shared/text';

export type OwnerFilter =
  | { kind: 'anyone' }
  | { kind: 'me' }
  | { kind: 'unassigned' }
  | { kind: 'person'; upn: string };

export type TimeRange = '1d' | '3d' | '7d' | '30d' | '6m' | { from: string; to?: string };

export interface IncidentFilter {
  statuses?: string[];
  severities?: string[];
  classifications?: string[];
  owner?: OwnerFilter;
  tags?: string[];
  /** Created within this range. */
  time?: TimeRange;
  /** Case-insensitive substring over name, id, tags, devices and users. */
  text?: string;
}

/** The portal's default queue: Active and In progress, severity High, Medium and Low. */
export const DEFAULT_FILTER: Readonly<IncidentFilter> = Object.freeze({
  statuses: ['Active', 'InProgress'],
  severities: ['High', 'Medium', 'Low'],
});

const RANGE_MS: Record<Exclude<TimeRange, object>, number> = {
  '1d': 864e5, '3d': 3 * 864e5, '7d': 7 * 864e5, '30d': 30 * 864e5, '6m': 183 * 864e5,
};

export function isEmptyFilter(f: IncidentFilter): boolean {
  return !f.statuses?.length && !f.severities?.length && !f.classifications?.length && (!f.owner || f.owner.kind === 'anyone')
    && !f.tags?.length && !f.time && !f.text?.trim();
}

export function sameFilter(a: IncidentFilter, b: IncidentFilter): boolean {
  return JSON.stringify(normalizeFilter(a)) === JSON.stringify(normalizeFilter(b));
}

function normalizeFilter(f: IncidentFilter): IncidentFilter {
  const sorted = (x?: string[]) => (x?.length ? [...x].sort() : undefined);
  return {
    statuses: sorted(f.statuses), severities: sorted(f.severities), classifications: sorted(f.classifications),
    owner: f.owner && f.owner.kind !== 'anyone' ? f.owner : undefined, tags: sorted(f.tags), time: f.time,
    text: f.text?.trim() || undefined,
  };
}

export function timeRangeStart(t: TimeRange, now: number): { from: number; to?: number } {
  if (typeof t === 'string') return { from: now - RANGE_MS[t] };
  const from = Date.parse(t.from);
  const to = t.to ? Date.parse(t.to) : undefined;
  return { from: Number.isNaN(from) ? 0 : from, to: to !== undefined && !Number.isNaN(to) ? to : undefined };
}

/**
 * Splits a filter into the query the backend runs (only the fields in `capabilities.serverFilters`)
 * and reports whether anything is left for the client. Filtering everything again on the client is
 * cheap and keeps one definition of "matches", so the client always re-applies the whole filter.
 */
export function toServerQuery(f: IncidentFilter, caps: BackendCapabilities, me: string, now: number): IncidentQuery {
  const server = new Set(caps.serverFilters);
  const q: IncidentQuery = {};
  if (f.statuses?.length && server.has('status')) q.statuses = [...f.statuses];
  if (f.severities?.length && server.has('severity')) q.severities = [...f.severities];
  if (f.classifications?.length && server.has('classification')) q.classifications = [...f.classifications];
  if (f.owner && f.owner.kind !== 'anyone' && server.has('assignedTo')) {
    q.assignedTo = f.owner.kind === 'unassigned' ? null : f.owner.kind === 'me' ? me : f.owner.upn;
  }
  if (f.time && server.has('createdTime')) {
    const r = timeRangeStart(f.time, now);
    q.createdSince = new Date(r.from).toISOString();
    if (r.to !== undefined) q.createdBefore = new Date(r.to).toISOString();
  }
  return q;
}

function eqi(a: string | null | undefined, b: string): boolean {
  return (a ?? '').toLowerCase() === b.toLowerCase();
}

/** The text the search box looks in: name, id, tags, device names and user names of the alerts. */
export function searchableText(i: Incident): string {
  const parts: string[] = [i.name, i.id, ...i.tags, ...i.systemTags, i.assignedTo ?? ''];
  for (const a of i.alerts) {
    for (const d of a.devices) if (d.dnsName) parts.push(d.dnsName);
    for (const e of a.entities) parts.push(e.label);
  }
  return parts.join('\n').toLowerCase();
}

/** Compiles a filter into one predicate, so a 10,000-incident pass allocates nothing per incident. */
export function compileFilter(f: IncidentFilter, me: string, now: number): (i: Incident) => boolean {
  const statuses = f.statuses?.length ? new Set(f.statuses.map(s => s.toLowerCase())) : undefined;
  const severities = f.severities?.length ? new Set(f.severities.map(s => s.toLowerCase())) : undefined;
  const classes = f.classifications?.length ? new Set(f.classifications.map(s => s.toLowerCase())) : undefined;
  const tags = f.tags?.length ? f.tags.map(t => t.toLowerCase()) : undefined;
  const owner = f.owner && f.owner.kind !== 'anyone' ? f.owner : undefined;
  const range = f.time ? timeRangeStart(f.time, now) : undefined;
  const text = f.text?.trim().toLowerCase();
  return (i: Incident) => {
    if (statuses && !statuses.has(i.status.toLowerCase())) return false;
    if (severities && !severities.has(i.severity.toLowerCase())) return false;
    if (classes && !classes.has(i.classification.toLowerCase())) return false;
    if (owner) {
      if (owner.kind === 'unassigned' ? i.assignedTo : !eqi(i.assignedTo, owner.kind === 'me' ? me : owner.upn)) return false;
    }
    if (tags) {
      const have = [...i.tags, ...i.systemTags].map(t => t.toLowerCase());
      if (!tags.every(t => have.includes(t))) return false;
    }
    if (range) {
      const c = Date.parse(i.createdTime);
      if (c < range.from || (range.to !== undefined && c >= range.to)) return false;
    }
    if (text && !searchableText(i).includes(text)) return false;
    return true;
  };
}

const RANGE_LABEL: Record<string, string> = { '1d': '1 day', '3d': '3 days', '7d': '7 days', '30d': '30 days', '6m': '6 months' };

/**
 * One line for the view's message and quick picks: "Active, In progress · High, Medium, Low · mine · "vpn"".
 * A filter can come from a cloned repository's saved filters, so every value goes through `safeText`.
 */
export function describeFilter(f: IncidentFilter): string {
  const t = (x: string) => safeText(x, { max: 80 });
  const parts: string[] = [];
  if (f.statuses?.length) parts.push(f.statuses.map(x => t(statusLabel(x))).join(', '));
  if (f.severities?.length) parts.push(f.severities.map(t).join(', '));
  if (f.classifications?.length) parts.push(f.classifications.map(x => t(classificationLabel(x))).join(', '));
  if (f.owner && f.owner.kind !== 'anyone') parts.push(f.owner.kind === 'me' ? 'assigned to me' : f.owner.kind === 'unassigned' ? 'unassigned' : `owner ${safeText(f.owner.upn, { max: 120, identity: true })}`);
  if (f.tags?.length) parts.push(`tags ${f.tags.map(t).join(', ')}`);
  if (f.time) parts.push(typeof f.time === 'string' ? `last ${RANGE_LABEL[f.time] ?? t(f.time)}` : `from ${t(f.time.from.slice(0, 10))}${f.time.to ? ` to ${t(f.time.to.slice(0, 10))}` : ''}`);
  if (f.text?.trim()) parts.push(`"${t(f.text.trim())}"`);
  return parts.length ? parts.join(' · ') : 'All incidents';
}

/**
 * Validates a filter read from settings (savedFilters): anything unexpected is named, not applied.
 * Returns the filter or an error message.
 */
export function parseFilter(raw: unknown): IncidentFilter | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'filter must be an object';
  const r = raw as Record<string, unknown>;
  const out: IncidentFilter = {};
  const strList = (k: string): string[] | undefined | string => {
    const v = r[k];
    if (v === undefined) return undefined;
    if (!Array.isArray(v) || !v.every(x => typeof x === 'string')) return `"${k}" must be a list of strings`;
    return v as string[];
  };
  for (const k of ['statuses', 'severities', 'classifications', 'tags'] as const) {
    const v = strList(k);
    if (typeof v === 'string') return v;
    if (v) out[k] = v;
  }
  if (r.owner !== undefined) {
    const o = r.owner;
    if (o === 'me' || o === 'unassigned' || o === 'anyone') out.owner = { kind: o };
    else if (typeof o === 'string' && o.includes('@')) out.owner = { kind: 'person', upn: o };
    else if (typeof o === 'object' && o !== null && ['me', 'unassigned', 'anyone', 'person'].includes((o as { kind?: string }).kind ?? '')) {
      const oo = o as { kind: string; upn?: unknown };
      if (oo.kind === 'person' && typeof oo.upn !== 'string') return '"owner.upn" must be a string';
      out.owner = oo as OwnerFilter;
    } else return '"owner" must be "me", "unassigned", "anyone" or a user principal name';
  }
  if (r.time !== undefined) {
    const t = r.time;
    if (typeof t === 'string' && t in RANGE_MS) out.time = t as TimeRange;
    else if (typeof t === 'object' && t !== null && typeof (t as { from?: unknown }).from === 'string' && !Number.isNaN(Date.parse((t as { from: string }).from))) out.time = t as TimeRange;
    else return '"time" must be 1d, 3d, 7d, 30d, 6m or { "from": "<ISO date>" }';
  }
  if (r.text !== undefined) {
    if (typeof r.text !== 'string') return '"text" must be a string';
    out.text = r.text;
  }
  return out;
}
