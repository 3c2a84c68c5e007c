/**
 * The queue filter's time ranges: a relative range ("last 7 days") or from/to dates, and where each starts
 * and ends at a given time. Pure.
 */
import { own } from './own';

export type TimeRange = '1d' | '3d' | '7d' | '30d' | '6m' | { from: string; to?: string };

export const RANGE_MS: Readonly<Record<Exclude<TimeRange, object>, number>> = {
  '1d': 864e5,
  '3d': 3 * 864e5,
  '7d': 7 * 864e5,
  '30d': 30 * 864e5,
  '6m': 183 * 864e5,
};

/** From (inclusive) and to (exclusive) of a range, as epoch milliseconds; an unreadable start is 0. */
export function timeRangeStart(r: TimeRange, now: number): { from: number; to?: number } {
  if (typeof r === 'string') {
    return { from: now - (own(RANGE_MS as Readonly<Record<string, number>>, r) ?? 0) };
  }
  const from = Date.parse(r.from);
  const to = r.to ? Date.parse(r.to) : undefined;
  return { from: Number.isNaN(from) ? 0 : from, to: to !== undefined && !Number.isNaN(to) ? to : undefined };
}

export const isDate = (x: string): boolean => !Number.isNaN(Date.parse(x));
