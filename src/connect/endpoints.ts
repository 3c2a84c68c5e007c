/**
 * Where Check Connection sends each capability's call: the backend's own API, and Microsoft Graph for
 * hunting when the backend is the Defender API (the same app registration, another token audience).
 * No `vscode` import.
 */
import type { BackendConfig } from '../backend/config';
import { huntingTarget } from '../hunting/connection';
import { BACKENDS } from '../model/backends';

/**
 * The configuration of the Graph calls for the same sign-in: on the Graph backend itself; elsewhere the
 * Graph host and audience hunting uses (src/hunting/connection.ts), with the same tenant and app.
 */
export function graphConfigFor(config: BackendConfig): BackendConfig {
  if (BACKENDS[config.kind].canHunt) return config;
  const { baseUrl: apiBaseUrl, scope } = huntingTarget({ kind: config.kind, apiBaseUrl: config.apiBaseUrl || BACKENDS[config.kind].defaultApiBaseUrl });
  const sessionScopes = [scope, ...config.sessionScopes.filter(s => s.startsWith('VSCODE_'))];
  return { ...config, kind: 'graph', apiBaseUrl, scope, sessionScopes };
}

/** The API host for messages: the configured origin's host, never a URL with a path or credentials. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
