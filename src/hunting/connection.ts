/**
 * Where advanced hunting goes: Graph, whichever incidents backend is chosen. On the Graph backend it is
 * the same host and token; on the Defender backend the same app registration gets a second token, for
 * Graph (`ThreatHunting.Read.All` travels in `https://graph.microsoft.com/.default`); in mock mode it is
 * the built-in mock's Graph dialect. No `vscode` import.
 */
import { isLoopbackHost, type BackendConfig } from '../backend/config';
import { BACKENDS } from '../model/backends';

const GRAPH_PUBLIC_SCOPE = BACKENDS.graph.publicScope;

export interface HuntingTarget {
  /** Graph's origin (no /v1.0). */
  baseUrl: string;
  /** The v2 scope of the Graph token. */
  scope: string;
}

/** The Graph host that belongs with a Defender API host: the US government clouds have their own. */
export function huntingTarget(config: Pick<BackendConfig, 'kind' | 'apiBaseUrl'>): HuntingTarget {
  const u = new URL(config.apiBaseUrl);
  // A loopback URL is the mock in a real dialect: it serves Graph on the same origin.
  if (isLoopbackHost(u.hostname)) return { baseUrl: u.origin, scope: GRAPH_PUBLIC_SCOPE };
  if (BACKENDS[config.kind].canHunt) return { baseUrl: config.apiBaseUrl, scope: `${u.origin}/.default` };
  const host = u.hostname.toLowerCase();
  const origin = host.endsWith('.microsoft.us') ? 'https://graph.microsoft.us' : 'https://graph.microsoft.com';
  return { baseUrl: origin, scope: origin === 'https://graph.microsoft.com' ? GRAPH_PUBLIC_SCOPE : `${origin}/.default` };
}

/** The key the hunting pacer is shared under: the service counts per tenant. */
export function huntingTenantKey(config: Pick<BackendConfig, 'kind' | 'tenantId'>, baseUrl: string): string {
  if (BACKENDS[config.kind].builtIn) return `${config.kind}|${new URL(baseUrl).host}`;
  return `${new URL(baseUrl).host}|${config.tenantId.toLowerCase() || 'organizations'}`;
}
