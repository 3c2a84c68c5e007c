/**
 * Settings -> a validated BackendConfig. Every problem is a ConfigError naming the setting, raised
 * before anything is sent.
 *
 * Hosts are restricted on purpose: `apiBaseUrl` receives the bearer token and `authorityHost` the
 * client secret, and both settings can come from a workspace's .vscode/settings.json. Only Microsoft
 * cloud hosts (public, regional, government, China) and loopback are accepted, so a cloned repository
 * cannot redirect credentials to a host of its choosing. No `vscode` import.
 */
import { ConfigError } from './errors';
import type { BackendKind } from './types';

export type AuthMethod = 'vscode' | 'clientSecret';

export const SETTINGS = {
  backend: 'defenderIncidents.backend',
  apiBaseUrl: 'defenderIncidents.apiBaseUrl',
  authorityHost: 'defenderIncidents.authorityHost',
  tenantId: 'defenderIncidents.tenantId',
  clientId: 'defenderIncidents.clientId',
  authMethod: 'defenderIncidents.authMethod',
} as const;

export const DEFAULT_API_BASE_URL = {
  defender: 'https://api.security.microsoft.com',
  graph: 'https://graph.microsoft.com',
} as const;

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

export const DEFENDER_PUBLIC_SCOPE = 'https://api.security.microsoft.com/.default';
export const GRAPH_PUBLIC_SCOPE = 'https://graph.microsoft.com/.default';

export interface RawBackendSettings {
  backend: string;
  apiBaseUrl?: string;
  authorityHost?: string;
  tenantId?: string;
  clientId?: string;
  authMethod?: string;
}

export interface BackendConfig {
  kind: BackendKind;
  /** Origin (plus any path prefix), no trailing slash. Empty for the mock (its URL comes at run time). */
  apiBaseUrl: string;
  authMethod: AuthMethod;
  /** Origin of the Entra authority, no trailing slash. */
  authorityHost: string;
  /** GUID or domain; '' when not set. */
  tenantId: string;
  /** GUID; '' when not set. */
  clientId: string;
  /** v2 scope for the client-credentials flow; '' for the mock. */
  scope: string;
  /** Scopes for `vscode.authentication.getSession('microsoft', ...)`. */
  sessionScopes: string[];
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

/** Microsoft cloud API hosts: api.security.microsoft.com (+ us., eu., ...), graph.microsoft.com, .us, China. */
const API_DOMAINS: Record<'defender' | 'graph', readonly string[]> = {
  defender: ['security.microsoft.com', 'security.microsoft.us', 'securitycenter.microsoft.com', 'securitycenter.microsoft.us'],
  graph: ['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'],
};
const AUTHORITY_DOMAINS = ['login.microsoftonline.com', 'login.microsoftonline.us', 'login.partner.microsoftonline.cn', 'login.chinacloudapi.cn'];

export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  return h === 'localhost' || h === '[::1]' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

function underDomain(host: string, domains: readonly string[]): boolean {
  const h = host.toLowerCase();
  return domains.some(d => h === d || h.endsWith(`.${d}`));
}

/** Parses a URL setting into origin + path prefix, enforcing https (or http on loopback). */
function parseUrlSetting(setting: string, value: string, domains: readonly string[]): { origin: string; path: string; loopback: boolean; host: string } {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(setting, `Setting ${setting} must be an absolute URL such as https://${domains[0]} (it is "${value}").`);
  }
  const loopback = isLoopbackHost(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) {
    throw new ConfigError(setting, `Setting ${setting} must use https:// (plain http is allowed only for 127.0.0.1, localhost or [::1]).`);
  }
  if (u.username || u.password) {
    throw new ConfigError(setting, `Setting ${setting} must not contain a user name or password.`);
  }
  if (u.search || value.includes('?')) {
    throw new ConfigError(setting, `Setting ${setting} must not contain a query (?...).`);
  }
  if (u.hash || value.includes('#')) {
    throw new ConfigError(setting, `Setting ${setting} must not contain a fragment (#...).`);
  }
  if (!loopback && !underDomain(u.hostname, domains)) {
    throw new ConfigError(setting, `Setting ${setting} must be a Microsoft cloud host (${domains.join(', ')}, or a subdomain) or a loopback address; "${u.host}" is not allowed because credentials are sent there.`);
  }
  return { origin: u.origin, path: u.pathname.replace(/\/+$/, ''), loopback, host: u.hostname.toLowerCase() };
}

export function resolveBackendConfig(raw: RawBackendSettings): BackendConfig {
  const backend = (raw.backend ?? '').trim();
  if (backend !== 'mock' && backend !== 'defender' && backend !== 'graph') {
    throw new ConfigError(SETTINGS.backend, `Setting ${SETTINGS.backend} must be "mock", "defender" or "graph" (it is "${backend}").`);
  }
  const authMethodRaw = (raw.authMethod ?? '').trim() || 'vscode';
  if (backend === 'mock') {
    // The mock needs no account: ignore the tenant settings so a half-filled form never blocks it.
    return { kind: 'mock', apiBaseUrl: '', authMethod: 'vscode', authorityHost: DEFAULT_AUTHORITY_HOST, tenantId: '', clientId: '', scope: '', sessionScopes: [] };
  }
  if (authMethodRaw !== 'vscode' && authMethodRaw !== 'clientSecret') {
    throw new ConfigError(SETTINGS.authMethod, `Setting ${SETTINGS.authMethod} must be "vscode" or "clientSecret" (it is "${authMethodRaw}").`);
  }
  const authMethod: AuthMethod = authMethodRaw;

  const apiRaw = (raw.apiBaseUrl ?? '').trim() || DEFAULT_API_BASE_URL[backend];
  const api = parseUrlSetting(SETTINGS.apiBaseUrl, apiRaw, API_DOMAINS[backend]);
  // Our paths already carry /v1.0 and /api: a base URL with them would double up.
  const suffix = backend === 'graph' ? /\/(v1\.0|beta)$/i : /\/api$/i;
  if (suffix.test(api.path)) {
    throw new ConfigError(SETTINGS.apiBaseUrl, `Setting ${SETTINGS.apiBaseUrl} should be the host only (for example ${DEFAULT_API_BASE_URL[backend]}), without "${api.path}".`);
  }

  const authorityRaw = (raw.authorityHost ?? '').trim() || DEFAULT_AUTHORITY_HOST;
  const authority = parseUrlSetting(SETTINGS.authorityHost, authorityRaw, AUTHORITY_DOMAINS);
  if (authority.path !== '') {
    throw new ConfigError(SETTINGS.authorityHost, `Setting ${SETTINGS.authorityHost} must be the host only, such as ${DEFAULT_AUTHORITY_HOST} (without "${authority.path}"); the tenant goes in ${SETTINGS.tenantId}.`);
  }

  const tenantId = (raw.tenantId ?? '').trim();
  if (tenantId && !GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
    throw new ConfigError(SETTINGS.tenantId, `Setting ${SETTINGS.tenantId} must be a tenant GUID or a domain such as contoso.onmicrosoft.com (it is "${tenantId}").`);
  }
  const clientId = (raw.clientId ?? '').trim();
  if (clientId && !GUID.test(clientId)) {
    throw new ConfigError(SETTINGS.clientId, `Setting ${SETTINGS.clientId} must be the application (client) ID, a GUID (it is "${clientId}").`);
  }
  if (authMethod === 'clientSecret') {
    if (!tenantId) { throw new ConfigError(SETTINGS.tenantId, `Setting ${SETTINGS.tenantId} is required for the client-secret sign-in.`); }
    if (!clientId) { throw new ConfigError(SETTINGS.clientId, `Setting ${SETTINGS.clientId} is required for the client-secret sign-in.`); }
  }

  const scope = scopeFor(backend, api);
  const sessionScopes = [scope];
  if (clientId) { sessionScopes.push(`VSCODE_CLIENT_ID:${clientId}`); }
  if (tenantId) { sessionScopes.push(`VSCODE_TENANT:${tenantId}`); }

  return {
    kind: backend, apiBaseUrl: api.origin + api.path, authMethod, authorityHost: authority.origin,
    tenantId, clientId, scope, sessionScopes,
  };
}

/**
 * The token audience. Regional Defender hosts (us.api.security...) share the public resource; a
 * loopback URL (the mock in a real dialect) gets the public-cloud scope; sovereign hosts are their own.
 */
function scopeFor(backend: 'defender' | 'graph', api: { origin: string; loopback: boolean; host: string }): string {
  if (backend === 'defender') {
    if (api.loopback || api.host === 'api.security.microsoft.com' || api.host.endsWith('.api.security.microsoft.com')) {
      return DEFENDER_PUBLIC_SCOPE;
    }
    return `${api.origin}/.default`;
  }
  return api.loopback ? GRAPH_PUBLIC_SCOPE : `${api.origin}/.default`;
}
