/**
 * Keyboard-only triage (issue 12): "Triage..." (one quick pick of the common steps and end states, typed
 * to narrow: "tp", "fp", "iea"), "Next / Previous Incident Needing Attention" (the next open incident
 * that is unassigned or overdue, selected and focused in the tree), and Enter on a row, which opens the
 * pane with keyboard focus in it. Every action goes through the one door, `Triage.run`; after a resolve
 * the tree's focus moves on to the next incident needing attention, so the next keystroke triages it.
 */
import * as vscode from 'vscode';
import { Commands, VIEW_ID } from '../constants';
import { COMMENT_MAX_LENGTH } from '../model/actions';
import { NEED_COMMENT } from '../model/rules';
import type { Drafts } from '../model/actions';
import type { IncidentStore } from '../store/incidentStore';
import type { History } from '../store/history';
import type { TriageAction, TriageSettings } from '../model/actions';
import type { Triage, RunResult } from '../store/triage';
import type { IncidentsTreeProvider, TreeNode } from '../tree/incidentsTree';
import type { IncidentPanels } from '../panel/panels';
import type { Log } from '../log';
import { actionDoneMessage, PREFIX, ref } from './format';
import type { CommandTable } from './register';
import { showError } from './showError';
import { resolveTargets } from './targets';
import { CurrentIncident, noTargetMessage } from './currentIncident';
import { needsAttention, nextNeeding, preferredFor, resolveLabel, triageItems, type TriageChoice, type TriageItem } from './triageChoices';
import { createInput, createPick, info, safe, ui, warn, type SafeItem, type SafeText } from '../ui/surface';

export interface TriageFlowDeps {
  triage: Triage;
  store: IncidentStore;
  history: History;
  tree: IncidentsTreeProvider;
  view: vscode.TreeView<TreeNode>;
  panels: IncidentPanels;
  log: Log;
  me: () => string;
  settings: () => TriageSettings;
}

/** What a keybinding passes: where the key was pressed, so the command knows which incident is meant. */
interface KeyArgs {
  from: 'tree' | 'pane';
}

function keyArgs(arg: unknown): KeyArgs | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const from = (arg as { from?: unknown }).from;
  return from === 'tree' || from === 'pane' ? { from } : undefined;
}

/** The incident a tree node stands for (an alert's is its incident's); by `kind`, see incidentsTree.ts. */
function incidentIdOf(n: TreeNode | undefined): string | undefined {
  if (!n) return undefined;
  if (n.kind === 'incident') return n.incident.id;
  if (n.kind === 'alert') return n.parent.incident.id;
  return undefined;
}

type ChoicePick = SafeItem & { choice: TriageChoice };

export function triageFlowCommands(
  d: TriageFlowDeps,
): Pick<CommandTable, typeof Commands.triage | typeof Commands.nextNeedingAttention | typeof Commands.previousNeedingAttention | typeof Commands.openAndFocus> {
  // Root cause of the dropped keys (issue 19): the commands read `view.selection` and `panel.active`,
  // which VS Code updates a moment after our own reveal/open changed them; a key within that moment
  // found no incident and did nothing. `current` counts our moves at once and the events when they come.
  const current = new CurrentIncident();
  d.view.onDidChangeSelection(e => current.selectInTree(e.selection.length === 1 ? incidentIdOf(e.selection[0]) : undefined));
  const activePaneId = () => d.panels.openIds().find(id => d.panels.get(id)?.panel.active);
  const exists = (id: string) => !!d.panels.get(id) || !!d.store.get(id);
  const selectedId = () => current.treeId(id => !!d.store.get(id)) ?? (d.view.selection.length === 1 ? incidentIdOf(d.view.selection[0]) : undefined);
  const keyTarget = (from: 'tree' | 'pane' | undefined) => current.target(from, activePaneId(), exists) ?? (from === 'pane' ? undefined : selectedId());

  /** The incident meant: the one the key was pressed on, else the active pane's, else the tree's selection or a pick. */
  async function targetOf(arg: unknown): Promise<string | undefined> {
    const keys = keyArgs(arg);
    if (keys) return keyTarget(keys.from);
    if (arg === undefined) {
      const pane = activePaneId();
      if (pane) return pane;
    }
    return (await resolveTargets(d, arg, undefined, { many: false, placeholder: 'Triage which incident?' }))[0];
  }

  /** The queue's incidents in the order the tree shows them (capped groups: the rows shown). */
  function treeOrder(): string[] {
    if (d.store.state !== 'ready') return [];
    return d.tree.queue().flatMap(g => g.rows.map(r => r.incident.id));
  }

  /** Whether an incident in the tree now needs someone (open, and unassigned or overdue). */
  function needsNow(visible: Set<string>): (id: string) => boolean {
    return id => {
      const i = d.store.get(id);
      return !!i && visible.has(id) && needsAttention(i, d.tree.clock.info(id)?.state);
    };
  }

  /** Selects and focuses an incident's row (building the rows first when the tree has not asked yet). */
  async function reveal(id: string): Promise<boolean> {
    let node: TreeNode | undefined = d.tree.nodeFor(id);
    if (!node) {
      for (const n of d.tree.getChildren()) if (n.kind === 'group') d.tree.getChildren(n);
      node = d.tree.nodeFor(id);
    }
    if (!node) return false;
    current.selectInTree(id);
    await d.view.reveal(node, { select: true, focus: true, expand: false });
    return true;
  }

  /**
   * Moves the tree to the next incident needing attention after `from` in `order` (a snapshot taken
   * before an action that may have taken `from` out of the queue), or says there is none.
   */
  async function moveOn(from: string | undefined, order: string[], dir: 1 | -1): Promise<void> {
    const visible = new Set(treeOrder());
    const next = nextNeeding(order.length ? order : [...visible], from, needsNow(visible), dir);
    if (next && (await reveal(next))) return;
    void vscode.window.setStatusBarMessage(`${PREFIX}no other open incident in the queue is unassigned or overdue.`, 5000);
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
  }

  function report(id: string, results: RunResult[]): void {
    const summary = results
      .map(r => r.summary)
      .filter(Boolean)
      .join('; ');
    const warnings = results.flatMap(r => r.warnings);
    if (warnings.length) void warn(actionDoneMessage(id, summary, warnings));
    else if (summary) void info(actionDoneMessage(id, summary));
  }

  /** Runs actions in turn through the door; the first failure stops (and is shown). True when all ran. */
  async function run(id: string, title: string, actions: TriageAction[], connection: string | undefined): Promise<boolean> {
    const results: RunResult[] = [];
    try {
      for (const a of actions) results.push(await d.triage.run(id, a, { connection }));
    } catch (e) {
      if (results.length) report(id, results);
      showError(d.log, `${title} ${ref(id)}`, e);
      return false;
    }
    report(id, results);
    return true;
  }

  /**
   * An input box for text kept as a draft: it starts from the draft, Enter sends (unless invalid), and
   * Escape (or focus lost for good) keeps what was typed as the draft, where the pane picks it up.
   */
  function askText(
    id: string,
    field: keyof Pick<Drafts, 'comment' | 'resolveComment'>,
    title: SafeText,
    prompt: SafeText,
    required: boolean,
    connection: string | undefined,
  ): Promise<string | undefined> {
    // The drafts of the connection the flow began on: a comment typed for one tenant never waits on another's incident.
    const history = connection !== undefined ? d.history.at(connection) : d.history;
    const box = createInput();
    box.title = title;
    box.prompt = prompt;
    box.ignoreFocusOut = true;
    box.value = history.drafts(id)[field] ?? '';
    const problem = (v: string) =>
      v.length > COMMENT_MAX_LENGTH
        ? safe(`At most ${COMMENT_MAX_LENGTH.toLocaleString('en-US')} characters (${v.length.toLocaleString('en-US')}).`)
        : required && !v.trim()
          ? safe(`${NEED_COMMENT}.`)
          : undefined;
    return new Promise(resolve => {
      let accepted = false;
      box.onDidChangeValue(v => {
        box.validationMessage = v.length > COMMENT_MAX_LENGTH ? problem(v) : undefined;
      });
      box.onDidAccept(() => {
        const p = problem(box.value);
        if (p) {
          box.validationMessage = p;
          return;
        }
        accepted = true;
        resolve(box.value);
        box.hide();
      });
      box.onDidHide(() => {
        if (!accepted) {
          const typed = box.value.slice(0, COMMENT_MAX_LENGTH);
          const drafts = history.drafts(id);
          if (typed.trim() && drafts[field] !== typed) void history.setDrafts(id, { ...drafts, [field]: typed });
          resolve(undefined);
        }
        box.dispose();
      });
      box.show();
    });
  }

  async function pick(id: string, items: TriageItem[]): Promise<TriageChoice | undefined> {
    const qp = createPick<ChoicePick>();
    qp.title = safe(`Triage ${ref(id)}`);
    qp.placeholder = ui`Type to narrow: "tp", "fp", "iea", "comment", "status"; Enter runs it`;
    qp.matchOnDescription = true;
    // The order is the point (the likeliest next step first): what is typed makes the first choice it
    // means in that order active, whatever order VS Code's own scoring shows the matches in.
    const picks: ChoicePick[] = items.map(i => ({
      label: safe(i.label),
      description: i.description === undefined ? undefined : safe(i.description),
      choice: i.choice,
    }));
    qp.items = picks;
    return new Promise(resolve => {
      qp.onDidChangeValue(v => {
        const preferred = preferredFor(picks, v);
        if (preferred) qp.activeItems = [preferred];
      });
      // Enter right after the pick shows can arrive before the selection does: the active row is what Enter meant.
      qp.onDidAccept(() => {
        resolve((qp.selectedItems[0] ?? qp.activeItems[0])?.choice);
        qp.hide();
      });
      qp.onDidHide(() => {
        resolve(undefined);
        qp.dispose();
      });
      qp.show();
    });
  }

  async function triageOne(id: string): Promise<void> {
    // The flow is bound to the connection of the pane it was started from (the active one showing this
    // incident), else to the one in effect: a switch while the pick or the comment box is open refuses it.
    const pane = d.panels.get(id);
    const bound = pane?.panel.active ? pane.connection : d.triage.connection();
    const incident = d.store.get(id) ?? (await d.store.load(id));
    const choice = await pick(id, triageItems(incident, d.me()));
    if (!choice) return;
    switch (choice.kind) {
      case 'assignAndStart':
        await run(id, 'Assign to me and start', [{ kind: 'assignToMe' }, { kind: 'setStatus', status: 'InProgress' }], bound);
        return;
      case 'assignToMe':
        await run(id, 'Assign to me', [{ kind: 'assignToMe' }], bound);
        return;
      case 'start':
        await run(id, 'Start', [{ kind: 'setStatus', status: 'InProgress' }], bound);
        return;
      case 'reopen':
        await run(id, 'Reopen', [{ kind: 'setStatus', status: 'Active' }], bound);
        return;
      case 'classify':
        await vscode.commands.executeCommand(Commands.classify, id);
        return;
      case 'setStatus':
        await vscode.commands.executeCommand(Commands.setStatus, id);
        return;
      case 'comment': {
        const text = await askText(id, 'comment', safe(`Comment on ${ref(id)}`), ui`Enter adds the comment; Escape keeps the text for later.`, true, bound);
        if (text === undefined) return;
        await run(id, 'Add comment', [{ kind: 'addComment', text, clientId: `triage-${Date.now().toString(36)}-${id}` }], bound);
        return;
      }
      case 'resolve': {
        const required = d.settings().requireClassificationToResolve;
        const text = await askText(
          id,
          'resolveComment',
          safe(`${resolveLabel(choice.classification, choice.determination)} ${ref(id)}`),
          required
            ? ui`Resolving comment (required by your team's settings). Enter resolves; Escape cancels and keeps the text.`
            : ui`Resolving comment (optional). Enter resolves; Escape cancels and keeps the text.`,
          required,
          bound,
        );
        if (text === undefined) return;
        // Where the queue was before the incident left it: the next one is found from there.
        const order = treeOrder();
        const comment = text.trim() ? text : undefined;
        const ok = await run(
          id,
          'Resolve',
          [
            {
              kind: 'setStatus',
              status: 'Resolved',
              classification: choice.classification,
              determination: choice.determination,
              ...(comment ? { comment } : {}),
            },
          ],
          bound,
        );
        if (ok) await moveOn(id, order, 1);
        return;
      }
    }
  }

  async function step(arg: unknown, dir: 1 | -1): Promise<void> {
    if (d.store.state !== 'ready') await d.store.reload();
    const keys = keyArgs(arg);
    await moveOn(keyTarget(keys?.from), treeOrder(), dir);
  }

  return {
    [Commands.triage]: async arg => {
      const id = await targetOf(arg);
      if (!id) {
        // A key that cannot act says why (a palette run that was cancelled says nothing).
        if (keyArgs(arg)) void info(ui`Defender Incidents: ${safe(noTargetMessage('Triage...'))}`);
        return;
      }
      await triageOne(id);
    },
    [Commands.nextNeedingAttention]: arg => step(arg, 1),
    [Commands.previousNeedingAttention]: arg => step(arg, -1),
    // Enter in the tree: an incident (or an alert's incident) opens in the pane with keyboard focus in it
    // (a click keeps focus in the tree); any other row does what Enter did before.
    [Commands.openAndFocus]: async () => {
      const id = selectedId();
      if (!id) {
        await vscode.commands.executeCommand('list.select');
        return;
      }
      current.activatePane(id);
      const p = await d.panels.open(id, { preview: true, focus: true });
      p.panel.reveal(undefined, false);
    },
  };
}
