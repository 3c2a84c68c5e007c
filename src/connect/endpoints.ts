/**
 * Where Check Connection sends each capability's call: the backend's own API, and Microsoft Graph for
 * hunting when the backend is the Defender API (the same app registration, another token audience).
 * No `vscode` import.
 */
import { isLoopbackHost, type BackendConfig } from '../backend/config';
import { BACKENDS } from '../model/backends';

/** Graph hosts of each cloud, by the Defender API host's cloud. */
function graphOriginFor(apiBaseUrl: string): string {
  const host = new URL(apiBaseUrl).hostname.toLowerCase();
  if (host.endsWith('.microsoft.us')) return 'https://graph.microsoft.us';
  return 'https://graph.microsoft.com';
}

/**
 * The configuration of the Graph calls for the same sign-in: on the Graph backend itself; on a loopback
 * API (the mock in a real dialect) the same server, which speaks both; otherwise the cloud's Graph host.
 */
export function graphConfigFor(config: BackendConfig): BackendConfig {
  if (config.kind === 'graph') return config;
  const loopback = config.apiBaseUrl !== '' && isLoopbackHost(new URL(config.apiBaseUrl).hostname);
  const apiBaseUrl = loopback ? config.apiBaseUrl : graphOriginFor(config.apiBaseUrl || 'https://api.security.microsoft.com');
  const scope = loopback ? BACKENDS.graph.publicScope : `${apiBaseUrl}/.default`;
  const sessionScopes = [scope, ...config.sessionScopes.filter(s => s.startsWith('VSCODE_'))];
  return { ...config, kind: 'graph', apiBaseUrl, scope, sessionScopes };
}

/** The API host for messages: the configured origin's host, never a URL with a path or credentials. */
export function hostOf(url: string): string {
  try { return new URL(url).host; } catch { return url; }
}
