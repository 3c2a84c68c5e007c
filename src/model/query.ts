/**
 * What a queue filter means: its fields, how each is read from the savedFilters setting, which incidents
 * it matches on the client, what it adds to a backend's query and the `$filter` clauses it becomes in each
 * dialect. The store (which matches the whole filter on its cache) and the backends (which send what their
 * server runs) both import this downward; how a field reads in the UI (label, words, quick pick) is the
 * store's presentation table (src/store/filterFields.ts). A new filter field is one entry here plus the
 * `IncidentFilter` property (and, for the server, an `IncidentQuery` property and a `ServerFilterField`),
 * and one entry there. Pure; imports nothing outside the model.
 */
import type { Classification, Incident, Severity, Status } from './types';
import { isDeprecated, labelTable, normalizeEnum, type EnumKind } from './enums';
import { isOpen, severityRank } from './rules';
import { DEFAULT_SLA_POLICY, SLA_STATE_LABELS, slaState, type SlaStateName } from './sla';
import { isMine } from './identity';
import { hasOwn } from './own';
import { isDate, RANGE_MS, timeRangeStart, type TimeRange } from './timeRange';
import { odataAnyOf, odataDate, odataString, type ODataDialect, type ServerFilterField } from './odata';

// The `$filter` vocabulary lives in ./odata; a backend's query reads it from here with the rest.
export { QueryValueError, type ODataDialect, type ServerFilterField } from './odata';

export type OwnerFilter = { kind: 'anyone' } | { kind: 'me' } | { kind: 'unassigned' } | { kind: 'person'; upn: string };

/** One property per entry of the filter table (`QUERY_FIELDS`). */
export interface IncidentFilter {
  statuses?: string[];
  severities?: string[];
  classifications?: string[];
  owner?: OwnerFilter;
  tags?: string[];
  /** Last updated within this range. */
  updated?: TimeRange;
  /** Created within this range. */
  time?: TimeRange;
  /** Case-insensitive substring over name, id, tags, devices and users. */
  text?: string;
  /** SLA states (src/model/sla.ts) at the time of the match, any of which matches; client-side only. */
  sla?: SlaStateName[];
}

/** Filter fields a backend query may carry; which of them a backend runs server-side is in its capabilities. */
export interface IncidentQuery {
  statuses?: Status[];
  severities?: Severity[];
  classifications?: Classification[];
  /** `null` = unassigned only. */
  assignedTo?: string | null;
  /** ISO 8601: only incidents updated at or after this time. */
  updatedSince?: string;
  /** ISO 8601: only incidents updated before this time. */
  updatedBefore?: string;
  /** ISO 8601: only incidents created at or after this time. */
  createdSince?: string;
  /** ISO 8601: only incidents created before this time. */
  createdBefore?: string;
}

/** Who "me" is and what "now" is, for the fields that need them; `sla`: an incident's SLA state at `now`. */
export interface FieldContext {
  me: string;
  now: number;
  sla?: (i: Incident) => SlaStateName;
}

/** What one field contributes to the server's query. */
export interface ServerMapping<V> {
  /** The capability the backend needs to run it (`serverFilters` of its capabilities). */
  field: ServerFilterField;
  toQuery(v: V, ctx: FieldContext): IncidentQuery;
  /** The field's value as a query carries it (absolute times, a named owner): what the plan sends, or names as unsent. */
  fromQuery(q: IncidentQuery): V | undefined;
  /** `$filter` clauses in a dialect; none means the server cannot run this value (unassigned): it is matched on the client. */
  odata(v: V, d: ODataDialect): string[];
}

/** One field's meaning. */
export interface QueryField<K extends keyof IncidentFilter = keyof IncidentFilter> {
  key: K;
  /** Whether the value filters anything (an empty list, "anyone" or blank text do not). */
  isSet(v: NonNullable<IncidentFilter[K]>): boolean;
  /** Reads the value from the savedFilters setting; throws FilterSettingError naming what is wrong. */
  parse(raw: unknown): NonNullable<IncidentFilter[K]>;
  /** The client-side match, compiled once per pass. */
  match(v: NonNullable<IncidentFilter[K]>, ctx: FieldContext): (i: Incident) => boolean;
  server?: ServerMapping<NonNullable<IncidentFilter[K]>>;
}

export class FilterSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterSettingError';
  }
}

const lower = (s: string | null | undefined): string => (s ?? '').toLowerCase();

function stringList(key: string, raw: unknown): string[] {
  if (!Array.isArray(raw) || !raw.every(x => typeof x === 'string')) {
    throw new FilterSettingError(`"${key}" must be a list of strings`);
  }
  return raw as string[];
}

/** The values a user may pick for an enum, in the portal's order (deprecated ones are not offered). */
export function pickableValues(kind: EnumKind): string[] {
  return Object.keys(labelTable(kind)).filter(v => !isDeprecated(kind, v));
}

/** Statuses, severities, classifications: a list of enum values, any of which matches. */
function enumList<K extends 'statuses' | 'severities' | 'classifications'>(
  key: K,
  kind: EnumKind,
  field: ServerFilterField,
  get: (i: Incident) => string,
): QueryField<K> {
  return {
    key,
    isSet: v => v.length > 0,
    parse: raw =>
      stringList(key, raw).map(x => {
        const v = normalizeEnum(kind, x);
        const known = pickableValues(kind);
        if (!known.includes(v)) {
          throw new FilterSettingError(`"${key}" has "${x}", which is not a ${kind}: use ${known.join(', ')}`);
        }
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
      odata: (v, d) => [
        odataAnyOf(
          d.property(field),
          v.map(x => odataString(d.enumValue(kind, x))),
        ),
      ],
    },
  };
}

// ---- time windows --------------------------------------------------------------------------------

/** "Updated" and "created" windows: a relative range or from/to dates over one time of the incident. */
function timeWindow<K extends 'updated' | 'time'>(
  key: K,
  o: { field: ServerFilterField; since: 'updatedSince' | 'createdSince'; before: 'updatedBefore' | 'createdBefore'; get: (i: Incident) => string },
): QueryField<K> {
  return {
    key,
    isSet: () => true,
    parse: raw => {
      if (typeof raw === 'string' && hasOwn(RANGE_MS, raw)) {
        return raw as TimeRange;
      }
      const r = raw as { from?: unknown; to?: unknown } | null;
      if (
        typeof r === 'object' &&
        r !== null &&
        typeof r.from === 'string' &&
        isDate(r.from) &&
        (r.to === undefined || (typeof r.to === 'string' && isDate(r.to)))
      ) {
        return { from: r.from, ...(r.to !== undefined ? { to: r.to as string } : {}) };
      }
      throw new FilterSettingError(`"${key}" must be 1d, 3d, 7d, 30d, 6m or { "from": "<ISO date>", "to": "<ISO date, optional>" }`);
    },
    match: (r, ctx) => {
      const { from, to } = timeRangeStart(r, ctx.now);
      return i => {
        const x = Date.parse(o.get(i));
        return !(x < from || (to !== undefined && x >= to));
      };
    },
    server: {
      field: o.field,
      toQuery: (r, ctx) => {
        const { from, to } = timeRangeStart(r, ctx.now);
        return { [o.since]: new Date(from).toISOString(), ...(to !== undefined ? { [o.before]: new Date(to).toISOString() } : {}) };
      },
      fromQuery: q => (q[o.since] || q[o.before] ? { from: q[o.since] ?? '', ...(q[o.before] ? { to: q[o.before] } : {}) } : undefined),
      odata: (r, d) => {
        if (typeof r === 'string') {
          return [];
        }
        const p = d.property(o.field);
        return [...(r.from ? [`${p} ge ${odataDate(r.from, o.since)}`] : []), ...(r.to ? [`${p} lt ${odataDate(r.to, o.before)}`] : [])];
      },
    },
  };
}

// ---- owner ---------------------------------------------------------------------------------------

const OWNER_KINDS = ['anyone', 'me', 'unassigned'] as const;
export const ownerOf = (v: string): OwnerFilter => ((OWNER_KINDS as readonly string[]).includes(v) ? ({ kind: v } as OwnerFilter) : { kind: 'person', upn: v });

const owner: QueryField<'owner'> = {
  key: 'owner',
  isSet: o => o.kind !== 'anyone',
  parse: raw => {
    if (typeof raw === 'string' && ((OWNER_KINDS as readonly string[]).includes(raw) || raw.includes('@'))) {
      return ownerOf(raw);
    }
    const o = raw as { kind?: unknown; upn?: unknown } | null;
    if (typeof o === 'object' && o !== null && (OWNER_KINDS as readonly unknown[]).includes(o.kind)) {
      return { kind: o.kind } as OwnerFilter;
    }
    if (typeof o === 'object' && o !== null && o.kind === 'person') {
      if (typeof o.upn !== 'string' || !o.upn.trim()) {
        throw new FilterSettingError('"owner.upn" must be a user principal name');
      }
      return { kind: 'person', upn: o.upn };
    }
    throw new FilterSettingError('"owner" must be "me", "unassigned", "anyone" or a user principal name');
  },
  match: (o, ctx) => {
    if (o.kind === 'anyone') {
      return () => true;
    }
    if (o.kind === 'unassigned') {
      return i => !i.assignedTo;
    }
    const who = o.kind === 'me' ? ctx.me : o.upn;
    return i => isMine(i, who);
  },
  server: {
    field: 'assignedTo',
    // "Unassigned" travels as null; neither API documents `eq null`, so no clause: the client matches it.
    toQuery: (o, ctx) => ({ assignedTo: o.kind === 'unassigned' ? null : o.kind === 'me' ? ctx.me : o.kind === 'person' ? o.upn : undefined }),
    fromQuery: q => (q.assignedTo === undefined ? undefined : q.assignedTo === null ? { kind: 'unassigned' } : { kind: 'person', upn: q.assignedTo }),
    odata: (o, d) => (o.kind === 'person' ? [`${d.property('assignedTo')} eq ${odataString(o.upn)}`] : []),
  },
};

// ---- tags and text -------------------------------------------------------------------------------

const tags: QueryField<'tags'> = {
  key: 'tags',
  isSet: v => v.length > 0,
  parse: raw => stringList('tags', raw),
  match: v => {
    const want = v.map(lower);
    return i => {
      const have = [...i.tags, ...i.systemTags].map(lower);
      return want.every(x => have.includes(x));
    };
  },
};

/** The text the search box looks in: name, id, tags, device names and user names of the alerts. */
export function searchableText(i: Incident): string {
  const parts: string[] = [i.name, i.id, ...i.tags, ...i.systemTags, i.assignedTo ?? ''];
  for (const a of i.alerts) {
    for (const d of a.devices) {
      if (d.dnsName) {
        parts.push(d.dnsName);
      }
    }
    for (const e of a.entities) {
      parts.push(e.label);
    }
  }
  return parts.join('\n').toLowerCase();
}

const text: QueryField<'text'> = {
  key: 'text',
  isSet: v => v.trim() !== '',
  parse: raw => {
    if (typeof raw !== 'string') {
      throw new FilterSettingError('"text" must be a string');
    }
    return raw;
  },
  match: v => {
    const want = v.trim().toLowerCase();
    return i => searchableText(i).includes(want);
  },
};

/** Client-side only: the state depends on the clock and the SLA setting, which no API knows. */
const sla: QueryField<'sla'> = {
  key: 'sla',
  isSet: v => v.length > 0,
  parse: raw =>
    stringList('sla', raw).map(x => {
      if (!Object.prototype.hasOwnProperty.call(SLA_STATE_LABELS, x)) {
        throw new FilterSettingError(`"sla" has "${x}", which is not an SLA state: use ${Object.keys(SLA_STATE_LABELS).join(', ')}`);
      }
      return x as SlaStateName;
    }),
  match: (v, ctx) => {
    const want = new Set<string>(v);
    // The store passes its own clock, policy and journal; without them, the default policy at `now`.
    const state = ctx.sla ?? ((i: Incident) => slaState(i, DEFAULT_SLA_POLICY, ctx.now).state);
    return i => want.has(state(i));
  },
};

// ---- the table -----------------------------------------------------------------------------------

export type AnyQueryField = { [K in keyof IncidentFilter]-?: QueryField<K> }[keyof IncidentFilter];

/** In the order of the view's message, the editor's rows and the `$filter`'s clauses. */
export const QUERY_FIELDS: readonly AnyQueryField[] = Object.freeze([
  enumList('statuses', 'status', 'status', i => i.status),
  enumList('severities', 'severity', 'severity', i => i.severity),
  enumList('classifications', 'classification', 'classification', i => i.classification),
  owner,
  tags,
  timeWindow('updated', { field: 'lastUpdateTime', since: 'updatedSince', before: 'updatedBefore', get: i => i.lastUpdateTime }),
  timeWindow('time', { field: 'createdTime', since: 'createdSince', before: 'createdBefore', get: i => i.createdTime }),
  text,
  sla,
]);

/** A field of the table with its value, typed loosely once here so callers need no casts. */
export interface FieldValue<F extends QueryField = QueryField> {
  field: F;
  value: NonNullable<IncidentFilter[keyof IncidentFilter]>;
}

/** The fields of `fields` (default: the table) that `f` sets, in the table's order. */
export function setFields<F extends QueryField>(
  f: IncidentFilter,
  fields: readonly F[] = QUERY_FIELDS as readonly QueryField[] as readonly F[],
): FieldValue<F>[] {
  const out: FieldValue<F>[] = [];
  for (const field of fields) {
    const value = f[field.key];
    if (value !== undefined && value !== null && field.isSet(value as never)) {
      out.push({ field, value });
    }
  }
  return out;
}

/** The portal's default queue: the open statuses (Active and In progress), severity High, Medium and Low. */
export const DEFAULT_FILTER: Readonly<IncidentFilter> = Object.freeze({
  statuses: Object.keys(labelTable('status')).filter(s => isOpen(s)),
  severities: Object.keys(labelTable('severity')).filter(s => severityRank(s) <= severityRank('Low')),
});

export function isEmptyFilter(f: IncidentFilter): boolean {
  return setFields(f).length === 0;
}

export function sameFilter(a: IncidentFilter, b: IncidentFilter): boolean {
  return JSON.stringify(normalizeFilter(a)) === JSON.stringify(normalizeFilter(b));
}

/** Only the fields that filter, lists sorted, in the table's order. */
function normalizeFilter(f: IncidentFilter): unknown[] {
  return setFields(f).map(({ field, value }) => [field.key, Array.isArray(value) ? [...value].sort() : value]);
}

/**
 * Compiles a filter into one predicate, so a 10,000-incident pass allocates nothing per incident.
 * `sla` gives an incident's SLA state at `now` (the store's clock and policy); without it none has a clock.
 */
export function compileFilter(f: IncidentFilter, me: string, now: number, sla?: (i: Incident) => SlaStateName): (i: Incident) => boolean {
  const ctx: FieldContext = { me, now, ...(sla ? { sla } : {}) };
  const tests = setFields(f).map(({ field, value }) => field.match(value as never, ctx));
  return (i: Incident) => {
    for (const test of tests) {
      if (!test(i)) {
        return false;
      }
    }
    return true;
  };
}

/**
 * Validates a filter read from settings (savedFilters): anything unexpected is named, not applied.
 * Returns the filter or an error message.
 */
export function parseFilter(raw: unknown): IncidentFilter | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'filter must be an object';
  const r = raw as Record<string, unknown>;
  const fields = QUERY_FIELDS as readonly QueryField[];
  const unknown = Object.keys(r).filter(k => !fields.some(f => f.key === k));
  if (unknown.length) return `unknown field "${unknown[0]}" (known: ${fields.map(f => f.key).join(', ')})`;
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (r[field.key] === undefined) continue;
    try {
      out[field.key] = field.parse(r[field.key]);
    } catch (e) {
      if (e instanceof FilterSettingError) return e.message;
      throw e;
    }
  }
  return out as IncidentFilter;
}
