/**
 * The `.huntbook` file: a hunting notebook as readable, diff-friendly JSON, meant to live in git.
 * Each cell's text is a list of lines (a one-line change is a one-line diff); results are never saved
 * (they are tenant data, and they go stale). The format is small and strict: a file that does not parse
 * says where, rather than loading half a notebook. No `vscode` import.
 *
 * {
 *   "huntbook": 1,
 *   "incidentId": "123",            (optional: where "Add result to incident" posts)
 *   "cells": [
 *     { "kind": "markdown", "source": ["# Device WS-01", "..."] },
 *     { "kind": "kql", "timespan": "P7D", "source": ["DeviceProcessEvents", "| where DeviceId == \"...\""] }
 *   ]
 * }
 */

export const HUNTBOOK_VERSION = 1;

export interface HuntbookCell {
  kind: 'kql' | 'markdown';
  source: string;
  /** ISO 8601 duration or interval sent as `Timespan` (KQL cells only). */
  timespan?: string;
  title?: string;
}

export interface Huntbook {
  incidentId?: string;
  cells: HuntbookCell[];
}

export class HuntbookFormatError extends Error {
  constructor(message: string) {
    super(`Not a valid .huntbook file: ${message}`);
    this.name = 'HuntbookFormatError';
  }
}

/** ISO 8601 forms the service accepts: P7D, PT12H, start/end, P30D/end, start/P30D. */
const ISO_PART = /^(P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?|\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?)$/;

export function isTimespan(s: string): boolean {
  const parts = s.trim().split('/');
  return parts.length <= 2 && parts.every(p => ISO_PART.test(p)) && !(parts.length === 2 && parts.every(p => p.startsWith('P')));
}

function lines(text: string): string[] {
  return text.replace(/\r\n/g, '\n').split('\n');
}

export function parseHuntbook(text: string): Huntbook {
  if (!text.trim()) return { cells: [] };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new HuntbookFormatError(`it is not JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new HuntbookFormatError('the top level must be an object.');
  const o = data as Record<string, unknown>;
  if (o.huntbook !== HUNTBOOK_VERSION)
    throw new HuntbookFormatError(`"huntbook" must be ${HUNTBOOK_VERSION} (it is ${JSON.stringify(o.huntbook) ?? 'missing'}).`);
  if (!Array.isArray(o.cells)) throw new HuntbookFormatError('"cells" must be a list.');
  if (o.incidentId !== undefined && (typeof o.incidentId !== 'string' || !/^[\w-]{1,100}$/.test(o.incidentId))) {
    throw new HuntbookFormatError('"incidentId" must be an incident id (letters, digits, - and _).');
  }
  const cells = o.cells.map((c, i): HuntbookCell => {
    const where = `cell ${i + 1}`;
    if (typeof c !== 'object' || c === null) throw new HuntbookFormatError(`${where} is not an object.`);
    const cell = c as Record<string, unknown>;
    if (cell.kind !== 'kql' && cell.kind !== 'markdown') throw new HuntbookFormatError(`${where}: "kind" must be "kql" or "markdown".`);
    const src = cell.source;
    const source = typeof src === 'string' ? src : Array.isArray(src) && src.every(l => typeof l === 'string') ? src.join('\n') : undefined;
    if (source === undefined) throw new HuntbookFormatError(`${where}: "source" must be a list of lines.`);
    const out: HuntbookCell = { kind: cell.kind, source };
    if (cell.timespan !== undefined) {
      if (typeof cell.timespan !== 'string' || !isTimespan(cell.timespan))
        throw new HuntbookFormatError(`${where}: "timespan" must be an ISO 8601 duration or interval such as P7D.`);
      out.timespan = cell.timespan;
    }
    if (typeof cell.title === 'string') out.title = cell.title;
    return out;
  });
  return { ...(typeof o.incidentId === 'string' ? { incidentId: o.incidentId } : {}), cells };
}

/** Two-space JSON, one line per source line, a final newline: stable output for git. */
export function serializeHuntbook(book: Huntbook): string {
  const out = {
    huntbook: HUNTBOOK_VERSION,
    ...(book.incidentId ? { incidentId: book.incidentId } : {}),
    cells: book.cells.map(c => ({
      kind: c.kind,
      ...(c.title ? { title: c.title } : {}),
      ...(c.kind === 'kql' && c.timespan ? { timespan: c.timespan } : {}),
      source: lines(c.source),
    })),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** A cell generated from evidence (the evidence helper's `HuntCell`). */
export interface GeneratedCell {
  title: string;
  query: string;
  timespan?: string;
}

/** A title as a one-line KQL comment: line breaks and controls cannot end the comment and start code. */
function commentLine(title: string): string {
  return `// ${title.replace(/[\p{Cc}\u2028\u2029\u0085]+/gu, ' ').slice(0, 200)}`;
}

/**
 * A notebook from generated cells. Backend text never reaches a Markdown cell (it would render links
 * and images): the heading is ours, evidence values stay in the queries (quoted by their generator)
 * and in one-line KQL comments.
 */
export function bookFromCells(cells: readonly GeneratedCell[], incidentId: string | undefined, heading = '# Hunt'): Huntbook {
  const out: HuntbookCell[] = [{ kind: 'markdown', source: heading }];
  for (const c of cells)
    out.push({ kind: 'kql', title: c.title, source: `${commentLine(c.title)}\n${c.query}`, ...(c.timespan ? { timespan: c.timespan } : {}) });
  return { ...(incidentId ? { incidentId } : {}), cells: out };
}
