/**
 * The mock's advanced hunting service behind `POST /v1.0/security/runHuntingQuery`: parses and evaluates
 * the query over the tables of the store (tables.ts), and plays the documented limits on an injectable
 * clock, so a test can cross a minute, an hour or a 15-minute CPU cycle without waiting:
 *
 * - at most 45 calls a minute and 1,500 an hour per tenant (sliding windows; refused calls do not count):
 *   429 `API calls quota exceeded! maximum allowed 45 per 00:01:00` (`... 1500 per 01:00:00`) with Retry-After;
 * - at most 100,000 rows in a result (the rest is cut off, as the service does);
 * - a result over the size cap (about 124 MB): 400 "Query execution has exceeded the allowed result size";
 * - CPU allotted per tenant per 15-minute cycle (counted here as rows read); over it, the tenant's queries are
 *   refused with 429 until after the next cycle begins;
 * - a query that would run longer than 3 minutes (`runMs`, the run time the mock pretends) times out.
 *
 * No `vscode` import.
 */
import type { MockDb } from '../db';
import type { Query } from './ast';
import { evaluate, KqlSemanticError } from './evaluate';
import { KqlSyntaxError } from './lexer';
import { parseKql, UnsupportedKql } from './parser';
import { huntingTables, TABLE_SCHEMAS } from './tables';
import { parseTimespan, TimespanError } from './timespan';
import { SCHEMA_TYPE, toJson } from './values';

export const CPU_CYCLE_MS = 15 * 60_000;
export const QUERY_TIMEOUT_MS = 3 * 60_000;

export interface HuntingSettings {
  /** Keys of the schema entries: `name`/`type` (default) or `Name`/`Type`; Microsoft's examples show both. */
  schemaCase: 'camel' | 'pascal';
  perMinute: number;
  perHour: number;
  /** Rows a result may hold; more are cut off. */
  maxRows: number;
  /** Bytes of JSON a result may take before the service refuses it. */
  maxResultBytes: number;
  /** CPU a tenant may use per 15-minute cycle, counted as rows read. */
  cpuBudget: number;
  /** Run time the service pretends each query takes (its clock); over 3 minutes, the query times out. */
  runMs: number;
  /** Real time the mock waits before it answers a hunt (so a client can cancel a running query). */
  delayMs: number;
  /** Days of data the tables keep, as the service keeps 30. */
  retentionDays: number;
}

export const DEFAULT_HUNTING_SETTINGS: Readonly<HuntingSettings> = {
  schemaCase: 'camel',
  perMinute: 45,
  perHour: 1500,
  maxRows: 100_000,
  maxResultBytes: 124 * 1024 * 1024,
  cpuBudget: 50_000_000,
  runMs: 0,
  delayMs: 0,
  retentionDays: 30,
};

/** Check settings from JSON (control route, server options); throws a TypeError fit for a 400. */
export function parseHuntingSettings(v: unknown): Partial<HuntingSettings> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError('Hunting settings must be a JSON object.');
  const o = v as Record<string, unknown>;
  const out: Partial<HuntingSettings> = {};
  const int = (k: keyof HuntingSettings, min: number, max: number): void => {
    if (o[k] === undefined) return;
    if (!Number.isSafeInteger(o[k]) || (o[k] as number) < min || (o[k] as number) > max)
      throw new TypeError(`"${k}" must be a whole number from ${min} to ${max}.`);
    (out as Record<string, unknown>)[k] = o[k];
  };
  for (const k of Object.keys(o))
    if (!(k in DEFAULT_HUNTING_SETTINGS)) throw new TypeError(`Unknown hunting setting "${k}". Settings: ${Object.keys(DEFAULT_HUNTING_SETTINGS).join(', ')}.`);
  if (o.schemaCase !== undefined) {
    if (o.schemaCase !== 'camel' && o.schemaCase !== 'pascal') throw new TypeError('"schemaCase" must be "camel" (name/type) or "pascal" (Name/Type).');
    out.schemaCase = o.schemaCase;
  }
  int('perMinute', 1, 100_000);
  int('perHour', 1, 1_000_000);
  int('maxRows', 1, 1_000_000);
  int('maxResultBytes', 1, 1024 * 1024 * 1024);
  int('cpuBudget', 1, Number.MAX_SAFE_INTEGER);
  int('runMs', 0, 86_400_000);
  int('delayMs', 0, 600_000);
  int('retentionDays', 1, 3650);
  return out;
}

/** What the route turns into a response: a result, or a Graph error. */
export type HuntAnswer =
  { ok: true; body: Record<string, unknown>; truncated: boolean } | { ok: false; status: number; code: string; message: string; retryAfter?: number };

/** Faults a test can inject (faults.ts kind "hunting"). */
export const HUNTING_FAULTS = ['unknownError', 'emptyMessage', 'resultTooLarge', 'timeout', 'cpuQuota'] as const;
export type HuntingFault = (typeof HUNTING_FAULTS)[number];

const RESULT_TOO_LARGE = 'Query execution has exceeded the allowed result size. Reduce the result with project, summarize or take, or narrow the Timespan.';

function hms(ms: number): string {
  const s = Math.round(ms / 1000);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(Math.floor(s / 3600))}:${p(Math.floor((s % 3600) / 60))}:${p(s % 60)}`;
}

export class HuntingService {
  private current: HuntingSettings;
  /** Accepted calls per tenant (service clock, ms), oldest first, kept for an hour. */
  private readonly calls = new Map<string, number[]>();
  private readonly cpu = new Map<string, { cycle: number; used: number; blockedUntil: number }>();

  constructor(
    private readonly clock: () => number,
    settings: Partial<HuntingSettings> = {},
  ) {
    this.current = { ...DEFAULT_HUNTING_SETTINGS, ...settings };
  }

  get settings(): Readonly<HuntingSettings> {
    return this.current;
  }

  configure(s: Partial<HuntingSettings>): void {
    this.current = { ...this.current, ...s };
  }

  /** Back to the defaults, with no calls counted and no tenant blocked. */
  reset(settings: Partial<HuntingSettings> = {}): void {
    this.current = { ...DEFAULT_HUNTING_SETTINGS, ...settings };
    this.calls.clear();
    this.cpu.clear();
  }

  /** Calls counted and CPU used per tenant (control route, tests). */
  usage(): Record<string, { lastMinute: number; lastHour: number; cpuUsed: number; blockedUntil: string | null }> {
    const now = this.clock();
    const out: ReturnType<HuntingService['usage']> = {};
    for (const [tenant, times] of this.calls) {
      const c = this.cpu.get(tenant);
      out[tenant] = {
        lastMinute: times.filter(t => t > now - 60_000).length,
        lastHour: times.filter(t => t > now - 3_600_000).length,
        cpuUsed: c && c.cycle === Math.floor(now / CPU_CYCLE_MS) ? c.used : 0,
        blockedUntil: c && c.blockedUntil > now ? new Date(c.blockedUntil).toISOString() : null,
      };
    }
    return out;
  }

  /** The per-tenant call quotas: undefined when the call may go (and it is counted), else the 429. */
  private admit(tenant: string): HuntAnswer | undefined {
    const now = this.clock();
    const times = (this.calls.get(tenant) ?? []).filter(t => t > now - 3_600_000);
    this.calls.set(tenant, times);
    const inMinute = times.filter(t => t > now - 60_000);
    if (inMinute.length >= this.current.perMinute) {
      return {
        ok: false,
        status: 429,
        code: 'TooManyRequests',
        message: `API calls quota exceeded! maximum allowed ${this.current.perMinute} per 00:01:00`,
        retryAfter: Math.max(1, Math.ceil((inMinute[inMinute.length - this.current.perMinute] + 60_000 - now) / 1000)),
      };
    }
    if (times.length >= this.current.perHour) {
      return {
        ok: false,
        status: 429,
        code: 'TooManyRequests',
        message: `API calls quota exceeded! maximum allowed ${this.current.perHour} per 01:00:00`,
        retryAfter: Math.max(1, Math.ceil((times[times.length - this.current.perHour] + 3_600_000 - now) / 1000)),
      };
    }
    const blocked = this.cpuBlock(tenant, now);
    if (blocked) return blocked;
    times.push(now);
    return undefined;
  }

  private cpuBlock(tenant: string, now: number): HuntAnswer | undefined {
    const c = this.cpu.get(tenant);
    if (!c || c.blockedUntil <= now) return undefined;
    return {
      ok: false,
      status: 429,
      code: 'TooManyRequests',
      retryAfter: Math.max(1, Math.ceil((c.blockedUntil - now) / 1000)),
      message: `The tenant has used its CPU allocation for advanced hunting. Queries are blocked until after the next 15-minute cycle (${new Date(c.blockedUntil).toISOString()}).`,
    };
  }

  /** Block the tenant until the next cycle begins (the quota was used up, or a test says so). */
  private exhaustCpu(tenant: string, now: number): void {
    const cycle = Math.floor(now / CPU_CYCLE_MS);
    this.cpu.set(tenant, { cycle, used: this.current.cpuBudget, blockedUntil: (cycle + 1) * CPU_CYCLE_MS });
  }

  private chargeCpu(tenant: string, cost: number): void {
    const now = this.clock();
    const cycle = Math.floor(now / CPU_CYCLE_MS);
    let c = this.cpu.get(tenant);
    if (!c || c.cycle !== cycle) {
      c = { cycle, used: 0, blockedUntil: c?.blockedUntil ?? 0 };
      this.cpu.set(tenant, c);
    }
    c.used += cost;
    if (c.used > this.current.cpuBudget) c.blockedUntil = (cycle + 1) * CPU_CYCLE_MS;
  }

  /** The answer a hunting fault stands for (faults.ts kind "hunting"); the cpuQuota fault also blocks the tenant. */
  faultAnswer(fault: HuntingFault, tenant: string): HuntAnswer {
    switch (fault) {
      case 'unknownError':
        return { ok: false, status: 504, code: 'UnknownError', message: '' };
      case 'emptyMessage':
        return { ok: false, status: 500, code: 'InternalServerError', message: '' };
      case 'resultTooLarge':
        return { ok: false, status: 400, code: 'BadRequest', message: RESULT_TOO_LARGE };
      case 'timeout':
        return this.timeoutAnswer();
      case 'cpuQuota':
        this.exhaustCpu(tenant, this.clock());
        return this.cpuBlock(tenant, this.clock())!;
    }
  }

  private timeoutAnswer(): HuntAnswer {
    return {
      ok: false,
      status: 408,
      code: 'RequestTimeout',
      message: `Query execution has exceeded the allowed time limit of ${hms(QUERY_TIMEOUT_MS)}. Narrow the query or its Timespan.`,
    };
  }

  /** Run one `runHuntingQuery` request body for `tenant`. */
  run(tenant: string, body: unknown, db: MockDb): HuntAnswer {
    const bad = (message: string): HuntAnswer => ({ ok: false, status: 400, code: 'BadRequest', message });
    const refused = this.admit(tenant);
    if (refused) return refused;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return bad('The request body must be a JSON object {"Query": "...", "Timespan": "..."}.');
    // Graph matches action parameter names without regard to case.
    let queryText: unknown;
    let timespan: unknown;
    for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
      if (k.toLowerCase() === 'query') queryText = v;
      else if (k.toLowerCase() === 'timespan') timespan = v;
      else if (!k.startsWith('@odata.')) return bad(`The parameter '${k}' is not a parameter of the action 'runHuntingQuery'. Parameters: Query, Timespan.`);
    }
    if (typeof queryText !== 'string' || queryText.trim() === '') return bad("The parameter 'Query' is required and must be a non-empty string.");
    const now = this.clock();
    let window: { from: number; to: number };
    try {
      window = parseTimespan(timespan, now);
    } catch (e) {
      if (e instanceof TimespanError) return bad(e.message);
      throw e;
    }
    // The service keeps 30 days of data, whatever the Timespan asks for.
    window = { from: Math.max(window.from, now - this.current.retentionDays * 86_400_000), to: window.to };
    let query: Query;
    try {
      query = parseKql(queryText);
    } catch (e) {
      if (e instanceof KqlSyntaxError || e instanceof UnsupportedKql) return bad(e.message);
      throw e;
    }
    // The pretended run time, or a real delay (delayMs) past the limit: the service would have given up.
    if (this.current.runMs > QUERY_TIMEOUT_MS || this.current.delayMs > QUERY_TIMEOUT_MS) return this.timeoutAnswer();
    let result;
    try {
      result = evaluate(query, { tables: huntingTables(db), schemas: TABLE_SCHEMAS, now, from: window.from, to: window.to });
    } catch (e) {
      if (e instanceof KqlSemanticError) return bad(`Semantic error: ${e.message}`);
      throw e;
    }
    this.chargeCpu(tenant, result.scanned + result.rows.length);
    const truncated = result.rows.length > this.current.maxRows;
    const rows = truncated ? result.rows.slice(0, this.current.maxRows) : result.rows;
    const pascal = this.current.schemaCase === 'pascal';
    const schema = result.columns.map(c => (pascal ? { Name: c.name, Type: SCHEMA_TYPE[c.type] } : { name: c.name, type: SCHEMA_TYPE[c.type] }));
    const results: Record<string, unknown>[] = [];
    let bytes = 0;
    for (const r of rows) {
      const out: Record<string, unknown> = {};
      for (const c of result.columns) out[c.name] = toJson(r[c.name] ?? null);
      bytes += JSON.stringify(out).length + 1;
      if (bytes > this.current.maxResultBytes) return bad(RESULT_TOO_LARGE);
      results.push(out);
    }
    return {
      ok: true,
      truncated,
      body: { '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults', schema, results },
    };
  }
}
