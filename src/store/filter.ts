/**
 * The queue's filter: what the user asked for, how much of it the backend runs, and the rest on the
 * client. Every function here walks the one table of filter fields (`./filterFields`). Pure; no
 * `vscode` import.
 */
import type { BackendCapabilities, IncidentQuery, ServerFilterField } from '../backend/types';
import type { ODataDialect } from '../backend/odata';
import type { Incident } from '../model/types';
import { labelTable } from '../model/enums';
import { isOpen, severityRank } from '../model/rules';
import type { SlaStateName } from '../model/sla';
import { FILTER_FIELDS, FilterSettingError, setFields, type FieldContext, type FilterField } from './filterFields';

export { searchableText, timeRangeStart } from './filterFields';

export type OwnerFilter =
  | { kind: 'anyone' }
  | { kind: 'me' }
  | { kind: 'unassigned' }
  | { kind: 'person'; upn: string };

export type TimeRange = '1d' | '3d' | '7d' | '30d' | '6m' | { from: string; to?: string };

/** One property per entry of the filter table (`FILTER_FIELDS`). */
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
 * The query the backend runs: what each set field contributes where the backend can filter on it
 * (`capabilities.serverFilters`). The store then applies the whole filter on the client (`compileFilter`),
 * which is cheap and keeps one definition of "matches".
 */
export function toServerQuery(f: IncidentFilter, caps: BackendCapabilities, me: string, now: number): IncidentQuery {
  const ctx: FieldContext = { me, now };
  const q: IncidentQuery = {};
  for (const { field, value } of setFields(f)) {
    if (field.server && caps.serverFilters.includes(field.server.field)) { Object.assign(q, field.server.toQuery(value, ctx)); }
  }
  return q;
}

/**
 * Compiles a filter into one predicate, so a 10,000-incident pass allocates nothing per incident.
 * `sla` gives an incident's SLA state at `now` (the store's clock and policy); without it none has a clock.
 */
export function compileFilter(f: IncidentFilter, me: string, now: number, sla?: (i: Incident) => SlaStateName): (i: Incident) => boolean {
  const ctx: FieldContext = { me, now, ...(sla ? { sla } : {}) };
  const tests = setFields(f).map(({ field, value }) => field.match(value, ctx));
  return (i: Incident) => {
    for (const test of tests) { if (!test(i)) { return false; } }
    return true;
  };
}

/** What a backend does with a query: the `$filter` the server runs and the match of the rest on the client. */
export interface QueryPlan {
  /** The `$filter` text, or undefined when the server filters nothing. */
  filter: string | undefined;
  /** The parts the server does not run (fields it cannot filter, values it cannot express such as unassigned). */
  onClient: IncidentFilter;
  matches(i: Incident): boolean;
}

/**
 * Splits a query between the server (`server`: the fields it filters on now) and the client, through
 * the same table as the store's filter: one definition of each field's `$filter` and of its match.
 */
export function planQuery(q: IncidentQuery, server: readonly ServerFilterField[], dialect: ODataDialect): QueryPlan {
  const clauses: string[] = [];
  const onClient: Record<string, unknown> = {};
  for (const field of FILTER_FIELDS as readonly FilterField[]) {
    const value = field.server?.fromQuery(q);
    if (value === undefined || !field.server) { continue; }
    const sent = server.includes(field.server.field) ? field.server.odata(value, dialect) : [];
    if (sent.length) { clauses.push(...sent); } else { onClient[field.key] = value; }
  }
  const matches = compileFilter(onClient as IncidentFilter, '', 0);
  return { filter: clauses.length ? clauses.join(' and ') : undefined, onClient: onClient as IncidentFilter, matches };
}

/**
 * One line for the view's message and quick picks: "Active, In progress · High, Medium, Low · assigned to me · "vpn"".
 * A filter can come from a cloned repository's saved filters, so every value goes through `safeText`.
 */
export function describeFilter(f: IncidentFilter): string {
  const parts = setFields(f).map(({ field, value }) => field.describe(value));
  return parts.length ? parts.join(' · ') : 'All incidents';
}

/** The filter editor's rows: one per field of the table, with its current value ("any" when unset). */
export function filterEditorRows(f: IncidentFilter): { key: keyof IncidentFilter; label: string; description: string }[] {
  const set = new Map(setFields(f).map(({ field, value }) => [field.key, field.describe(value)]));
  return FILTER_FIELDS.map(field => ({ key: field.key, label: field.label, description: set.get(field.key) ?? 'any' }));
}

/**
 * Validates a filter read from settings (savedFilters): anything unexpected is named, not applied.
 * Returns the filter or an error message.
 */
export function parseFilter(raw: unknown): IncidentFilter | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'filter must be an object';
  const r = raw as Record<string, unknown>;
  const fields = FILTER_FIELDS as readonly FilterField[];
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
