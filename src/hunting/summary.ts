/**
 * "Add result to incident": the comment text for a hunting result. Plain text: the query, the time range,
 * the row count and the first rows, each cell on one line and capped, the whole capped well under the
 * comment limit. Cell values are attacker-influenced: control and bidi characters are removed so a value
 * cannot reorder or hide the text around it in the portal or in the pane. No `vscode` import.
 */
import { cellText, rowCountText, type HuntOutput } from '../shared/huntTable';

export const SUMMARY_ROWS = 10;
export const SUMMARY_CELL_MAX = 120;
export const SUMMARY_MAX = 4000;

const UNSAFE = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu;

function clean(t: string, max: number): string {
  const one = t
    .replace(/\r\n|[\r\n\t]/g, ' ')
    .replace(UNSAFE, '')
    .trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

export function resultSummary(out: HuntOutput): string {
  const parts: string[] = ['Advanced hunting result', ''];
  parts.push(
    'Query:',
    ...out.query
      .replace(UNSAFE_QUERY, '')
      .split(/\r\n|\r|\n/)
      .slice(0, 30)
      .map(l => `    ${l.slice(0, 300)}`),
  );
  if (out.timespan) parts.push(`Time range: ${clean(out.timespan, 60)}`);
  parts.push(`Rows: ${rowCountText(out)}`, '');
  if (out.rows.length) {
    const n = Math.min(SUMMARY_ROWS, out.rows.length);
    parts.push(`First ${n === out.rows.length ? n : `${n} of ${out.rows.length.toLocaleString('en-US')}`} ${n === 1 ? 'row' : 'rows'}:`);
    out.rows.slice(0, n).forEach((r, i) => {
      parts.push(`${i + 1}. ${out.columns.map((c, j) => `${clean(c.name, 60)}=${clean(cellText(r[j] ?? null), SUMMARY_CELL_MAX)}`).join('; ')}`);
    });
  }
  let text = parts.join('\n');
  if (text.length > SUMMARY_MAX) text = `${text.slice(0, SUMMARY_MAX - 40)}\n… (cut to ${SUMMARY_MAX.toLocaleString('en-US')} characters)`;
  return text;
}

/** The query keeps its line breaks; other controls and bidi characters go. */
const UNSAFE_QUERY = /(?![\n\r\t])[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/gu;
