/**
 * The KQL tokenizer of the mock's hunting: identifiers (with `-` inside operator names such as
 * `project-away`, which the parser then refuses by name), numbers, timespan literals (`7d`, `30m`),
 * string literals in every form KQL has ('...', "...", with `\` escapes; `@'...'`/`@"..."` verbatim with a
 * doubled quote; an `h` prefix for obfuscated strings), `//` comments, and the operators.
 */

export type TokenKind = 'ident' | 'string' | 'number' | 'timespan' | 'datetime' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The identifier, the operator, the decoded string, or the number's text. */
  text: string;
  /** For numbers: the value; for timespans: milliseconds; for datetime(...) literals: epoch milliseconds. */
  value?: number;
  /** Offset of the token in the query. */
  pos: number;
}

export class KqlSyntaxError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
    this.name = 'KqlSyntaxError';
  }
}

/** Longest first, so `!contains` is not read as `!` `contains`. */
const OPERATORS = [
  '!startswith',
  '!endswith',
  '!contains',
  '!between',
  '!has',
  '!in~',
  '!in',
  '!~',
  '..',
  '==',
  '!=',
  '=~',
  '<=',
  '>=',
  '|',
  ',',
  '(',
  ')',
  '[',
  ']',
  '=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '%',
  ';',
  '.',
  '{',
  '}',
  ':',
];

const TIMESPAN_UNITS: Record<string, number> = {
  d: 86_400_000,
  day: 86_400_000,
  days: 86_400_000,
  h: 3_600_000,
  hr: 3_600_000,
  hrs: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
  m: 60_000,
  min: 60_000,
  minute: 60_000,
  minutes: 60_000,
  s: 1_000,
  sec: 1_000,
  second: 1_000,
  seconds: 1_000,
  ms: 1,
  milli: 1,
  millis: 1,
  millisecond: 1,
  milliseconds: 1,
};

/** Line and column (1-based) of an offset, as Kusto's messages give them: `[line,column]`. */
export function lineCol(query: string, pos: number): [number, number] {
  let line = 1;
  let col = 1;
  for (let i = 0; i < pos && i < query.length; i++) {
    if (query[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return [line, col];
}

function syntaxError(query: string, pos: number, near: string): KqlSyntaxError {
  const [l, c] = lineCol(query, pos);
  return new KqlSyntaxError(`Syntax error: Query could not be parsed at '${near}' on line [${l},${c}]`, pos);
}

export function tokenize(query: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const n = query.length;
  while (i < n) {
    const ch = query[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '/' && query[i + 1] === '/') {
      while (i < n && query[i] !== '\n') i++;
      continue;
    }
    const start = i;
    // Strings: optional h/H (obfuscated: the value is the same), optional @ (verbatim).
    let j = i;
    if (
      (query[j] === 'h' || query[j] === 'H') &&
      (query[j + 1] === '"' || query[j + 1] === "'" || (query[j + 1] === '@' && (query[j + 2] === '"' || query[j + 2] === "'")))
    )
      j++;
    let verbatim = false;
    if (query[j] === '@' && (query[j + 1] === '"' || query[j + 1] === "'")) {
      verbatim = true;
      j++;
    }
    if (query[j] === '"' || query[j] === "'") {
      const quote = query[j];
      j++;
      let text = '';
      for (;;) {
        if (j >= n || (!verbatim && query[j] === '\n')) throw syntaxError(query, start, query.slice(start, start + 20));
        const c = query[j];
        if (c === quote) {
          if (verbatim && query[j + 1] === quote) {
            text += quote;
            j += 2;
            continue;
          }
          j++;
          break;
        }
        if (!verbatim && c === '\\') {
          const e = query[j + 1];
          if (e === undefined) throw syntaxError(query, start, query.slice(start, start + 20));
          const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", '0': '\0' };
          if (e in simple) {
            text += simple[e];
            j += 2;
            continue;
          }
          if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(query.slice(j + 2, j + 6))) {
            text += String.fromCharCode(parseInt(query.slice(j + 2, j + 6), 16));
            j += 6;
            continue;
          }
          throw syntaxError(query, j, query.slice(j, j + 2));
        }
        text += c;
        j++;
      }
      out.push({ kind: 'string', text, pos: start });
      i = j;
      continue;
    }
    if (/[0-9]/.test(ch)) {
      let j2 = i;
      while (j2 < n && /[0-9]/.test(query[j2])) j2++;
      if (query[j2] === '.' && /[0-9]/.test(query[j2 + 1] ?? '')) {
        j2++;
        while (j2 < n && /[0-9]/.test(query[j2])) j2++;
      }
      const num = query.slice(i, j2);
      // A unit glued to the number makes a timespan: 7d, 30m, 1.5h, 100ms.
      let k = j2;
      while (k < n && /[a-zA-Z]/.test(query[k])) k++;
      const unit = query.slice(j2, k);
      if (unit) {
        const ms = TIMESPAN_UNITS[unit.toLowerCase()];
        if (ms === undefined) throw syntaxError(query, i, query.slice(i, k));
        out.push({ kind: 'timespan', text: query.slice(i, k), value: Number(num) * ms, pos: i });
        i = k;
        continue;
      }
      if (/[0-9a-zA-Z_]/.test(query[j2] ?? '')) throw syntaxError(query, i, query.slice(i, j2 + 1));
      out.push({ kind: 'number', text: num, value: Number(num), pos: i });
      i = j2;
      continue;
    }
    if (/[A-Za-z_$]/.test(ch)) {
      let j2 = i + 1;
      while (j2 < n && (/[A-Za-z0-9_$]/.test(query[j2]) || (query[j2] === '-' && /[A-Za-z]/.test(query[j2 + 1] ?? '') && /^[a-z]+$/.test(query.slice(i, j2)))))
        j2++;
      let text = query.slice(i, j2);
      // datetime(2026-03-01T10:00:00Z): the argument is a literal, not an expression; read it whole.
      if (text === 'datetime') {
        let k = j2;
        while (k < n && /\s/.test(query[k])) k++;
        if (query[k] === '(' && query[k + 1] !== '"' && query[k + 1] !== "'") {
          const close = query.indexOf(')', k);
          if (close < 0) throw syntaxError(query, i, query.slice(i, i + 20));
          const raw = query.slice(k + 1, close).trim();
          const ms = parseKqlDate(raw);
          if (ms === undefined)
            throw new KqlSyntaxError(`Syntax error: '${raw}' is not a valid datetime literal (line [${lineCol(query, k + 1).join(',')}])`, k + 1);
          out.push({ kind: 'datetime', text: raw, value: ms, pos: i });
          i = close + 1;
          continue;
        }
      }
      // `in~`, `has_cs`-style suffixes: `~` glued to in/has/contains.
      if (query[j2] === '~' && /^(in|has|contains|startswith|endswith|has_any)$/.test(text)) {
        text += '~';
        j2++;
      }
      out.push({ kind: 'ident', text, pos: i });
      i = j2;
      continue;
    }
    const op = OPERATORS.find(o => query.startsWith(o, i));
    if (!op) throw syntaxError(query, i, ch);
    out.push({ kind: 'op', text: op, pos: i });
    i += op.length;
  }
  out.push({ kind: 'eof', text: '', pos: n });
  return out;
}

/** A datetime literal's text: ISO 8601 dates with or without time and zone (UTC when none). */
export function parseKqlDate(raw: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i.exec(raw);
  if (!m) return undefined;
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}.${(m[7] ?? '0').padEnd(3, '0').slice(0, 3)}${m[8] && m[8].toUpperCase() !== 'Z' ? (m[8].includes(':') ? m[8] : `${m[8].slice(0, 3)}:${m[8].slice(3)}`) : 'Z'}`;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}
