/**
 * A recursive-descent parser for the KQL subset of the mock's hunting. Grammar (precedence low to high):
 *
 *   query      := (Table | 'print' named (',' named)*) ( '|' operator )* [';']
 *   operator   := 'where' expr | 'project' named (',' named)* | 'extend' named (',' named)*
 *               | ('take' | 'limit') Number | 'top' Number 'by' sortKey
 *               | ('order' | 'sort') 'by' sortKey (',' sortKey)*
 *               | 'summarize' agg (',' agg)* ['by' named (',' named)*] | 'distinct' ('*' | named (',' named)*) | 'count'
 *   named      := [Name '='] expr          sortKey := expr ['asc' | 'desc'] ['nulls' ('first' | 'last')]
 *   agg        := [Name '='] ('count' '(' ')' | 'countif' '(' expr ')' | ('dcount' | 'min' | 'max') '(' expr ')')
 *   expr       := and ('or' and)*          and := cmp ('and' cmp)*
 *   cmp        := add [ ('==' | '!=' | '=~' | '!~' | '<' | '<=' | '>' | '>=' | 'has' | '!has' | 'contains' | '!contains'
 *                       | 'startswith' | 'endswith' | 'has_cs' | 'contains_cs') add
 *                     | ('in' | '!in' | 'in~' | '!in~') '(' expr (',' expr)* ')'
 *                     | ['!'] 'between' '(' add '..' add ')' ]
 *   add        := mul (('+' | '-') mul)*   mul := unary (('*' | '/' | '%') unary)*      unary := ['-'] primary
 *   primary    := Literal | Column | ['Column'] | Name '(' args ')' | '(' expr ')'
 *
 * Literals: strings in every KQL form, numbers, timespans (7d), datetime(...), true/false, and `dynamic([...])`
 * only as an `in` list. Known KQL operators and functions outside the subset raise UnsupportedKql naming them;
 * anything else that does not fit raises KqlSyntaxError with Kusto's "could not be parsed at" wording.
 */
import type { Aggregate, Expr, NamedExpr, Operator, Query, SortKey } from './ast';
import { KqlSyntaxError, lineCol, tokenize, type Token } from './lexer';

export class UnsupportedKql extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
    this.name = 'UnsupportedKql';
  }
}

export const SUPPORTED_OPERATORS = ['where', 'project', 'extend', 'take', 'limit', 'top', 'order by', 'sort by', 'summarize', 'distinct', 'count'];
export const SUPPORTED_FUNCTIONS = [
  'ago',
  'now',
  'datetime',
  'not',
  'isempty',
  'isnotempty',
  'isnull',
  'isnotnull',
  'tolower',
  'toupper',
  'tostring',
  'strcat',
  'strlen',
];
const AGGREGATES = ['count', 'countif', 'dcount', 'min', 'max'];

/** Real KQL tabular operators the mock does not evaluate: named in the 400, not called a syntax error. */
const KNOWN_OPERATORS = new Set([
  'join',
  'union',
  'lookup',
  'mv-expand',
  'mv-apply',
  'parse',
  'parse-where',
  'parse-kv',
  'project-away',
  'project-rename',
  'project-reorder',
  'project-keep',
  'evaluate',
  'make-series',
  'render',
  'invoke',
  'as',
  'sample',
  'sample-distinct',
  'search',
  'find',
  'getschema',
  'serialize',
  'partition',
  'fork',
  'facet',
  'top-nested',
  'top-hitters',
  'scan',
  'reduce',
  'consume',
  'extend-by',
  'externaldata',
  'range',
  'datatable',
  'materialize',
]);

const COMPARISONS = new Set(['==', '!=', '=~', '!~', '<', '<=', '>', '>=', '!has', '!contains', '!startswith', '!endswith']);
const WORD_COMPARISONS = new Set(['has', 'contains', 'startswith', 'endswith', 'has_cs', 'contains_cs']);
const UNSUPPORTED_WORD_OPS = new Set(['matches', 'has_any', 'has_all', 'hasprefix', 'hassuffix', 'startswith_cs', 'endswith_cs']);

export function parseKql(query: string): Query {
  return new Parser(query, tokenize(query)).parseQuery();
}

class Parser {
  private i = 0;
  constructor(
    private readonly query: string,
    private readonly toks: Token[],
  ) {}

  private peek(o = 0): Token {
    return this.toks[Math.min(this.i + o, this.toks.length - 1)];
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private isOp(text: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === 'op' && t.text === text;
  }
  private isWord(text: string, o = 0): boolean {
    const t = this.peek(o);
    return t.kind === 'ident' && t.text === text;
  }

  private fail(t: Token = this.peek()): never {
    const [l, c] = lineCol(this.query, t.pos);
    const near = t.kind === 'eof' ? '<end of query>' : this.query.slice(t.pos, t.pos + Math.max(1, t.text.length)).split('\n')[0];
    throw new KqlSyntaxError(`Syntax error: Query could not be parsed at '${near}' on line [${l},${c}]`, t.pos);
  }

  private expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail();
    return this.next();
  }
  private expectWord(text: string): Token {
    if (!this.isWord(text)) this.fail();
    return this.next();
  }

  private name(): string {
    const t = this.peek();
    if (t.kind === 'ident') {
      this.next();
      return t.text;
    }
    // ['Column name'] and ["Column name"]
    if (this.isOp('[') && this.peek(1).kind === 'string' && this.peek(2).kind === 'op' && this.peek(2).text === ']') {
      this.next();
      const s = this.next().text;
      this.next();
      return s;
    }
    return this.fail();
  }

  parseQuery(): Query {
    const first = this.peek();
    if (first.kind === 'ident' && (first.text === 'let' || first.text === 'set' || first.text === 'declare')) {
      throw new UnsupportedKql(
        `The mock's hunting does not support '${first.text}' statements. It evaluates one tabular expression: a table and piped operators (${SUPPORTED_OPERATORS.join(', ')}).`,
        first.pos,
      );
    }
    let print: NamedExpr[] | undefined;
    let table = '';
    if (first.kind === 'ident' && first.text === 'print' && !this.isOp('|', 1)) {
      this.next();
      // Unnamed print columns are print_0, print_1, ... by position.
      print = this.namedList().map((n, i) => (n.expr.kind !== 'column' && n.name === 'Column1' && !this.namedExplicitly(n) ? { ...n, name: `print_${i}` } : n));
    } else {
      if (first.kind === 'ident' && KNOWN_OPERATORS.has(first.text)) this.unsupportedOperator(first);
      table = this.name();
    }
    const operators: Operator[] = [];
    while (this.isOp('|')) {
      this.next();
      operators.push(this.operator());
    }
    if (this.isOp(';')) {
      this.next();
      if (this.peek().kind !== 'eof') {
        throw new UnsupportedKql("The mock's hunting does not support several statements in one query: send one tabular expression.", this.peek().pos);
      }
    }
    if (this.peek().kind !== 'eof') this.fail();
    return { table, tablePos: first.pos, ...(print ? { print } : {}), operators };
  }

  private readonly explicit = new WeakSet<NamedExpr>();

  private namedExplicitly(n: NamedExpr): boolean {
    return this.explicit.has(n);
  }

  private unsupportedOperator(t: Token): never {
    throw new UnsupportedKql(`The mock's hunting does not support the '${t.text}' operator. Supported operators: ${SUPPORTED_OPERATORS.join(', ')}.`, t.pos);
  }

  private operator(): Operator {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail();
    const pos = t.pos;
    switch (t.text) {
      case 'where':
      case 'filter':
        this.next();
        return { kind: 'where', predicate: this.expr(), pos };
      case 'project':
        this.next();
        return { kind: 'project', columns: this.namedList(), pos };
      case 'extend':
        this.next();
        return { kind: 'extend', columns: this.namedList(), pos };
      case 'take':
      case 'limit':
        this.next();
        return { kind: 'take', count: this.count(), pos };
      case 'top': {
        this.next();
        const count = this.count();
        this.expectWord('by');
        const by = this.sortKey();
        if (this.isOp(',')) this.fail();
        return { kind: 'top', count, by, pos };
      }
      case 'order':
      case 'sort': {
        this.next();
        this.expectWord('by');
        const by = [this.sortKey()];
        while (this.isOp(',')) {
          this.next();
          by.push(this.sortKey());
        }
        return { kind: 'sort', by, pos };
      }
      case 'summarize': {
        this.next();
        const aggregates: Aggregate[] = [this.aggregate()];
        while (this.isOp(',')) {
          this.next();
          aggregates.push(this.aggregate());
        }
        const by = this.isWord('by') ? (this.next(), this.namedList()) : [];
        return { kind: 'summarize', aggregates, by, pos };
      }
      case 'distinct':
        this.next();
        if (this.isOp('*')) {
          this.next();
          return { kind: 'distinct', columns: '*', pos };
        }
        return { kind: 'distinct', columns: this.namedList(), pos };
      case 'count':
        this.next();
        return { kind: 'count', pos };
      default:
        if (KNOWN_OPERATORS.has(t.text)) this.unsupportedOperator(t);
        return this.fail();
    }
  }

  private count(): number {
    const t = this.peek();
    if (t.kind !== 'number' || !Number.isInteger(t.value)) this.fail();
    this.next();
    return t.value as number;
  }

  private namedList(): NamedExpr[] {
    const out: NamedExpr[] = [this.named()];
    while (this.isOp(',')) {
      this.next();
      out.push(this.named());
    }
    return out;
  }

  private named(): NamedExpr {
    if ((this.peek().kind === 'ident' && this.isOp('=', 1)) || (this.isOp('[') && this.isOp('=', 3))) {
      const name = this.name();
      this.expectOp('=');
      const n = { name, expr: this.expr() };
      this.explicit.add(n);
      return n;
    }
    const expr = this.expr();
    return { name: expr.kind === 'column' ? expr.name : defaultName(expr), expr };
  }

  private sortKey(): SortKey {
    const expr = this.expr();
    let desc = true;
    if (this.isWord('asc')) {
      this.next();
      desc = false;
    } else if (this.isWord('desc')) {
      this.next();
    }
    // Kusto: nulls last when descending, first when ascending, unless said otherwise.
    let nullsFirst = !desc;
    if (this.isWord('nulls')) {
      this.next();
      if (this.isWord('first')) {
        this.next();
        nullsFirst = true;
      } else {
        this.expectWord('last');
        nullsFirst = false;
      }
    }
    return { expr, desc, nullsFirst };
  }

  private aggregate(): Aggregate {
    let name: string | undefined;
    if (this.peek().kind === 'ident' && this.isOp('=', 1)) {
      name = this.name();
      this.next();
    }
    const t = this.peek();
    if (t.kind !== 'ident' || !this.isOp('(', 1)) this.fail();
    if (!AGGREGATES.includes(t.text)) {
      throw new UnsupportedKql(
        `The mock's hunting does not support the aggregation '${t.text}()'. Supported: ${AGGREGATES.map(a => `${a}()`).join(', ')}.`,
        t.pos,
      );
    }
    this.next();
    this.next();
    const fn = t.text as Aggregate['fn'];
    let arg: Expr | undefined;
    if (fn !== 'count') arg = this.expr();
    this.expectOp(')');
    // Kusto's names: count_, countif_, dcount_Col, min_Col, max_Col.
    return { name: name ?? (arg?.kind === 'column' && fn !== 'countif' ? `${fn}_${arg.name}` : `${fn}_`), fn, arg, pos: t.pos };
  }

  // ---- expressions ----

  expr(): Expr {
    let left = this.and();
    while (this.isWord('or')) {
      const pos = this.next().pos;
      left = { kind: 'binary', op: 'or', left, right: this.and(), pos };
    }
    return left;
  }

  private and(): Expr {
    let left = this.cmp();
    while (this.isWord('and')) {
      const pos = this.next().pos;
      left = { kind: 'binary', op: 'and', left, right: this.cmp(), pos };
    }
    return left;
  }

  private cmp(): Expr {
    const left = this.add();
    const t = this.peek();
    const pos = t.pos;
    if (t.kind === 'op' && COMPARISONS.has(t.text)) {
      this.next();
      return { kind: 'binary', op: t.text, left, right: this.add(), pos };
    }
    if (t.kind === 'ident' && WORD_COMPARISONS.has(t.text)) {
      this.next();
      return { kind: 'binary', op: t.text, left, right: this.add(), pos };
    }
    if ((t.kind === 'ident' && (t.text === 'in' || t.text === 'in~')) || (t.kind === 'op' && (t.text === '!in' || t.text === '!in~'))) {
      this.next();
      return { kind: 'in', left, list: this.inList(), negated: t.text.startsWith('!'), caseInsensitive: t.text.endsWith('~'), pos };
    }
    if ((t.kind === 'ident' && t.text === 'between') || (t.kind === 'op' && t.text === '!between')) {
      this.next();
      this.expectOp('(');
      const low = this.add();
      this.expectOp('..');
      const high = this.add();
      this.expectOp(')');
      return { kind: 'between', left, low, high, negated: t.text.startsWith('!'), pos };
    }
    if (t.kind === 'ident' && (UNSUPPORTED_WORD_OPS.has(t.text) || /^!?[a-z]+_cs$/.test(t.text) || t.text === 'matches')) {
      throw new UnsupportedKql(
        `The mock's hunting does not support the '${t.text}' operator in expressions. Supported: ==, !=, =~, !~, <, <=, >, >=, has, !has, contains, !contains, startswith, endswith, in, !in, in~, !in~, between, !between, and, or, not().`,
        t.pos,
      );
    }
    return left;
  }

  private inList(): Expr[] {
    this.expectOp('(');
    let list: Expr[];
    // in (dynamic([...])) is a list too.
    if (this.isWord('dynamic') && this.isOp('(', 1)) {
      this.next();
      this.next();
      this.expectOp('[');
      list = this.isOp(']') ? [] : this.exprList();
      this.expectOp(']');
      this.expectOp(')');
    } else {
      list = this.isOp(')') ? [] : this.exprList();
    }
    this.expectOp(')');
    return list;
  }

  private exprList(): Expr[] {
    const out = [this.expr()];
    while (this.isOp(',')) {
      this.next();
      out.push(this.expr());
    }
    return out;
  }

  private add(): Expr {
    let left = this.mul();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = { kind: 'binary', op: t.text, left, right: this.mul(), pos: t.pos };
    }
    return left;
  }

  private mul(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const t = this.next();
      left = { kind: 'binary', op: t.text, left, right: this.unary(), pos: t.pos };
    }
    return left;
  }

  private unary(): Expr {
    if (this.isOp('-')) {
      const pos = this.next().pos;
      return { kind: 'neg', expr: this.unary(), pos };
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'string':
        this.next();
        return { kind: 'string', value: t.text, pos: t.pos };
      case 'number':
        this.next();
        return { kind: 'number', value: t.value as number, pos: t.pos };
      case 'timespan':
        this.next();
        return { kind: 'timespan', ms: t.value as number, pos: t.pos };
      case 'datetime':
        this.next();
        return { kind: 'datetime', ms: t.value as number, pos: t.pos };
      case 'op':
        if (t.text === '(') {
          this.next();
          const e = this.expr();
          this.expectOp(')');
          return e;
        }
        if (t.text === '[') return { kind: 'column', name: this.name(), pos: t.pos };
        return this.fail();
      case 'ident': {
        if (t.text === 'true' || t.text === 'false') {
          this.next();
          return { kind: 'bool', value: t.text === 'true', pos: t.pos };
        }
        if (this.isOp('(', 1)) {
          this.next();
          this.next();
          const args = this.isOp(')') ? [] : this.exprList();
          this.expectOp(')');
          if (!SUPPORTED_FUNCTIONS.includes(t.text)) {
            throw new UnsupportedKql(
              `The mock's hunting does not support the function '${t.text}()'. Supported functions: ${SUPPORTED_FUNCTIONS.map(f => `${f}()`).join(', ')}.`,
              t.pos,
            );
          }
          return { kind: 'call', name: t.text, args, pos: t.pos };
        }
        if (KNOWN_OPERATORS.has(t.text) || ['and', 'or', 'by', 'where', 'project'].includes(t.text)) this.fail();
        this.next();
        return { kind: 'column', name: t.text, pos: t.pos };
      }
      default:
        return this.fail();
    }
  }
}

/** Kusto names an unnamed computed column Column1, Column2...; the evaluator numbers them. */
function defaultName(expr: Expr): string {
  return expr.kind === 'call' && expr.args.length === 1 && expr.args[0].kind === 'column' ? `${expr.name}_${expr.args[0].name}` : 'Column1';
}
