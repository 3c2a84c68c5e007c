/**
 * The small OData `$filter` subset the two incident APIs accept: comparisons joined by `and`/`or`,
 * with parentheses. Each dialect says which fields exist and how their literals are checked, so an
 * unsupported field or a malformed value fails the way the real service fails: a 400 naming it.
 *
 * Compiled once per request into a predicate, so filtering 10,000 incidents costs a few milliseconds.
 */
import { timeMs } from './wire';

export class FilterError extends Error {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'FilterError';
  }
}

export type CompareOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';
const OPS: readonly CompareOp[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

export type Literal = { kind: 'string'; value: string } | { kind: 'null' } | { kind: 'bare'; value: string };

/** How one filterable field is read from an item and how a literal for it is checked. */
export type FieldSpec<T> =
  | { type: 'date'; get: (item: T) => string | null }
  | { type: 'string'; get: (item: T) => string | null; nullable?: boolean; caseInsensitive?: boolean }
  | { type: 'enum'; get: (item: T) => string | null; nullable?: boolean; normalize: (literal: string) => string | undefined; values: string };

export interface FilterDialect<T> {
  fields: Readonly<Record<string, FieldSpec<T>>>;
  /** Message for a field the API does not filter on. */
  unsupportedField: (field: string) => string;
}

type Token = { t: 'lp' } | { t: 'rp' } | { t: 'str'; v: string } | { t: 'word'; v: string };

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(') {
      out.push({ t: 'lp' });
      i++;
      continue;
    }
    if (c === ')') {
      out.push({ t: 'rp' });
      i++;
      continue;
    }
    if (c === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new FilterError('Unterminated string literal in $filter.');
        if (src[i] === "'") {
          if (src[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += src[i++];
      }
      out.push({ t: 'str', v });
      continue;
    }
    const m = /^[A-Za-z0-9_.:+\-/@]+/.exec(src.slice(i));
    if (!m) throw new FilterError(`Syntax error at position ${i} in $filter: unexpected '${c}'.`);
    out.push({ t: 'word', v: m[0] });
    i += m[0].length;
  }
  return out;
}

type Pred<T> = (item: T) => boolean;

class Parser<T> {
  private pos = 0;
  constructor(
    private readonly toks: Token[],
    private readonly dialect: FilterDialect<T>,
  ) {}

  parse(): Pred<T> {
    const p = this.or();
    if (this.pos < this.toks.length) throw new FilterError(`Syntax error in $filter: unexpected '${show(this.toks[this.pos])}'.`);
    return p;
  }

  private peekWord(w: string): boolean {
    const t = this.toks[this.pos];
    return t?.t === 'word' && t.v === w;
  }

  private or(): Pred<T> {
    const parts = [this.and()];
    while (this.peekWord('or')) {
      this.pos++;
      parts.push(this.and());
    }
    return parts.length === 1 ? parts[0] : item => parts.some(p => p(item));
  }

  private and(): Pred<T> {
    const parts = [this.primary()];
    while (this.peekWord('and')) {
      this.pos++;
      parts.push(this.primary());
    }
    return parts.length === 1 ? parts[0] : item => parts.every(p => p(item));
  }

  private primary(): Pred<T> {
    const t = this.toks[this.pos];
    if (!t) throw new FilterError('Syntax error in $filter: expression expected.');
    if (t.t === 'lp') {
      this.pos++;
      const inner = this.or();
      if (this.toks[this.pos]?.t !== 'rp') throw new FilterError("Syntax error in $filter: ')' expected.");
      this.pos++;
      return inner;
    }
    if (t.t !== 'word') throw new FilterError(`Syntax error in $filter: a property name was expected, found '${show(t)}'.`);
    if (t.v === 'not') throw new FilterError("The 'not' operator is not supported in $filter.");
    this.pos++;
    const opTok = this.toks[this.pos++];
    if (!opTok || opTok.t !== 'word') throw new FilterError(`Syntax error in $filter: an operator was expected after '${t.v}'.`);
    const op = opTok.v as CompareOp;
    if (!OPS.includes(op)) throw new FilterError(`The operator '${opTok.v}' is not supported in $filter.`);
    const litTok = this.toks[this.pos++];
    if (!litTok || (litTok.t !== 'str' && litTok.t !== 'word')) throw new FilterError(`Syntax error in $filter: a value was expected after '${t.v} ${op}'.`);
    const lit: Literal = litTok.t === 'str' ? { kind: 'string', value: litTok.v } : litTok.v === 'null' ? { kind: 'null' } : { kind: 'bare', value: litTok.v };
    return this.comparison(t.v, op, lit);
  }

  private comparison(field: string, op: CompareOp, lit: Literal): Pred<T> {
    const spec = this.dialect.fields[field];
    if (!spec) throw new FilterError(this.dialect.unsupportedField(field), field);
    if (spec.type === 'date') {
      if (lit.kind === 'null') {
        if (op !== 'eq' && op !== 'ne') throw new FilterError(`The operator '${op}' cannot compare '${field}' with null.`, field);
        return op === 'eq' ? item => spec.get(item) === null : item => spec.get(item) !== null;
      }
      if (lit.kind !== 'bare' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$/.test(lit.value)) {
        throw new FilterError(
          lit.kind === 'string'
            ? `A binary operator with incompatible types was detected. Found operand types 'Edm.DateTimeOffset' and 'Edm.String' for '${field}': write the date without quotes.`
            : `'${lit.value}' is not a valid date and time for '${field}'.`,
          field,
        );
      }
      const ms = Date.parse(lit.value);
      if (Number.isNaN(ms)) throw new FilterError(`'${lit.value}' is not a valid date and time for '${field}'.`, field);
      const cmp = compareDates(op, ms);
      return item => {
        const v = spec.get(item);
        return v !== null && cmp(timeMs(v));
      };
    }
    if (op !== 'eq' && op !== 'ne') throw new FilterError(`The operator '${op}' is not supported for '${field}': use eq or ne.`, field);
    if (lit.kind === 'null') {
      if (!spec.nullable) throw new FilterError(`'${field}' cannot be compared with null.`, field);
      return op === 'eq' ? item => spec.get(item) === null : item => spec.get(item) !== null;
    }
    if (lit.kind !== 'string')
      throw new FilterError(`'${lit.value}' is not a valid value for '${field}': string values are quoted, e.g. ${field} eq '...'.`, field);
    if (spec.type === 'enum') {
      const want = spec.normalize(lit.value);
      if (want === undefined) throw new FilterError(`'${lit.value}' is not a valid value for '${field}'. Valid values: ${spec.values}.`, field);
      return op === 'eq' ? item => spec.get(item) === want : item => spec.get(item) !== want;
    }
    if (spec.caseInsensitive) {
      const want = lit.value.toLowerCase();
      return op === 'eq' ? item => spec.get(item)?.toLowerCase() === want : item => spec.get(item)?.toLowerCase() !== want;
    }
    const want = lit.value;
    return op === 'eq' ? item => spec.get(item) === want : item => spec.get(item) !== want;
  }
}

function compareDates(op: CompareOp, ms: number): (v: number) => boolean {
  switch (op) {
    case 'eq':
      return v => v === ms;
    case 'ne':
      return v => v !== ms;
    case 'gt':
      return v => v > ms;
    case 'ge':
      return v => v >= ms;
    case 'lt':
      return v => v < ms;
    case 'le':
      return v => v <= ms;
  }
}

function show(t: Token): string {
  return t.t === 'lp' ? '(' : t.t === 'rp' ? ')' : t.t === 'str' ? `'${t.v}'` : t.v;
}

/** Compile `$filter` text into a predicate; throws FilterError (a 400 for the caller). */
export function compileFilter<T>(filter: string, dialect: FilterDialect<T>): Pred<T> {
  const toks = tokenize(filter);
  if (toks.length === 0) throw new FilterError('The $filter expression is empty.');
  return new Parser(toks, dialect).parse();
}
