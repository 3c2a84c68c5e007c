/**
 * The hunting commands: open a notebook from an incident or one evidence value, run a `.kql` file, add a
 * cell's result to the incident as a comment (through the one door, exactly once, after a modal that
 * shows the text), and sign in to Graph for hunting. Backend text never reaches a Markdown cell: the
 * notebook's prose is ours, evidence values appear only inside quoted KQL literals (see
 * src/model/huntQueries.ts) and one-line KQL comments.
 */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { Triage } from '../store/triage';
import type { IncidentStore } from '../store/incidentStore';
import type { TreeNode } from '../tree/incidentsTree';
import { resolveTargets } from '../commands/targets';
import { actionDoneMessage, ref } from '../commands/format';
import { safeText } from '../shared/text';
import { info, safe, ui } from '../ui/surface';
import { ConnectionChangedError } from '../store/triageRules';
import { bookFromCells as bookFrom, type GeneratedCell, type Huntbook } from './huntbook';
import { cellResult, toNotebookData } from './notebook';
import { KQL_LANGUAGE, NOTEBOOK_TYPE } from './ids';
import { asHuntOutput, type HuntOutput } from '../shared/huntTable';
import { resultSummary } from './summary';

export interface HuntingCommandDeps {
  triage: Triage;
  store: IncidentStore;
  view: vscode.TreeView<TreeNode>;
  /** Cells for an incident from its evidence, and for one value (src/model/huntQueries.ts). */
  cellsForIncident: (id: string) => Promise<GeneratedCell[]>;
  cellsForValue: (kind: string, value: string, incidentId?: string) => Promise<GeneratedCell[]>;
  signInForHunting: () => Promise<void>;
  /** The modal confirmation before a post (tests under DEFENDER_INCIDENTS_TEST may answer it). */
  confirm: (message: string, detail: string, button: string) => Promise<boolean>;
}

export async function openHuntbook(book: Huntbook): Promise<vscode.NotebookEditor> {
  const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, toNotebookData(book));
  return vscode.window.showNotebookDocument(doc);
}

const ID = /^[\w-]{1,100}$/;

function huntForArg(arg: unknown): { kind: string; value: string; incidentId?: string } | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const a = arg as Record<string, unknown>;
  if (typeof a.kind !== 'string' || !/^[a-zA-Z]{1,40}$/.test(a.kind) || typeof a.value !== 'string' || !a.value || a.value.length > 4000) return undefined;
  const incidentId = typeof a.incidentId === 'string' && ID.test(a.incidentId) ? a.incidentId : undefined;
  return { kind: a.kind, value: a.value, incidentId };
}

/** The notebook cell a command acts on: the one passed by a cell menu, else the active notebook's selection. */
function targetCell(arg: unknown): vscode.NotebookCell | undefined {
  if (arg && typeof arg === 'object' && 'notebook' in arg && 'document' in arg && 'outputs' in arg) return arg as vscode.NotebookCell;
  const editor = vscode.window.activeNotebookEditor;
  if (!editor || editor.notebook.notebookType !== NOTEBOOK_TYPE) return undefined;
  const sel = editor.selection;
  return editor.notebook.cellCount ? editor.notebook.cellAt(Math.min(sel.start, editor.notebook.cellCount - 1)) : undefined;
}

export function huntingCommands(d: HuntingCommandDeps) {
  /** Posts in flight or done, by incident and result: one result becomes one comment. */
  const posted = new Map<string, 'sending' | 'sent'>();

  async function addResult(cell: vscode.NotebookCell | undefined, out?: HuntOutput): Promise<void> {
    if (!cell) {
      void info(ui`Defender Incidents: select a hunting notebook cell with a result first.`);
      return;
    }
    const result = out ?? asHuntOutput(cellResult(cell));
    if (!result) {
      void info(ui`Defender Incidents: this cell has no result yet. Run it first.`);
      return;
    }
    const fromBook = cell.notebook.metadata?.incidentId;
    const id =
      typeof fromBook === 'string' && ID.test(fromBook)
        ? fromBook
        : (await resolveTargets({ store: d.store, view: d.view }, undefined, undefined, { many: false, placeholder: 'Add the result to which incident?' }))[0];
    if (!id) return;
    const key = `${id}|${result.ranAt}|${result.query}`;
    if (posted.get(key)) {
      void info(
        ui`Defender Incidents: this result was already added to incident ${safe(ref(id))}${posted.get(key) === 'sending' ? ui` (still sending)` : ui``}.`,
      );
      return;
    }
    // The result is its tenant's data: it goes only to an incident of the connection it ran on, checked
    // now and again by the door (a switch during the dialog refuses the write before anything is sent).
    const connection = result.connection ?? d.triage.connection();
    const now = d.triage.connection();
    if (connection !== undefined && now !== undefined && connection !== now) {
      throw new ConnectionChangedError(connection, now);
    }
    const text = resultSummary(result);
    const ok = await d.confirm(`Add this hunting result to incident ${ref(id)} as a comment?`, text, 'Add Comment');
    if (!ok || posted.get(key)) return;
    posted.set(key, 'sending');
    try {
      // One result, one client id: a retry of the same comment is recognised by the door and never sent twice.
      const r = await d.triage.run(id, { kind: 'addComment', text, clientId: `hunt-${Date.parse(result.ranAt) || Date.now()}-${id}` }, { connection });
      posted.set(key, 'sent');
      void info(actionDoneMessage(id, r.summary, r.warnings));
    } catch (e) {
      posted.delete(key);
      throw e;
    }
  }

  return {
    addResult,
    table: {
      [Commands.huntFromIncident]: async (arg: unknown) => {
        const [id] = await resolveTargets({ store: d.store, view: d.view }, arg, undefined, { many: false, placeholder: 'Hunt from which incident?' });
        if (!id) return;
        const cells = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: `Defender Incidents: reading the evidence of incident ${ref(id)}...` },
          () => d.cellsForIncident(id),
        );
        await openHuntbook(
          bookFrom(
            cells,
            id,
            `# Hunt from incident ${id}\n\nQueries generated from the incident's evidence. Run a cell with the Run button; "Add Result to Incident" posts a summary as a comment.${cells.length ? '' : '\n\nThe evidence of this incident names nothing to hunt for (no device, user, IP, file hash, URL or mailbox).'}`,
          ),
        );
      },
      [Commands.huntFor]: async (arg: unknown) => {
        const a = huntForArg(arg);
        if (!a) throw new Error('Hunt for: expected { kind, value, incidentId }.');
        const cells = await d.cellsForValue(a.kind, a.value, a.incidentId);
        await openHuntbook(
          bookFrom(
            cells,
            a.incidentId,
            `# Hunt for a ${a.kind}${a.incidentId ? ` of incident ${a.incidentId}` : ''}\n\nThe value is in the queries below, as a quoted KQL string.`,
          ),
        );
      },
      [Commands.runHuntingQuery]: async () => {
        const editor = vscode.window.activeTextEditor;
        if (!editor || editor.document.languageId !== KQL_LANGUAGE) {
          void info(ui`Defender Incidents: open a .kql file to run it as a hunting query.`);
          return;
        }
        const query = editor.selection.isEmpty ? editor.document.getText() : editor.document.getText(editor.selection);
        if (!query.trim()) {
          void info(ui`Defender Incidents: the file is empty.`);
          return;
        }
        const name = safeText(editor.document.uri.path.split('/').pop() ?? 'query.kql', { max: 80 });
        const nb = await openHuntbook({
          cells: [
            { kind: 'markdown', source: `# ${name.replace(/[#*_`[\]<>!\\]/g, '')}` },
            { kind: 'kql', source: query },
          ],
        });
        await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 1, end: 2 }], document: nb.notebook.uri });
      },
      [Commands.addHuntResultToIncident]: async (arg: unknown) => addResult(targetCell(arg)),
      [Commands.signInForHunting]: async () => d.signInForHunting(),
    },
  };
}
