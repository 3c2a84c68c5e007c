/**
 * "Comments and history": the extension's timeline merged with comments this pane has sent but the
 * extension has not yet reported back in a `state`. For any key both know, the extension wins.
 */
import type { TimelineEntry } from '../src/shared/protocol';

export function mergeTimeline(fromState: readonly TimelineEntry[], local: Iterable<TimelineEntry>, retrying: ReadonlySet<string>): TimelineEntry[] {
  const known = new Set(fromState.map(e => e.key));
  const merged: TimelineEntry[] = fromState.map(e => (retrying.has(e.key) && (e.state === 'failed' || e.state === 'unconfirmed') ? { ...e, state: 'pending', error: undefined } : e));
  for (const e of local) if (!known.has(e.key)) merged.push(e);
  // Newest first; a time that does not parse sorts last rather than throwing the order off.
  const t = (e: TimelineEntry) => {
    const v = e.time.length > 200 ? NaN : Date.parse(e.time);
    return Number.isNaN(v) ? -Infinity : v;
  };
  return merged
    .map((e, i) => ({ e, i, t: t(e) }))
    .sort((a, b) => (b.t - a.t) || (a.i - b.i))
    .map(x => x.e);
}

export function newClientId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(b, x => x.toString(16).padStart(2, '0')).join('');
}
