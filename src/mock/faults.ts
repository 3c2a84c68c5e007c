/**
 * Faults a test injects to see how a client copes with a misbehaving service. The same shape is
 * accepted in-process (`server.faults.add`) and over HTTP (`POST /__mock/faults`), so tests running in
 * another process (inside VS Code) can drive a standalone mock.
 */
import { isRecord } from './db';
import { HUNTING_FAULTS, type HuntingFault } from './hunting/service';

export interface FaultMatch {
  method?: string;
  /** Substring of the request's path and query. */
  path?: string;
}

export type FaultAction =
  /**
   * Answer `status` instead of the real answer. With `apply: true` the request is carried out first (a write
   * is committed) and only its answer is replaced: the client loses the answer of a write that happened.
   */
  | { kind: 'status'; status: number; retryAfter?: string; body?: unknown; apply?: boolean }
  | { kind: 'latency'; ms: number }
  /** Destroy the socket without an answer. */
  | { kind: 'reset' }
  /** Apply the write, then never answer; the socket is destroyed after `ms` (default 60 s). */
  | { kind: 'timeoutAfterApply'; ms?: number }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed' }
  /** 200 with valid JSON of the wrong shape. */
  | { kind: 'wrongShape' }
  /** 401 as if the token expired; the token stays invalid afterwards. */
  | { kind: 'expiredToken' }
  /**
   * An advanced hunting failure (hunting/service.ts): 504 UnknownError, 500 with an empty message, 400 result
   * too large, the 3-minute timeout, or the CPU quota (which also blocks the tenant until the next 15-minute
   * cycle). Matches `runHuntingQuery` unless `match` says otherwise; `ms` delays the answer first.
   */
  | { kind: 'hunting'; error: HuntingFault; ms?: number };

export type Fault = { match?: FaultMatch; times?: number } & FaultAction;
export type FaultKind = Fault['kind'];

const KINDS: readonly FaultKind[] = ['status', 'latency', 'reset', 'timeoutAfterApply', 'malformed', 'wrongShape', 'expiredToken', 'hunting'];

/** Validate a fault from JSON; throws a TypeError with a message fit for a 400. */
export function parseFault(v: unknown): Fault {
  if (!isRecord(v)) throw new TypeError('A fault must be a JSON object.');
  const kind = v.kind;
  if (typeof kind !== 'string' || !(KINDS as readonly string[]).includes(kind))
    throw new TypeError(`Unknown fault kind ${JSON.stringify(kind)}; expected one of ${KINDS.join(', ')}.`);
  let match: FaultMatch | undefined;
  if (v.match !== undefined) {
    if (!isRecord(v.match)) throw new TypeError('"match" must be an object.');
    const { method, path } = v.match;
    if (method !== undefined && typeof method !== 'string') throw new TypeError('"match.method" must be a string.');
    if (path !== undefined && typeof path !== 'string') throw new TypeError('"match.path" must be a string.');
    match = { method, path };
  }
  const times = v.times;
  if (times !== undefined && (!Number.isSafeInteger(times) || (times as number) < 1)) throw new TypeError('"times" must be a positive integer.');
  const common = { ...(match ? { match } : {}), ...(times !== undefined ? { times: times as number } : {}) };
  switch (kind as FaultKind) {
    case 'status': {
      const status = v.status;
      if (!Number.isInteger(status) || (status as number) < 100 || (status as number) > 599) throw new TypeError('"status" must be an HTTP status code.');
      if (v.retryAfter !== undefined && typeof v.retryAfter !== 'string') throw new TypeError('"retryAfter" must be a string (seconds or an HTTP date).');
      if (v.apply !== undefined && typeof v.apply !== 'boolean') throw new TypeError('"apply" must be true or false.');
      return {
        ...common,
        kind: 'status',
        status: status as number,
        ...(v.retryAfter !== undefined ? { retryAfter: v.retryAfter as string } : {}),
        ...('body' in v ? { body: v.body } : {}),
        ...(v.apply === true ? { apply: true } : {}),
      };
    }
    case 'latency':
      if (typeof v.ms !== 'number' || !(v.ms >= 0) || v.ms > 600_000) throw new TypeError('"ms" must be a number of milliseconds (0 to 600000).');
      return { ...common, kind: 'latency', ms: v.ms };
    case 'timeoutAfterApply':
      if (v.ms !== undefined && (typeof v.ms !== 'number' || !(v.ms >= 0) || v.ms > 600_000))
        throw new TypeError('"ms" must be a number of milliseconds (0 to 600000).');
      return { ...common, kind: 'timeoutAfterApply', ...(v.ms !== undefined ? { ms: v.ms as number } : {}) };
    case 'reset':
      return { ...common, kind: 'reset' };
    case 'malformed':
      return { ...common, kind: 'malformed' };
    case 'wrongShape':
      return { ...common, kind: 'wrongShape' };
    case 'expiredToken':
      return { ...common, kind: 'expiredToken' };
    case 'hunting': {
      if (typeof v.error !== 'string' || !(HUNTING_FAULTS as readonly string[]).includes(v.error))
        throw new TypeError(`"error" must be one of ${HUNTING_FAULTS.join(', ')}.`);
      if (v.ms !== undefined && (typeof v.ms !== 'number' || !(v.ms >= 0) || v.ms > 600_000))
        throw new TypeError('"ms" must be a number of milliseconds (0 to 600000).');
      return {
        match: match ?? { path: 'runHuntingQuery' },
        ...(times !== undefined ? { times: times as number } : {}),
        kind: 'hunting',
        error: v.error as HuntingFault,
        ...(v.ms !== undefined ? { ms: v.ms as number } : {}),
      };
    }
  }
}

/** Pending faults, consumed first-added first. */
export class FaultQueue {
  private readonly pending: { fault: Fault; left: number }[] = [];

  add(f: Fault): void {
    const fault = parseFault(f);
    this.pending.push({ fault, left: fault.times ?? 1 });
  }

  clear(): number {
    const n = this.pending.length;
    this.pending.length = 0;
    return n;
  }

  list(): Fault[] {
    return this.pending.map(p => ({ ...p.fault, times: p.left }));
  }

  /** Take one use of the first fault matching this request, if any. */
  take(method: string, pathAndQuery: string): Fault | undefined {
    const i = this.pending.findIndex(
      p =>
        (!p.fault.match?.method || p.fault.match.method.toUpperCase() === method.toUpperCase()) &&
        (!p.fault.match?.path || pathAndQuery.includes(p.fault.match.path)),
    );
    if (i < 0) return undefined;
    const p = this.pending[i];
    if (--p.left <= 0) this.pending.splice(i, 1);
    return p.fault;
  }
}
