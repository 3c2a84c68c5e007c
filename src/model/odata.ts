/**
 * OData `$filter` text for both dialects: literals, and the dialect interface (property names and enum
 * spellings) that each backend's dialect fills in. Which clause a filter field becomes is `query.ts`'s.
 * Pure; imports nothing outside the model.
 */
import type { EnumKind } from './enums';

/** The incident fields a server-side `$filter` can name (a backend's `serverFilters` lists those it runs). */
export type ServerFilterField = 'status' | 'assignedTo' | 'lastUpdateTime' | 'createdTime' | 'severity' | 'classification' | 'determination';

/** What differs between the two APIs' `$filter`s: property names and enum spellings. */
export interface ODataDialect {
  /** `lastUpdateTime` (Defender) or `lastUpdateDateTime` (Graph). */
  property(field: ServerFilterField): string;
  /** `InProgress` (Defender) or `inProgress` (Graph). */
  enumValue(kind: EnumKind, value: string): string;
}

/** A query value that cannot be sent (a date that does not parse), named. */
export class QueryValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueryValueError';
  }
}

/** An OData string literal: single quotes doubled, as the spec requires. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** DateTimeOffset literals are unquoted; normalise to UTC Z so the server never sees a bad offset. */
export function odataDate(iso: string, setting: string): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) {
    throw new QueryValueError(`${setting} is not a valid date: "${iso}".`);
  }
  return new Date(t).toISOString();
}

/** `(f eq 'a' or f eq 'b')` */
export function odataAnyOf(field: string, literals: string[]): string {
  const parts = literals.map(l => `${field} eq ${l}`);
  return parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`;
}
