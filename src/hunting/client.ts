/**
 * Advanced hunting on Graph: `POST /v1.0/security/runHuntingQuery` with `{"Query", "Timespan"}`, on the
 * project's one HTTP road (auth, timeout, cancellation, logging) with a pacer of its own: the hunting
 * quotas (45 calls a minute and 1,500 an hour per tenant) are counted apart from the incidents budget,
 * so a hunt never starves triage and triage never blocks a hunt. The service's own limits are read from
 * its answers and said in words: the 429 quota bodies, the CPU block until the next 15-minute cycle,
 * the result-size 400, the 3-minute timeout, and the 504/500 that succeed on a retry (retried once).
 * No `vscode` import.
 */
import { BackendError, ForbiddenError, InvalidResponseError, ThrottledError, UnreachableError } from '../backend/errors';
import { HttpClient, type HttpResponse } from '../backend/http';
import type { TokenProvider } from '../backend/auth';
import { realClock, type Clock } from '../backend/clock';
import { clockTime, SlidingWindowPacer, type HttpFlavor, type PacerWindow } from '../backend/pacer';
import { parseRetryAfter, serverMessage } from '../backend/serverMessage';
import { isObject } from '../backend/wire';
import { SERVICE_ROW_LIMIT, toCell, type HuntColumn, type HuntOutput } from '../shared/huntTable';

export const HUNTING_PATH = '/v1.0/security/runHuntingQuery';

/** The documented hunting quotas per tenant: at least 45 calls a minute, 1,500 an hour. */
export const HUNTING_WINDOWS: readonly PacerWindow[] = [
  { limit: 45, windowMs: 60_000 },
  { limit: 1500, windowMs: 3_600_000 },
];

/** The service stops a query after 3 minutes (one page says 200 s): wait a little longer for its own answer. */
export const HUNTING_TIMEOUT_MS = 210_000;

/** The CPU quota is allotted per 15-minute cycle. */
const CPU_CYCLE_MS = 15 * 60_000;

export const HUNTING_PERMISSION = 'ThreatHunting.Read.All';

export function huntingPacer(clock: Clock = realClock): SlidingWindowPacer {
  const [first, ...more] = HUNTING_WINDOWS;
  return new SlidingWindowPacer(first.limit, first.windowMs, clock, more);
}

const pacers = new Map<string, SlidingWindowPacer>();

/** The process-wide hunting pacer of one tenant (`host|tenant`): every notebook and command shares it. */
export function sharedHuntingPacer(key: string): SlidingWindowPacer {
  let p = pacers.get(key);
  if (!p) {
    p = huntingPacer();
    pacers.set(key, p);
  }
  return p;
}

/** Tests only. */
export function resetHuntingPacers(): void {
  pacers.clear();
}

export interface HuntingClientOptions {
  /** Graph's origin (https://graph.microsoft.com) or the mock's URL. */
  baseUrl: string;
  /** A token for Graph (`ThreatHunting.Read.All`), or the mock's launch key. */
  tokens: TokenProvider;
  /** 'graph' for Graph, 'mock' for the built-in mock's Graph dialect. */
  flavor: Extract<HttpFlavor, 'graph' | 'mock'>;
  /** Default: the shared pacer of this host (the caller passes a tenant-keyed one). */
  pacer?: SlidingWindowPacer;
  log?: (line: string) => void;
  clock?: Clock;
  timeoutMs?: number;
  /** Wait before the one retry of a 504/500 (default 2 s). */
  retryDelayMs?: number;
  /** The connection (`BackendHost.connection()`) the client was made for: each result carries it. */
  connection?: string;
}

export interface HuntOptions {
  signal?: AbortSignal;
  /** Said while waiting (the quota, a retry). */
  onWait?: (message: string) => void;
}

const QUOTA_WINDOW = /maximum allowed\s+(\d+)\s+per\s+(\d{1,2}):(\d{2}):(\d{2})/i;
const CPU_BLOCK = /\bCPU\b|15[- ]minute|resources? (quota|limit)/i;
const TOO_LARGE = /exceeded the allowed result size|result size|too large/i;

export class HuntingClient {
  private readonly http: HttpClient;
  private readonly pacer: SlidingWindowPacer;
  private readonly clock: Clock;

  constructor(private readonly opts: HuntingClientOptions) {
    this.clock = opts.clock ?? realClock;
    this.pacer = opts.pacer ?? sharedHuntingPacer(new URL(opts.baseUrl).host);
    this.http = new HttpClient({
      flavor: opts.flavor,
      baseUrl: opts.baseUrl,
      tokens: opts.tokens,
      log: opts.log,
      clock: this.clock,
      pacer: this.pacer,
      timeoutMs: opts.timeoutMs ?? HUNTING_TIMEOUT_MS,
      maxRetries: 0,
    });
  }

  /** What is left of this tenant's hunting quota. */
  budget() {
    return this.pacer.budget();
  }

  dispose(): void {
    this.http.dispose();
  }

  /**
   * Runs one query. Resolves with the result; rejects with a typed error whose message says what the
   * service refused and, for a quota, when queries can run again (ThrottledError carries `until`).
   */
  async runHunt(query: string, timespan: string | undefined, opts: HuntOptions = {}): Promise<HuntOutput> {
    if (!query.trim()) throw new BackendError('badRequest', 'The cell is empty: write a KQL query first.');
    const body: Record<string, string> = { Query: query };
    if (timespan?.trim()) body.Timespan = timespan.trim();
    let retried = false;
    let waitedForQuota = false;
    for (;;) {
      const started = this.clock.now();
      let res: HttpResponse;
      try {
        res = await this.http.request({
          method: 'POST',
          path: HUNTING_PATH,
          body,
          retry: false,
          signal: opts.signal,
          contentType: 'application/json; charset=utf-8',
          passStatuses: [400, 403, 408, 429, 500, 502, 503, 504],
        });
      } catch (e) {
        if (e instanceof UnreachableError && this.clock.now() - started >= (this.opts.timeoutMs ?? HUNTING_TIMEOUT_MS)) {
          throw new UnreachableError(
            'The query ran longer than advanced hunting allows (3 minutes) and was stopped. Narrow the time range or filter earlier in the query.',
            true,
          );
        }
        throw e;
      }
      if (res.status >= 200 && res.status < 300) {
        return parseHuntAnswer(res.data, {
          query,
          timespan: body.Timespan,
          elapsedMs: this.clock.now() - started,
          ranAt: new Date(this.clock.now()).toISOString(),
          ...(this.opts.connection ? { connection: this.opts.connection } : {}),
        });
      }
      const text = res.text ?? '';
      const msg = serverMessage(res.data, text);
      if (res.status === 403) {
        throw new ForbiddenError(
          `Access denied (403): advanced hunting needs the Graph permission ${HUNTING_PERMISSION} (application or delegated) on the app registration, with admin consent.${msg ? ` ${msg}` : ''}`,
        );
      }
      if (res.status === 408) {
        throw new BackendError(
          'server',
          `The query ran longer than advanced hunting allows (3 minutes) and was stopped. Narrow the time range or filter earlier in the query.${msg ? ` (${msg})` : ''}`,
          408,
        );
      }
      const block = this.blockFor(res.status, msg || text, parseRetryAfter(res.headers['retry-after'], undefined, this.clock.now()));
      if (block) {
        this.pacer.holdFor(block.waitMs);
        // A per-minute quota is worth waiting out once; an hourly one or the CPU block is not.
        if (block.kind === 'minute' && !waitedForQuota && block.waitMs <= 60_000) {
          waitedForQuota = true;
          opts.onWait?.(`${block.message} Waiting until ${clockTime(this.clock.now() + block.waitMs)}...`);
          continue;
        }
        throw new ThrottledError(block.message, block.waitMs, this.clock.now() + block.waitMs);
      }
      if (res.status === 400) {
        if (TOO_LARGE.test(msg)) {
          throw new BackendError(
            'badRequest',
            `The result is larger than advanced hunting returns (about 124 MB): project fewer columns, or add take, summarize or a narrower where.${msg ? ` (${msg})` : ''}`,
            400,
          );
        }
        throw new BackendError('badRequest', `Advanced hunting refused the query: ${msg || 'HTTP 400 without a reason'}`, 400);
      }
      if (res.status >= 500 && !retried) {
        // 504 UnknownError and 500 with an empty message are known to succeed on a second try.
        retried = true;
        opts.onWait?.(`Advanced hunting failed (HTTP ${res.status}); retrying once...`);
        await this.clock.sleep(this.opts.retryDelayMs ?? 2000, opts.signal);
        continue;
      }
      throw new BackendError(
        'server',
        `Advanced hunting failed (HTTP ${res.status}${msg ? `: ${msg}` : ''})${retried ? ', also on a retry' : ''}. Try again later.`,
        res.status,
      );
    }
  }

  /** A quota answer: the 429 windows, or the CPU block (429 or 400) until the next 15-minute cycle. */
  private blockFor(status: number, msg: string, retryAfter: number | null): { kind: 'minute' | 'hour' | 'cpu'; waitMs: number; message: string } | undefined {
    const now = this.clock.now();
    if ((status === 429 || status === 400) && CPU_BLOCK.test(msg)) {
      // The server's own wait when it gives one; else the next cycle on our clock.
      const until = retryAfter !== null && retryAfter > 0 ? now + retryAfter : nextCpuCycle(now);
      return {
        kind: 'cpu',
        waitMs: until - now,
        message: `Advanced hunting is blocked for this tenant: its CPU quota is used up until the next 15-minute cycle. Queries run again at ${clockTime(until)}.`,
      };
    }
    if (status !== 429) return undefined;
    const m = QUOTA_WINDOW.exec(msg);
    const windowMs = m ? ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1000 : 60_000;
    const kind = windowMs >= 3_600_000 ? 'hour' : 'minute';
    // Retry-After when the service says; else the whole window (it counts calls we did not see, from
    // other tools of the tenant).
    const waitMs = Math.max(1000, retryAfter ?? windowMs);
    const limit = m
      ? `at most ${m[1]} queries per ${kind === 'hour' ? 'hour' : windowMs === 60_000 ? 'minute' : `${Math.round(windowMs / 1000)} s`}`
      : 'too many queries';
    return { kind, waitMs, message: `Advanced hunting quota reached for this tenant (${limit}). Queries run again at ${clockTime(now + waitMs)}.` };
  }
}

/** The start of the next 15-minute cycle (UTC quarter hours) after `now`. */
export function nextCpuCycle(now: number): number {
  return (Math.floor(now / CPU_CYCLE_MS) + 1) * CPU_CYCLE_MS;
}

/**
 * The 200 answer: `{ schema: [{ name, type }], results: [{...}] }`; Microsoft's own examples also spell
 * `Name`/`Type` (and the top-level keys capitalised), so both are read. Anything else is reported as an
 * InvalidResponseError saying what was wrong, never half-shown.
 */
export function parseHuntAnswer(data: unknown, meta: { query: string; timespan?: string; elapsedMs: number; ranAt: string; connection?: string }): HuntOutput {
  const bad = (why: string) => new InvalidResponseError(`The advanced hunting answer is malformed: ${why}.`);
  if (!isObject(data)) throw bad(data === undefined ? 'the body is empty' : 'it is not a JSON object');
  const schema = data.schema ?? data.Schema;
  const results = data.results ?? data.Results;
  if (!Array.isArray(schema)) throw bad('"schema" is missing or not a list');
  if (!Array.isArray(results)) throw bad('"results" is missing or not a list');
  const columns: HuntColumn[] = schema.map((c, i) => {
    if (!isObject(c)) throw bad(`schema entry ${i + 1} is not an object`);
    const name = c.name ?? c.Name;
    const type = c.type ?? c.Type;
    if (typeof name !== 'string' || !name) throw bad(`schema entry ${i + 1} has no name`);
    return { name, type: typeof type === 'string' ? type : '' };
  });
  const rows = results.map((r, i) => {
    if (!isObject(r)) throw bad(`result row ${i + 1} is not an object`);
    return columns.map(c => toCell(Object.prototype.hasOwnProperty.call(r, c.name) ? r[c.name] : null));
  });
  return {
    v: 1,
    query: meta.query,
    ...(meta.timespan ? { timespan: meta.timespan } : {}),
    columns,
    rows,
    truncated: rows.length >= SERVICE_ROW_LIMIT,
    rowLimit: SERVICE_ROW_LIMIT,
    ranAt: meta.ranAt,
    elapsedMs: meta.elapsedMs,
    ...(meta.connection ? { connection: meta.connection } : {}),
  };
}
