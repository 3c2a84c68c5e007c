/**
 * What keeps the mock from being an open door on loopback: browsers are refused (any `Origin`, or a `Host`
 * that is not the address it listens on, which is what a DNS-rebound page sends), every request needs the
 * launch key, and each API dialect has a quota. No `vscode` import.
 */
import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import { isIP } from 'net';

/** 256 bits from the OS's CSPRNG, URL-safe so it fits a bearer header and a command line. */
export function newMockKey(): string {
  return randomBytes(32).toString('base64url');
}

/** A key given by a script (`--key`, `key` option): long enough to guess, and bearer-header safe. */
export function keyProblem(key: string): string | undefined {
  if (key.length < 16) return 'The key must be at least 16 characters long.';
  if (key.length > 512) return 'The key must be at most 512 characters long.';
  if (!/^[A-Za-z0-9._~+/=-]+$/.test(key)) return 'The key may only contain letters, digits and . _ ~ + / = -';
  return undefined;
}

/** Constant-time check of an `Authorization: Bearer <key>` header. */
export function bearerMatches(authorization: string | undefined, key: string): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!m) return false;
  // Hashing first makes the lengths equal, as timingSafeEqual requires, without leaking the key's length.
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(m[1]), digest(key));
}

/**
 * The `Host` values a legitimate local client sends for a server bound to `host`:`port`. A browser page
 * whose name was rebound to 127.0.0.1 sends its own name, which is not among them.
 */
export function allowedHosts(host: string, port: number): Set<string> {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const literal = (a: string): string => (isIP(a) === 6 ? `[${a}]` : a);
  const names = new Set<string>([literal(h)]);
  const loopback4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
  if (h === 'localhost' || h === '0.0.0.0' || h === '::') {
    names.add('127.0.0.1');
    names.add('[::1]');
    names.add('localhost');
  } else if (loopback4 || h === '::1') {
    names.add('localhost');
  }
  return new Set([...names].map(n => `${n}:${port}`));
}

export interface RateLimit {
  /** Requests allowed per window, per dialect. */
  limit: number;
  windowMs: number;
  /** Defender answers 429 with the wait in the body only; true adds a Retry-After header too. Graph always sends it. */
  retryAfterHeader?: boolean;
}

/** Validate a rate limit from JSON or the CLI; throws a TypeError with a message fit for a 400. */
export function parseRateLimit(v: unknown): RateLimit {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError('A rate limit must be {"limit", "windowMs", "retryAfterHeader"?}.');
  const r = v as Record<string, unknown>;
  if (!Number.isSafeInteger(r.limit) || (r.limit as number) < 1 || (r.limit as number) > 100_000)
    throw new TypeError('"limit" must be a whole number from 1 to 100000.');
  if (!Number.isSafeInteger(r.windowMs) || (r.windowMs as number) < 1 || (r.windowMs as number) > 86_400_000)
    throw new TypeError('"windowMs" must be a whole number of milliseconds from 1 to 86400000.');
  if (r.retryAfterHeader !== undefined && typeof r.retryAfterHeader !== 'boolean') throw new TypeError('"retryAfterHeader" must be true or false.');
  const extra = Object.keys(r).find(k => !['limit', 'windowMs', 'retryAfterHeader'].includes(k));
  if (extra) throw new TypeError(`Unknown rate limit property "${extra}".`);
  return {
    limit: r.limit as number,
    windowMs: r.windowMs as number,
    ...(r.retryAfterHeader !== undefined ? { retryAfterHeader: r.retryAfterHeader as boolean } : {}),
  };
}

/**
 * A sliding-window quota per key (the dialect): at most `limit` accepted requests in any `windowMs`.
 * Refused requests do not count. Real elapsed time, not the mock's (possibly fixed or offset) clock.
 */
export class RateLimiter {
  private readonly accepted = new Map<string, number[]>();

  constructor(
    readonly config: RateLimit,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** undefined when the request may go; else the whole seconds until one may (at least 1). */
  take(key: string): number | undefined {
    const now = this.clock();
    const times = (this.accepted.get(key) ?? []).filter(t => t > now - this.config.windowMs);
    if (times.length >= this.config.limit) {
      this.accepted.set(key, times);
      return Math.max(1, Math.ceil((times[0] + this.config.windowMs - now) / 1000));
    }
    times.push(now);
    this.accepted.set(key, times);
    return undefined;
  }
}
