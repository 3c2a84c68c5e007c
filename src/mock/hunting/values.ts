/** KQL values and types as the mock's hunting evaluates them. */
import { wireTime } from '../wire';

export type KqlType = 'datetime' | 'string' | 'long' | 'int' | 'real' | 'bool' | 'dynamic' | 'timespan';

export class DateTime {
  constructor(readonly ms: number) {}
}

export class Timespan {
  constructor(readonly ms: number) {}
}

export type Value = string | number | boolean | null | DateTime | Timespan | unknown[] | { [k: string]: unknown };

export type Row = Record<string, Value>;

export interface Column {
  name: string;
  type: KqlType;
}

/** The type names the service's `schema` uses (.NET names, as in Microsoft's examples). */
export const SCHEMA_TYPE: Record<KqlType, string> = {
  datetime: 'DateTime',
  string: 'String',
  long: 'Int64',
  int: 'Int32',
  real: 'Double',
  bool: 'Boolean',
  dynamic: 'Object',
  timespan: 'TimeSpan',
};

export function typeOf(v: Value): KqlType {
  if (v instanceof DateTime) return 'datetime';
  if (v instanceof Timespan) return 'timespan';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'long' : 'real';
  if (v === null) return 'string';
  return 'dynamic';
}

/** `[-][d.]hh:mm:ss[.fffffff]`, as Kusto writes a timespan. */
export function formatTimespan(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  const days = Math.floor(rest / 86_400_000);
  rest %= 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest %= 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest %= 60_000;
  const s = Math.floor(rest / 1000);
  const frac = rest % 1000;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${sign}${days ? `${days}.` : ''}${p(h)}:${p(m)}:${p(s)}${frac ? `.${String(frac).padStart(3, '0')}0000` : ''}`;
}

/** A value as JSON in `results`: datetimes as ISO 8601 with seven fractional digits, timespans as text. */
export function toJson(v: Value): unknown {
  if (v instanceof DateTime) return wireTime(v.ms);
  if (v instanceof Timespan) return formatTimespan(v.ms);
  return v;
}

/** The text of a value, as tostring() and string comparisons see it. */
export function toText(v: Value): string {
  if (v === null) return '';
  if (typeof v === 'string') return v;
  if (v instanceof DateTime) return wireTime(v.ms);
  if (v instanceof Timespan) return formatTimespan(v.ms);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
