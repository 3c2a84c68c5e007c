/**
 * OData query text for both dialects: literals, `$filter` clauses and the query string. Which clause a
 * filter field contributes is in the filter table (src/store/filterFields.ts); the dialect only names the
 * properties and spells the enums. No `vscode` import.
 */
import type { EnumKind } from '../model/enums';
import { BackendError } from './errors';
import type { ServerFilterField } from './types';

/** What differs between the two APIs' `$filter`s: property names and enum spellings. */
export interface ODataDialect {
  /** `lastUpdateTime` (Defender) or `lastUpdateDateTime` (Graph). */
  property(field: ServerFilterField): string;
  /** `InProgress` (Defender) or `inProgress` (Graph). */
  enumValue(kind: EnumKind, value: string): string;
}

/** An OData string literal: single quotes doubled, as the spec requires. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** DateTimeOffset literals are unquoted; normalise to UTC Z so the server never sees a bad offset. */
export function odataDate(iso: string, setting: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) { throw new BackendError('badRequest', `${setting} is not a valid date: "${iso}".`); }
  return new Date(t).toISOString();
}

/** `(f eq 'a' or f eq 'b')` */
export function odataAnyOf(field: string, literals: string[]): string {
  const parts = literals.map(l => `${field} eq ${l}`);
  return parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`;
}

/** Builds `?a=b&c=d` keeping the `$` of OData option names readable and encoding the values. */
export function queryString(params: [string, string | number | undefined][]): string {
  const parts = params.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}
