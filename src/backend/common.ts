/**
 * Rules both real clients (and the Triage layer) share: the conflict check before an update, what a
 * backend cannot write, and the comment that is never posted twice. The clients' shared skeleton is
 * `baseClient.ts`; filtering is the filter table's (src/store/filterFields.ts). No `vscode` import.
 */
import type { Comment, Incident, IncidentPatch } from '../model/types';
import { normalizeClassification, normalizeDetermination, normalizeSeverity, normalizeStatus } from '../model/enums';
import { BackendError, CancelledError, ConflictError, ThrottledError, UnreachableError, UnsupportedError, type FieldChange } from './errors';
import type { BackendCapabilities, CallOptions } from './types';
import { realClock, type Clock } from './clock';
import { COMPARED_FIELDS, FIELDS } from '../model/fields';
import { othersThatCan } from '../model/backends';

/** Only the call options, so nothing else (top, cursor, expected) leaks into a request spec. */
export function call(opts: CallOptions): CallOptions {
  return { signal: opts.signal, onRetry: opts.onRetry };
}

// ---- conflict check ------------------------------------------------------------------------------

function sameTime(a: string, b: string): boolean {
  if (a === b) {
    return true;
  }
  const x = Date.parse(a);
  const y = Date.parse(b);
  // Same instant in another precision ("...29Z" vs "...2900000Z") is not a change.
  return !Number.isNaN(x) && x === y;
}

/** The fields that differ between what the user saw and what the server has now. */
export function diffIncidents(seen: Incident, server: Incident): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const f of COMPARED_FIELDS) {
    const from = seen[f];
    const to = server[f];
    const same = Array.isArray(from) && Array.isArray(to) ? from.length === to.length && from.every((v, i) => v === to[i]) : from === to;
    if (!same) {
      changes.push({ field: f, from, to });
    }
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

/** Rejects what the backend cannot write (the field table says which capability each field needs), before anything is sent. */
export function checkSupported(patch: IncidentPatch, caps: BackendCapabilities): void {
  for (const f of FIELDS) {
    if (f.writeNeeds && patch[f.key as keyof IncidentPatch] !== undefined && !caps[f.writeNeeds.capability]) {
      throw new UnsupportedError(unsupportedMessage(caps, f.writeNeeds.capability, f.writeNeeds.what, `the ${f.label.toLowerCase()}`));
    }
  }
}

/** Names the API that cannot, and where it can be done instead. */
function unsupportedMessage(caps: BackendCapabilities, cap: 'canRename' | 'canChangeSeverity', what: string, field: string): string {
  const other = othersThatCan(caps.kind, cap)[0];
  const elsewhere = other
    ? ` The ${other.displayName} can (set defenderIncidents.backend to "${other.kind}"); or change ${field} in the Microsoft Defender portal.`
    : ` Change ${field} in the Microsoft Defender portal.`;
  return `The ${caps.displayName} cannot ${what}.${elsewhere}`;
}

/**
 * The incident with a patch applied locally: what to show after a write that landed (2xx) but whose
 * answer and read-back were both lost. The next refresh brings the server's own copy.
 */
export function applyPatch(i: Incident, p: IncidentPatch): Incident {
  return {
    ...i,
    ...(p.assignedTo !== undefined ? { assignedTo: p.assignedTo } : {}),
    ...(p.status !== undefined ? { status: normalizeStatus(p.status) } : {}),
    ...(p.classification !== undefined ? { classification: normalizeClassification(p.classification) } : {}),
    ...(p.determination !== undefined ? { determination: normalizeDetermination(p.determination) } : {}),
    ...(p.tags !== undefined ? { tags: [...p.tags] } : {}),
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(p.severity !== undefined ? { severity: normalizeSeverity(p.severity) } : {}),
    ...(p.resolvingComment !== undefined ? { resolvingComment: p.resolvingComment } : {}),
  };
}

// ---- comments, never twice -----------------------------------------------------------------------

/** How hard a comment is pushed (tests shorten the waits). */
export interface SafeCommentOptions {
  clock?: Clock;
  /** Sends in all. Default 4. */
  maxAttempts?: number;
  /** Wait when a 429 says nothing, after a refused connection, and before the last look. Default 2 s. */
  backoffMs?: number;
  /** A Retry-After above this fails as throttled (with `until`). Default 60 s. */
  retryAfterCapMs?: number;
}

/**
 * A write that carries a comment (Defender's PATCH `comment`, Graph's POST .../comments, a resolve with
 * its comment), so it must land exactly once. `T` is what the caller gets back: the comment list or the
 * incident.
 */
export interface SafeWriteDeps<T> extends SafeCommentOptions {
  /** One send, without automatic retries; resolves with the data of the 2xx answer. */
  send(signal?: AbortSignal): Promise<unknown>;
  /** The result a 2xx answer carries; undefined when it carries none. May throw (an odd shape): then it is read back. */
  fromAnswer(data: unknown): T | undefined;
  /** Reads the current state (a GET: retries allowed). */
  reread(signal?: AbortSignal): Promise<T>;
  /** The comments of a result. */
  comments(result: T): Comment[];
  /** What to report after a 2xx whose answer and read-back both failed: it did land. */
  assumeLanded(before: T, comment: Comment): T;
  /** Whether `now` shows the write that `before` did not. Default: one more comment with this text (and author). */
  landed?(before: T, now: T): boolean;
  /** The state just before the first send, when the caller has just read it; otherwise one GET takes it. */
  before?: T;
  /** Who the server will name as the comment's author, where known. */
  author?: string | null;
  /** Told the snapshot's comments before the first send (awaited). */
  onSnapshot?: (comments: Comment[]) => void | Promise<void>;
}

export interface SafeCommentDeps extends SafeCommentOptions {
  send(signal?: AbortSignal): Promise<unknown>;
  fromAnswer(data: unknown): Comment[] | undefined;
  reread(signal?: AbortSignal): Promise<Comment[]>;
  before?: Comment[];
  author?: string | null;
  onSnapshot?: (comments: Comment[]) => void | Promise<void>;
}

/** Whether a failed send may still have been applied by the server. */
export function isAmbiguous(e: unknown): boolean {
  if (e instanceof UnreachableError) {
    return e.ambiguous;
  }
  return e instanceof BackendError && e.kind === 'server' && (e.status === 500 || e.status === 502 || e.status === 503 || e.status === 504);
}

function sameText(a: string, b: string): boolean {
  return a.replace(/\r\n/g, '\n').trim() === b.replace(/\r\n/g, '\n').trim();
}

/**
 * Whether a comment's author can be ours. Two sign-in names that differ are two people; a display name
 * or an app name cannot be compared with a sign-in name, so it does not rule the comment out.
 */
function sameAuthor(createdBy: string | null, author: string | null | undefined): boolean {
  if (!author || !createdBy) {
    return true;
  }
  if (createdBy.trim().toLowerCase() === author.trim().toLowerCase()) {
    return true;
  }
  return !(createdBy.includes('@') && author.includes('@'));
}

/**
 * Whether `now` holds one more comment with this text (and author) than `before`: counted, so earlier
 * identical comments ("+1", "done") are not mistaken for ours, and no clock is compared.
 */
export function newCommentLanded(before: Comment[], now: Comment[], text: string, author?: string | null): boolean {
  return countComments(now, text, author) > countComments(before, text, author);
}

/** How many comments have this text and (where comparable) this author. */
export function countComments(comments: Comment[], text: string, author?: string | null): number {
  return comments.filter(c => sameText(c.text, text) && sameAuthor(c.createdBy, author)).length;
}

/** Whether the incident's own resolving comment is this text. */
export function hasResolvingComment(i: Incident, text: string): boolean {
  return i.resolvingComment !== null && sameText(i.resolvingComment, text);
}

/**
 * Graph's resolving comment is a property, not a list entry: it landed when the incident now has it
 * and did not before (or a new comment with its text appeared, should the service also list it).
 */
export function resolvingCommentLanded(before: Incident, now: Incident, text: string, author?: string | null): boolean {
  if (newCommentLanded(before.comments, now.comments, text, author)) {
    return true;
  }
  return hasResolvingComment(now, text) && !hasResolvingComment(before, text);
}

/**
 * Sends a write that carries a comment so that it lands exactly once, whatever the clocks say.
 * - The comments are read once before the first send (unless the caller just did).
 * - A 2xx is final: never sent again, even if the answer is odd and the read-back fails.
 * - A 429 and a refused connection were not applied: wait (Retry-After, capped) and send again.
 * - An ambiguous failure (timeout, reset, 500/502/503/504) may have been applied: re-read, and send
 *   again only if no new comment with this text (and author) appeared since the snapshot. Where the
 *   read fails, or on the last attempt, look once more after a pause; still unknown, the error is
 *   thrown as it came (ambiguous), so the caller keeps the comment as unconfirmed.
 */
export async function writeCommentOnce<T>(text: string, deps: SafeWriteDeps<T>, opts: CallOptions = {}): Promise<T> {
  const clock = deps.clock ?? realClock;
  const maxAttempts = deps.maxAttempts ?? 4;
  const pause = deps.backoffMs ?? 2000;
  const cap = deps.retryAfterCapMs ?? 60_000;
  const landed = deps.landed ?? ((b: T, n: T) => newCommentLanded(deps.comments(b), deps.comments(n), text, deps.author));
  const before = deps.before ?? (await deps.reread(opts.signal));
  await deps.onSnapshot?.(deps.comments(before));
  const look = async (): Promise<{ now?: T; landed: boolean }> => {
    try {
      const now = await deps.reread(opts.signal);
      return { now, landed: landed(before, now) };
    } catch (e) {
      if (e instanceof CancelledError) {
        throw e;
      }
      return { landed: false };
    }
  };
  for (let attempt = 1; ; attempt++) {
    let data: unknown;
    try {
      data = await deps.send(opts.signal);
    } catch (e: unknown) {
      if (e instanceof CancelledError) {
        throw e;
      }
      if (e instanceof ThrottledError) {
        const delay = e.retryAfterMs ?? pause;
        if (attempt >= maxAttempts || delay > cap) {
          throw e;
        }
        opts.onRetry?.({ attempt, delayMs: delay, reason: 'throttled (429)' });
        await clock.sleep(delay, opts.signal);
        continue;
      }
      if (e instanceof UnreachableError && !e.ambiguous) {
        if (attempt >= maxAttempts) {
          throw e;
        }
        opts.onRetry?.({ attempt, delayMs: pause, reason: e.message });
        await clock.sleep(pause, opts.signal);
        continue;
      }
      if (!isAmbiguous(e)) {
        throw e;
      }
      let seen = await look();
      if (seen.landed && seen.now !== undefined) {
        return seen.now;
      }
      if (seen.now === undefined || attempt >= maxAttempts) {
        // The read failed, or this was the last send: look once more before sending again or giving up.
        opts.onRetry?.({ attempt, delayMs: pause, reason: 'the answer was lost; checking whether the comment arrived' });
        await clock.sleep(pause, opts.signal);
        seen = await look();
        if (seen.landed && seen.now !== undefined) {
          return seen.now;
        }
        if (seen.now === undefined || attempt >= maxAttempts) {
          throw e;
        }
      }
      opts.onRetry?.({ attempt, delayMs: 0, reason: 'the comment did not arrive; sending again' });
      continue;
    }
    // Committed. From here on nothing is sent again, whatever the answer or the read-back does.
    try {
      const r = deps.fromAnswer(data);
      if (r !== undefined) {
        return r;
      }
    } catch {
      /* an odd answer to a write that happened: read it back instead */
    }
    try {
      return await deps.reread(opts.signal);
    } catch {
      return deps.assumeLanded(before, { text, createdBy: deps.author ?? null, createdTime: new Date(clock.now()).toISOString() });
    }
  }
}

/** Adds a comment so that it lands exactly once (see writeCommentOnce). */
export function addCommentSafely(text: string, deps: SafeCommentDeps, opts: CallOptions = {}): Promise<Comment[]> {
  return writeCommentOnce<Comment[]>(
    text,
    {
      ...deps,
      comments: c => c,
      assumeLanded: (before, c) => [...before, c],
    },
    opts,
  );
}
