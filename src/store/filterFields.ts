/**
 * The one table of the queue's filter fields. Each entry says, for one field of `IncidentFilter`: its
 * label, how it reads in the view's message, how it is parsed from the savedFilters setting, which
 * incidents it matches on the client, what it adds to the server's query where the backend can run it
 * (`BackendCapabilities.serverFilters`) and the `$filter` clauses it becomes in each dialect, and how the
 * filter editor's quick pick asks for it. Everything that handles filter fields (src/store/filter.ts, the
 * clients' `$filter` and client-side matching, the filter editor, the view's message) walks this table,
 * so a new field is one entry here, plus the `IncidentFilter` property (and, for the server, an
 * `IncidentQuery` property and a `ServerFilterField`). Pure: no `vscode` import.
 */
import type { IncidentQuery, ServerFilterField } from '../backend/types';
import { odataAnyOf, odataDate, odataString, type ODataDialect } from '../backend/odata';
import type { Incident } from '../model/types';
import { enumLabel, isDeprecated, labelTable, normalizeEnum, type EnumKind } from '../model/enums';
import { safeText } from '../shared/text';
import type { IncidentFilter, OwnerFilter, TimeRange } from './filter';
import { DEFAULT_SLA_POLICY, SLA_STATE_LABELS, slaState, type SlaStateName } from '../model/sla';
import { hasOwn, own } from '../shared/own';

/** Who "me" is and what "now" is, for the fields that need them; `sla`: an incident's SLA state at `now`. */
export interface FieldContext { me: string; now: number; sla?: (i: Incident) => SlaStateName }

/** Where the editor's options come from besides the model: what the store has seen. */
export interface PickSource { owners(): string[]; tags(): string[] }

/** One option of a quick pick: `value` is raw, `label` is already safe to show. */
export interface PickOption { value: string; label: string }

/** An input box: `invalid` returns the message for text that cannot be used. */
export interface Prompt { title: string; placeHolder?: string; optional?: boolean; invalid?(text: string): string | undefined }

/**
 * How the filter editor asks for a field. `value` returning undefined clears the field, except for
 * `other` (the option that asks for a value instead), where it changes nothing.
 */
export type FieldPick<V> =
  | { kind: 'many'; title: string; options(src: PickSource): PickOption[]; selected(v: V | undefined): string[]; value(picked: string[]): V | undefined }
  | {
    kind: 'one'; title: string; options(src: PickSource): PickOption[]; value(picked: string): V | undefined;
    other?: { option: PickOption; prompts: Prompt[]; value(answers: string[]): V | undefined };
  }
  | { kind: 'text'; title: string; current(v: V | undefined): string; value(text: string): V | undefined };

/** What one field contributes to the server's query. */
export interface ServerMapping<V> {
  /** The capability the backend needs to run it (`BackendCapabilities.serverFilters`). */
  field: ServerFilterField;
  toQuery(v: V, ctx: FieldContext): IncidentQuery;
  /** The field's value as a query carries it (absolute times, a named owner), for the client's match of what the server did not run. */
  fromQuery(q: IncidentQuery): V | undefined;
  /** `$filter` clauses in a dialect; none means the server cannot run this value (unassigned): it is matched on the client. */
  odata(v: V, d: ODataDialect): string[];
}

export interface FilterField<K extends keyof IncidentFilter = keyof IncidentFilter> {
  key: K;
  /** The filter editor's row. */
  label: string;
  /** Whether the value filters anything (an empty list, "anyone" or blank text do not). */
  isSet(v: NonNullable<IncidentFilter[K]>): boolean;
  /** Its part of the view's message; every backend or workspace value goes through `safeText`. */
  describe(v: NonNullable<IncidentFilter[K]>): string;
  /** Reads the value from the savedFilters setting; throws FilterSettingError naming what is wrong. */
  parse(raw: unknown): NonNullable<IncidentFilter[K]>;
  /** The client-side match, compiled once per pass. */
  match(v: NonNullable<IncidentFilter[K]>, ctx: FieldContext): (i: Incident) => boolean;
  server?: ServerMapping<NonNullable<IncidentFilter[K]>>;
  pick: FieldPick<NonNullable<IncidentFilter[K]>>;
}

export class FilterSettingError extends Error {
  constructor(message: string) { super(message); this.name = 'FilterSettingError'; }
}

const SHORT = { max: 80 };
const t = (x: string): string => safeText(x, SHORT);
const lower = (s: string | null | undefined): string => (s ?? '').toLowerCase();

function stringList(key: string, raw: unknown): string[] {
  if (!Array.isArray(raw) || !raw.every(x => typeof x === 'string')) { throw new FilterSettingError(`"${key}" must be a list of strings`); }
  return raw as string[];
}

/** The values a user may pick for an enum, in the portal's order, with the portal's words. */
function enumOptions(kind: EnumKind): PickOption[] {
  return Object.entries(labelTable(kind)).filter(([v]) => !isDeprecated(kind, v)).map(([value, label]) => ({ value, label }));
}

/** Statuses, severities, classifications: a list of enum values, any of which matches. */
function enumList<K extends 'statuses' | 'severities' | 'classifications'>(
  key: K, kind: EnumKind, label: string, field: ServerFilterField, get: (i: Incident) => string,
): FilterField<K> {
  const known = (): string[] => enumOptions(kind).map(o => o.value);
  return {
    key, label,
    isSet: v => v.length > 0,
    describe: v => v.map(x => t(enumLabel(kind, x))).join(', '),
    parse: raw => stringList(key, raw).map(x => {
      const v = normalizeEnum(kind, x);
      if (!known().includes(v)) { throw new FilterSettingError(`"${key}" has "${x}", which is not a ${kind}: use ${known().join(', ')}`); }
      return v;
    }),
    match: v => {
      const want = new Set(v.map(x => normalizeEnum(kind, x)));
      return i => want.has(normalizeEnum(kind, get(i)));
    },
    server: {
      field,
      toQuery: v => ({ [key]: [...v] }),
      fromQuery: q => (q[key]?.length ? q[key] : undefined),
      odata: (v, d) => [odataAnyOf(d.property(field), v.map(x => odataString(d.enumValue(kind, x))))],
    },
    pick: {
      kind: 'many', title: label, options: () => enumOptions(kind),
      selected: v => (v ?? []).map(x => normalizeEnum(kind, x)),
      value: picked => (picked.length ? picked : undefined),
    },
  };
}

// ---- time windows --------------------------------------------------------------------------------

const RANGE_MS: Record<Exclude<TimeRange, object>, number> = {
  '1d': 864e5, '3d': 3 * 864e5, '7d': 7 * 864e5, '30d': 30 * 864e5, '6m': 183 * 864e5,
};
const RANGE_LABEL: Record<Exclude<TimeRange, object>, string> = { '1d': '1 day', '3d': '3 days', '7d': '7 days', '30d': '30 days', '6m': '6 months' };

/** From (inclusive) and to (exclusive) of a range, as epoch milliseconds; an unreadable start is 0. */
export function timeRangeStart(r: TimeRange, now: number): { from: number; to?: number } {
  if (typeof r === 'string') { return { from: now - (own(RANGE_MS as Record<string, number>, r) ?? 0) }; }
  const from = Date.parse(r.from);
  const to = r.to ? Date.parse(r.to) : undefined;
  return { from: Number.isNaN(from) ? 0 : from, to: to !== undefined && !Number.isNaN(to) ? to : undefined };
}

const isDate = (x: string): boolean => !Number.isNaN(Date.parse(x));

/** "Updated" and "created" windows: a relative range or from/to dates over one time of the incident. */
function timeWindow<K extends 'updated' | 'time'>(
  key: K, o: { label: string; word: string; field: ServerFilterField; since: 'updatedSince' | 'createdSince'; before: 'updatedBefore' | 'createdBefore'; get: (i: Incident) => string },
): FilterField<K> {
  return {
    key, label: o.label,
    isSet: () => true,
    describe: r => (typeof r === 'string'
      ? `${o.word} in the last ${own(RANGE_LABEL as Record<string, string>, r) ?? t(r)}`
      : `${o.word} from ${t(r.from.slice(0, 10))}${r.to ? ` to ${t(r.to.slice(0, 10))}` : ''}`),
    parse: raw => {
      if (typeof raw === 'string' && hasOwn(RANGE_MS, raw)) { return raw as TimeRange; }
      const r = raw as { from?: unknown; to?: unknown } | null;
      if (typeof r === 'object' && r !== null && typeof r.from === 'string' && isDate(r.from)
        && (r.to === undefined || (typeof r.to === 'string' && isDate(r.to)))) {
        return { from: r.from, ...(r.to !== undefined ? { to: r.to as string } : {}) };
      }
      throw new FilterSettingError(`"${key}" must be 1d, 3d, 7d, 30d, 6m or { "from": "<ISO date>", "to": "<ISO date, optional>" }`);
    },
    match: (r, ctx) => {
      const { from, to } = timeRangeStart(r, ctx.now);
      return i => { const x = Date.parse(o.get(i)); return !(x < from || (to !== undefined && x >= to)); };
    },
    server: {
      field: o.field,
      toQuery: (r, ctx) => {
        const { from, to } = timeRangeStart(r, ctx.now);
        return { [o.since]: new Date(from).toISOString(), ...(to !== undefined ? { [o.before]: new Date(to).toISOString() } : {}) };
      },
      fromQuery: q => (q[o.since] || q[o.before] ? { from: q[o.since] ?? '', ...(q[o.before] ? { to: q[o.before] } : {}) } : undefined),
      odata: (r, d) => {
        if (typeof r === 'string') { return []; }
        const p = d.property(o.field);
        return [...(r.from ? [`${p} ge ${odataDate(r.from, o.since)}`] : []), ...(r.to ? [`${p} lt ${odataDate(r.to, o.before)}`] : [])];
      },
    },
    pick: {
      kind: 'one', title: o.label,
      options: () => [{ value: '', label: 'Any time' }, ...Object.entries(RANGE_LABEL).map(([value, label]) => ({ value, label }))],
      value: v => (v ? v as TimeRange : undefined),
      other: {
        option: { value: 'custom', label: 'Custom…' },
        prompts: [
          { title: 'From (YYYY-MM-DD)', invalid: x => (isDate(x) ? undefined : 'Enter a date like 2026-11-01.') },
          { title: 'To (YYYY-MM-DD, optional)', optional: true, invalid: x => (!x || isDate(x) ? undefined : 'Enter a date like 2026-11-29, or nothing.') },
        ],
        value: ([from, to]) => (from ? { from: new Date(from).toISOString(), ...(to ? { to: new Date(to).toISOString() } : {}) } : undefined),
      },
    },
  };
}

// ---- owner ---------------------------------------------------------------------------------------

const OWNER_KINDS = ['anyone', 'me', 'unassigned'] as const;
const ownerOf = (v: string): OwnerFilter => ((OWNER_KINDS as readonly string[]).includes(v) ? { kind: v } as OwnerFilter : { kind: 'person', upn: v });

const owner: FilterField<'owner'> = {
  key: 'owner', label: 'Owner',
  isSet: o => o.kind !== 'anyone',
  describe: o => (o.kind === 'me' ? 'assigned to me' : o.kind === 'unassigned' ? 'unassigned' : o.kind === 'person' ? `owner ${safeText(o.upn, { max: 120, identity: true })}` : 'anyone'),
  parse: raw => {
    if (typeof raw === 'string' && ((OWNER_KINDS as readonly string[]).includes(raw) || raw.includes('@'))) { return ownerOf(raw); }
    const o = raw as { kind?: unknown; upn?: unknown } | null;
    if (typeof o === 'object' && o !== null && (OWNER_KINDS as readonly unknown[]).includes(o.kind)) { return { kind: o.kind } as OwnerFilter; }
    if (typeof o === 'object' && o !== null && o.kind === 'person') {
      if (typeof o.upn !== 'string' || !o.upn.trim()) { throw new FilterSettingError('"owner.upn" must be a user principal name'); }
      return { kind: 'person', upn: o.upn };
    }
    throw new FilterSettingError('"owner" must be "me", "unassigned", "anyone" or a user principal name');
  },
  match: (o, ctx) => {
    if (o.kind === 'anyone') { return () => true; }
    if (o.kind === 'unassigned') { return i => !i.assignedTo; }
    const who = lower(o.kind === 'me' ? ctx.me : o.upn);
    return i => lower(i.assignedTo) === who;
  },
  server: {
    field: 'assignedTo',
    // "Unassigned" travels as null; neither API documents `eq null`, so no clause: the client matches it.
    toQuery: (o, ctx) => ({ assignedTo: o.kind === 'unassigned' ? null : o.kind === 'me' ? ctx.me : o.kind === 'person' ? o.upn : undefined }),
    fromQuery: q => (q.assignedTo === undefined ? undefined : q.assignedTo === null ? { kind: 'unassigned' } : { kind: 'person', upn: q.assignedTo }),
    odata: (o, d) => (o.kind === 'person' ? [`${d.property('assignedTo')} eq ${odataString(o.upn)}`] : []),
  },
  pick: {
    kind: 'one', title: 'Owner',
    options: src => [
      { value: 'anyone', label: 'Anyone' }, { value: 'me', label: 'Me' }, { value: 'unassigned', label: 'Unassigned' },
      ...src.owners().map(upn => ({ value: upn, label: safeText(upn, { max: 120, identity: true }) })),
    ],
    value: ownerOf,
    other: {
      option: { value: '?', label: 'Someone else…' },
      prompts: [{ title: 'Owner', placeHolder: 'alice@contoso.com' }],
      value: ([upn]) => (upn?.trim() ? { kind: 'person', upn: upn.trim() } : undefined),
    },
  },
};

// ---- tags and text -------------------------------------------------------------------------------

const tags: FilterField<'tags'> = {
  key: 'tags', label: 'Tag',
  isSet: v => v.length > 0,
  describe: v => `tags ${v.map(t).join(', ')}`,
  parse: raw => stringList('tags', raw),
  match: v => {
    const want = v.map(lower);
    return i => { const have = [...i.tags, ...i.systemTags].map(lower); return want.every(x => have.includes(x)); };
  },
  pick: {
    kind: 'many', title: 'Tag (all picked must be present)',
    options: src => [...new Set(src.tags())].sort().map(x => ({ value: x, label: safeText(x, { max: 120 }) })),
    selected: v => v ?? [],
    value: picked => (picked.length ? picked : undefined),
  },
};

/** The text the search box looks in: name, id, tags, device names and user names of the alerts. */
export function searchableText(i: Incident): string {
  const parts: string[] = [i.name, i.id, ...i.tags, ...i.systemTags, i.assignedTo ?? ''];
  for (const a of i.alerts) {
    for (const d of a.devices) { if (d.dnsName) { parts.push(d.dnsName); } }
    for (const e of a.entities) { parts.push(e.label); }
  }
  return parts.join('\n').toLowerCase();
}

const text: FilterField<'text'> = {
  key: 'text', label: 'Text search',
  isSet: v => v.trim() !== '',
  describe: v => `"${t(v.trim())}"`,
  parse: raw => { if (typeof raw !== 'string') { throw new FilterSettingError('"text" must be a string'); } return raw; },
  match: v => { const want = v.trim().toLowerCase(); return i => searchableText(i).includes(want); },
  pick: { kind: 'text', title: 'Search name, ID, tags, devices and users', current: v => v ?? '', value: x => x.trim() || undefined },
};

// ---- SLA state ---------------------------------------------------------------------------------

/** The SLA states a filter can ask for, in the order of the SLA groups, with their words. */
/** In a sentence ("SLA overdue, due soon"): the model's label with a lower-case first letter. */
const slaWords = (x: string): string => { const l = SLA_STATE_LABELS[x as SlaStateName]; return l ? l.charAt(0).toLowerCase() + l.slice(1) : t(x); };

/** Client-side only: the state depends on the clock and the SLA setting, which no API knows. */
const sla: FilterField<'sla'> = {
  key: 'sla', label: 'SLA',
  isSet: v => v.length > 0,
  describe: v => `SLA ${v.map(slaWords).join(', ')}`,
  parse: raw => stringList('sla', raw).map(x => {
    if (!Object.prototype.hasOwnProperty.call(SLA_STATE_LABELS, x)) { throw new FilterSettingError(`"sla" has "${x}", which is not an SLA state: use ${Object.keys(SLA_STATE_LABELS).join(', ')}`); }
    return x as SlaStateName;
  }),
  match: (v, ctx) => {
    const want = new Set<string>(v);
    // The store passes its own clock, policy and journal; without them, the default policy at `now`.
    const state = ctx.sla ?? ((i: Incident) => slaState(i, DEFAULT_SLA_POLICY, ctx.now).state);
    return i => want.has(state(i));
  },
  pick: {
    kind: 'many', title: 'SLA state',
    options: () => Object.entries(SLA_STATE_LABELS).map(([value, label]) => ({ value, label })),
    selected: v => v ?? [],
    value: picked => (picked.length ? picked as SlaStateName[] : undefined),
  },
};

// ---- the table -----------------------------------------------------------------------------------

export type AnyFilterField = { [K in keyof IncidentFilter]-?: FilterField<K> }[keyof IncidentFilter];

/** In the order of the view's message, the editor's rows and the `$filter`'s clauses. */
export const FILTER_FIELDS: readonly AnyFilterField[] = Object.freeze([
  enumList('statuses', 'status', 'Status', 'status', i => i.status),
  enumList('severities', 'severity', 'Severity', 'severity', i => i.severity),
  enumList('classifications', 'classification', 'Classification', 'classification', i => i.classification),
  owner,
  tags,
  timeWindow('updated', { label: 'Updated within', word: 'updated', field: 'lastUpdateTime', since: 'updatedSince', before: 'updatedBefore', get: i => i.lastUpdateTime }),
  timeWindow('time', { label: 'Created within', word: 'created', field: 'createdTime', since: 'createdSince', before: 'createdBefore', get: i => i.createdTime }),
  text,
  sla,
]);

/**
 * The table's entries with a field's value, typed loosely once here so callers need no casts: each
 * entry's functions take that entry's own value.
 */
export interface FieldValue { field: FilterField; value: NonNullable<IncidentFilter[keyof IncidentFilter]> }

export function setFields(f: IncidentFilter): FieldValue[] {
  const out: FieldValue[] = [];
  for (const field of FILTER_FIELDS as readonly FilterField[]) {
    const value = f[field.key];
    if (value !== undefined && value !== null && field.isSet(value as never)) { out.push({ field, value }); }
  }
  return out;
}
