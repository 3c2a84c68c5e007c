/**
 * "Comments and history" as the extension's state lists it (its journal, the server's comments and its
 * outbox), and the ids of the comments this pane sends.
 */
import type { TimelineEntry } from '../src/shared/protocol';

/** The timeline newest first, as the extension sorts it; a row whose time does not parse goes last. */
export function newestFirst(entries: readonly TimelineEntry[]): TimelineEntry[] {
  // Newest first; a time that does not parse sorts last rather than throwing the order off.
  const t = (e: TimelineEntry) => {
    const v = e.time.length > 200 ? NaN : Date.parse(e.time);
    return Number.isNaN(v) ? -Infinity : v;
  };
  return entries
    .map((e, i) => ({ e, i, t: t(e) }))
    .sort((a, b) => b.t - a.t || a.i - b.i)
    .map(x => x.e);
}

export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
}
