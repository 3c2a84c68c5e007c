/**
 * Reading a failed answer: the server's own explanation (scrubbed of credentials before it is cut short)
 * and how long a throttled answer asked us to wait, from `Retry-After` or the server's words.
 * No `vscode` import.
 */
import { isObject } from './wire';
import { redactSecrets } from '../shared/text';

export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * The server's own words, from either error shape (OData/Graph, Entra) or a short plain-text body, with
 * anything credential-like and every `secrets` string removed BEFORE it is cut to a readable length (cut
 * first, and half a token could survive the scrub).
 */
export function serverMessage(body: unknown, text = '', secrets: readonly string[] = []): string {
  const t = redactSecrets(rawServerMessage(body, text), secrets).trim();
  return t.length > 300 ? `${t.slice(0, 300)}...` : t;
}

function rawServerMessage(body: unknown, text: string): string {
  if (isObject(body)) {
    const err = body.error;
    if (isObject(err)) {
      const msg = typeof err.message === 'string' ? err.message : '';
      const code = typeof err.code === 'string' ? err.code : '';
      const inner = isObject(err.innerError) ? err.innerError : isObject(err.innererror) ? err.innererror : undefined;
      const innerMsg = inner && typeof inner.message === 'string' && inner.message !== msg ? ` ${inner.message}` : '';
      if (msg || code) {
        return `${msg || code}${code && msg ? ` (${code})` : ''}${innerMsg}`;
      }
    }
    if (typeof err === 'string') {
      const desc = typeof body.error_description === 'string' ? body.error_description.split(/\r?\n/)[0] : '';
      return desc ? `${desc} (${err})` : err;
    }
    if (typeof body.message === 'string') {
      return body.message;
    }
    if (typeof body.Message === 'string') {
      return body.Message;
    }
    return '';
  }
  const t = text.trim();
  if (!t || t.startsWith('<')) {
    return '';
  }
  return t;
}

/** "Try again in 7 seconds." (Defender, Graph) and "You can send requests again in 8 seconds." (Defender's quota). */
const WAIT_IN_TEXT = /\b(?:try again|requests again|retry(?: again)?)\s+in\s+(\d+(?:\.\d+)?)\s*(seconds?|secs?|s|minutes?|mins?)(?![a-z])/i;

function waitInText(text: string): number | null {
  const m = WAIT_IN_TEXT.exec(text);
  if (!m) {
    return null;
  }
  const n = Number(m[1]);
  if (!Number.isFinite(n)) {
    return null;
  }
  return Math.round(n * (m[2].toLowerCase().startsWith('m') ? 60_000 : 1000));
}

/**
 * How long the server asked us to wait, in its own words: `Retry-After` in seconds or as an HTTP date
 * first; otherwise "try again in N seconds" / "send requests again in N seconds" in the error message
 * or the raw body. Null when it said nothing usable (absent, negative, junk): the caller backs off.
 */
export function parseRetryAfter(header: string | undefined, body: unknown, now: number, text = ''): number | null {
  const wait = rawRetryAfter(header, body, now, text);
  return wait === null ? null : boundedWait(wait);
}

/**
 * The shortest and longest wait a server's word buys: `Retry-After: 0` would otherwise retry in a tight
 * loop (4 requests in 52 ms), and one 429 with a huge value would block every call to that host (the
 * hold is shared) until VS Code is reloaded.
 */
export const MIN_RETRY_AFTER_MS = 1000;
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/** A server-given wait within [MIN_RETRY_AFTER_MS, MAX_RETRY_AFTER_MS]; not a number is the floor. */
export function boundedWait(ms: number): number {
  if (Number.isNaN(ms)) {
    return MIN_RETRY_AFTER_MS;
  }
  return Math.min(MAX_RETRY_AFTER_MS, Math.max(MIN_RETRY_AFTER_MS, ms));
}

function rawRetryAfter(header: string | undefined, body: unknown, now: number, text: string): number | null {
  const h = header?.trim() ?? '';
  if (/^\d{1,12}(\.\d{1,6})?$/.test(h)) {
    return Math.round(Number(h) * 1000);
  }
  // An HTTP date names a weekday or month and a time of day; bare numbers and junk are not dates.
  if (h.length <= 64 && /[a-z]{3}/i.test(h) && /\d{1,2}:\d{2}/.test(h)) {
    const at = Date.parse(h);
    if (!Number.isNaN(at)) {
      return Math.max(0, at - now);
    }
  }
  return waitInText(serverMessage(body)) ?? waitInText(text);
}
