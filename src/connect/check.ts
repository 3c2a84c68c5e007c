/**
 * Check Connection: one read call per capability (incidents, alerts, hunting) on the API the settings
 * choose, through the one HTTP road (so the shared pacer counts it), each outcome in words. No retries
 * and no silent token refresh: a capability costs at most one API call. Writes are never probed (they
 * would change data); the report names the permission each needs. No `vscode` import.
 */
import { AuthError, BackendError, ConfigError, ForbiddenError, NotFoundError, ThrottledError, UnreachableError } from '../backend/errors';
import { HttpClient, type RequestSpec } from '../backend/http';
import type { TokenProvider } from '../backend/auth';
import type { HttpFlavor, SlidingWindowPacer } from '../backend/pacer';
import type { BackendKind } from '../backend/types';
import { redactSecrets } from '../shared/text';
import { aadstsCode, aadstsWords } from './aadsts';
import { apiFor, type Capability, type CapabilityNeeds } from './permissions';

export type Outcome = 'works' | 'forbidden' | 'notLicensed' | 'unreachable' | 'wrongTenant' | 'signInFailed' | 'notAvailable' | 'throttled' | 'failed';

export const OUTCOME_LABEL: Readonly<Record<Outcome, string>> = {
  works: 'works',
  forbidden: 'forbidden',
  notLicensed: 'not licensed',
  unreachable: 'unreachable',
  wrongTenant: 'wrong tenant',
  signInFailed: 'sign-in failed',
  notAvailable: 'not available',
  throttled: 'throttled',
  failed: 'failed',
};

export interface ProbeLine {
  capability: Capability;
  /** "Incidents: the queue and every triage action". */
  what: string;
  outcome: Outcome;
  /** What happened, in words (never a secret or a token). */
  words: string;
  /** What to do, when something is wrong. */
  fix?: string;
  /** The permission the outcome is about (the missing one for `forbidden`). */
  permission?: string;
  /** The service's request id of the failed call, for a support case. */
  requestId?: string;
}

/** Where one API is reached: its flavor (pacer and messages), base URL and tokens. */
export interface ProbeEndpoint {
  flavor: HttpFlavor;
  baseUrl: string;
  tokens: TokenProvider;
  /** Tests pass their own; default the shared pacer of this API and host. */
  pacer?: SlidingWindowPacer;
}

export interface CheckInput {
  kind: BackendKind;
  /** The API the incidents (and, on Graph, the alerts) are read from. */
  api: ProbeEndpoint;
  /** Microsoft Graph for hunting: the same endpoint on the Graph backend; a ConfigError when it cannot be built. */
  graph: ProbeEndpoint | ConfigError;
  /** Strings that must never reach the report (the client secret, when one is set). */
  secrets?: readonly string[];
  timeoutMs?: number;
  log?: (line: string) => void;
}

const HUNT_QUERY = 'print Check = "Defender Incidents connection check"';

/** The one read call of a capability, or null when the capability is read with another one (Defender's embedded alerts). */
function probeSpec(kind: BackendKind, cap: Capability): RequestSpec | null {
  const graph = kind === 'graph';
  switch (cap) {
    case 'incidents':
      return { method: 'GET', path: graph ? '/v1.0/security/incidents?$top=1' : '/api/incidents?$top=1', what: 'The incidents list' };
    case 'alerts':
      return graph ? { method: 'GET', path: '/v1.0/security/alerts_v2?$top=1', what: 'The alerts list' } : null;
    case 'hunting':
      return { method: 'POST', path: '/v1.0/security/runHuntingQuery', body: { Query: HUNT_QUERY }, what: 'Advanced hunting' };
  }
}

/** Refuses the silent refresh after a 401: a probe must not cost a second call, and the 401 is the answer. */
class OneCallTokens implements TokenProvider {
  constructor(private readonly inner: TokenProvider) {}
  async getToken(opts?: { forceRefresh?: boolean; signal?: AbortSignal }): Promise<string | null> {
    if (opts?.forceRefresh) throw new AuthError('The API refused the token it was given (401).');
    return this.inner.getToken(opts);
  }
  clear(): void {
    /* the inner provider keeps its own cache */
  }
}

export async function checkConnection(input: CheckInput): Promise<ProbeLine[]> {
  const api = apiFor(input.kind);
  const lines: ProbeLine[] = [];
  /** A sign-in failure per endpoint: the other capabilities there are not tried again. */
  const signIn = new Map<ProbeEndpoint, ProbeLine>();
  let incidents: ProbeLine | undefined;
  for (const needs of api.capabilities) {
    const spec = probeSpec(input.kind, needs.capability);
    if (!spec) {
      // Defender's alerts come inside the incidents: the incidents call answered for them.
      const base = incidents!;
      lines.push(
        base.outcome === 'works'
          ? {
              capability: needs.capability,
              what: needs.what,
              outcome: 'works',
              words: `Read with the incidents (${needs.read}); no call of its own.`,
              permission: needs.read,
            }
          : { ...base, capability: needs.capability, what: needs.what, words: `Read with the incidents: ${base.words}` },
      );
      continue;
    }
    const endpoint = needs.api === 'graph' && input.kind !== 'graph' ? input.graph : input.api;
    const line =
      endpoint instanceof ConfigError
        ? { capability: needs.capability, what: needs.what, outcome: 'failed' as const, words: endpoint.message, fix: `Fix the setting ${endpoint.setting}.` }
        : await probe(endpoint, spec, needs, input, signIn);
    const scrubbed = {
      ...line,
      words: redactSecrets(line.words, input.secrets ?? []),
      ...(line.fix ? { fix: redactSecrets(line.fix, input.secrets ?? []) } : {}),
    };
    lines.push(scrubbed);
    if (needs.capability === 'incidents') incidents = scrubbed;
  }
  return lines;
}

async function probe(
  endpoint: ProbeEndpoint,
  spec: RequestSpec,
  needs: CapabilityNeeds,
  input: CheckInput,
  signIn: Map<ProbeEndpoint, ProbeLine>,
): Promise<ProbeLine> {
  const head = { capability: needs.capability, what: needs.what };
  const earlier = signIn.get(endpoint);
  if (earlier) return { ...earlier, ...head, words: `Not tried: ${earlier.words}` };
  const tokens = new OneCallTokens(endpoint.tokens);
  try {
    // The token first, on its own: a sign-in problem is the same for every capability of this API.
    await endpoint.tokens.getToken();
  } catch (e) {
    const line = { ...head, ...classify(e, needs) };
    signIn.set(endpoint, line);
    return line;
  }
  const http = new HttpClient({
    flavor: endpoint.flavor,
    baseUrl: endpoint.baseUrl,
    tokens,
    maxRetries: 0,
    retryAfterCapMs: 0,
    timeoutMs: input.timeoutMs ?? 20_000,
    log: input.log,
    ...(endpoint.pacer ? { pacer: endpoint.pacer } : {}),
    ...(endpoint.flavor === 'graph' ? { headers: { Prefer: 'include-unknown-enum-members' } } : {}),
  });
  try {
    await http.request({ ...spec, retry: false });
    return { ...head, outcome: 'works', words: `Answered (${needs.read} is granted).`, permission: needs.read };
  } catch (e) {
    return { ...head, ...classify(e, needs) };
  } finally {
    http.dispose();
  }
}

type Verdict = Pick<ProbeLine, 'outcome' | 'words' | 'fix' | 'permission' | 'requestId'>;

/** Any failure of a probe in words: which outcome, why, and what to do. */
export function classify(e: unknown, needs: CapabilityNeeds): Verdict {
  const message = e instanceof Error ? e.message : String(e);
  const requestId = e instanceof BackendError && e.requestId ? { requestId: e.requestId } : {};
  if (e instanceof ForbiddenError) {
    if (/DisabledFeature|licen[cs]/i.test(message)) {
      return {
        outcome: 'notLicensed',
        words: 'The tenant is not licensed for this (Microsoft Defender XDR).',
        fix: 'A Microsoft 365 E5 / Defender XDR licence is needed; ask your administrator.',
        ...requestId,
      };
    }
    const permission = missingPermission(message) ?? needs.read;
    return {
      outcome: 'forbidden',
      permission,
      ...requestId,
      words: `The app lacks the permission ${permission}.`,
      fix: `Add the application permission ${permission} (${needs.api === 'graph' ? 'Microsoft Graph' : 'Microsoft Threat Protection'}) under the app's "API permissions", then "Grant admin consent".`,
    };
  }
  if (e instanceof AuthError) {
    const code = aadstsCode(message);
    if (code !== null) {
      const w = aadstsWords(code);
      return {
        outcome: w.problem === 'wrongTenant' || w.problem === 'wrongApp' ? 'wrongTenant' : 'signInFailed',
        words: `Sign-in refused: ${w.words} (AADSTS${code}).`,
        fix: w.fix,
      };
    }
    return { outcome: 'signInFailed', words: message, fix: 'Run "Defender Incidents: Sign In" (or "Set Client Secret"), then check again.', ...requestId };
  }
  if (e instanceof UnreachableError) {
    return {
      outcome: 'unreachable',
      words: message,
      fix: 'Check the network, a proxy (http.proxy) or firewall, and defenderIncidents.apiBaseUrl / authorityHost.',
    };
  }
  if (e instanceof NotFoundError) {
    return {
      outcome: 'notAvailable',
      words: 'This API has no such endpoint here (404).',
      fix: 'Check defenderIncidents.apiBaseUrl (the host only, such as https://graph.microsoft.com).',
      ...requestId,
    };
  }
  if (e instanceof ThrottledError) {
    return { outcome: 'throttled', words: message, fix: "Wait, then check again: the API's quota is shared by every user of the app.", ...requestId };
  }
  if (e instanceof ConfigError) {
    return { outcome: 'failed', words: message, fix: `Fix the setting ${e.setting}.` };
  }
  return { outcome: 'failed', words: message, ...requestId };
}

/**
 * The permission a 403 names: Graph and the Defender API say "Missing application roles. API required
 * roles: A,B, application roles: C." (the first is the least one); otherwise our own message's name.
 */
export function missingPermission(message: string): string | undefined {
  const m = /API required roles:\s*([\w.]+)/i.exec(message) ?? /needs the permission ([\w.]+)/i.exec(message);
  return m?.[1];
}
