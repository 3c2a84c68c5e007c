/**
 * The mock backend: a real HTTP server on 127.0.0.1 that speaks the Defender XDR incidents API, the
 * Graph security API and an Entra-style token endpoint from one store, plus, when enabled, a `/__mock`
 * control plane (control.ts: faults, another analyst's edits, request log, reset, quota, clock) for tests in
 * this or another process.
 *
 * It is not an open door (guard.ts): a request with an `Origin` header or a foreign `Host` gets 403 before
 * anything else, and every request needs the launch key as `Authorization: Bearer <key>` (with `auth`
 * required, the API routes take the issued tokens instead; the control routes still take the key).
 *
 * No `vscode` import: the extension bundles it for its built-in mock mode, and `cli.ts` runs it alone.
 */
import * as http from 'http';
import type { Socket } from 'net';
import { MockDb, type ArriveOptions, type MockDbOptions, type ResetOptions } from './db';

export type { ArriveOptions, LoadResult, RecoveredInfo, ResetOptions } from './db';
import { defenderError, defenderQuotaError, defenderStatusError, handleDefender } from './defender';
import { FaultQueue, type Fault, type FaultKind } from './faults';
import { handleGraph, huntResponse } from './graph';
import { graphError, graphStatusError, newRequestId } from './graphWire';
import { HuntingService, parseHuntingSettings, type HuntingSettings } from './hunting/service';
import { header, type MockResponse, type RequestContext } from './http';
import { missingRolesMessage, requiredRoles, TokenIssuer, type MockAuthMode, type MockAuthOptions } from './auth';
import { allowedHosts, bearerMatches, keyProblem, newMockKey, parseRateLimit, RateLimiter, type RateLimit } from './guard';
import { MAX_BODY_BYTES, MAX_USER_LENGTH } from './limits';
import { MOCK_TENANT_ID } from './seed';
import type { DefenderIncident } from './wire';
import { safeDelay } from '../shared/timer';
import { dialectOf, listen, readBody, send } from './nodeHttp';
import { checkClockOffset, controlRoute, editIncident, type ControlPlane, type MockEditPatch, type RecordedRequest } from './control';

export type { Fault, FaultKind } from './faults';
export type { MockAuthMode, MockAuthOptions } from './auth';
export type { HuntingSettings } from './hunting/service';
export type { RateLimit } from './guard';
export { MockEditError, type MockEditPatch, type RecordedRequest } from './control';

export interface MockServerOptions {
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** JSON file to persist to; omitted = memory only. */
  dataFile?: string;
  incidentCount?: number;
  seed?: number;
  /** Seed attacker-shaped text into some evidence values (see hostile.ts). Default false. */
  hostile?: boolean;
  /** The clock the mock's own clock is offset from (`clockOffsetMs`); default the real time. */
  now?: () => Date;
  /**
   * The server's clock runs this far ahead of `now` (negative: behind). Every timestamp it writes (comments,
   * lastUpdateTime, new incidents, tokens) uses `now() + clockOffsetMs`. Default 0; changeable at run time.
   */
  clockOffsetMs?: number;
  /**
   * Every request must carry `Authorization: Bearer <key>` (the API routes take issued tokens instead when
   * `auth.required`; the token endpoint needs no key when `auth` is set). Default true. The extension and
   * the CLI always require it; only in-process tests may turn it off.
   */
  requireKey?: boolean;
  /** The key; default a fresh 256-bit random one per start. At least 16 characters. */
  key?: string;
  /** Serve the `/__mock/*` control routes; without it they answer 404 like any unknown route. Default false. */
  control?: boolean;
  /** A quota per API dialect; over it Defender answers 429 with the wait in the body, Graph with Retry-After. Default none. */
  rateLimit?: RateLimit;
  /** Allow what the real APIs cannot: rename, severity change, Defender-dialect alert updates. Default false. */
  extensions?: boolean;
  auth?: MockAuthOptions;
  /** Who writes when the caller has no token identity; default 'analyst@contoso.com'. */
  identity?: string;
  log?: (line: string) => void;
  /** Called when the data file could not be used and was kept aside. */
  onRecovered?: (reason: string, movedTo: string) => void;
  /** Coalescing delay for file writes (ms). */
  writeDelayMs?: number;
  /** Advanced hunting settings (quotas, caps, schema key casing, delay); see hunting/service.ts. */
  hunting?: Partial<HuntingSettings>;
}

export interface MockServer {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  /** The launch key: `Authorization: Bearer <key>` on every request (see `requireKey`). */
  readonly key: string;
  /** The server's own clock: `now()` + the clock offset. */
  now(): Date;
  /** Move the server's clock `ms` ahead of `now` (negative: behind). */
  setClockOffset(ms: number): void;
  /** Set (or, with undefined, remove) the per-dialect quota; the count starts afresh. */
  setRateLimit(limit: RateLimit | undefined): void;
  readonly db: MockDb;
  readonly faults: { add(f: Fault): void; clear(): void; list(): Fault[] };
  /** Every API request, oldest first (the `/__mock` routes are not recorded). Capped at 10,000 entries. */
  readonly requests: RecordedRequest[];
  /** Another analyst changes an incident: bumps lastUpdateTime. Throws MockEditError. */
  edit(incidentId: number | string, patch: MockEditPatch, by: string): DefenderIncident;
  /** Replace the data with a freshly seeded set. */
  reset(opts?: ResetOptions): Promise<void>;
  /** A new incident arrives (Active, unassigned, created now); `evidenceCount` pads its Graph evidence to that many items. */
  arrive(opts?: ArriveOptions): DefenderIncident;
  /** The advanced hunting service: settings, quotas and CPU use per tenant, on the server's clock. */
  readonly hunting: HuntingService;
  /** Access tokens the token endpoint issued (tests check that none leaks into logs or storage). */
  issuedTokens(): string[];
  /** The "real tenant" outcomes from now on: consented roles, an expired secret, no licence (needs `auth`). */
  setAuthMode(mode: MockAuthMode): void;
  /** Stop listening, drop open connections, flush the data file. */
  close(): Promise<void>;
}

const MAX_BODY = MAX_BODY_BYTES;
const MAX_LOG = 10_000;
const HUNTING_PATH = '/v1.0/security/runHuntingQuery';

export async function startMockServer(opts: MockServerOptions = {}): Promise<MockServer> {
  const host = opts.host ?? '127.0.0.1';
  const baseNow = opts.now ?? (() => new Date());
  let clockOffsetMs = checkClockOffset(opts.clockOffsetMs ?? 0);
  const now = (): Date => new Date(baseNow().getTime() + clockOffsetMs);
  const log = opts.log ?? (() => undefined);
  const requireKey = opts.requireKey ?? true;
  if (opts.key !== undefined && keyProblem(opts.key)) throw new Error(keyProblem(opts.key));
  const key = opts.key ?? newMockKey();
  const controlEnabled = opts.control ?? false;
  let limiter = opts.rateLimit ? new RateLimiter(parseRateLimit(opts.rateLimit)) : undefined;
  // Portal links carry the tenant; a GUID tenant from the auth options makes them match the token's.
  const tenantId = opts.auth && /^[0-9a-f-]{36}$/i.test(opts.auth.tenantId) ? opts.auth.tenantId : MOCK_TENANT_ID;
  const dbOpts: MockDbOptions = {
    file: opts.dataFile,
    count: opts.incidentCount,
    seed: opts.seed,
    hostile: opts.hostile,
    now,
    tenantId,
    log,
    onRecovered: opts.onRecovered,
    writeDelayMs: opts.writeDelayMs,
  };
  // Bind first: a port in use must fail before the data file is created, seeded or recovered.
  const server = http.createServer();
  const port = await listen(server, host, opts.port ?? 0);
  let db: MockDb;
  try {
    db = await MockDb.open(dbOpts);
  } catch (e) {
    await new Promise(resolve => server.close(resolve));
    throw e;
  }
  const tokens = new TokenIssuer(opts.auth, now);
  const hunting = new HuntingService(() => now().getTime(), opts.hunting ? parseHuntingSettings(opts.hunting) : {});
  const faults = new FaultQueue();
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const hung = new Set<Socket>();
  const extensions = opts.extensions ?? false;
  const hostsAllowed = allowedHosts(host, port);

  const record = (r: RecordedRequest): void => {
    requests.push(r);
    if (requests.length > MAX_LOG) requests.splice(0, requests.length - MAX_LOG);
  };

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, safeDelay(ms));
    timers.add(t);
  };

  const edit = (incidentId: number | string, patch: MockEditPatch, by: string): DefenderIncident => editIncident(db, now, incidentId, patch, by);

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    void handle(req, res).catch(e => {
      log(`Mock server error on ${req.method} ${req.url}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent && !res.destroyed) send(res, { status: 500, body: { error: { code: 'InternalServerError', message: 'The mock server failed.' } } });
    });
  });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://mock.invalid');
    const pathname = url.pathname;
    const isControl = controlEnabled && pathname.startsWith('/__mock/');
    const dialect = dialectOf(pathname);

    const requestId = newRequestId();
    const clientRequestId = header({ headers: req.headers }, 'client-request-id') ?? requestId;
    const errCtx = { now, requestId, clientRequestId };
    const errorFor = (status: number, code: string, message: string): MockResponse =>
      dialect === 'graph' ? graphError(errCtx, status, code, message) : defenderError(status, code, message);

    const finish = (r: MockResponse, fault?: FaultKind, throttled?: boolean): void => {
      if (dialect === 'graph') r.headers = { 'request-id': requestId, 'client-request-id': clientRequestId, ...r.headers };
      send(res, r);
      record({
        method,
        path: rawUrl,
        status: r.status,
        dialect,
        time: new Date(started).toISOString(),
        ...(fault ? { fault } : {}),
        ...(throttled ? { throttled: true as const } : {}),
      });
      log(`${method} ${rawUrl} -> ${r.status}${fault ? ` [fault ${fault}]` : ''}${throttled ? ' [quota]' : ''} (${dialect}, ${Date.now() - started} ms)`);
    };
    const noAnswer = (fault: FaultKind): void => {
      record({ method, path: rawUrl, status: 0, dialect, time: new Date(started).toISOString(), fault });
      log(`${method} ${rawUrl} -> no answer [fault ${fault}]`);
    };
    /** Refused before the body is read: answer and close, so an unread body cannot hold the connection. */
    const refuse = (status: 401 | 403, code: string, message: string): void => {
      const r =
        isControl || dialect === 'other'
          ? { status, body: { error: { code, message } } }
          : dialect === 'token'
            ? { status, body: { error: status === 401 ? 'invalid_client' : 'access_denied', error_description: message } }
            : errorFor(status, dialect === 'graph' && status === 401 ? 'InvalidAuthenticationToken' : code, message);
      r.headers = { ...r.headers, Connection: 'close', ...(status === 401 ? { 'WWW-Authenticate': 'Bearer realm="defender-incidents-mock"' } : {}) };
      if (isControl) send(res, r);
      else finish(r);
      if (isControl) log(`${method} ${pathname} -> ${status}`);
    };

    // 1. Browsers: any Origin (a page's fetch or form post), or a Host that is not ours (a rebound name).
    if (req.headers.origin !== undefined) {
      refuse(403, 'Forbidden', 'Requests from a browser page (with an Origin header) are refused.');
      return;
    }
    const hostHeader = (req.headers.host ?? '').toLowerCase();
    if (!hostsAllowed.has(hostHeader)) {
      refuse(403, 'Forbidden', `The Host header must be one of ${[...hostsAllowed].join(', ')}.`);
      return;
    }
    // 2. The key: control routes always; the API unless issued tokens gate it; the token endpoint unless a client secret does.
    const keyNeeded = requireKey && (isControl || dialect === 'other' || (dialect === 'token' ? !opts.auth : !tokens.required));
    if (keyNeeded && !bearerMatches(header({ headers: req.headers }, 'authorization'), key)) {
      refuse(
        401,
        'Unauthorized',
        req.headers.authorization
          ? 'The mock server key is wrong. Send the key the mock server printed (or startMockServer returned) as "Authorization: Bearer <key>".'
          : 'The mock server needs its key: send "Authorization: Bearer <key>" with the key it printed (or startMockServer returned).',
      );
      return;
    }

    const { text, tooLarge } = await readBody(req);

    if (isControl) {
      send(
        res,
        tooLarge
          ? { status: 413, body: { error: { code: 'RequestEntityTooLarge', message: `The request body is larger than ${MAX_BODY} bytes.` } } }
          : controlRoute(plane, method, pathname, text),
      );
      return;
    }

    /** Set by answer() when the quota refused the request. */
    let throttled = false;
    const fault = faults.take(method, rawUrl);
    if (fault?.kind === 'latency') {
      const ms = fault.ms;
      await new Promise<void>(resolve => later(ms, resolve));
      // The client gave up during the delay: nothing to answer, nothing to record.
      if (res.destroyed || req.socket.destroyed) return;
      // A latency fault delays the request, which then runs normally.
      finishNormally(fault.kind);
      return;
    }
    // A hunt runs for a while: wait (real time) as the service would, and answer nothing if the client gave up.
    const huntDelay = pathname === HUNTING_PATH && method === 'POST' ? hunting.settings.delayMs + (fault?.kind === 'hunting' ? (fault.ms ?? 0) : 0) : 0;
    if (huntDelay > 0) {
      await new Promise<void>(resolve => later(huntDelay, resolve));
      if (res.destroyed || req.socket.destroyed) {
        log(`${method} ${rawUrl} -> cancelled by the client after ${huntDelay} ms`);
        return;
      }
    }
    if (fault) {
      switch (fault.kind) {
        case 'reset':
          noAnswer('reset');
          req.socket.destroy();
          return;
        case 'status': {
          // The request is carried out (a write committed), then its answer replaced: the client loses it.
          if (fault.apply) answer();
          const r: MockResponse =
            fault.body !== undefined
              ? { status: fault.status, body: fault.body }
              : dialect === 'graph'
                ? graphStatusError(errCtx, fault.status)
                : defenderStatusError(fault.status, fault.retryAfter);
          const retryAfter = fault.retryAfter ?? (fault.status === 429 ? '1' : undefined);
          if (retryAfter !== undefined) r.headers = { ...r.headers, 'Retry-After': retryAfter };
          finish(r, 'status');
          return;
        }
        case 'malformed':
          finish({ status: 200, raw: '{"@odata.context":"truncated","value":[{"incidentId":1,' }, 'malformed');
          return;
        case 'wrongShape':
          finish({ status: 200, body: { unexpected: true, value: 'not a list', items: [{ foo: 1 }] } }, 'wrongShape');
          return;
        case 'expiredToken': {
          tokens.revoke(header({ headers: req.headers }, 'authorization'));
          finish(unauthorized('Lifetime validation failed, the token is expired.'), 'expiredToken');
          return;
        }
        case 'timeoutAfterApply':
          break;
        case 'hunting':
          finish(huntResponse(errCtx, hunting.faultAnswer(fault.error, tenantId)), 'hunting');
          return;
      }
    }
    finishNormally();

    function unauthorized(message: string): MockResponse {
      const r = dialect === 'graph' ? errorFor(401, 'InvalidAuthenticationToken', message) : errorFor(401, 'Unauthorized', message);
      r.headers = {
        ...r.headers,
        'WWW-Authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token", error_description="${message.replace(/"/g, "'")}"`,
      };
      return r;
    }

    function finishNormally(delayedBy?: FaultKind): void {
      const r = answer();
      if (fault?.kind === 'timeoutAfterApply') {
        // The write is applied; the client never learns it. This is the case a client must not repeat blindly.
        noAnswer('timeoutAfterApply');
        const socket = req.socket;
        hung.add(socket);
        later(fault.ms ?? 60_000, () => {
          hung.delete(socket);
          socket.destroy();
        });
        return;
      }
      finish(r, delayedBy, throttled);
    }

    function answer(): MockResponse {
      if (tooLarge) return errorFor(413, 'RequestEntityTooLarge', `The request body is larger than ${MAX_BODY} bytes.`);
      const tokenMatch = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(pathname);
      if (tokenMatch) {
        if (method !== 'POST')
          return { status: 405, body: { error: 'invalid_request', error_description: 'AADSTS900561: The endpoint only accepts POST requests.' } };
        return tokens.issue(decodeURIComponent(tokenMatch[1]), new URLSearchParams(text ?? ''));
      }
      if (dialect === 'other')
        return {
          status: 404,
          body: {
            error: { code: 'NotFound', message: `No route for ${method} ${pathname}. APIs: /api/incidents (Defender), /v1.0/security/incidents (Graph).` },
          },
        };

      // With the key checked already (auth not required), the Authorization header is the key, not a token.
      const check =
        requireKey && !tokens.required
          ? { ok: true as const, clientId: null, roles: null }
          : tokens.check(header({ headers: req.headers }, 'authorization'), dialect === 'graph' ? 'graph' : 'defender');
      if (!check.ok) return unauthorized(check.message);
      if (tokens.unlicensed) {
        return dialect === 'graph'
          ? errorFor(403, 'Forbidden', 'The tenant is not licensed for Microsoft Defender XDR, so its security data cannot be read.')
          : errorFor(403, 'DisabledFeature', 'The tenant is not licensed for Microsoft Defender XDR: the feature is disabled.');
      }
      const needed = requiredRoles(dialect === 'graph' ? 'graph' : 'defender', method, pathname);
      const held = check.roles;
      if (needed && held && !needed.some(r => held.includes(r))) {
        return errorFor(403, 'Forbidden', missingRolesMessage(needed, held));
      }

      // Advanced hunting has its own quotas (hunting/service.ts), apart from the incidents API's.
      const wait = pathname === HUNTING_PATH ? undefined : limiter?.take(dialect);
      if (limiter && wait !== undefined) {
        throttled = true;
        const cfg = limiter.config;
        if (dialect === 'graph') {
          const r = graphError(errCtx, 429, 'TooManyRequests', 'Too many requests. Retry after the time in the Retry-After header.');
          r.headers = { 'Retry-After': String(wait) };
          return r;
        }
        const r = defenderQuotaError(cfg.limit, cfg.windowMs, wait);
        if (cfg.retryAfterHeader) r.headers = { 'Retry-After': String(wait) };
        return r;
      }

      let body: unknown;
      if (text !== undefined && text.length > 0 && method !== 'GET') {
        try {
          body = JSON.parse(text);
        } catch (e) {
          return errorFor(400, dialect === 'graph' ? 'BadRequest' : 'InvalidInput', `The request body is not valid JSON: ${(e as Error).message}`);
        }
      } else if (method === 'PATCH' || method === 'POST') {
        return errorFor(400, dialect === 'graph' ? 'BadRequest' : 'InvalidInput', 'The request body is empty.');
      }
      const mockUser = header({ headers: req.headers }, 'x-mock-user');
      if (mockUser && mockUser.length > MAX_USER_LENGTH)
        return errorFor(400, dialect === 'graph' ? 'BadRequest' : 'InvalidInput', `X-Mock-User is longer than ${MAX_USER_LENGTH} characters.`);
      const identity = mockUser?.trim() || (check.clientId ? `Defender Incidents app (${check.clientId})` : (opts.identity ?? 'analyst@contoso.com'));
      const ctx: RequestContext = {
        method,
        pathname,
        query: url.searchParams,
        headers: req.headers,
        body,
        db,
        now,
        identity,
        extensions,
        origin: `http://${req.headers.host ?? `${host}:${port}`}`,
        tenantId,
        requestId,
        clientRequestId,
        hunting,
      };
      return dialect === 'graph' ? handleGraph(ctx) : handleDefender(ctx);
    }
  };

  const pendingResets: Promise<void>[] = [];

  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const plane: ControlPlane = {
    db,
    tokens,
    hunting,
    faults,
    requests,
    pendingResets,
    extensions,
    requireKey,
    baseUrl,
    tenantId,
    auth: opts.auth,
    huntingDefaults: opts.hunting,
    get clockOffsetMs() {
      return clockOffsetMs;
    },
    set clockOffsetMs(ms: number) {
      clockOffsetMs = ms;
    },
    get limiter() {
      return limiter;
    },
    set limiter(l: RateLimiter | undefined) {
      limiter = l;
    },
    now,
    log,
    edit,
  };
  log(`Mock Defender backend listening on ${baseUrl}${db.file ? ` (data: ${db.file})` : ' (memory only)'}`);

  let closing: Promise<void> | undefined;
  return {
    url: baseUrl,
    port,
    key,
    now,
    setClockOffset: ms => {
      clockOffsetMs = checkClockOffset(ms);
    },
    setRateLimit: r => {
      limiter = r ? new RateLimiter(parseRateLimit(r)) : undefined;
    },
    db,
    faults: {
      add: f => faults.add(f),
      clear: () => {
        faults.clear();
      },
      list: () => faults.list(),
    },
    requests,
    edit,
    reset: o => db.reset(o),
    hunting,
    issuedTokens: () => tokens.issued(),
    setAuthMode: m => tokens.setMode(m),
    arrive: o => db.arrive(o),
    close: () => {
      closing ??= (async () => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        for (const s of hung) s.destroy();
        hung.clear();
        await new Promise<void>(resolve => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await Promise.all(pendingResets);
        await db.close();
      })();
      return closing;
    },
  };
}
