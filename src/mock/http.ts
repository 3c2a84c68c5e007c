/**
 * What every dialect handler gets and returns. Handlers compute an answer instead of writing to the
 * socket, so the server can apply a fault after a write has been applied (timeoutAfterApply) or
 * replace the answer (malformed, wrongShape) in one place.
 */
import type { MockDb } from './db';
import type { HuntingService } from './hunting/service';

export type Dialect = 'defender' | 'graph' | 'token' | 'other';

export interface MockResponse {
  status: number;
  /** Serialized as JSON. */
  body?: unknown;
  /** Sent as-is instead of `body` (malformed-JSON fault). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface RequestContext {
  method: string;
  /** Path without the query. */
  pathname: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  db: MockDb;
  now: () => Date;
  /** Who a write is attributed to. */
  identity: string;
  extensions: boolean;
  /** `http://host:port` as the client addressed us (for absolute nextLinks). */
  origin: string;
  tenantId: string;
  requestId: string;
  clientRequestId: string;
  /** The advanced hunting service (limits and settings live across requests). */
  hunting: HuntingService;
}

export function header(ctx: Pick<RequestContext, 'headers'>, name: string): string | undefined {
  const v = ctx.headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Parse a non-negative integer query value; undefined when absent, NaN when malformed. */
export function intParam(q: URLSearchParams, name: string): number | undefined {
  const v = q.get(name);
  if (v === null) return undefined;
  return /^\d{1,9}$/.test(v.trim()) ? Number(v.trim()) : NaN;
}
