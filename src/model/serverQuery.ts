/**
 * What goes to a backend's server for a filter: the query of the fields that backend can run
 * (`toServerQuery`) and, per dialect, the `$filter` of what it can express (`planQuery`). Both read the
 * filter table of ./query; nothing here matches an incident: the caller's whole filter does, once. Pure.
 */
import { QUERY_FIELDS, setFields, type FieldContext, type IncidentFilter, type IncidentQuery, type QueryField } from './query';
import type { ODataDialect, ServerFilterField } from './odata';

/**
 * The query the backend runs: what each set field contributes where the backend can filter on it
 * (`serverFilters` of its capabilities). The backend returns what its server matched; the store then
 * applies the whole filter on the client, once (`compileFilter`), which is cheap and keeps one
 * definition of "matches".
 */
export function toServerQuery(f: IncidentFilter, caps: { serverFilters: readonly ServerFilterField[] }, me: string, now: number): IncidentQuery {
  const ctx: FieldContext = { me, now };
  const q: IncidentQuery = {};
  for (const { field, value } of setFields(f)) {
    if (field.server && caps.serverFilters.includes(field.server.field)) {
      Object.assign(q, field.server.toQuery(value as never, ctx));
    }
  }
  return q;
}

/**
 * What a backend sends for a query: the `$filter` its server runs. Nothing is matched on the way back: the
 * list's caller (the store, an agent read) runs its whole filter once (`compileFilter`), and that covers
 * what the server did not run (`unsent`: a field it cannot filter, a value it cannot express such as
 * unassigned, a status `or` the server refused).
 */
export interface QueryPlan {
  /** The `$filter` text, or undefined when the server filters nothing. */
  filter: string | undefined;
  /** The parts of the query the server does not run; the caller's filter matches them. */
  unsent: IncidentFilter;
}

/**
 * Splits a query between what the server runs (`server`: the fields it filters on now) and what it does
 * not, through the same table as the store's filter: one definition of each field's `$filter` and match.
 */
export function planQuery(q: IncidentQuery, server: readonly ServerFilterField[], dialect: ODataDialect): QueryPlan {
  const clauses: string[] = [];
  const unsent: Record<string, unknown> = {};
  for (const field of QUERY_FIELDS as readonly QueryField[]) {
    const value = field.server?.fromQuery(q);
    if (value === undefined || !field.server) {
      continue;
    }
    const sent = server.includes(field.server.field) ? field.server.odata(value as never, dialect) : [];
    if (sent.length) {
      clauses.push(...sent);
    } else {
      unsent[field.key] = value;
    }
  }
  return { filter: clauses.length ? clauses.join(' and ') : undefined, unsent: unsent as IncidentFilter };
}
