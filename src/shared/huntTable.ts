/**
 * A hunting result as a table: the shape the notebook output carries, cell text, sorting, copy (TSV),
 * CSV export and the plain-text preview that "Add result to incident" posts. Every cell value is
 * attacker-influenced text (command lines, URLs, file names): it only ever becomes text here, never
 * markup. Pure: no `vscode`, no DOM, no Node API, so the notebook renderer (a browser bundle) and the
 * extension host share it.
 */

/** The service's row limit: a result with this many rows was cut by the service. */
export const SERVICE_ROW_LIMIT = 100_000;

/** The notebook output's MIME type; the renderer in package.json claims it. */
export const HUNT_RESULT_MIME = 'application/vnd.defender-incidents.hunt-result+json';

export interface HuntColumn {
  name: string;
  type: string;
}

/** A cell as the output carries it: objects and arrays (KQL `dynamic`) arrive already as JSON text. */
export type HuntCell = string | number | boolean | null;

/** What a run of a cell produced, as stored in the notebook output (JSON). */
export interface HuntOutput {
  v: 1;
  query: string;
  timespan?: string;
  columns: HuntColumn[];
  rows: HuntCell[][];
  /** True when the service stopped at its row limit (the result is incomplete). */
  truncated: boolean;
  rowLimit: number;
  /** ISO time the answer arrived. */
  ranAt: string;
  elapsedMs: number;
  /**
   * The connection (backend, API host, tenant) the query ran on: its result is that tenant's data and is
   * added only to an incident of the same connection (issue 16 item 1).
   */
  connection?: string;
}

/** One value from the service as a cell: scalars stay, `dynamic` values become JSON text. */
export function toCell(value: unknown): HuntCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return String(value);
  }
}

/** The text of a cell (what the table shows and what copy and CSV use). */
export function cellText(c: HuntCell): string {
  if (c === null) return '';
  return typeof c === 'string' ? c : String(c);
}

const NUMERIC_TYPES = /^(int|long|real|double|decimal|float|int32|int64|number|system\.(int32|int64|double|single|decimal))$/i;
const DATE_TYPES = /^(datetime|date|system\.datetime)$/i;

export type SortDir = 'asc' | 'desc';

/**
 * Row indexes in sorted order (the rows themselves are not moved: the renderer reads through the index).
 * Numbers by value, dates by time, everything else by text; empty cells last either way; stable.
 */
export function sortOrder(out: Pick<HuntOutput, 'columns' | 'rows'>, col: number, dir: SortDir): number[] {
  const type = out.columns[col]?.type ?? '';
  const numeric = NUMERIC_TYPES.test(type);
  const date = DATE_TYPES.test(type);
  const key = (c: HuntCell): number | string | null => {
    if (c === null || c === '') return null;
    if (numeric) {
      const n = typeof c === 'number' ? c : Number(c);
      return Number.isNaN(n) ? cellText(c) : n;
    }
    if (date) {
      const t = Date.parse(cellText(c));
      return Number.isNaN(t) ? cellText(c) : t;
    }
    return cellText(c).toLowerCase();
  };
  const keys = out.rows.map(r => key(r[col] ?? null));
  const sign = dir === 'asc' ? 1 : -1;
  const idx = keys.map((_, i) => i);
  idx.sort((a, b) => {
    const x = keys[a];
    const y = keys[b];
    if (x === null || y === null) return x === y ? a - b : x === null ? 1 : -1;
    if (typeof x === typeof y) {
      const c = x < y ? -1 : x > y ? 1 : 0;
      return c ? c * sign : a - b;
    }
    // Mixed (a number column with a text cell): numbers first.
    return (typeof x === 'number' ? -1 : 1) * sign || a - b;
  });
  return idx;
}

/** Spreadsheet formula starters: a cell beginning with one is prefixed with `'` so it stays text (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180 quoting), safe to open in a spreadsheet. */
export function csvField(c: HuntCell): string {
  let t = cellText(c);
  if (typeof c === 'string' && FORMULA_START.test(t)) t = `'${t}`;
  return /[",\r\n]/.test(t) || t !== t.trim() ? `"${t.replace(/"/g, '""')}"` : t;
}

/** The whole result as CSV (header row, CRLF line ends), rows in the given order. */
export function toCsv(out: Pick<HuntOutput, 'columns' | 'rows'>, order?: readonly number[]): string {
  const lines = [out.columns.map(c => csvField(c.name)).join(',')];
  const ids = order ?? out.rows.map((_, i) => i);
  for (const i of ids) lines.push(out.columns.map((_, j) => csvField(out.rows[i][j] ?? null)).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

/** Tab-separated text for the clipboard (tabs and line breaks inside cells become spaces). */
export function toTsv(out: Pick<HuntOutput, 'columns' | 'rows'>, order?: readonly number[]): string {
  const clean = (t: string) => t.replace(/[\t\r\n]+/g, ' ');
  const ids = order ?? out.rows.map((_, i) => i);
  const lines = [out.columns.map(c => clean(c.name)).join('\t')];
  for (const i of ids) lines.push(out.columns.map((_, j) => clean(cellText(out.rows[i][j] ?? null))).join('\t'));
  return lines.join('\n');
}

/** "1,234 rows", "1 row", "100,000 rows (truncated at 100,000 rows by the service)". */
export function rowCountText(out: Pick<HuntOutput, 'rows' | 'truncated' | 'rowLimit'>): string {
  const n = out.rows.length;
  const base = `${n.toLocaleString('en-US')} ${n === 1 ? 'row' : 'rows'}`;
  return out.truncated ? `${base} (truncated at ${out.rowLimit.toLocaleString('en-US')} rows by the service)` : base;
}

/**
 * Reads a notebook output back (the renderer and "Add result to incident" get it as JSON): anything that
 * is not a well-formed HuntOutput is refused rather than half-shown.
 */
export function asHuntOutput(x: unknown): HuntOutput | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const o = x as Record<string, unknown>;
  if (o.v !== 1 || typeof o.query !== 'string' || !Array.isArray(o.columns) || !Array.isArray(o.rows)) return undefined;
  if (!o.columns.every(c => typeof c === 'object' && c !== null && typeof (c as HuntColumn).name === 'string' && typeof (c as HuntColumn).type === 'string'))
    return undefined;
  const scalar = (c: unknown) => c === null || typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean';
  if (!o.rows.every(r => Array.isArray(r) && r.every(scalar))) return undefined;
  return {
    v: 1,
    query: o.query,
    timespan: typeof o.timespan === 'string' ? o.timespan : undefined,
    columns: (o.columns as HuntColumn[]).map(c => ({ name: c.name, type: c.type })),
    rows: o.rows as HuntCell[][],
    truncated: o.truncated === true,
    rowLimit: typeof o.rowLimit === 'number' ? o.rowLimit : SERVICE_ROW_LIMIT,
    ranAt: typeof o.ranAt === 'string' ? o.ranAt : '',
    elapsedMs: typeof o.elapsedMs === 'number' ? o.elapsedMs : 0,
    ...(typeof o.connection === 'string' ? { connection: o.connection } : {}),
  };
}
