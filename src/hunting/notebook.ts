/**
 * The hunting notebook in VS Code (part of the lazy hunting chunk): the `.huntbook` serializer
 * (./huntbook does the format) and the execution of KQL cells through the hunting client, one at a time,
 * each cancellable while it runs (the cell's token aborts the HTTP request). A result becomes one output
 * item of the hunt-result MIME type (the table renderer) plus a plain-text line for surfaces without it.
 */
import * as vscode from 'vscode';
import { parseHuntbook, serializeHuntbook, type Huntbook, type HuntbookCell } from './huntbook';
import { HUNT_RESULT_MIME, rowCountText } from '../shared/huntTable';
import type { HuntingClient } from './client';
import { CancelledError, isBackendError } from '../backend/errors';
import { safeText } from '../shared/text';

import { KQL_LANGUAGE } from './ids';

/** Cell metadata keys this extension reads and writes. */
interface CellMeta {
  timespan?: string;
  title?: string;
}

export class HuntbookSerializer implements vscode.NotebookSerializer {
  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const book = parseHuntbook(new TextDecoder().decode(content));
    return toNotebookData(book);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const cells: HuntbookCell[] = data.cells.map(c => {
      const meta = (c.metadata ?? {}) as CellMeta;
      const kind = c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'kql';
      return { kind, source: c.value, ...(meta.timespan ? { timespan: meta.timespan } : {}), ...(meta.title ? { title: meta.title } : {}) };
    });
    const incidentId = typeof data.metadata?.incidentId === 'string' ? data.metadata.incidentId : undefined;
    return new TextEncoder().encode(serializeHuntbook({ incidentId, cells }));
  }
}

export function toNotebookData(book: Huntbook): vscode.NotebookData {
  const data = new vscode.NotebookData(
    book.cells.map(c => {
      const cell = new vscode.NotebookCellData(
        c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
        c.source,
        c.kind === 'markdown' ? 'markdown' : KQL_LANGUAGE,
      );
      const meta: CellMeta = {};
      if (c.timespan) meta.timespan = c.timespan;
      if (c.title) meta.title = c.title;
      cell.metadata = meta;
      return cell;
    }),
  );
  data.metadata = book.incidentId ? { incidentId: book.incidentId } : {};
  return data;
}

export interface ControllerDeps {
  client: () => Promise<HuntingClient>;
  log: (line: string) => void;
}

let order = 0;

/** The controller's execute handler: code cells one at a time, in order (the tenant's quota is per call). */
export async function runCells(controller: vscode.NotebookController, cells: readonly vscode.NotebookCell[], d: ControllerDeps): Promise<void> {
  for (const cell of cells) {
    if (cell.kind !== vscode.NotebookCellKind.Code) continue;
    await runCell(controller, cell, ++order, d);
  }
}

async function runCell(controller: vscode.NotebookController, cell: vscode.NotebookCell, order: number, d: ControllerDeps): Promise<void> {
  const exec = controller.createNotebookCellExecution(cell);
  exec.executionOrder = order;
  exec.start(Date.now());
  const abort = new AbortController();
  const sub = exec.token.onCancellationRequested(() => abort.abort());
  try {
    const query = cell.document.getText();
    const timespan = (cell.metadata as CellMeta | undefined)?.timespan;
    const client = await d.client();
    const waitOutput = (message: string) =>
      void exec.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(safeText(message, { max: 400 }))]));
    const out = await client.runHunt(query, timespan, { signal: abort.signal, onWait: waitOutput });
    await exec.replaceOutput(
      new vscode.NotebookCellOutput(
        [vscode.NotebookCellOutputItem.json(out, HUNT_RESULT_MIME), vscode.NotebookCellOutputItem.text(`${rowCountText(out)}, ${out.columns.length} columns`)],
        { rowCount: out.rows.length, truncated: out.truncated },
      ),
    );
    exec.end(true, Date.now());
  } catch (e) {
    const cancelled = e instanceof CancelledError || abort.signal.aborted;
    if (cancelled) {
      await exec.replaceOutput(
        new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text('Cancelled: the query was stopped before an answer arrived.')]),
      );
      exec.end(undefined, Date.now());
    } else {
      const message = e instanceof Error ? e.message : String(e);
      d.log(`Hunting query failed: ${message}`);
      const err = new Error(message);
      err.name = isBackendError(e) ? `Advanced hunting (${e.kind})` : 'Advanced hunting';
      err.stack = undefined;
      await exec.replaceOutput(new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(err)]));
      exec.end(false, Date.now());
    }
  } finally {
    sub.dispose();
  }
}

/** The result a cell holds, if its last run produced one. */
export function cellResult(cell: vscode.NotebookCell): unknown {
  for (const o of cell.outputs) {
    for (const item of o.items) {
      if (item.mime === HUNT_RESULT_MIME) {
        try {
          return JSON.parse(new TextDecoder().decode(item.data));
        } catch {
          return undefined;
        }
      }
    }
  }
  return undefined;
}
