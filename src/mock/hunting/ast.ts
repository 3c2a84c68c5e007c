/** The syntax tree of the KQL subset the mock's hunting evaluates (see parser.ts for the grammar). */

export type Expr =
  | { kind: 'column'; name: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'number'; value: number; pos: number }
  | { kind: 'bool'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  | { kind: 'timespan'; ms: number; pos: number }
  | { kind: 'datetime'; ms: number; pos: number }
  /** and, or, ==, !=, =~, !~, <, <=, >, >=, has, !has, contains, !contains, startswith, endswith (and their !/_cs forms), +, -, *, /, % */
  | { kind: 'binary'; op: string; left: Expr; right: Expr; pos: number }
  | { kind: 'neg'; expr: Expr; pos: number }
  | { kind: 'in'; left: Expr; list: Expr[]; negated: boolean; caseInsensitive: boolean; pos: number }
  | { kind: 'between'; left: Expr; low: Expr; high: Expr; negated: boolean; pos: number }
  | { kind: 'call'; name: string; args: Expr[]; pos: number };

export interface NamedExpr {
  name: string;
  expr: Expr;
}

export interface SortKey {
  expr: Expr;
  desc: boolean;
  nullsFirst: boolean;
}

export interface Aggregate {
  name: string;
  fn: 'count' | 'dcount' | 'min' | 'max' | 'countif';
  arg?: Expr;
  pos: number;
}

export type Operator =
  | { kind: 'where'; predicate: Expr; pos: number }
  | { kind: 'project'; columns: NamedExpr[]; pos: number }
  | { kind: 'extend'; columns: NamedExpr[]; pos: number }
  | { kind: 'take'; count: number; pos: number }
  | { kind: 'top'; count: number; by: SortKey; pos: number }
  | { kind: 'sort'; by: SortKey[]; pos: number }
  | { kind: 'summarize'; aggregates: Aggregate[]; by: NamedExpr[]; pos: number }
  | { kind: 'distinct'; columns: NamedExpr[] | '*'; pos: number }
  | { kind: 'count'; pos: number };

/** `Table | ...`, or `print a = 1, ... | ...` (a single row made of expressions; `table` is then empty). */
export interface Query {
  table: string;
  tablePos: number;
  print?: NamedExpr[];
  operators: Operator[];
}
