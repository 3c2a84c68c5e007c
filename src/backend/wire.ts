/**
 * Readers for untrusted JSON from the backends. Each failure is an InvalidResponseError that names the
 * source, the position and the field ("Defender API answer: value[3].incidentId is missing"), so a
 * broken answer is diagnosable from the message alone. Optional fields are lenient on purpose: a
 * service adding, nulling or retyping a cosmetic field must not make the whole list unreadable.
 */
import { InvalidResponseError } from './errors';

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class WireReader {
  /** @param source e.g. "Defender API answer" */
  constructor(readonly source: string) {}

  fail(path: string, problem: string): InvalidResponseError {
    return new InvalidResponseError(`${this.source}: ${path ? `${path} ` : ''}${problem}`);
  }

  object(v: unknown, path: string): Json {
    if (!isObject(v)) {
      throw this.fail(path, `is ${describe(v)}, expected an object`);
    }
    return v;
  }

  /** A required array: absent or not an array is an error. */
  array(o: Json, key: string, path: string): unknown[] {
    const v = o[key];
    if (v === undefined || v === null) {
      throw this.fail(join(path, key), 'is missing');
    }
    if (!Array.isArray(v)) {
      throw this.fail(join(path, key), `is ${describe(v)}, expected an array`);
    }
    return v;
  }

  /** An optional array: absent/null is empty; any other non-array is still an error (it's a real shape change). */
  optArray(o: Json, key: string, path: string): unknown[] {
    const v = o[key];
    if (v === undefined || v === null) {
      return [];
    }
    if (!Array.isArray(v)) {
      throw this.fail(join(path, key), `is ${describe(v)}, expected an array`);
    }
    return v;
  }

  string(o: Json, key: string, path: string): string {
    const v = o[key];
    if (v === undefined || v === null) {
      throw this.fail(join(path, key), 'is missing');
    }
    if (typeof v !== 'string') {
      throw this.fail(join(path, key), `is ${describe(v)}, expected a string`);
    }
    return v;
  }

  /** Ids are longs on Defender and strings on Graph: both become decimal/opaque text. */
  id(o: Json, key: string, path: string): string {
    const v = o[key];
    if (v === undefined || v === null) {
      throw this.fail(join(path, key), 'is missing');
    }
    if (typeof v === 'number' && Number.isFinite(v)) {
      return String(v);
    }
    if (typeof v === 'string' && v.trim() !== '') {
      return v;
    }
    throw this.fail(join(path, key), `is ${describe(v)}, expected an id`);
  }

  optId(o: Json, key: string): string | null {
    const v = o[key];
    if (typeof v === 'number' && Number.isFinite(v)) {
      return String(v);
    }
    if (typeof v === 'string' && v.trim() !== '') {
      return v;
    }
    return null;
  }

  time(o: Json, key: string, path: string): string {
    const v = this.string(o, key, path);
    if (Number.isNaN(Date.parse(v))) {
      throw this.fail(join(path, key), `is "${clip(v)}", expected an ISO 8601 time`);
    }
    return v;
  }

  optTime(o: Json, key: string): string | null {
    const v = o[key];
    return typeof v === 'string' && !Number.isNaN(Date.parse(v)) ? v : null;
  }

  /** Optional text: numbers and booleans become text, anything else is null. */
  optString(o: Json, key: string): string | null {
    return scalarText(o[key]);
  }

  /**
   * An optional string that must be a string when present (absent/null is null). For fields whose type is
   * part of their meaning: a number or object there is a shape change, reported, not guessed at.
   */
  optText(o: Json, key: string, path: string): string | null {
    const v = o[key];
    if (v === undefined || v === null) {
      return null;
    }
    if (typeof v !== 'string') {
      throw this.fail(join(path, key), `is ${describe(v)}, expected a string`);
    }
    return v;
  }

  /**
   * An optional cosmetic number (a score): absent, null or not a number is null, numeric text is read as a
   * number. Lenient like the other optional fields: one odd score must not make the whole list unreadable.
   */
  optNumber(o: Json, key: string): number | null {
    const v = o[key];
    if (typeof v === 'number' && Number.isFinite(v)) {
      return v;
    }
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) {
      return Number(v);
    }
    return null;
  }

  strings(o: Json, key: string): string[] {
    const v = o[key];
    if (!Array.isArray(v)) {
      return [];
    }
    return v.map(scalarText).filter((s): s is string => s !== null);
  }
}

export function scalarText(v: unknown): string | null {
  if (typeof v === 'string') {
    return v;
  }
  if (typeof v === 'number' && Number.isFinite(v)) {
    return String(v);
  }
  if (typeof v === 'boolean') {
    return String(v);
  }
  return null;
}

export function join(path: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${path}[${key}]`;
  }
  return path ? `${path}.${key}` : key;
}

export function describe(v: unknown): string {
  if (v === null) {
    return 'null';
  }
  if (Array.isArray(v)) {
    return 'an array';
  }
  if (typeof v === 'string') {
    return `the string "${clip(v)}"`;
  }
  if (typeof v === 'object' || typeof v === 'undefined') {
    return `an ${typeof v}`;
  }
  return `a ${typeof v}`;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
