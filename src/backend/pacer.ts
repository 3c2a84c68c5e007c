/**
 * Pacing under the APIs' documented limits: one sliding-window pacer per backend and host, shared by
 * every caller (refresh, bulk actions, the pane), because the service counts them together.
 * No `vscode` import.
 */
import { CancelledError, ThrottledError } from './errors';
import { realClock, type Clock } from './clock';
import { boundedWait } from './serverMessage';
import { BACKENDS, type BackendKind } from '../model/backends';

/** Which backend's road a request takes: its budgets and its words are the backend table's (src/model/backends.ts). */
export type HttpFlavor = BackendKind;

/** One limit: at most `limit` requests in any `windowMs`. */
export interface PacerWindow {
  limit: number;
  windowMs: number;
}

/** What is left of one window's budget right now (for the log line and the bench). */
export interface PacerBudget extends PacerWindow {
  used: number;
  remaining: number;
}

/** A low-budget warning is logged when fewer than this share of a window's requests remain. */
const LOW_BUDGET_SHARE = 0.1;

/**
 * Sliding-window pacer: at most `limit` grants in any `windowMs`, and as many further windows as the
 * service counts (Defender: per minute and per hour). Callers over a limit wait (delay, never fail), stop
 * waiting when their signal aborts, and fail as throttled only when the wait is longer than they accept.
 */
export class SlidingWindowPacer {
  /** Grant times, oldest first, kept as long as the longest window. */
  private readonly grants: number[] = [];
  readonly windows: readonly PacerWindow[];
  private blockedUntil = 0;
  private readonly low = new Set<number>();

  constructor(
    readonly limit: number,
    readonly windowMs = 60_000,
    private readonly clock: Clock = realClock,
    more: readonly PacerWindow[] = [],
  ) {
    this.windows = [{ limit, windowMs }, ...more];
    for (const w of this.windows) {
      if (!(w.limit >= 1)) {
        throw new RangeError('pacer limit must be at least 1');
      }
      if (!(w.windowMs > 0)) {
        throw new RangeError('pacer window must be positive');
      }
    }
  }

  /**
   * Waits for a grant. A wait longer than `maxWaitMs` is not started: it throws ThrottledError carrying
   * how long and until when, so a bulk run can pause and say so instead of hanging.
   */
  async acquire(signal?: AbortSignal, maxWaitMs = Number.POSITIVE_INFINITY): Promise<void> {
    for (;;) {
      if (signal?.aborted) {
        throw new CancelledError();
      }
      const now = this.clock.now();
      this.prune(now);
      const wait = this.waitMs(now);
      if (wait <= 0) {
        this.grants.push(now);
        return;
      }
      if (wait > maxWaitMs) {
        const until = now + wait;
        throw new ThrottledError(
          `The request budget is used up (${this.describeFull(now)}). Try again in ${Math.ceil(wait / 1000)} s (at ${clockTime(until)}).`,
          wait,
          until,
        );
      }
      await this.clock.sleep(wait, signal);
    }
  }

  /**
   * The service said to wait `ms` (a 429): every caller sharing this budget holds off that long (on this
   * pacer's clock), instead of each discovering it with its own 429.
   */
  holdFor(ms: number): void {
    // Bounded here too: whoever calls, one answer never blocks the host for longer than the cap.
    const until = this.clock.now() + boundedWait(ms);
    if (until > this.blockedUntil) {
      this.blockedUntil = until;
    }
  }

  /** How long every caller of this budget still holds off after a 429, in ms (0: not held). */
  heldFor(): number {
    return Math.max(0, this.blockedUntil - this.clock.now());
  }

  /** Grants in the current (first) window (for tests and diagnostics). */
  inWindow(): number {
    return this.count(this.windows[0], this.clock.now());
  }

  /** What is left in each window now. */
  budget(): PacerBudget[] {
    const now = this.clock.now();
    return this.windows.map(w => {
      const used = this.count(w, now);
      return { ...w, used, remaining: Math.max(0, w.limit - used) };
    });
  }

  /**
   * The windows that just fell below 10% left (each reported once until it recovers), for one log line
   * by the caller whose grant crossed the line.
   */
  newlyLow(): PacerBudget[] {
    const out: PacerBudget[] = [];
    for (const b of this.budget()) {
      const isLow = b.remaining < b.limit * LOW_BUDGET_SHARE;
      if (isLow && !this.low.has(b.windowMs)) {
        this.low.add(b.windowMs);
        out.push(b);
      }
      if (!isLow) {
        this.low.delete(b.windowMs);
      }
    }
    return out;
  }

  private prune(now: number): void {
    const longest = Math.max(...this.windows.map(w => w.windowMs));
    let drop = 0;
    while (drop < this.grants.length && this.grants[drop] <= now - longest) {
      drop++;
    }
    if (drop) {
      this.grants.splice(0, drop);
    }
  }

  private count(w: PacerWindow, now: number): number {
    // Grants are in time order: count from the newest back to the window's start.
    let n = 0;
    for (let i = this.grants.length - 1; i >= 0 && this.grants[i] > now - w.windowMs; i--) {
      n++;
    }
    return n;
  }

  /** How long until every window has room (0 = now). */
  private waitMs(now: number): number {
    let wait = this.blockedUntil - now;
    for (const w of this.windows) {
      const n = this.count(w, now);
      if (n >= w.limit) {
        // The grant whose expiry brings this window back under its limit.
        const oldest = this.grants[this.grants.length - w.limit];
        wait = Math.max(wait, oldest + w.windowMs - now);
      }
    }
    return wait;
  }

  private describeFull(now: number): string {
    return (
      this.windows
        .filter(w => this.count(w, now) >= w.limit)
        .map(w => `${w.limit} per ${windowName(w.windowMs)}`)
        .join(', ') || 'the service asked to wait'
    );
  }
}

/** "minute", "hour", "12 s". */
export function windowName(ms: number): string {
  if (ms === 60_000) {
    return 'minute';
  }
  if (ms === 3_600_000) {
    return 'hour';
  }
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}

/** Local HH:MM of an epoch time, for "throttled until 14:05". */
export function clockTime(epochMs: number): string {
  const d = new Date(epochMs);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

/** The windows a backend paces under: the documented limits minus headroom, from the backend table. */
export function pacerWindows(flavor: HttpFlavor): PacerWindow[] {
  const d = BACKENDS[flavor];
  return [{ limit: d.requestsPerMinute, windowMs: 60_000 }, ...(d.requestsPerHour !== null ? [{ limit: d.requestsPerHour, windowMs: 3_600_000 }] : [])];
}

/** A pacer for one backend's windows. */
export function pacerFor(flavor: HttpFlavor, clock: Clock = realClock): SlidingWindowPacer {
  const [first, ...more] = pacerWindows(flavor);
  return new SlidingWindowPacer(first.limit, first.windowMs, clock, more);
}

const pacers = new Map<string, SlidingWindowPacer>();

/**
 * The process-wide pacer for one backend and host: refresh, bulk actions and the pane all draw from
 * the same budget because the service counts them together.
 */
export function sharedPacer(flavor: HttpFlavor, baseUrl: string): SlidingWindowPacer {
  const key = `${flavor}|${new URL(baseUrl).host}`;
  let p = pacers.get(key);
  if (!p) {
    p = pacerFor(flavor);
    pacers.set(key, p);
  }
  return p;
}

/** Tests only: forget the shared pacers. */
export function resetSharedPacers(): void {
  pacers.clear();
}
