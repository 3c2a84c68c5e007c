/**
 * Behaviour both real clients share: the conflict check before an update, the comment that is never
 * posted twice, client-side filtering of what the server cannot filter, and OData helpers.
 * No `vscode` import.
 */
import type { Comment, Incident, IncidentPatch } from '../model/types';
import { normalizeClassification, normalizeSeverity, normalizeStatus } from '../model/enums';
import {
  BackendError, CancelledError, ConflictError, ThrottledError, UnreachableError, UnsupportedError, type FieldChange,
} from './errors';
import type { BackendCapabilities, CallOptions, IncidentQuery, ServerFilterField } from './types';
import { realClock, type Clock } from './http';

/** Only the call options, so nothing else (top, cursor, expected) leaks into a request spec. */
export function call(opts: CallOptions): CallOptions {
  return { signal: opts.signal, onRetry: opts.onRetry };
}

// ---- OData ---------------------------------------------------------------------------------------

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

// ---- client-side filtering -----------------------------------------------------------------------

/** Applies the parts of `q` the server did not (fields not in `server`). */
export function filterOnClient(items: Incident[], q: IncidentQuery, server: readonly ServerFilterField[]): Incident[] {
  const has = (f: ServerFilterField): boolean => server.includes(f);
  const lower = (s: string | null): string | null => (s === null ? null : s.toLowerCase());
  return items.filter(i => {
    if (q.statuses?.length && !has('status') && !q.statuses.map(normalizeStatus).includes(i.status)) { return false; }
    if (q.severities?.length && !has('severity') && !q.severities.map(normalizeSeverity).includes(i.severity)) { return false; }
    if (q.classifications?.length && !has('classification')
      && !q.classifications.map(normalizeClassification).includes(i.classification)) { return false; }
    if (q.assignedTo !== undefined) {
      // "Unassigned" is always checked here: neither API documents `eq null` on assignedTo.
      if (q.assignedTo === null) { if (i.assignedTo) { return false; } } else if (!has('assignedTo') && lower(i.assignedTo) !== q.assignedTo.toLowerCase()) { return false; }
    }
    if (q.updatedSince && !has('lastUpdateTime') && Date.parse(i.lastUpdateTime) < Date.parse(q.updatedSince)) { return false; }
    if (q.createdSince && !has('createdTime') && Date.parse(i.createdTime) < Date.parse(q.createdSince)) { return false; }
    if (q.createdBefore && !has('createdTime') && Date.parse(i.createdTime) >= Date.parse(q.createdBefore)) { return false; }
    return true;
  });
}

// ---- conflict check ------------------------------------------------------------------------------

function sameTime(a: string, b: string): boolean {
  if (a === b) { return true; }
  const x = Date.parse(a);
  const y = Date.parse(b);
  // Same instant in another precision ("...29Z" vs "...2900000Z") is not a change.
  return !Number.isNaN(x) && x === y;
}

const COMPARED: (keyof Incident & keyof IncidentPatch)[] = ['assignedTo', 'status', 'classification', 'determination', 'tags', 'name', 'severity'];

/** The fields that differ between what the user saw and what the server has now. */
export function diffIncidents(seen: Incident, server: Incident): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const f of COMPARED) {
    const from = seen[f];
    const to = server[f];
    const same = Array.isArray(from) && Array.isArray(to) ? from.length === to.length && from.every((v, i) => v === to[i]) : from === to;
    if (!same) { changes.push({ field: f, from, to }); }
  }
  return changes;
}

/**
 * Throws ConflictError if the server's copy moved on since `expected` was read and a field the user
 * can change differs. A newer lastUpdateTime alone (a comment, an alert update, our own last comment)
 * is not a conflict: nothing the user decided on has changed under them.
 */
export function checkConflict(expected: Incident, server: Incident): void {
  if (sameTime(expected.lastUpdateTime, server.lastUpdateTime)) return;
  const changes = diffIncidents(expected, server);
  if (changes.length) throw new ConflictError(server, changes);
}

/** Rejects what the backend cannot write, before anything is sent. */
export function checkSupported(patch: IncidentPatch, caps: BackendCapabilities): void {
  if (patch.name !== undefined && !caps.canRename) {
    throw new UnsupportedError(`The ${caps.displayName} cannot rename incidents; change the name in the Microsoft Defender portal.`);
  }
  if (patch.severity !== undefined && !caps.canChangeSeverity) {
    throw new UnsupportedError(`The ${caps.displayName} cannot change an incident's severity; change it in the Microsoft Defender portal.`);
  }
}

// ---- comments, never twice -----------------------------------------------------------------------

export interface SafeCommentDeps {
  /** One send, without automatic retries. */
  send(signal?: AbortSignal): Promise<Comment[]>;
  /** Re-read the incident's comments (retries allowed: a GET is safe). */
  reread(signal?: AbortSignal): Promise<Comment[]>;
  clock?: Clock;
  /** How much earlier than our send a server timestamp may be and still be "ours". Default 10 s. */
  skewMs?: number;
  /** Attempts in all. Default 4. */
  maxAttempts?: number;
  /** Wait when a 429 comes without Retry-After, or between resends. Default 2 s. */
  backoffMs?: number;
  /** A Retry-After above this fails as throttled. Default 60 s. */
  retryAfterCapMs?: number;
}

/** Whether a failed send may still have been applied by the server. */
export function isAmbiguous(e: unknown): boolean {
  if (e instanceof UnreachableError) { return e.ambiguous; }
  return e instanceof BackendError && e.kind === 'server' && (e.status === 502 || e.status === 503 || e.status === 504);
}

function sameText(a: string, b: string): boolean {
  return a.replace(/\r\n/g, '\n').trim() === b.replace(/\r\n/g, '\n').trim();
}

/**
 * Adds a comment so that it lands exactly once. A 429 (and a refused connection) means "not applied":
 * wait and resend. An ambiguous failure (timeout, reset, 502/503/504) may have been applied: re-read
 * and resend only if no comment with the same text appeared at or after our first send.
 */
export async function addCommentSafely(text: string, deps: SafeCommentDeps, opts: CallOptions = {}): Promise<Comment[]> {
  const clock = deps.clock ?? realClock;
  const skew = deps.skewMs ?? 10_000;
  const maxAttempts = deps.maxAttempts ?? 4;
  const firstSend = clock.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await deps.send(opts.signal);
    } catch (e: unknown) {
      if (e instanceof CancelledError || attempt >= maxAttempts) { throw e; }
      if (e instanceof ThrottledError) {
        const delay = e.retryAfterMs ?? deps.backoffMs ?? 2000;
        if (delay > (deps.retryAfterCapMs ?? 60_000)) { throw e; }
        opts.onRetry?.({ attempt, delayMs: delay, reason: 'throttled (429)' });
        await clock.sleep(delay, opts.signal);
        continue;
      }
      if (e instanceof UnreachableError && !e.ambiguous) {
        const delay = deps.backoffMs ?? 2000;
        opts.onRetry?.({ attempt, delayMs: delay, reason: e.message });
        await clock.sleep(delay, opts.signal);
        continue;
      }
      if (!isAmbiguous(e)) { throw e; }
      const comments = await deps.reread(opts.signal);
      const landed = comments.some(c => sameText(c.text, text)
        && (c.createdTime === null || Date.parse(c.createdTime) >= firstSend - skew));
      if (landed) { return comments; }
      opts.onRetry?.({ attempt, delayMs: 0, reason: 'the comment did not arrive; sending again' });
    }
  }
}
