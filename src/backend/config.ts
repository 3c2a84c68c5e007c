/**
 * Settings -> a validated BackendConfig. Every problem is a ConfigError naming the setting, raised
 * before anything is sent.
 *
 * Hosts are restricted on purpose: `apiBaseUrl` receives the bearer token and `authorityHost` the
 * client secret. Only Microsoft cloud hosts (public, regional, government, China) and loopback are
 * accepted. The backend, both URLs and the sign-in method are read from user (or remote machine)
 * settings only (`readBackendSettings`): a workspace's .vscode/settings.json, even in a trusted
 * workspace such as a dev container or an SSH host, cannot point them at a listener of its own. A
 * loopback URL is accepted only when the user set it, and even then a loopback API gets no production
 * credential (a dev container's devcontainer.json writes the remote machine's settings, which count as
 * user settings): only a loopback authority's own secret and tokens. No `vscode` import.
 */
import { ConfigError } from './errors';
import { settingId, Settings } from '../constants';
import type { BackendKind } from './types';
import { BACKEND_KINDS, BACKENDS, isBackendKind, isRealApi, type RealApiKind } from '../model/backends';

export type AuthMethod = 'vscode' | 'clientSecret';

/** The backend's settings, each by its full id; the keys themselves are the one settings-key module's (src/constants.ts). */
const BACKEND_SETTINGS = [
  Settings.backend,
  Settings.apiBaseUrl,
  Settings.authorityHost,
  Settings.tenantId,
  Settings.clientId,
  Settings.authMethod,
  Settings.userPrincipalName,
] as const;
type BackendSettingKey = (typeof BACKEND_SETTINGS)[number];
export const SETTINGS = Object.fromEntries(BACKEND_SETTINGS.map(k => [k, settingId(k)])) as Readonly<Record<BackendSettingKey, string>>;

/** The default API origins, from the backend table (src/model/backends.ts). */
export const DEFAULT_API_BASE_URL = {
  defender: BACKENDS.defender.defaultApiBaseUrl,
  graph: BACKENDS.graph.defaultApiBaseUrl,
} as const;

export const DEFAULT_AUTHORITY_HOST = 'https://login.microsoftonline.com';

/** Where a setting's value came from, as `WorkspaceConfiguration.inspect()` tells it. */
export type SettingSource = 'default' | 'user' | 'workspace' | 'workspaceFolder';

export interface RawBackendSettings {
  backend: string;
  apiBaseUrl?: string;
  authorityHost?: string;
  tenantId?: string;
  clientId?: string;
  authMethod?: string;
  /** Who "assign to me" is with a client secret (user settings only); not part of the connection. */
  userPrincipalName?: string;
  /**
   * Where `apiBaseUrl` and `authorityHost` came from. A loopback URL is accepted for a real backend
   * only from 'user'; a missing entry counts as not from the user.
   */
  sources?: Partial<Record<'apiBaseUrl' | 'authorityHost', SettingSource>>;
}

/** The part of `WorkspaceConfiguration.inspect()` the settings resolution reads. */
export interface SettingInspection {
  defaultValue?: unknown;
  /** User settings (in a remote window: the remote machine's settings). */
  globalValue?: unknown;
  workspaceValue?: unknown;
  workspaceFolderValue?: unknown;
}

/**
 * Settings that take effect only from user (or remote machine) settings, never from a workspace: where
 * credentials go, and who they are for (tenant, app, the identity "assign to me" writes).
 */
export const USER_ONLY_SETTINGS = [
  Settings.backend,
  Settings.apiBaseUrl,
  Settings.authorityHost,
  Settings.authMethod,
  Settings.tenantId,
  Settings.clientId,
  Settings.userPrincipalName,
] as const;

/** A workspace value that was not used. */
export interface IgnoredSetting {
  /** Full id, e.g. defenderIncidents.apiBaseUrl */
  setting: string;
  from: 'workspace' | 'workspaceFolder';
}

export interface ReadSettings {
  raw: RawBackendSettings;
  /** Workspace and folder values of the user-only settings, which were not used. */
  ignored: IgnoredSetting[];
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/**
 * The backend settings from `inspect()` results: the user-only settings from user settings or their
 * default (a workspace or folder value is ignored and reported), the others as VS Code resolves them
 * (`effective`, i.e. `get()`: VS Code already keeps them from untrusted workspaces).
 */
export function readBackendSettings(
  inspect: (key: BackendSettingKey) => SettingInspection | undefined,
  _effective?: (key: BackendSettingKey) => unknown,
): ReadSettings {
  const ignored: IgnoredSetting[] = [];
  const sources: NonNullable<RawBackendSettings['sources']> = {};
  const userOnly = (key: (typeof USER_ONLY_SETTINGS)[number]): string | undefined => {
    const i = inspect(key) ?? {};
    if (i.workspaceFolderValue !== undefined) {
      ignored.push({ setting: SETTINGS[key], from: 'workspaceFolder' });
    }
    if (i.workspaceValue !== undefined) {
      ignored.push({ setting: SETTINGS[key], from: 'workspace' });
    }
    const user = str(i.globalValue);
    if (key === 'apiBaseUrl' || key === 'authorityHost') {
      sources[key] = user !== undefined ? 'user' : 'default';
    }
    return user ?? str(i.defaultValue);
  };
  const raw: RawBackendSettings = {
    backend: userOnly('backend') ?? 'mock',
    apiBaseUrl: userOnly('apiBaseUrl'),
    authorityHost: userOnly('authorityHost'),
    authMethod: userOnly('authMethod'),
    tenantId: userOnly('tenantId'),
    clientId: userOnly('clientId'),
    userPrincipalName: userOnly('userPrincipalName'),
    sources,
  };
  return { raw, ignored };
}

/** The one-time notice about ignored workspace values, e.g. for a warning message. */
export function describeIgnored(ignored: readonly IgnoredSetting[]): string {
  const where = (f: IgnoredSetting['from']): string => (f === 'workspace' ? 'the workspace settings' : "a workspace folder's settings");
  const parts = [...new Set(ignored.map(i => i.from))].map(
    f =>
      `${ignored
        .filter(i => i.from === f)
        .map(i => i.setting)
        .join(', ')} from ${where(f)}`,
  );
  return `Ignored ${parts.join('; ')}: the backend, its URLs, the sign-in method, the tenant, the app and your identity are taken only from your user settings, so a repository cannot send your sign-in elsewhere or act as someone else.`;
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

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

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
function parseUrlSetting(
  setting: string,
  value: string,
  domains: readonly string[],
  source: SettingSource | undefined,
): { origin: string; path: string; loopback: boolean; host: string } {
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
    throw new ConfigError(
      setting,
      `Setting ${setting} must be a Microsoft cloud host (${domains.join(', ')}, or a subdomain) or a loopback address; "${u.host}" is not allowed because credentials are sent there.`,
    );
  }
  if (loopback && source !== 'user') {
    // Whatever listens on this machine's loopback is not necessarily the user's: only a URL the user
    // set in user settings gets the Microsoft session token or the client secret.
    throw new ConfigError(
      setting,
      `Setting ${setting} points at the loopback address ${u.host}, which gets your sign-in only when set in your user settings (it comes from ${source === undefined ? 'an unknown place' : `${source} settings`}).`,
    );
  }
  return { origin: u.origin, path: u.pathname.replace(/\/+$/, ''), loopback, host: u.hostname.toLowerCase() };
}

export function resolveBackendConfig(raw: RawBackendSettings): BackendConfig {
  const backend = (raw.backend ?? '').trim();
  if (!isBackendKind(backend)) {
    const kinds = BACKEND_KINDS.map(k => `"${k}"`);
    throw new ConfigError(
      SETTINGS.backend,
      `Setting ${SETTINGS.backend} must be ${kinds.slice(0, -1).join(', ')} or ${kinds[kinds.length - 1]} (it is "${backend}").`,
    );
  }
  const authMethodRaw = (raw.authMethod ?? '').trim() || 'vscode';
  if (!isRealApi(backend)) {
    // The mock needs no account: ignore the tenant settings so a half-filled form never blocks it.
    return {
      kind: backend,
      apiBaseUrl: '',
      authMethod: 'vscode',
      authorityHost: DEFAULT_AUTHORITY_HOST,
      tenantId: '',
      clientId: '',
      scope: '',
      sessionScopes: [],
    };
  }
  if (authMethodRaw !== 'vscode' && authMethodRaw !== 'clientSecret') {
    throw new ConfigError(SETTINGS.authMethod, `Setting ${SETTINGS.authMethod} must be "vscode" or "clientSecret" (it is "${authMethodRaw}").`);
  }
  const authMethod: AuthMethod = authMethodRaw;

  const apiRaw = (raw.apiBaseUrl ?? '').trim() || DEFAULT_API_BASE_URL[backend];
  const api = parseUrlSetting(SETTINGS.apiBaseUrl, apiRaw, BACKENDS[backend].apiDomains, raw.sources?.apiBaseUrl);
  // Our paths already carry /v1.0 and /api: a base URL with them would double up.
  const suffix = BACKENDS[backend].versionSuffix;
  if (suffix?.test(api.path)) {
    throw new ConfigError(
      SETTINGS.apiBaseUrl,
      `Setting ${SETTINGS.apiBaseUrl} should be the host only (for example ${DEFAULT_API_BASE_URL[backend]}), without "${api.path}".`,
    );
  }

  const authorityRaw = (raw.authorityHost ?? '').trim() || DEFAULT_AUTHORITY_HOST;
  const authority = parseUrlSetting(SETTINGS.authorityHost, authorityRaw, AUTHORITY_DOMAINS, raw.sources?.authorityHost);
  if (authority.path !== '') {
    throw new ConfigError(
      SETTINGS.authorityHost,
      `Setting ${SETTINGS.authorityHost} must be the host only, such as ${DEFAULT_AUTHORITY_HOST} (without "${authority.path}"); the tenant goes in ${SETTINGS.tenantId}.`,
    );
  }

  const tenantId = (raw.tenantId ?? '').trim();
  if (tenantId && !GUID.test(tenantId) && !DOMAIN.test(tenantId)) {
    throw new ConfigError(
      SETTINGS.tenantId,
      `Setting ${SETTINGS.tenantId} must be a tenant GUID or a domain such as contoso.onmicrosoft.com (it is "${tenantId}").`,
    );
  }
  const clientId = (raw.clientId ?? '').trim();
  if (clientId && !GUID.test(clientId)) {
    throw new ConfigError(SETTINGS.clientId, `Setting ${SETTINGS.clientId} must be the application (client) ID, a GUID (it is "${clientId}").`);
  }
  if (authMethod === 'clientSecret') {
    if (!tenantId) {
      throw new ConfigError(SETTINGS.tenantId, `Setting ${SETTINGS.tenantId} is required for the client-secret sign-in.`);
    }
    if (!clientId) {
      throw new ConfigError(SETTINGS.clientId, `Setting ${SETTINGS.clientId} is required for the client-secret sign-in.`);
    }
  } else if (!clientId) {
    // VS Code's own Microsoft client is not consented for these APIs: its sign-in would succeed and
    // every request would then be refused.
    throw new ConfigError(
      SETTINGS.clientId,
      `Setting ${SETTINGS.clientId} is required to sign in with VS Code's Microsoft account: set the application (client) ID of your app registration (VS Code's own client cannot get tokens for the ${BACKENDS[backend].tokenAudienceName} API), or set ${SETTINGS.authMethod} to "clientSecret".`,
    );
  }

  if (api.loopback && !(authMethod === 'clientSecret' && authority.loopback)) {
    // A listener on this machine is not necessarily the user's: a dev container's devcontainer.json writes
    // the remote machine's settings, which count as user settings. So a loopback API never gets a
    // production credential: no VS Code Microsoft account token, no token from a Microsoft authority.
    // Only a loopback authority's own secret (kept apart: one secret per authority) and its tokens go there.
    throw new ConfigError(
      SETTINGS.apiBaseUrl,
      `Setting ${SETTINGS.apiBaseUrl} points at the loopback address ${new URL(api.origin).host}, which never gets production credentials: ` +
        `use "clientSecret" with ${SETTINGS.authorityHost} on loopback too (a local mock's own credentials), or a Microsoft cloud API host.`,
    );
  }

  const scope = scopeFor(backend, api);
  const sessionScopes = [scope];
  if (clientId) {
    sessionScopes.push(`VSCODE_CLIENT_ID:${clientId}`);
  }
  if (tenantId) {
    sessionScopes.push(`VSCODE_TENANT:${tenantId}`);
  }

  return {
    kind: backend,
    apiBaseUrl: api.origin + api.path,
    authMethod,
    authorityHost: authority.origin,
    tenantId,
    clientId,
    scope,
    sessionScopes,
  };
}

/**
 * The token audience. Hosts the backend table says share the public resource (Defender's regional ones) and
 * a loopback URL (the mock in a real dialect) get the public-cloud scope; sovereign hosts are their own.
 */
function scopeFor(backend: RealApiKind, api: { origin: string; loopback: boolean; host: string }): string {
  const d = BACKENDS[backend];
  return api.loopback || d.publicScopeHosts?.test(api.host) ? d.publicScope : `${api.origin}/.default`;
}

/**
 * The key local history (drafts, outbox, journal) is kept under: backend kind + API host + tenant,
 * e.g. `defender|api.security.microsoft.com|72f988bf-...`, so incident #123 of one tenant never shows
 * another tenant's unsent comment. The mock is `mock`. No tenant set (VS Code sign-in to the account's
 * home tenant) is `organizations`, VS Code's own default.
 */
export function historyScope(config: BackendConfig): string {
  if (BACKENDS[config.kind].builtIn) {
    return config.kind;
  }
  let host: string;
  try {
    host = new URL(config.apiBaseUrl).host.toLowerCase();
  } catch {
    host = config.apiBaseUrl.toLowerCase();
  }
  return `${config.kind}|${host}|${config.tenantId.toLowerCase() || 'organizations'}`;
}

/** How the view and the notifications name a connection: `contoso.onmicrosoft.com · Graph`, `Mock`. */
export function connectionLabel(config: BackendConfig): string {
  if (config.kind === 'mock') {
    return 'Mock';
  }
  const api = config.kind === 'graph' ? 'Graph' : 'Defender XDR';
  let host = '';
  try {
    host = new URL(config.apiBaseUrl).host.toLowerCase();
  } catch {
    host = config.apiBaseUrl;
  }
  const standard = host === new URL(DEFAULT_API_BASE_URL[config.kind]).host;
  return `${config.tenantId || 'home tenant'} · ${api}${standard ? '' : ` (${host})`}`;
}

/**
 * Where the client secret of one app registration in one tenant at one authority is kept in
 * SecretStorage: one secret per (authority, tenant, client ID), so switching the tenant or the app never
 * sends a secret to an authority or a client it was not entered for.
 */
export function secretKey(config: Pick<BackendConfig, 'authorityHost' | 'tenantId' | 'clientId'>): string {
  return `defenderIncidents.clientSecret|${config.authorityHost.toLowerCase()}|${config.tenantId.toLowerCase()}|${config.clientId.toLowerCase()}`;
}
