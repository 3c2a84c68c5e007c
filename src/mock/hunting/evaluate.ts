/**
 * Runs a parsed query (ast.ts) over the hunting tables. Each operator first checks the columns its
 * expressions name against the columns it receives (a missing one is Kusto's semantic error, a 400), then
 * maps the rows. String comparisons follow KQL: `==`, `in`, `has_cs`, `contains_cs` are case-sensitive;
 * `=~`, `in~`, `has`, `contains`, `startswith`, `endswith` are not; `has` matches whole terms.
 */
import type { Aggregate, Expr, NamedExpr, Operator, Query, SortKey } from './ast';
import { DateTime, Timespan, toText, type Column, type KqlType, type Row, type Value } from './values';

export class KqlSemanticError extends Error {
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
    this.name = 'KqlSemanticError';
  }
}

export interface EvalInput {
  tables: Record<string, Row[]>;
  schemas: Record<string, Column[]>;
  /** The service's clock (ago(), now()). */
  now: number;
  /** Rows whose Timestamp is outside [from, to] are not in the tables the query sees (the Timespan of the request). */
  from: number;
  to: number;
}

export interface EvalResult {
  columns: Column[];
  rows: Row[];
  /** Rows read from the table: the query's cost. */ scanned: number;
}

export function evaluate(q: Query, input: EvalInput): EvalResult {
  const ctx: Ctx = { now: input.now };
  if (q.print) {
    // One row, computed from expressions alone (no table: a column name cannot resolve).
    const named = uniqueNames(q.print);
    let columns: Column[] = named.map(n => ({ name: n.name, type: infer(n.expr, new Map(), 'print') }));
    let rows: Row[] = [Object.fromEntries(named.map(n => [n.name, ev(n.expr, {}, ctx)]))];
    for (const op of q.operators) ({ columns, rows } = apply(op, columns, rows, ctx));
    return { columns, rows, scanned: 0 };
  }
  const schema = input.schemas[q.table];
  const source = input.tables[q.table];
  if (!schema || !source) throw new KqlSemanticError(`Failed to resolve table or column expression named '${q.table}'`, q.tablePos);
  let columns = schema;
  let rows = source.filter(r => {
    const t = (r.Timestamp as DateTime).ms;
    return t >= input.from && t <= input.to;
  });
  const scanned = rows.length;
  for (const op of q.operators) ({ columns, rows } = apply(op, columns, rows, ctx));
  return { columns, rows, scanned };
}

interface Ctx {
  now: number;
}

const OP_NAMES: Record<Operator['kind'], string> = {
  where: 'where',
  project: 'project',
  extend: 'extend',
  take: 'take',
  top: 'top',
  sort: 'sort',
  summarize: 'summarize',
  distinct: 'distinct',
  count: 'count',
};

function apply(op: Operator, columns: Column[], rows: Row[], ctx: Ctx): { columns: Column[]; rows: Row[] } {
  const types = new Map(columns.map(c => [c.name, c.type]));
  const check = (e: Expr): KqlType => infer(e, types, OP_NAMES[op.kind]);
  switch (op.kind) {
    case 'where': {
      check(op.predicate);
      return { columns, rows: rows.filter(r => ev(op.predicate, r, ctx) === true) };
    }
    case 'project': {
      const out = uniqueNames(op.columns);
      const cols = out.map(n => ({ name: n.name, type: check(n.expr) }));
      return { columns: cols, rows: rows.map(r => Object.fromEntries(out.map(n => [n.name, ev(n.expr, r, ctx)]))) };
    }
    case 'extend': {
      const added = uniqueNames(
        op.columns,
        columns.map(c => c.name),
      );
      const cols = [...columns];
      for (const n of added) {
        const type = check(n.expr);
        const at = cols.findIndex(c => c.name === n.name);
        if (at >= 0) cols[at] = { name: n.name, type };
        else cols.push({ name: n.name, type });
      }
      return {
        columns: cols,
        rows: rows.map(r => {
          const o = { ...r };
          for (const n of added) o[n.name] = ev(n.expr, r, ctx);
          return o;
        }),
      };
    }
    case 'take':
      return { columns, rows: rows.slice(0, op.count) };
    case 'top':
      check(op.by.expr);
      return { columns, rows: sortRows(rows, [op.by], ctx).slice(0, op.count) };
    case 'sort':
      for (const k of op.by) check(k.expr);
      return { columns, rows: sortRows(rows, op.by, ctx) };
    case 'summarize':
      return summarize(op.aggregates, op.by, rows, ctx, check);
    case 'distinct': {
      const named =
        op.columns === '*' ? columns.map(c => ({ name: c.name, expr: { kind: 'column', name: c.name, pos: op.pos } as Expr })) : uniqueNames(op.columns);
      const cols = named.map(n => ({ name: n.name, type: check(n.expr) }));
      const seen = new Set<string>();
      const out: Row[] = [];
      for (const r of rows) {
        const row = Object.fromEntries(named.map(n => [n.name, ev(n.expr, r, ctx)]));
        const key = JSON.stringify(named.map(n => keyOf(row[n.name])));
        if (!seen.has(key)) {
          seen.add(key);
          out.push(row);
        }
      }
      return { columns: cols, rows: out };
    }
    case 'count':
      return { columns: [{ name: 'Count', type: 'long' }], rows: [{ Count: rows.length }] };
  }
}

/** Unnamed computed columns are Column1, Column2, ... as in Kusto. */
function uniqueNames(list: NamedExpr[], taken: string[] = []): NamedExpr[] {
  let n = 0;
  const used = new Set(taken);
  return list.map(x => {
    if (x.name !== 'Column1' || x.expr.kind === 'column') return x;
    let name: string;
    do {
      name = `Column${++n}`;
    } while (used.has(name));
    used.add(name);
    return { ...x, name };
  });
}

function summarize(aggs: Aggregate[], by: NamedExpr[], rows: Row[], ctx: Ctx, check: (e: Expr) => KqlType): { columns: Column[]; rows: Row[] } {
  const byCols = by.map(b => ({ name: b.name, type: check(b.expr) }));
  const aggCols = aggs.map(a => {
    if (a.arg) check(a.arg);
    return { name: a.name, type: (a.fn === 'min' || a.fn === 'max') && a.arg ? check(a.arg) : ('long' as KqlType) };
  });
  const groups = new Map<string, { key: Row; members: Row[] }>();
  for (const r of rows) {
    const key = Object.fromEntries(by.map(b => [b.name, ev(b.expr, r, ctx)]));
    const k = JSON.stringify(by.map(b => keyOf(key[b.name])));
    let g = groups.get(k);
    if (!g) {
      g = { key, members: [] };
      groups.set(k, g);
    }
    g.members.push(r);
  }
  // Without `by`, one row even over no rows (count() = 0).
  if (by.length === 0 && groups.size === 0) groups.set('', { key: {}, members: [] });
  const out: Row[] = [];
  for (const g of groups.values()) {
    const row: Row = { ...g.key };
    for (const a of aggs) {
      switch (a.fn) {
        case 'count':
          row[a.name] = g.members.length;
          break;
        case 'countif':
          row[a.name] = g.members.filter(m => ev(a.arg!, m, ctx) === true).length;
          break;
        case 'dcount':
          row[a.name] = new Set(g.members.map(m => JSON.stringify(keyOf(ev(a.arg!, m, ctx))))).size;
          break;
        case 'min':
        case 'max': {
          let best: Value = null;
          for (const m of g.members) {
            const v = ev(a.arg!, m, ctx);
            if (v === null || v === '') continue;
            if (best === null || (a.fn === 'min' ? compare(v, best) < 0 : compare(v, best) > 0)) best = v;
          }
          row[a.name] = best;
          break;
        }
      }
    }
    out.push(row);
  }
  return { columns: [...byCols, ...aggCols], rows: out };
}

function sortRows(rows: Row[], keys: SortKey[], ctx: Ctx): Row[] {
  const decorated = rows.map((r, i) => ({ r, i, k: keys.map(k => ev(k.expr, r, ctx)) }));
  decorated.sort((a, b) => {
    for (let j = 0; j < keys.length; j++) {
      const x = a.k[j];
      const y = b.k[j];
      const xn = x === null;
      const yn = y === null;
      if (xn || yn) {
        if (xn && yn) continue;
        return (xn ? -1 : 1) * (keys[j].nullsFirst ? 1 : -1);
      }
      const c = compare(x, y);
      if (c !== 0) return keys[j].desc ? -c : c;
    }
    return a.i - b.i;
  });
  return decorated.map(d => d.r);
}

function keyOf(v: Value): unknown {
  if (v instanceof DateTime) return ['d', v.ms];
  if (v instanceof Timespan) return ['t', v.ms];
  return v;
}

// ---- expressions ----------------------------------------------------------------------------------

/** The type of an expression; throws Kusto's semantic error for a column that does not exist here. */
function infer(e: Expr, types: Map<string, KqlType>, op: string): KqlType {
  const sub = (x: Expr): KqlType => infer(x, types, op);
  switch (e.kind) {
    case 'column': {
      const t = types.get(e.name);
      if (!t) throw new KqlSemanticError(`'${op}' operator: Failed to resolve scalar expression named '${e.name}'`, e.pos);
      return t;
    }
    case 'string':
      return 'string';
    case 'number':
      return Number.isInteger(e.value) ? 'long' : 'real';
    case 'bool':
      return 'bool';
    case 'null':
      return 'dynamic';
    case 'timespan':
      return 'timespan';
    case 'datetime':
      return 'datetime';
    case 'neg':
      return sub(e.expr);
    case 'in':
      sub(e.left);
      e.list.forEach(sub);
      return 'bool';
    case 'between':
      sub(e.left);
      sub(e.low);
      sub(e.high);
      return 'bool';
    case 'binary': {
      const l = sub(e.left);
      const r = sub(e.right);
      if (e.op === '+' || e.op === '-') {
        if (l === 'datetime' && r === 'datetime' && e.op === '-') return 'timespan';
        if (l === 'datetime' || r === 'datetime') return 'datetime';
        if (l === 'timespan' || r === 'timespan') return 'timespan';
        if (l === 'string' || r === 'string') throw new KqlSemanticError(`'${op}' operator: the operator '${e.op}' cannot be applied to a string`, e.pos);
        return l === 'real' || r === 'real' ? 'real' : 'long';
      }
      if (e.op === '*' || e.op === '/' || e.op === '%') return l === 'real' || r === 'real' || e.op === '/' ? 'real' : 'long';
      return 'bool';
    }
    case 'call': {
      const args = e.args.map(sub);
      const arity = (min: number, max: number): void => {
        if (args.length < min || args.length > max)
          throw new KqlSemanticError(
            `'${op}' operator: ${e.name}(): expected ${min === max ? min : `${min} to ${max}`} argument(s), got ${args.length}`,
            e.pos,
          );
      };
      switch (e.name) {
        case 'ago':
          arity(1, 1);
          if (args[0] !== 'timespan') throw new KqlSemanticError(`'${op}' operator: ago(): argument must be of type timespan`, e.pos);
          return 'datetime';
        case 'now':
          arity(0, 1);
          return 'datetime';
        case 'datetime':
          arity(1, 1);
          return 'datetime';
        case 'not':
          arity(1, 1);
          return 'bool';
        case 'isempty':
        case 'isnotempty':
        case 'isnull':
        case 'isnotnull':
          arity(1, 1);
          return 'bool';
        case 'tolower':
        case 'toupper':
        case 'tostring':
          arity(1, 1);
          return 'string';
        case 'strlen':
          arity(1, 1);
          return 'long';
        case 'strcat':
          arity(1, 64);
          return 'string';
        default:
          throw new KqlSemanticError(`'${op}' operator: Failed to resolve function '${e.name}'`, e.pos);
      }
    }
  }
}

function ev(e: Expr, row: Row, ctx: Ctx): Value {
  switch (e.kind) {
    case 'column':
      return row[e.name] ?? null;
    case 'string':
      return e.value;
    case 'number':
    case 'bool':
      return e.value;
    case 'null':
      return null;
    case 'timespan':
      return new Timespan(e.ms);
    case 'datetime':
      return new DateTime(e.ms);
    case 'neg': {
      const v = ev(e.expr, row, ctx);
      return v instanceof Timespan ? new Timespan(-v.ms) : typeof v === 'number' ? -v : null;
    }
    case 'in': {
      const v = ev(e.left, row, ctx);
      const hit = e.list.some(x => (e.caseInsensitive ? eqi(v, ev(x, row, ctx)) : eq(v, ev(x, row, ctx))));
      return e.negated ? !hit : hit;
    }
    case 'between': {
      const v = ev(e.left, row, ctx);
      const low = ev(e.low, row, ctx);
      let high = ev(e.high, row, ctx);
      if (low instanceof DateTime && high instanceof Timespan) high = new DateTime(low.ms + high.ms);
      if (v === null || low === null || high === null) return false;
      const inside = compare(v, low) >= 0 && compare(v, high) <= 0;
      return e.negated ? !inside : inside;
    }
    case 'binary':
      return binary(e.op, e, row, ctx);
    case 'call':
      return call(
        e.name,
        e.args.map(a => ev(a, row, ctx)),
        ctx,
      );
  }
}

function binary(op: string, e: Extract<Expr, { kind: 'binary' }>, row: Row, ctx: Ctx): Value {
  if (op === 'and') return ev(e.left, row, ctx) === true && ev(e.right, row, ctx) === true;
  if (op === 'or') return ev(e.left, row, ctx) === true || ev(e.right, row, ctx) === true;
  const l = ev(e.left, row, ctx);
  const r = ev(e.right, row, ctx);
  switch (op) {
    case '==':
      return eq(l, r);
    case '!=':
      return !eq(l, r);
    case '=~':
      return eqi(l, r);
    case '!~':
      return !eqi(l, r);
    case '<':
      return l !== null && r !== null && compare(l, r) < 0;
    case '<=':
      return l !== null && r !== null && compare(l, r) <= 0;
    case '>':
      return l !== null && r !== null && compare(l, r) > 0;
    case '>=':
      return l !== null && r !== null && compare(l, r) >= 0;
    case 'has':
      return hasTerm(toText(l), toText(r), false);
    case '!has':
      return !hasTerm(toText(l), toText(r), false);
    case 'has_cs':
      return hasTerm(toText(l), toText(r), true);
    case 'contains':
      return toText(l).toLowerCase().includes(toText(r).toLowerCase());
    case '!contains':
      return !toText(l).toLowerCase().includes(toText(r).toLowerCase());
    case 'contains_cs':
      return toText(l).includes(toText(r));
    case 'startswith':
      return toText(l).toLowerCase().startsWith(toText(r).toLowerCase());
    case '!startswith':
      return !toText(l).toLowerCase().startsWith(toText(r).toLowerCase());
    case 'endswith':
      return toText(l).toLowerCase().endsWith(toText(r).toLowerCase());
    case '!endswith':
      return !toText(l).toLowerCase().endsWith(toText(r).toLowerCase());
    case '+':
    case '-':
      return arith(op, l, r);
    case '*':
      return typeof l === 'number' && typeof r === 'number' ? l * r : null;
    case '/':
      return typeof l === 'number' && typeof r === 'number' && r !== 0 ? l / r : null;
    case '%':
      return typeof l === 'number' && typeof r === 'number' && r !== 0 ? l % r : null;
    default:
      return null;
  }
}

function arith(op: '+' | '-', l: Value, r: Value): Value {
  const s = op === '+' ? 1 : -1;
  if (l instanceof DateTime && r instanceof Timespan) return new DateTime(l.ms + s * r.ms);
  if (l instanceof Timespan && r instanceof DateTime && op === '+') return new DateTime(r.ms + l.ms);
  if (l instanceof DateTime && r instanceof DateTime && op === '-') return new Timespan(l.ms - r.ms);
  if (l instanceof Timespan && r instanceof Timespan) return new Timespan(l.ms + s * r.ms);
  if (typeof l === 'number' && typeof r === 'number') return l + s * r;
  return null;
}

function call(name: string, args: Value[], ctx: Ctx): Value {
  switch (name) {
    case 'ago':
      return args[0] instanceof Timespan ? new DateTime(ctx.now - args[0].ms) : null;
    case 'now':
      return new DateTime(ctx.now + (args[0] instanceof Timespan ? args[0].ms : 0));
    case 'datetime':
      return asDate(args[0]);
    case 'not':
      return args[0] !== true;
    case 'isempty':
      return args[0] === null || args[0] === '';
    case 'isnotempty':
      return !(args[0] === null || args[0] === '');
    case 'isnull':
      return args[0] === null;
    case 'isnotnull':
      return args[0] !== null;
    case 'tolower':
      return toText(args[0]).toLowerCase();
    case 'toupper':
      return toText(args[0]).toUpperCase();
    case 'tostring':
      return toText(args[0]);
    case 'strlen':
      return [...toText(args[0])].length;
    case 'strcat':
      return args.map(toText).join('');
    default:
      return null;
  }
}

function asDate(v: Value): DateTime | null {
  if (v instanceof DateTime) return v;
  if (typeof v === 'string') {
    const ms = Date.parse(v);
    return Number.isFinite(ms) ? new DateTime(ms) : null;
  }
  return null;
}

function eq(l: Value, r: Value): boolean {
  if (l === null || r === null) return false;
  if (l instanceof DateTime || r instanceof DateTime) {
    const a = asDate(l);
    const b = asDate(r);
    return a !== null && b !== null && a.ms === b.ms;
  }
  if (l instanceof Timespan && r instanceof Timespan) return l.ms === r.ms;
  if (typeof l === 'number' && typeof r === 'number') return l === r;
  if (typeof l === 'boolean' || typeof r === 'boolean') return l === r;
  return toText(l) === toText(r);
}

function eqi(l: Value, r: Value): boolean {
  if (l === null || r === null) return false;
  return toText(l).toLowerCase() === toText(r).toLowerCase();
}

/** Order of two non-null values: datetimes and timespans by time, numbers by value, else ordinal text. */
export function compare(l: Value, r: Value): number {
  if (l instanceof DateTime || r instanceof DateTime) {
    const a = asDate(l);
    const b = asDate(r);
    if (a && b) return a.ms - b.ms;
  }
  if (l instanceof Timespan && r instanceof Timespan) return l.ms - r.ms;
  if (typeof l === 'number' && typeof r === 'number') return l - r;
  if (typeof l === 'boolean' && typeof r === 'boolean') return Number(l) - Number(r);
  const a = toText(l);
  const b = toText(r);
  return a < b ? -1 : a > b ? 1 : 0;
}

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[\p{L}\p{N}_]/u.test(c);

/**
 * KQL `has`: the needle is a whole term of the text (terms are runs of letters, digits and `_`), or, for a
 * needle with punctuation inside (an IP, a path), a sequence whose ends are term boundaries.
 */
export function hasTerm(text: string, needle: string, caseSensitive: boolean): boolean {
  if (needle === '') return true;
  const h = caseSensitive ? text : text.toLowerCase();
  const n = caseSensitive ? needle : needle.toLowerCase();
  for (let at = h.indexOf(n); at >= 0; at = h.indexOf(n, at + 1)) {
    const startOk = !isWordChar(n[0]) || !isWordChar(h[at - 1]);
    const endOk = !isWordChar(n[n.length - 1]) || !isWordChar(h[at + n.length]);
    if (startOk && endOk) return true;
  }
  return false;
}
