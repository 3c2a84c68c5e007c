/**
 * The one road every backend call takes: pacing, auth, per-attempt timeout, cancellation, retries and
 * one log line per request, on top of one axios instance per client; each attempt goes out through ./transport.ts.
 * Every failure leaves this module as one of the typed errors of `errors.ts`. No `vscode` import.
 */
import type { AxiosInstance } from 'axios';
import { randomUUID } from 'crypto';
import { setMaxListeners } from 'events';
import type { TokenProvider } from './auth';
import { AuthError, BackendError, CancelledError, ForbiddenError, InvalidResponseError, NotFoundError, ThrottledError, UnreachableError } from './errors';
import type { CallOptions } from './types';
import { isObject } from './wire';
import { anySignal, realClock, type Clock } from './clock';
import { clockTime, sharedPacer, windowName, type HttpFlavor, type PacerBudget, type SlidingWindowPacer } from './pacer';
import { parseRetryAfter, serverMessage, tryJson } from './serverMessage';
import { BACKENDS, permissionWords } from '../model/backends';
import { createAxiosInstance, sendOnce, type Attempt, type HttpMethod } from './transport';

/** For files outside src/backend that import the pacer and clock from here (test/unit/store.test.ts, test/bench/node.ts). */
export { SlidingWindowPacer, resetSharedPacers } from './pacer';
export type { Clock } from './clock';

// ---- the request function ------------------------------------------------------------------------

export interface HttpClientOptions {
  flavor: HttpFlavor;
  baseUrl: string;
  tokens: TokenProvider;
  log?: (line: string) => void;
  /** Per attempt. Default 30 s. */
  timeoutMs?: number;
  /** Default 3. */
  maxRetries?: number;
  /**
   * A wait longer than this (the server's Retry-After or our own pacing) is not waited out: the call fails
   * with ThrottledError carrying how long and until when. Default 60 s.
   */
  retryAfterCapMs?: number;
  /** Exponential backoff with jitter: min(max, step + random(0, step)), step = base * 2^(n-1). Defaults 1 s and 30 s. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Default: the shared pacer for this backend and host (per minute, and per hour on Defender). */
  pacer?: SlidingWindowPacer;
  /** Sent on every call (e.g. Graph's Prefer header). */
  headers?: Record<string, string>;
  random?: () => number;
  clock?: Clock;
  userAgent?: string;
}

export interface RequestSpec extends CallOptions {
  method: HttpMethod;
  /** Path and query below the base URL, or an absolute URL on the same origin (an @odata.nextLink). */
  path: string;
  body?: unknown;
  /** Default: GET and PATCH retry, POST never does. Callers turn it off for non-idempotent PATCHes. */
  retry?: boolean;
  /** Names the target in a 404 message: "Incident 123". */
  what?: string;
  timeoutMs?: number;
  /** Default `application/json` (hunting sends `application/json; charset=utf-8`). */
  contentType?: string;
  /**
   * Error statuses the caller reads itself (its API words them in its own way, e.g. advanced hunting's
   * quota bodies): returned as an answer with the raw text instead of thrown. 401 is always handled here.
   */
  passStatuses?: readonly number[];
}

export interface HttpResponse {
  status: number;
  /** Parsed JSON, or undefined for an empty body (or, for a passed status, a body that is not JSON). */
  data: unknown;
  headers: Record<string, string>;
  /** The raw body, for a status in `passStatuses`. */
  text?: string;
}

/** The ids of the last attempt of a call: ours (`client-request-id`) and the service's (`request-id`, Defender's error `target`). */
interface AttemptIds {
  clientRequestId?: string;
  requestId?: string;
}

const RETRY_STATUSES = new Set([429, 503, 504]);

export class HttpClient {
  readonly baseUrl: string;
  readonly origin: string;
  private readonly basePath: string;
  private readonly axios: AxiosInstance;
  private readonly pacer: SlidingWindowPacer;
  private readonly clock: Clock;
  private readonly disposed = new AbortController();

  constructor(private readonly opts: HttpClientOptions) {
    const u = new URL(opts.baseUrl);
    this.origin = u.origin;
    this.basePath = u.pathname.replace(/\/+$/, '');
    this.baseUrl = this.origin + this.basePath;
    this.axios = createAxiosInstance(this.baseUrl, opts.userAgent);
    this.pacer = opts.pacer ?? sharedPacer(opts.flavor, this.baseUrl);
    this.clock = opts.clock ?? realClock;
    // Every request in flight listens on this signal; a bulk action may have many.
    setMaxListeners(0, this.disposed.signal);
  }

  get displayName(): string {
    return BACKENDS[this.opts.flavor].shortName;
  }

  isSameOrigin(url: string): boolean {
    try {
      return new URL(url).origin === this.origin;
    } catch {
      return false;
    }
  }

  /**
   * Whether `url` is on this origin and names exactly the resource `path` (below the base URL) names,
   * whatever its query: a list's @odata.nextLink must page the same list, not send the token (and a
   * GET) to another path of the same host, such as a single record or a mock's control route.
   */
  isSameResource(url: string, path: string): boolean {
    if (!this.isSameOrigin(url)) return false;
    try {
      const own = new URL(this.resolve(path)).pathname.replace(/\/+$/, '').toLowerCase();
      return new URL(url).pathname.replace(/\/+$/, '').toLowerCase() === own;
    } catch {
      return false;
    }
  }

  dispose(): void {
    this.disposed.abort();
  }

  /** What is left of the request budget this client draws from (shared per backend and host). */
  budget(): PacerBudget[] {
    return this.pacer.budget();
  }

  async request(spec: RequestSpec): Promise<HttpResponse> {
    const url = this.resolve(spec.path);
    const logPath = (() => {
      const u = new URL(url);
      return u.pathname + u.search;
    })();
    const started = this.clock.now();
    const canRetry = spec.retry ?? spec.method !== 'POST';
    const maxRetries = this.opts.maxRetries ?? 3;
    const cap = this.opts.retryAfterCapMs ?? 60_000;
    let retries = 0;
    let refreshed = false;
    let forced: string | null | undefined;
    let outcome = 'ERR';
    const ids: AttemptIds = {};
    const { signal, dispose } = anySignal([spec.signal, this.disposed.signal]);
    try {
      for (;;) {
        if (signal.aborted) {
          throw new CancelledError();
        }
        try {
          await this.pacer.acquire(signal, cap);
        } catch (e) {
          if (e instanceof ThrottledError) {
            outcome = 'PACED';
            this.opts.log?.(`${this.displayName}: ${e.message}`);
          }
          throw e;
        }
        this.logLowBudget();
        const token = forced !== undefined ? forced : await this.opts.tokens.getToken({ signal });
        forced = undefined;
        ids.clientRequestId = randomUUID();
        ids.requestId = undefined;
        const a = await this.once(spec, url, token, signal, ids.clientRequestId);
        if (a.ok) ids.requestId = a.headers['request-id'];
        if (!a.ok) {
          outcome = a.timedOut ? 'TIMEOUT' : a.code;
          if (a.code === 'CANCELLED') {
            throw new CancelledError();
          }
          const reason = a.timedOut ? 'no answer in time' : `network error (${a.code})`;
          if (canRetry && retries < maxRetries) {
            await this.wait(spec, ++retries, this.backoff(retries), reason, signal);
            continue;
          }
          throw this.unreachable(a);
        }
        outcome = String(a.status);
        if (a.status >= 200 && a.status < 300) {
          return { status: a.status, data: this.parse(a, spec.method, logPath), headers: a.headers };
        }
        if (a.status === 401) {
          if (!refreshed) {
            // One silent refresh: the token may simply have expired between cache and server.
            refreshed = true;
            forced = await this.opts.tokens.getToken({ forceRefresh: true, signal });
            continue;
          }
          throw new AuthError(`The ${this.displayName} refused the sign-in (401) even after refreshing it. Sign in again.`);
        }
        const body = tryJson(a.text);
        if (spec.passStatuses?.includes(a.status)) {
          return { status: a.status, data: body, headers: a.headers, text: a.text };
        }
        if (RETRY_STATUSES.has(a.status)) {
          const now = this.clock.now();
          const retryAfter = parseRetryAfter(a.headers['retry-after'], body, now, a.text);
          // The quota is the tenant's and app's: everyone drawing from this budget holds off, not just us.
          if (a.status === 429 && retryAfter !== null) {
            this.pacer.holdFor(retryAfter);
          }
          const beyondCap = retryAfter !== null && retryAfter > cap;
          if (canRetry && retries < maxRetries && !beyondCap) {
            const reason = a.status === 429 ? 'throttled (429)' : `service unavailable (${a.status})`;
            await this.wait(spec, ++retries, retryAfter ?? this.backoff(retries), reason, signal);
            continue;
          }
          if (a.status === 429) {
            // Nobody said how long: the next backoff step is our best estimate, so a bulk run can still pause.
            const waitMs = retryAfter ?? this.backoff(retries + 1);
            const until = now + waitMs;
            const err = new ThrottledError(
              `The ${this.displayName} is throttling requests (429). Try again in ${Math.ceil(waitMs / 1000)} s (at ${clockTime(until)}).`,
              waitMs,
              until,
            );
            if (beyondCap) {
              this.opts.log?.(
                `${this.displayName}: throttled until ${clockTime(until)} (${Math.ceil(waitMs / 1000)} s, longer than the ${Math.round(cap / 1000)} s this client waits)`,
              );
            }
            throw err;
          }
        }
        ids.requestId ??= defenderTarget(body);
        throw this.statusError(spec, a.status, body, a.text, token);
      }
    } catch (e) {
      // A failed call keeps the ids a support case needs (Copy Diagnostics and Check Connection show them).
      if (e instanceof BackendError && ids.clientRequestId) {
        e.clientRequestId ??= ids.clientRequestId;
        if (ids.requestId) e.requestId ??= ids.requestId;
      }
      throw e;
    } finally {
      dispose();
      const idText =
        /^[345]\d\d$/.test(outcome) && ids.clientRequestId
          ? ` client-request-id=${ids.clientRequestId}${ids.requestId ? ` request-id=${ids.requestId}` : ''}`
          : '';
      this.opts.log?.(`${spec.method} ${logPath} ${outcome} ${this.clock.now() - started}ms retries=${retries + (refreshed ? 1 : 0)}${idText}`);
    }
  }

  /** One line when a window of the shared budget falls below 10% left. */
  private logLowBudget(): void {
    const low = this.pacer.newlyLow();
    if (!low.length || !this.opts.log) {
      return;
    }
    const parts = low.map(b => `${b.remaining} of ${b.limit} requests left this ${windowName(b.windowMs)}`);
    this.opts.log(`${this.displayName} budget running low: ${parts.join(', ')}.`);
  }

  private resolve(path: string): string {
    if (/^https?:\/\//i.test(path)) {
      // Never send the token to a host the user did not configure, whatever a nextLink says.
      if (!this.isSameOrigin(path)) {
        throw new InvalidResponseError(`The ${this.displayName} pointed to another host (${safeHost(path)}); not followed.`);
      }
      return path;
    }
    return this.origin + this.basePath + (path.startsWith('/') ? path : `/${path}`);
  }

  private once(spec: RequestSpec, url: string, token: string | null, signal: AbortSignal, clientRequestId: string): Promise<Attempt> {
    const headers: Record<string, string> = { ...this.opts.headers, 'client-request-id': clientRequestId, 'return-client-request-id': 'true' };
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    const timeoutMs = spec.timeoutMs ?? this.opts.timeoutMs ?? 30_000;
    return sendOnce(this.axios, { url, method: spec.method, headers, body: spec.body, contentType: spec.contentType, timeoutMs }, signal);
  }

  /**
   * Exponential backoff with jitter, never below the base (1 s by default): base * 2^(n-1), plus up to
   * as much again at random, capped at the maximum.
   */
  private backoff(retry: number): number {
    const base = this.opts.backoffBaseMs ?? 1000;
    const max = this.opts.backoffMaxMs ?? 30_000;
    const random = this.opts.random ?? Math.random;
    const step = Math.min(max, base * 2 ** (retry - 1));
    return Math.min(max, step + Math.floor(random() * step));
  }

  private async wait(spec: RequestSpec, attempt: number, delayMs: number, reason: string, signal: AbortSignal): Promise<void> {
    spec.onRetry?.({ attempt, delayMs, reason });
    await this.clock.sleep(delayMs, signal);
  }

  private parse(a: { text: string; headers: Record<string, string> }, method: string, logPath: string): unknown {
    if (a.text.trim() === '') {
      return undefined;
    }
    try {
      return JSON.parse(a.text);
    } catch {
      const type = a.headers['content-type'] ? `, content type ${a.headers['content-type'].split(';')[0]}` : '';
      throw new InvalidResponseError(`The ${this.displayName} answer to ${method} ${stripQuery(logPath)} is not JSON${type}.`);
    }
  }

  private unreachable(a: { code: string; ambiguous: boolean; timedOut: boolean }): UnreachableError {
    const host = new URL(this.baseUrl).host;
    const what = a.timedOut ? 'did not answer in time' : `could not be reached (${a.code})`;
    const maybe = a.ambiguous ? ' The request may have reached the server.' : '';
    return new UnreachableError(`The ${this.displayName} at ${host} ${what}.${maybe}`, a.ambiguous);
  }

  private statusError(spec: RequestSpec, status: number, body: unknown, text: string, token: string | null): BackendError {
    // A server (or a proxy) that echoes the Authorization header must not put the token on screen.
    const server = serverMessage(body, text, token ? [token] : []);
    const detail = server ? ` ${server}` : '';
    if (status === 403) {
      return new ForbiddenError(`${this.permissionMessage(spec)}${detail}`);
    }
    if (status === 404) {
      return new NotFoundError(`${spec.what ?? 'The requested item'} no longer exists or you cannot see it.`);
    }
    if (status >= 500) {
      return new BackendError('server', `The ${this.displayName} failed (HTTP ${status}).${detail}`, status);
    }
    if (status >= 300 && status < 400) {
      return new InvalidResponseError(`The ${this.displayName} answered with a redirect (HTTP ${status}); not followed.`);
    }
    return new BackendError('badRequest', server || `The ${this.displayName} rejected the request (HTTP ${status}).`, status);
  }

  /** The permission the operation needs, in the backend table's words (src/model/backends.ts). */
  private permissionMessage(spec: RequestSpec): string {
    const write = spec.method !== 'GET';
    const alerts = /\/alerts(_v2)?\b/.test(spec.path);
    return permissionWords(this.opts.flavor, alerts ? (write ? 'writeAlerts' : 'readAlerts') : write ? 'writeIncidents' : 'readIncidents');
  }
}

// ---- helpers -------------------------------------------------------------------------------------

/** Defender's error body names its tracking id `target` (a GUID); Graph's sits in `innerError`, but Graph sends the header too. */
function defenderTarget(body: unknown): string | undefined {
  const err = isObject(body) && isObject(body.error) ? body.error : undefined;
  if (!err) return undefined;
  const inner = isObject(err.innerError) ? err.innerError : undefined;
  const id = inner && typeof inner['request-id'] === 'string' ? inner['request-id'] : err.target;
  return typeof id === 'string' && /^[\w-]{8,64}$/.test(id) ? id : undefined;
}

function stripQuery(p: string): string {
  return p.split('?')[0];
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
}
