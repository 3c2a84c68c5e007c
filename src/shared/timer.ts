/**
 * Every delay the extension gives `setTimeout` goes through `safeDelay`. Node (and browsers) store a
 * delay in a signed 32-bit integer: anything above 2^31-1 ms (24.8 days), and NaN, silently becomes 1 ms,
 * so an overlong setting or a server's huge `Retry-After` turns a timer into a loop firing a thousand
 * times a second. No `vscode` import.
 */

/** The longest delay a timer keeps: 2^31-1 ms, about 24.8 days. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` as a delay a timer honours: not a number gives `min`; clamped to [min, max] (max at most MAX_TIMER_MS). */
export function safeDelay(ms: number, min = 0, max = MAX_TIMER_MS): number {
  const hi = Math.min(max, MAX_TIMER_MS);
  const lo = Math.max(0, Math.min(min, hi));
  if (typeof ms !== 'number' || Number.isNaN(ms)) return lo;
  return Math.min(hi, Math.max(lo, ms));
}

/** The refreshInterval setting's bounds, in seconds: the schema's and the code's. */
export const MIN_REFRESH_SECONDS = 30;
/** One day: a longer wait is no automatic refresh, and far longer would overflow the timer. */
export const MAX_REFRESH_SECONDS = 86_400;

/** The refreshInterval setting as seconds a timer honours: 30 s to one day, 120 when not a number. */
export function refreshSeconds(v: unknown): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? v : 120;
  return Math.min(MAX_REFRESH_SECONDS, Math.max(MIN_REFRESH_SECONDS, n));
}
