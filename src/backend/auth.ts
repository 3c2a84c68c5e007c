/**
 * Bearer tokens for the HTTP layer. No `vscode` import: the extension adapts its VS Code
 * authentication session with `CallbackTokenProvider`; the client-credentials flow lives here.
 *
 * Neither the client secret nor a token ever appears in an error message or a log line: errors are
 * built from Entra's error code/description only, and never wrap the raw axios error (whose config
 * holds the form body with the secret).
 */
import axios, { type AxiosInstance } from 'axios';
import { AuthError, CancelledError, UnreachableError } from './errors';
import { isObject } from './wire';
import { redactSecrets } from '../shared/text';
import { safeDelay } from '../shared/timer';

export interface TokenProvider {
  /** A bearer token, or null to send no Authorization header (the unauthenticated mock). */
  getToken(opts?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<string | null>;
  /** Forget any cached token (sign-out, settings change). */
  clear(): void;
}

export class NoAuthTokenProvider implements TokenProvider {
  async getToken(): Promise<string | null> {
    return null;
  }
  clear(): void {
    /* nothing cached */
  }
}

/** A fixed bearer token: the built-in mock server's launch key. */
export class StaticTokenProvider implements TokenProvider {
  constructor(private readonly token: string) {}
  async getToken(opts?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<string | null> {
    if (opts?.signal?.aborted) {
      throw new CancelledError();
    }
    return this.token;
  }
  clear(): void {
    /* nothing to forget: the key lives as long as the server */
  }
}

/** Adapts a VS Code authentication session (or anything else that hands out tokens). */
export class CallbackTokenProvider implements TokenProvider {
  constructor(
    private readonly get: (forceRefresh: boolean) => Promise<string>,
    private readonly onClear?: () => void,
  ) {}
  async getToken(opts?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<string | null> {
    if (opts?.signal?.aborted) {
      throw new CancelledError();
    }
    return this.get(opts?.forceRefresh === true);
  }
  clear(): void {
    this.onClear?.();
  }
}

/** The options of `vscode.authentication.getSession` this extension uses (mirrored: no `vscode` import). */
export interface SessionRequestOptions {
  silent?: boolean;
  createIfNone?: boolean;
  forceNewSession?: boolean | { detail: string };
}

/** The part of a `vscode.AuthenticationSession` a token provider needs. */
export interface SessionLike {
  accessToken: string;
  account: { label: string };
}

/**
 * Which getSession options a request may use. Only the user's own command (Sign In) may show a dialog
 * or replace a session: a refresh, a 401 in the background or a bulk action is always silent. Sign In
 * asks for a new session when the backend refused the current one, since the same session would only
 * be refused again.
 */
export function sessionRequestOptions(request: { interactive: boolean; refused: boolean }): SessionRequestOptions {
  if (!request.interactive) {
    return { silent: true };
  }
  if (request.refused) {
    return { forceNewSession: { detail: 'The backend refused the current Microsoft sign-in. Sign in again, with an account that may use the incidents API.' } };
  }
  return { createIfNone: true };
}

/**
 * A VS Code Microsoft authentication session as a TokenProvider (the extension passes
 * `vscode.authentication.getSession` in). VS Code keeps and renews the token; nothing is stored here
 * but the last token handed out, to tell a refused session from a renewed one.
 */
export class SessionTokenProvider implements TokenProvider {
  private last: string | null = null;
  private refusedToken: string | null = null;

  constructor(
    private readonly getSession: (opts: SessionRequestOptions) => Promise<SessionLike | undefined>,
    private readonly onAccount?: (label: string) => void,
  ) {}

  /** True once the backend refused (401) the session's token and VS Code has no other one. */
  get refused(): boolean {
    return this.refusedToken !== null;
  }

  async getToken(opts?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<string> {
    if (opts?.signal?.aborted) {
      throw new CancelledError();
    }
    // A forced refresh follows a 401 for the last token: ask again, silently, and never send the
    // token that was just refused a second time.
    if (opts?.forceRefresh && this.last) {
      this.refusedToken = this.last;
    }
    let session: SessionLike | undefined;
    try {
      session = await abortable(this.getSession(sessionRequestOptions({ interactive: false, refused: this.refused })), opts?.signal);
    } catch (e) {
      if (e instanceof CancelledError) {
        throw e;
      }
      throw new AuthError(`Microsoft sign-in failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!session) {
      throw new AuthError('Not signed in: run "Defender Incidents: Sign In".');
    }
    if (session.accessToken === this.refusedToken) {
      throw new AuthError('The backend refused your Microsoft sign-in (401): run "Defender Incidents: Sign In" to sign in again.');
    }
    this.refusedToken = null;
    this.last = session.accessToken;
    this.onAccount?.(session.account.label);
    return session.accessToken;
  }

  clear(): void {
    this.last = null;
    this.refusedToken = null;
  }
}

export interface ClientSecretOptions {
  /** e.g. https://login.microsoftonline.com (validated by config.ts). */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  /** v2 scope, e.g. https://api.security.microsoft.com/.default */
  scope: string;
  /** Read from SecretStorage on demand, so a changed secret is picked up without a reload. */
  getSecret: () => Promise<string | undefined>;
  timeoutMs?: number;
  /** One line per token request, like the HTTP layer's: never the body, never the token. */
  log?: (line: string) => void;
  now?: () => number;
}

const FIVE_MINUTES = 5 * 60_000;

export class ClientSecretTokenProvider implements TokenProvider {
  private cached: { token: string; refreshAt: number } | null = null;
  private inflight: Promise<string> | null = null;
  private generation = 0;
  private readonly http: AxiosInstance;
  private readonly now: () => number;

  constructor(private readonly opts: ClientSecretOptions) {
    this.now = opts.now ?? Date.now;
    this.http = axios.create({
      timeout: 0,
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: [(d: unknown) => d],
      validateStatus: () => true,
    });
  }

  async getToken(opts?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<string> {
    if (opts?.signal?.aborted) {
      throw new CancelledError();
    }
    if (opts?.forceRefresh) {
      this.cached = null;
    } else if (this.cached && this.now() < this.cached.refreshAt) {
      return this.cached.token;
    }
    // Concurrent callers (a refresh plus a bulk action) share one token request.
    if (!this.inflight) {
      const gen = this.generation;
      this.inflight = this.fetchToken().then(
        t => {
          if (gen === this.generation) {
            this.cached = t;
            this.inflight = null;
          }
          return t.token;
        },
        (e: unknown) => {
          if (gen === this.generation) {
            this.inflight = null;
          }
          throw e;
        },
      );
    }
    return abortable(this.inflight, opts?.signal);
  }

  clear(): void {
    this.cached = null;
    this.inflight = null;
    this.generation++;
  }

  private async fetchToken(): Promise<{ token: string; refreshAt: number }> {
    const secret = await this.opts.getSecret();
    if (!secret) {
      throw new AuthError('No client secret is set: run "Defender Incidents: Set Client Secret".');
    }
    const authority = this.opts.authorityHost.replace(/\/+$/, '');
    const path = `/${encodeURIComponent(this.opts.tenantId)}/oauth2/v2.0/token`;
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.opts.clientId,
      client_secret: secret,
      scope: this.opts.scope,
    }).toString();
    const started = this.now();
    const timeoutMs = this.opts.timeoutMs ?? 30_000;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), safeDelay(timeoutMs, 1));
    let status = 0;
    let text: string;
    try {
      const res = await this.http.post<string>(`${authority}${path}`, form, {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        signal: controller.signal,
      });
      status = res.status;
      text = typeof res.data === 'string' ? res.data : '';
    } catch (e: unknown) {
      const code = isObject(e) && typeof e.code === 'string' ? e.code : 'network error';
      this.opts.log?.(`POST ${path} ${controller.signal.aborted ? 'TIMEOUT' : code} ${this.now() - started}ms retries=0`);
      const why = controller.signal.aborted ? `no answer within ${Math.round(timeoutMs / 1000)} s` : code;
      throw new UnreachableError(`Could not reach the sign-in service ${hostOf(authority)} (${why}).`);
    } finally {
      clearTimeout(timer);
    }
    this.opts.log?.(`POST ${path} ${status} ${this.now() - started}ms retries=0`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (status < 200 || status >= 300 || !isObject(body) || typeof body.access_token !== 'string') {
      throw new AuthError(entraMessage(status, body, secret));
    }
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : typeof body.expires_in === 'string' ? Number(body.expires_in) : 3600) * 1000;
    const lifetime = Number.isFinite(lifetimeMs) && lifetimeMs > 0 ? lifetimeMs : 3_600_000;
    // Renew 5 minutes early, but keep short-lived tokens for at least half their life.
    const keep = Math.max(lifetime - FIVE_MINUTES, lifetime / 2);
    return { token: body.access_token, refreshAt: started + keep };
  }
}

/** Defence in depth: even if Entra echoed the secret back, it must not reach the UI; scrubbed before it is cut to one line. */
function entraMessage(status: number, body: unknown, secret: string): string {
  if (isObject(body) && typeof body.error === 'string') {
    const desc = typeof body.error_description === 'string' ? redactSecrets(body.error_description, [secret]).split(/\r?\n/)[0].trim() : '';
    return `Sign-in with the client secret failed (${redactSecrets(body.error, [secret])}${desc ? `: ${desc}` : ''}). Check the tenant, client ID and secret, then sign in again.`;
  }
  if (status >= 200 && status < 300) {
    return 'Sign-in failed: the token endpoint answered without an access token.';
  }
  return `Sign-in with the client secret failed (HTTP ${status}). Check the tenant, client ID and secret, then sign in again.`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

/** Lets one caller stop waiting for a shared promise without cancelling it for the others. */
export function abortable<T>(p: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) {
    return p;
  }
  if (signal.aborted) {
    return Promise.reject(new CancelledError());
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new CancelledError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      v => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
