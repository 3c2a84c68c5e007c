/**
 * One attempt over the wire, below `HttpClient` (./http.ts): the single axios factory, one request with
 * its own deadline, and a network failure sorted into what the retry logic needs to know (may it have
 * reached the server? was it our deadline?). No retries, pacing or typed errors here. No `vscode` import.
 */
import axios, { type AxiosInstance } from 'axios';
import { version as extensionVersion } from '../../package.json';
import { anySignal } from './clock';
import { isObject } from './wire';
import { safeDelay } from '../shared/timer';

export type HttpMethod = 'GET' | 'PATCH' | 'POST';

export const USER_AGENT = `defender-incidents-vscode/${extensionVersion}`;

/**
 * The single axios factory. Redirects are not followed (the bearer token must never travel to another
 * host), bodies arrive as text so a non-JSON answer becomes a precise error, and every status reaches
 * our own handling. The deadline is ours too (per attempt, distinguishable from user cancellation).
 */
export function createAxiosInstance(baseUrl: string, userAgent = USER_AGENT): AxiosInstance {
  return axios.create({
    baseURL: baseUrl,
    headers: { 'User-Agent': userAgent, Accept: 'application/json' },
    maxRedirects: 0,
    timeout: 0,
    responseType: 'text',
    transformResponse: [(d: unknown) => d],
    validateStatus: () => true,
  });
}

/** An answer (any status), or why there was none: `ambiguous` when the request may have reached the server. */
export type Attempt =
  { ok: true; status: number; text: string; headers: Record<string, string> } | { ok: false; code: string; ambiguous: boolean; timedOut: boolean };

/** One request as it goes out: the headers are complete but for Content-Type, set here when there is a body. */
export interface AttemptSpec {
  url: string;
  method: HttpMethod;
  headers: Record<string, string>;
  body?: unknown;
  contentType?: string;
  timeoutMs: number;
}

/** Sends one request and never throws: cancellation (`signal`) is the code CANCELLED, the deadline ETIMEDOUT. */
export async function sendOnce(client: AxiosInstance, spec: AttemptSpec, signal: AbortSignal): Promise<Attempt> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), safeDelay(spec.timeoutMs, 1));
  const both = anySignal([signal, deadline.signal]);
  const headers = { ...spec.headers };
  if (spec.body !== undefined) {
    headers['Content-Type'] = spec.contentType ?? 'application/json';
  }
  try {
    const res = await client.request<string>({
      url: spec.url,
      method: spec.method,
      headers,
      signal: both.signal,
      data: spec.body === undefined ? undefined : JSON.stringify(spec.body),
    });
    const h: Record<string, string> = {};
    for (const [k, v] of Object.entries(res.headers)) {
      if (typeof v === 'string') {
        h[k.toLowerCase()] = v;
      } else if (Array.isArray(v)) {
        h[k.toLowerCase()] = v.join(', ');
      }
    }
    return { ok: true, status: res.status, text: typeof res.data === 'string' ? res.data : '', headers: h };
  } catch (e: unknown) {
    if (signal.aborted) {
      return { ok: false, code: 'CANCELLED', ambiguous: false, timedOut: false };
    }
    if (deadline.signal.aborted) {
      return { ok: false, code: 'ETIMEDOUT', ambiguous: true, timedOut: true };
    }
    return classifyNetworkError(e);
  } finally {
    clearTimeout(timer);
    both.dispose();
  }
}

function classifyNetworkError(e: unknown): Attempt {
  const code = isObject(e) && typeof e.code === 'string' ? e.code : undefined;
  const message = e instanceof Error ? e.message : '';
  const req = isObject(e) && isObject(e.request) ? e.request : undefined;
  // A request whose bytes all left may have been applied; one that never connected was not.
  const sent = req ? req.writableFinished === true || req.finished === true : undefined;
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(message)) {
    return { ok: false, code: code ?? 'ECONNRESET', ambiguous: sent ?? true, timedOut: false };
  }
  if (code === 'ETIMEDOUT' || code === 'ECONNABORTED') {
    return { ok: false, code, ambiguous: sent ?? true, timedOut: true };
  }
  if (code === 'ERR_BAD_RESPONSE' || code === 'HPE_INVALID_CONSTANT' || code?.startsWith('HPE_')) {
    return { ok: false, code, ambiguous: true, timedOut: false };
  }
  return { ok: false, code: code ?? 'network error', ambiguous: false, timedOut: false };
}
