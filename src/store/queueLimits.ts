/**
 * How much the queue loads (issue 16 item 7): the `maxQueueSize` setting clamped as documented, and a cap
 * on background paging. No `vscode` import.
 */

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
