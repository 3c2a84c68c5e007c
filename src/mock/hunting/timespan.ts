/**
 * The `Timespan` of a runHuntingQuery request: an ISO 8601 duration (`P7D`, `PT12H`, `P1DT6H`) ending now, or
 * an interval `start/end`, `P30D/end`, `start/P30D`. Absent: the last 30 days.
 */

export const DEFAULT_TIMESPAN_MS = 30 * 86_400_000;

export class TimespanError extends Error {}

const DURATION =
  /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i;
const UNIT_MS = [365 * 86_400_000, 30 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000];

/** Milliseconds of an ISO 8601 duration; undefined when it is not one (years as 365 days, months as 30). */
export function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (!m || text.trim() === 'P' || /T$/i.test(text.trim())) return undefined;
  let ms = 0;
  for (let i = 1; i <= 7; i++) if (m[i] !== undefined) ms += Number(m[i]) * UNIT_MS[i - 1];
  return ms;
}

function instant(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}/.test(text.trim())) return undefined;
  const t = text.trim();
  // A date-time without a zone is UTC, as the service reads it.
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(t) || !t.includes('T') ? t : `${t}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

/** The [from, to] window in epoch milliseconds; throws TimespanError with a message fit for a 400. */
export function parseTimespan(value: unknown, now: number): { from: number; to: number } {
  if (value === undefined || value === null) return { from: now - DEFAULT_TIMESPAN_MS, to: now };
  const bad = (): never => {
    throw new TimespanError(
      `The Timespan '${String(value)}' is not valid: use an ISO 8601 duration (P7D, PT12H) or interval (start/end, P30D/end, start/P30D).`,
    );
  };
  if (typeof value !== 'string' || value.trim() === '') return bad();
  const parts = value.split('/');
  if (parts.length === 1) {
    const d = durationMs(parts[0]);
    return d === undefined ? bad() : { from: now - d, to: now };
  }
  if (parts.length !== 2) return bad();
  const [a, b] = parts;
  const startA = instant(a);
  const endB = instant(b);
  if (startA !== undefined && endB !== undefined) return startA <= endB ? { from: startA, to: endB } : bad();
  if (endB !== undefined) {
    const d = durationMs(a);
    return d === undefined ? bad() : { from: endB - d, to: endB };
  }
  if (startA !== undefined) {
    const d = durationMs(b);
    return d === undefined ? bad() : { from: startA, to: startA + d };
  }
  return bad();
}
