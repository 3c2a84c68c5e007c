/**
 * The mock's `/__mock` control plane, served only when the server was started with `control` (tests in this
 * or another process): faults, the request log, another analyst's edits, new incidents, reset, the clock,
 * the auth mode, the quota and the hunting settings. server.ts owns the state; the routes read and set it
 * through a ControlPlane.
 */
import type { MockDb } from './db';
import { defenderView, validateIncidentPatch } from './defender';
import { parseFault, type FaultKind, type FaultQueue } from './faults';
import { parseHuntingSettings, type HuntingService, type HuntingSettings } from './hunting/service';
import type { Dialect, MockResponse } from './http';
import type { MockAuthMode, MockAuthOptions, TokenIssuer } from './auth';
import { parseRateLimit, RateLimiter } from './guard';
import { MAX_EVIDENCE_COUNT, MAX_NAME_LENGTH, MAX_RESET_COUNT, MAX_USER_LENGTH } from './limits';
import { MOCK_TENANT_ID } from './seed';
import { wireTime, type DefenderIncident } from './wire';

export interface RecordedRequest {
  method: string;
  /** Path and query as sent. */
  path: string;
  /** 0 when no answer was sent (reset, timeoutAfterApply). */
  status: number;
  dialect: Dialect;
  /** ISO 8601 (real clock). */
  time: string;
  /** The fault applied to this request, if any. */
  fault?: FaultKind;
  /** Refused by the rate limit (429). */
  throttled?: true;
}

/** Another analyst's edit, in Defender wire field names. */
export interface MockEditPatch {
  incidentName?: string;
  severity?: string;
  status?: string;
  assignedTo?: string | null;
  classification?: string;
  determination?: string;
  tags?: string[];
  comment?: string;
  redirectIncidentId?: number | null;
}

export class MockEditError extends Error {
  constructor(
    readonly status: 400 | 404,
    message: string,
  ) {
    super(message);
    this.name = 'MockEditError';
  }
}

/** A clock offset beyond a year is a mistake, not a test. */
const MAX_CLOCK_OFFSET_MS = 366 * 86_400_000;

export function checkClockOffset(v: unknown): number {
  if (!Number.isSafeInteger(v) || Math.abs(v as number) > MAX_CLOCK_OFFSET_MS) {
    throw new TypeError(`"offsetMs" must be a whole number of milliseconds from -${MAX_CLOCK_OFFSET_MS} to ${MAX_CLOCK_OFFSET_MS}.`);
  }
  return v as number;
}

/** The server's state, as the control routes see it: the clock offset and the quota can be set. */
export interface ControlPlane {
  readonly db: MockDb;
  readonly tokens: TokenIssuer;
  readonly hunting: HuntingService;
  readonly faults: FaultQueue;
  readonly requests: RecordedRequest[];
  /** Saves after a reset still running (close waits for them). */
  readonly pendingResets: Promise<void>[];
  readonly extensions: boolean;
  readonly requireKey: boolean;
  readonly baseUrl: string;
  readonly tenantId: string;
  /** The start options the routes fall back to. */
  readonly auth: MockAuthOptions | undefined;
  readonly huntingDefaults: Partial<HuntingSettings> | undefined;
  clockOffsetMs: number;
  limiter: RateLimiter | undefined;
  now(): Date;
  log(line: string): void;
  edit(incidentId: number | string, patch: MockEditPatch, by: string): DefenderIncident;
}

/** Another analyst changes an incident (MockServer.edit): bumps lastUpdateTime. Throws MockEditError. */
export function editIncident(db: MockDb, now: () => Date, incidentId: number | string, patch: MockEditPatch, by: string): DefenderIncident {
  const id = typeof incidentId === 'number' ? incidentId : /^\d+$/.test(incidentId) ? Number(incidentId) : NaN;
  if (!db.get(id)) throw new MockEditError(404, `Incident ${String(incidentId)} was not found.`);
  if (typeof by !== 'string' || by.trim() === '') throw new MockEditError(400, '"by" must name who makes the edit.');
  if (by.length > MAX_USER_LENGTH) throw new MockEditError(400, `"by" is longer than ${MAX_USER_LENGTH} characters.`);
  const v = validateIncidentPatch(patch, 'edit');
  if (!v.ok) throw new MockEditError(400, v.message);
  const nowText = wireTime(now());
  const inc = db.update(id, by, i => v.apply(i, by, nowText));
  if (!inc) throw new MockEditError(404, `Incident ${String(incidentId)} was not found.`);
  return inc;
}

/**
 * One `/__mock` control route (see MockServer for what each serves): faults, the request log, another
 * analyst's edit, a new incident, reset, the clock, the auth mode, the quota and the hunting settings.
 */
export function controlRoute(s: ControlPlane, method: string, pathname: string, text: string | undefined): MockResponse {
  const { db, tokens, hunting, faults, requests, pendingResets, extensions, requireKey, baseUrl, tenantId, now, log } = s;
  const bad = (message: string, status = 400): MockResponse => ({ status, body: { error: { code: status === 404 ? 'NotFound' : 'BadRequest', message } } });
  let body: unknown;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      return bad('The request body is not valid JSON.');
    }
  }
  const route = `${method} ${pathname}`;
  switch (route) {
    case 'GET /__mock/health':
      return {
        status: 200,
        body: {
          ok: true,
          incidents: db.size,
          extensions,
          authRequired: tokens.required,
          keyRequired: requireKey,
          control: true,
          rateLimit: s.limiter?.config ?? null,
          clockOffsetMs: s.clockOffsetMs,
          now: now().toISOString(),
          dataFile: db.file ?? null,
          recovered: db.loadResult.recovered ?? null,
          defender: `${baseUrl}/api`,
          graph: `${baseUrl}/v1.0/security`,
          token: `${baseUrl}/${s.auth?.tenantId ?? MOCK_TENANT_ID}/oauth2/v2.0/token`,
        },
      };
    case 'POST /__mock/faults':
      try {
        faults.add(parseFault(body));
        return { status: 201, body: { pending: faults.list() } };
      } catch (e) {
        return bad((e as Error).message);
      }
    case 'GET /__mock/faults':
      return { status: 200, body: { pending: faults.list() } };
    case 'DELETE /__mock/faults':
      return { status: 200, body: { cleared: faults.clear() } };
    case 'GET /__mock/requests':
      return { status: 200, body: { value: requests } };
    case 'DELETE /__mock/requests': {
      const n = requests.length;
      requests.length = 0;
      return { status: 200, body: { cleared: n } };
    }
    case 'POST /__mock/edit': {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) return bad('Expected {"incidentId", "patch", "by"}.');
      const b = body as { incidentId?: unknown; patch?: unknown; by?: unknown };
      if (typeof b.incidentId !== 'number' && typeof b.incidentId !== 'string') return bad('"incidentId" is required.');
      try {
        const inc = s.edit(b.incidentId, b.patch as MockEditPatch, typeof b.by === 'string' ? b.by : '');
        return { status: 200, body: defenderView(inc, tenantId) };
      } catch (e) {
        if (e instanceof MockEditError) return bad(e.message, e.status);
        throw e;
      }
    }
    case 'POST /__mock/incidents': {
      const b = (typeof body === 'object' && body !== null ? body : {}) as { severity?: unknown; name?: unknown; evidenceCount?: unknown };
      if (
        b.evidenceCount !== undefined &&
        (!Number.isSafeInteger(b.evidenceCount) || (b.evidenceCount as number) < 0 || (b.evidenceCount as number) > MAX_EVIDENCE_COUNT)
      ) {
        return bad(`"evidenceCount" must be an integer from 0 to ${MAX_EVIDENCE_COUNT}.`);
      }
      if (b.severity !== undefined && !['High', 'Medium', 'Low', 'Informational'].includes(b.severity as string))
        return bad('"severity" must be High, Medium, Low or Informational.');
      if (b.name !== undefined && (typeof b.name !== 'string' || b.name.length > MAX_NAME_LENGTH))
        return bad(`"name" must be a string of at most ${MAX_NAME_LENGTH} characters.`);
      return {
        status: 201,
        body: defenderView(
          db.arrive({ severity: b.severity as string | undefined, name: b.name as string | undefined, evidenceCount: b.evidenceCount as number | undefined }),
          tenantId,
        ),
      };
    }
    case 'POST /__mock/reset': {
      const b = (typeof body === 'object' && body !== null ? body : {}) as { count?: unknown; seed?: unknown; hostile?: unknown };
      if (b.hostile !== undefined && typeof b.hostile !== 'boolean') return bad('"hostile" must be true or false.');
      if (b.count !== undefined && (!Number.isSafeInteger(b.count) || (b.count as number) < 0 || (b.count as number) > MAX_RESET_COUNT)) {
        return bad(`"count" must be an integer from 0 to ${MAX_RESET_COUNT} (the limit of a reset).`);
      }
      if (b.seed !== undefined && !Number.isSafeInteger(b.seed)) return bad('"seed" must be an integer.');
      // The answer waits for nothing: the reseed itself is synchronous, the save follows.
      pendingResets.push(
        db
          .reset({ count: b.count as number | undefined, seed: b.seed as number | undefined, hostile: b.hostile as boolean | undefined })
          .catch(e => log(`Saving after reset failed: ${(e as Error).message}`)),
      );
      return { status: 200, body: { incidents: db.size } };
    }
    case 'GET /__mock/clock':
      return { status: 200, body: { offsetMs: s.clockOffsetMs, now: now().toISOString() } };
    case 'PUT /__mock/clock': {
      const b = (typeof body === 'object' && body !== null ? body : {}) as { offsetMs?: unknown };
      try {
        s.clockOffsetMs = checkClockOffset(b.offsetMs);
      } catch (e) {
        return bad((e as Error).message);
      }
      return { status: 200, body: { offsetMs: s.clockOffsetMs, now: now().toISOString() } };
    }
    case 'GET /__mock/auth':
      return s.auth ? { status: 200, body: tokens.mode() } : bad('The mock was started without a token endpoint (auth options).', 404);
    case 'PUT /__mock/auth': {
      if (!s.auth) return bad('The mock was started without a token endpoint (auth options).', 404);
      const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      if (b.roles !== undefined && b.roles !== null && !(Array.isArray(b.roles) && b.roles.every(r => typeof r === 'string' && r.length <= 100)))
        return bad('"roles" must be a list of permission names, or null for all.');
      if (b.secretExpired !== undefined && typeof b.secretExpired !== 'boolean') return bad('"secretExpired" must be true or false.');
      if (b.unlicensed !== undefined && typeof b.unlicensed !== 'boolean') return bad('"unlicensed" must be true or false.');
      const mode: MockAuthMode = {};
      if ('roles' in b) mode.roles = b.roles === null ? undefined : (b.roles as string[]);
      if ('secretExpired' in b) mode.secretExpired = b.secretExpired as boolean;
      if ('unlicensed' in b) mode.unlicensed = b.unlicensed as boolean;
      tokens.setMode(mode);
      return { status: 200, body: tokens.mode() };
    }
    case 'GET /__mock/rate-limit':
      return { status: 200, body: { rateLimit: s.limiter?.config ?? null } };
    case 'PUT /__mock/rate-limit':
      try {
        s.limiter = new RateLimiter(parseRateLimit(body));
      } catch (e) {
        return bad((e as Error).message);
      }
      return { status: 200, body: { rateLimit: s.limiter.config } };
    case 'DELETE /__mock/rate-limit':
      s.limiter = undefined;
      return { status: 200, body: { rateLimit: null } };
    case 'GET /__mock/hunting':
      return { status: 200, body: { settings: hunting.settings, usage: hunting.usage() } };
    case 'PUT /__mock/hunting':
      try {
        hunting.configure(parseHuntingSettings(body ?? {}));
      } catch (e) {
        return bad((e as Error).message);
      }
      return { status: 200, body: { settings: hunting.settings, usage: hunting.usage() } };
    case 'DELETE /__mock/hunting':
      hunting.reset(s.huntingDefaults ? parseHuntingSettings(s.huntingDefaults) : {});
      return { status: 200, body: { settings: hunting.settings, usage: hunting.usage() } };
    default:
      return bad(
        `No control route ${route}. Routes: GET /__mock/health, POST|GET|DELETE /__mock/faults, GET|DELETE /__mock/requests, POST /__mock/edit, POST /__mock/incidents, POST /__mock/reset, GET|PUT /__mock/clock, GET|PUT|DELETE /__mock/rate-limit, GET|PUT|DELETE /__mock/hunting, GET|PUT /__mock/auth.`,
        404,
      );
  }
}
