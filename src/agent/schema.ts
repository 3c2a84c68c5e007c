/**
 * Validates a tool's input against its JSON Schema (the subset in ./tools: objects without extra
 * properties, strings with enum, pattern and lengths, integers with bounds, arrays of unique items).
 * A model or an MCP client can send anything: the first problem is named, with its path, and nothing runs.
 * Pure; no `vscode` import.
 */
import type { Schema } from './tools';

export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

function fail(path: string, what: string): never {
  throw new InputError(`${path || 'The input'} ${what}.`);
}

function check(v: unknown, s: Schema, path: string): void {
  switch (s.type) {
    case 'object': {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object');
      const o = v as Record<string, unknown>;
      for (const r of s.required ?? []) if (o[r] === undefined) fail(path ? `${path}.${r}` : r, 'is required');
      for (const [k, x] of Object.entries(o)) {
        const p = path ? `${path}.${k}` : k;
        const sub = s.properties && Object.prototype.hasOwnProperty.call(s.properties, k) ? s.properties[k] : undefined;
        if (!sub) {
          if (s.additionalProperties === false) fail(p, `is not a known argument (known: ${Object.keys(s.properties ?? {}).join(', ')})`);
          continue;
        }
        if (x !== undefined) check(x, sub, p);
      }
      return;
    }
    case 'string': {
      if (typeof v !== 'string') fail(path, 'must be a string');
      const t = v as string;
      if (s.minLength !== undefined && t.length < s.minLength)
        fail(path, s.minLength === 1 ? 'must not be empty' : `must have at least ${s.minLength} characters`);
      if (s.maxLength !== undefined && t.length > s.maxLength) fail(path, `must have at most ${s.maxLength} characters`);
      if (s.enum && !s.enum.includes(t)) fail(path, `must be one of ${s.enum.join(', ')}`);
      if (s.pattern && !new RegExp(s.pattern).test(t)) fail(path, 'has characters an id cannot have');
      return;
    }
    case 'integer': {
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(path, 'must be a whole number');
      const n = v as number;
      if (s.minimum !== undefined && n < s.minimum) fail(path, `must be at least ${s.minimum}`);
      if (s.maximum !== undefined && n > s.maximum) fail(path, `must be at most ${s.maximum}`);
      return;
    }
    case 'boolean':
      if (typeof v !== 'boolean') fail(path, 'must be true or false');
      return;
    case 'array': {
      if (!Array.isArray(v)) fail(path, 'must be a list');
      const a = v as unknown[];
      if (s.minItems !== undefined && a.length < s.minItems) fail(path, s.minItems === 1 ? 'must not be empty' : `must have at least ${s.minItems} items`);
      if (s.maxItems !== undefined && a.length > s.maxItems) fail(path, `must have at most ${s.maxItems} items`);
      if (s.uniqueItems && new Set(a.map(x => JSON.stringify(x))).size !== a.length) fail(path, 'must not repeat an item');
      if (s.items) a.forEach((x, n) => check(x, s.items!, `${path}[${n}]`));
      return;
    }
  }
}

/** Throws an InputError naming the first problem; returns the input typed when it fits. */
export function validateInput<T>(input: unknown, schema: Schema): T {
  check(input ?? {}, schema, '');
  return (input ?? {}) as T;
}
