/**
 * The notebook renderer for hunting results (dist/huntRenderer.js, claimed in package.json
 * `notebookRenderer`): a sortable table with the row count, "truncated at N rows" where the service cut
 * the result, copy (TSV), CSV export and "Add to incident". Cell values are attacker-influenced: they
 * reach the DOM only as text through ../dom.ts, and a cell's full value is its `title` attribute (text).
 * Large results stay fast because only the rows in view (plus a margin) exist in the DOM: the table is
 * virtualised over a fixed row height, so 10,000 or 100,000 rows paint like 40.
 */
import { h, replaceChildren } from '../dom';
import { asHuntOutput, cellText, rowCountText, sortOrder, toCsv, toTsv, type HuntOutput, type SortDir } from '../../src/shared/huntTable';
import { HUNT_STYLE } from './style';

/* The parts of the `vscode-notebook-renderer` API used here (the package is types only). */
interface OutputItem {
  id: string;
  mime: string;
  json(): unknown;
}
interface RendererContext {
  postMessage?(message: unknown): void;
}
interface RendererApi {
  renderOutputItem(item: OutputItem, element: HTMLElement, signal?: AbortSignal): void;
  disposeOutputItem?(id?: string): void;
}

export const ROW_HEIGHT = 22;
const VIEW_ROWS = 20;
const OVERSCAN = 10;
const MAX_CELL_CHARS = 500;

export interface TableView {
  root: HTMLElement;
  /** Renders the rows in view now (the scroll handler calls it once per frame). */
  paint(): void;
  sort(col: number): void;
  /** Rows currently in the DOM (for tests: virtualisation keeps this small). */
  renderedRows(): number;
  order(): number[];
}

/** Builds the table for one result. `post` is the renderer's messaging (absent: no copy/export/add buttons). */
export function createTableView(out: HuntOutput, post?: (m: unknown) => void): TableView {
  let order = out.rows.map((_, i) => i);
  let sortCol = -1;
  let sortDir: SortDir = 'asc';
  const headerCells = out.columns.map(c =>
    h('th', { attrs: { scope: 'col', title: `${c.name} (${c.type || 'unknown type'})`, 'aria-sort': 'none', tabindex: '0' } }, c.name),
  );
  const tbody = h('tbody');
  const table = h(
    'table',
    { class: 'dih-table', attrs: { role: 'grid', 'aria-rowcount': String(out.rows.length + 1) } },
    h('thead', null, h('tr', null, ...headerCells)),
    tbody,
  );
  const viewHeight = Math.min(out.rows.length, VIEW_ROWS) * ROW_HEIGHT + ROW_HEIGHT + 2;
  const scroller = h('div', { class: 'dih-scroll', attrs: { tabindex: '0', 'aria-label': 'Hunting result rows' } }, table);
  scroller.style.maxHeight = `${Math.max(viewHeight, ROW_HEIGHT * 3)}px`;
  const status = h('span', { class: 'dih-count', attrs: { role: 'status' } }, rowCountText(out));
  const buttons: HTMLElement[] = [];
  if (post) {
    const button = (label: string, onClick: () => void) => {
      const b = h('button', { class: 'dih-button', attrs: { type: 'button' } }, label);
      b.addEventListener('click', onClick);
      buttons.push(b);
    };
    button('Copy', () => post({ type: 'copy', text: toTsv(out, order) }));
    button('Export CSV', () => post({ type: 'exportCsv', csv: toCsv(out, order) }));
    button('Add to incident', () => post({ type: 'addToIncident', ranAt: out.ranAt, query: out.query }));
  }
  const bar = h('div', { class: 'dih-bar' }, status, ...buttons);
  if (out.truncated)
    bar.append(
      h(
        'span',
        { class: 'dih-warn' },
        `Truncated at ${out.rowLimit.toLocaleString('en-US')} rows: the service returned no more. Narrow the query to see the rest.`,
      ),
    );
  const root = h(
    'div',
    { class: 'dih-root' },
    h('style', null, HUNT_STYLE),
    bar,
    out.columns.length ? scroller : h('div', { class: 'dih-empty' }, 'The query returned no columns.'),
  );

  const setCell = (td: HTMLTableCellElement, t: string) => {
    const shown = t.length > MAX_CELL_CHARS ? `${t.slice(0, MAX_CELL_CHARS)}…` : t;
    if (td.textContent !== shown) td.textContent = shown;
    if (t.length > 30) td.setAttribute('title', t.length > 4000 ? `${t.slice(0, 4000)}…` : t);
    else td.removeAttribute('title');
  };
  const spacer = () => {
    const tr = h('tr', { class: 'dih-spacer', attrs: { 'aria-hidden': 'true' } });
    tr.appendChild(h('td', { attrs: { colspan: String(Math.max(1, out.columns.length)) } }));
    return tr;
  };
  // Spacers stand for the rows above and below the window; the rows in between are a pool of <tr>s
  // whose cells are rewritten in place as the window moves (no rows created while scrolling).
  const top = spacer();
  const bottom = spacer();
  const pool: HTMLTableRowElement[] = [];
  tbody.append(top, bottom);
  let rendered = 0;
  let lastFirst = -1;
  let lastLast = -1;
  const paint = (force = false) => {
    const total = order.length;
    const first = Math.max(0, Math.floor(scroller.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(total, first + VIEW_ROWS + 2 * OVERSCAN + Math.ceil((scroller.clientHeight || 0) / ROW_HEIGHT));
    if (!force && first === lastFirst && last === lastLast) return;
    lastFirst = first;
    lastLast = last;
    const n = last - first;
    while (pool.length < n) {
      const tr = h('tr');
      for (let j = 0; j < out.columns.length; j++) tr.appendChild(h('td'));
      pool.push(tr);
      tbody.insertBefore(tr, bottom);
    }
    for (let k = 0; k < pool.length; k++) {
      const tr = pool[k];
      if (k >= n) {
        tr.hidden = true;
        continue;
      }
      tr.hidden = false;
      tr.setAttribute('aria-rowindex', String(first + k + 2));
      const r = out.rows[order[first + k]];
      for (let j = 0; j < out.columns.length; j++) setCell(tr.children[j] as HTMLTableCellElement, cellText(r[j] ?? null));
    }
    top.style.height = `${first * ROW_HEIGHT}px`;
    top.hidden = first === 0;
    bottom.style.height = `${(total - last) * ROW_HEIGHT}px`;
    bottom.hidden = last >= total;
    rendered = n;
  };
  let frame = 0;
  scroller.addEventListener('scroll', () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      paint();
    });
  });
  const sort = (col: number) => {
    if (sortCol === col) sortDir = sortDir === 'asc' ? 'desc' : 'asc';
    else {
      sortCol = col;
      sortDir = 'asc';
    }
    order = sortOrder(out, col, sortDir);
    headerCells.forEach((th, i) => th.setAttribute('aria-sort', i === sortCol ? (sortDir === 'asc' ? 'ascending' : 'descending') : 'none'));
    paint(true);
  };
  headerCells.forEach((th, i) => {
    th.addEventListener('click', () => sort(i));
    th.addEventListener('keydown', e => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        sort(i);
      }
    });
  });
  tbody.addEventListener('dblclick', e => {
    const td = (e.target as HTMLElement | null)?.closest('td');
    const tr = td?.parentElement;
    if (!td || !tr || !post) return;
    const k = Number(tr.getAttribute('aria-rowindex')) - 2;
    const j = Array.prototype.indexOf.call(tr.children, td) as number;
    if (k >= 0 && j >= 0) post({ type: 'copy', text: cellText(out.rows[order[k]][j] ?? null) });
  });
  paint(true);
  return { root, paint: () => paint(true), sort, renderedRows: () => rendered, order: () => order };
}

export const activate = (context: RendererContext): RendererApi => ({
  renderOutputItem(item, element) {
    let data: unknown;
    try {
      data = item.json();
    } catch {
      data = undefined;
    }
    const out = asHuntOutput(data);
    if (!out) {
      replaceChildren(element, [h('div', { class: 'dih-empty' }, 'This output is not a hunting result this renderer can read.')]);
      return;
    }
    const post = context.postMessage ? (m: unknown) => context.postMessage?.(m) : undefined;
    const view = createTableView(out, post);
    replaceChildren(element, [view.root]);
    // The first paint measured no height (not yet in the document): paint again once laid out.
    requestAnimationFrame(() => view.paint());
  },
  disposeOutputItem() {
    /* the DOM goes with the element */
  },
});
