/**
 * A Microsoft Entra-style token endpoint for the client-credentials flow, and the bearer-token check
 * of the API routes. Tokens are random opaque strings (clients must never parse them) that the mock
 * remembers with their expiry, audience and client.
 */
import { randomBytes, randomUUID } from 'crypto';
import type { MockResponse } from './http';

export interface MockAuthOptions {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** When true, every API call needs a valid bearer token from this mock. */
  required: boolean;
  /** Default 3599, as Entra answers. */
  tokenLifetimeSec?: number;
  /**
   * The application permissions (app roles) an admin consented to, as Entra puts them in the token's
   * `roles` claim. Absent: every permission. With `required`, an API call whose route needs a role the
   * token lacks answers 403 with the real "Missing application roles" body.
   */
  roles?: string[];
  /** The app's only secret has expired: the token endpoint answers AADSTS7000222, as Entra does. */
  secretExpired?: boolean;
  /** The tenant has no Defender XDR licence: every API call answers 403 DisabledFeature (Defender) / Forbidden (Graph). */
  unlicensed?: boolean;
}

/** What may change at run time (the `/__mock/auth` control route): the "real tenant" outcomes a first contact can meet. */
export type MockAuthMode = Pick<MockAuthOptions, 'roles' | 'secretExpired' | 'unlicensed'>;

export type Audience = 'defender' | 'graph' | 'any';

interface IssuedToken {
  clientId: string;
  audience: Audience;
  expiresAt: number;
  revoked: boolean;
  roles: readonly string[] | null;
}

export type TokenCheck = { ok: true; clientId: string | null; roles: readonly string[] | null } | { ok: false; message: string };

export class TokenIssuer {
  private readonly tokens = new Map<string, IssuedToken>();

  private readonly auth: MockAuthOptions | undefined;

  constructor(
    auth: MockAuthOptions | undefined,
    private readonly now: () => Date,
  ) {
    // A copy: the mode changes at run time without touching the caller's options.
    this.auth = auth ? { ...auth, roles: auth.roles ? [...auth.roles] : undefined } : undefined;
  }

  get required(): boolean {
    return this.auth?.required ?? false;
  }

  /** Whether the tenant is licensed (only the "real tenant" mode can be unlicensed). */
  get unlicensed(): boolean {
    return (this.auth?.required ?? false) && this.auth?.unlicensed === true;
  }

  /** Change the consented roles, the secret's expiry or the licence from now on (tokens already issued keep their roles). */
  setMode(mode: MockAuthMode): void {
    if (!this.auth) throw new Error('The mock has no token endpoint (start it with auth options).');
    if ('roles' in mode) this.auth.roles = mode.roles === undefined ? undefined : [...mode.roles];
    if ('secretExpired' in mode) this.auth.secretExpired = mode.secretExpired === true;
    if ('unlicensed' in mode) this.auth.unlicensed = mode.unlicensed === true;
  }

  mode(): MockAuthMode {
    return {
      roles: this.auth?.roles ? [...this.auth.roles] : undefined,
      secretExpired: this.auth?.secretExpired === true,
      unlicensed: this.auth?.unlicensed === true,
    };
  }

  /** Every token issued so far (tests search logs and storage for them). */
  issued(): string[] {
    return [...this.tokens.keys()];
  }

  /** `POST /{tenant}/oauth2/v2.0/token` with a form-urlencoded body. */
  issue(tenant: string, form: URLSearchParams): MockResponse {
    const grant = form.get('grant_type');
    const clientId = form.get('client_id') ?? '';
    const secret = form.get('client_secret');
    const scope = form.get('scope') ?? '';
    if (grant !== 'client_credentials') {
      return entraError(400, 'unsupported_grant_type', 70003, `AADSTS70003: The app requested an unsupported grant type '${grant ?? ''}'.`, this.now());
    }
    if (this.auth && tenant.toLowerCase() !== this.auth.tenantId.toLowerCase()) {
      return entraError(
        400,
        'invalid_request',
        90002,
        `AADSTS90002: Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        this.now(),
      );
    }
    if (!clientId) {
      return entraError(400, 'invalid_request', 900144, "AADSTS900144: The request body must contain the following parameter: 'client_id'.", this.now());
    }
    if (this.auth && clientId !== this.auth.clientId) {
      return entraError(
        400,
        'unauthorized_client',
        700016,
        `AADSTS700016: Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant.`,
        this.now(),
      );
    }
    if (!secret) {
      return entraError(
        401,
        'invalid_client',
        7000218,
        "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        this.now(),
      );
    }
    if (this.auth && secret !== this.auth.clientSecret) {
      return entraError(
        401,
        'invalid_client',
        7000215,
        `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
        this.now(),
      );
    }
    if (this.auth?.secretExpired) {
      return entraError(
        401,
        'invalid_client',
        7000222,
        `AADSTS7000222: The provided client secret keys for app '${clientId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.`,
        this.now(),
      );
    }
    const scopes = scope.split(' ').filter(Boolean);
    if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
      return entraError(
        400,
        'invalid_scope',
        1002012,
        `AADSTS1002012: The provided value for scope ${scope || '(empty)'} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        this.now(),
      );
    }
    const lifetime = this.auth?.tokenLifetimeSec ?? 3599;
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, {
      clientId,
      audience: audienceOf(scopes[0]),
      expiresAt: this.now().getTime() + lifetime * 1000,
      revoked: false,
      roles: this.auth?.roles ? [...this.auth.roles] : null,
    });
    return { status: 200, body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: token } };
  }

  /**
   * Check the Authorization header for a call to `audience`. A token this mock issued that expired or
   * was revoked is refused even when auth is not required: a client must see that it has to refresh.
   */
  check(authorization: string | undefined, audience: Exclude<Audience, 'any'>): TokenCheck {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!m) {
      return this.required
        ? { ok: false, message: authorization ? 'The Authorization header is not a bearer token.' : 'Access token is empty.' }
        : { ok: true, clientId: null, roles: null };
    }
    const t = this.tokens.get(m[1]);
    if (!t) return this.required ? { ok: false, message: 'Access token validation failure. Invalid token.' } : { ok: true, clientId: null, roles: null };
    if (t.revoked || t.expiresAt <= this.now().getTime()) return { ok: false, message: 'Lifetime validation failed, the token is expired.' };
    if (this.required && t.audience !== 'any' && t.audience !== audience) return { ok: false, message: 'Access token validation failure. Invalid audience.' };
    return { ok: true, clientId: t.clientId, roles: this.required ? t.roles : null };
  }

  /** Make the bearer token in this header invalid from now on (the expiredToken fault). */
  revoke(authorization: string | undefined): void {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    const t = m ? this.tokens.get(m[1]) : undefined;
    if (t) t.revoked = true;
  }
}

/**
 * The application roles a route accepts (any one of them), as the real services list them in their 403
 * "API required roles"; null for a route that needs none of ours.
 */
export function requiredRoles(dialect: 'defender' | 'graph', method: string, pathname: string): string[] | null {
  const write = method !== 'GET';
  if (dialect === 'defender') {
    if (/^\/api\/incidents(\/|$)/.test(pathname)) return write ? ['Incident.ReadWrite.All'] : ['Incident.Read.All', 'Incident.ReadWrite.All'];
    if (/^\/api\/alerts(\/|$)/.test(pathname)) return write ? ['Alert.ReadWrite.All'] : ['Alert.Read.All', 'Alert.ReadWrite.All'];
    return null;
  }
  if (/^\/v1\.0\/security\/runHuntingQuery$/i.test(pathname)) return ['ThreatHunting.Read.All'];
  if (/^\/v1\.0\/security\/alerts_v2(\/|$)/.test(pathname))
    return write ? ['SecurityAlert.ReadWrite.All'] : ['SecurityAlert.Read.All', 'SecurityAlert.ReadWrite.All'];
  if (/^\/v1\.0\/security\/incidents(\/|$)/.test(pathname))
    return write ? ['SecurityIncident.ReadWrite.All'] : ['SecurityIncident.Read.All', 'SecurityIncident.ReadWrite.All'];
  return null;
}

/** The real services' 403 text for a token without the role: "Missing application roles. API required roles: A,B, application roles: C." */
export function missingRolesMessage(needed: readonly string[], held: readonly string[]): string {
  return `Missing application roles. API required roles: ${needed.join(',')}, application roles: ${held.join(',')}.`;
}

/** Tokens for the real resources only work on that API; any other resource (a test's own) works on both. */
function audienceOf(scope: string): Audience {
  const resource = scope.slice(0, -'/.default'.length).toLowerCase();
  if (/^https:\/\/([a-z0-9-]+\.)?api\.security\.microsoft\.com$/.test(resource) || resource === 'https://securitycenter.onmicrosoft.com/windowsatpservice')
    return 'defender';
  if (/^https:\/\/(graph\.microsoft\.com|graph\.microsoft\.us|dod-graph\.microsoft\.us|microsoftgraph\.chinacloudapi\.cn)$/.test(resource)) return 'graph';
  return 'any';
}

function entraError(status: number, error: string, code: number, description: string, now: Date): MockResponse {
  const trace = randomUUID();
  const correlation = randomUUID();
  const timestamp = now
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return {
    status,
    body: {
      error,
      error_description: `${description}\r\nTrace ID: ${trace}\r\nCorrelation ID: ${correlation}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: trace,
      correlation_id: correlation,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
  };
}
