/**
 * How much the queue loads and how often it tries again (issue 16 item 7): the `maxQueueSize` setting
 * clamped as documented, a cap on background paging, and the backoff of automatic refreshes that fail.
 * No `vscode` import.
 */
import type { BackendError } from '../backend/errors';

/** The default of `defenderIncidents.maxQueueSize`. */
export const DEFAULT_MAX_QUEUE_SIZE = 2000;
/** The setting's documented maximum (package.json `maximum`), enforced here whatever the setting holds. */
export const MAX_QUEUE_SIZE = 20_000;
/**
 * Most pages one background load reads: a server that answers with tiny or empty pages and always a
 * next link cannot keep it paging forever (at the smallest real page size, 100, this is 20,000 incidents).
 */
export const MAX_BACKGROUND_PAGES = 200;

/** The `maxQueueSize` setting as the store honours it: 1 to MAX_QUEUE_SIZE; not a number is the default. */
export function queueSizeLimit(n: number | undefined): number {
  const v = n ?? DEFAULT_MAX_QUEUE_SIZE;
  return Number.isFinite(v) && v >= 1 ? Math.min(MAX_QUEUE_SIZE, Math.floor(v)) : DEFAULT_MAX_QUEUE_SIZE;
}

/** Why the last automatic refresh failed; the queue shown is the last good one. */
export interface RefreshFailure {
  error: BackendError;
  /** When it failed (epoch ms). */
  at: number;
}

/** Longest wait between automatic refreshes while they keep failing. */
export const MAX_REFRESH_BACKOFF_MS = 10 * 60_000;

/**
 * The wait before the next automatic refresh: the interval, doubled for each refresh that failed in a
 * row, up to 10 minutes (or the interval, when that is longer); back to the interval after a success.
 */
export function refreshDelayMs(intervalMs: number, failures: number, maxMs = MAX_REFRESH_BACKOFF_MS): number {
  if (failures <= 0) return intervalMs;
  return Math.min(intervalMs * 2 ** Math.min(failures, 20), Math.max(intervalMs, maxMs));
}
