/**
 * Triage commands (palette, tree context and inline menus, keybindings): each asks what it needs, then
 * runs the action through the one door (`Triage.run`), which checks the rules and says what was done.
 * One incident runs directly; several run as a bulk action: the same door per incident, paced by the
 * HTTP layer under the API limits, with a cancellable progress notification, a summary of what
 * succeeded, warned and failed, and a retry of the failures.
 */
import * as vscode from 'vscode';
import { Commands } from '../constants';
import type { TreeNode } from '../tree/incidentsTree';
import type { Classification, Determination, Severity, Status } from '../model/types';
import { determinationLabel, enumLabel, isDeprecated, severityLabel, statusLabel } from '../model/enums';
import { determinationsFor, NEED_COMMENT, NOT_SET, PANE_STATUSES, SETTABLE_CLASSIFICATIONS, SETTABLE_SEVERITIES } from '../model/rules';
import { COMMENT_MAX_LENGTH, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from '../model/actions';
import type { IncidentStore } from '../store/incidentStore';
import { splitTags, type TriageAction, type TriageSettings } from '../model/actions';
import type { Triage } from '../store/triage';
import type { Log } from '../log';
import {
  actionDoneMessage,
  addTagTitle,
  addTagToManyTitle,
  assignTitle,
  bulkProgressTitle,
  bulkSummaryMessage,
  commentTitle,
  ownerPickItem,
  ref,
  renameTitle,
  setStatusTitle,
  tagsTitle,
  type BulkOutcome,
} from './format';
import { resolveTargets, type PickOptions } from './targets';
import { runBulkLoop, type Act } from './bulk';
import type { CommandTable } from './register';
import { showError } from './showError';
import { createPick, info, input, pick, safe, ui, warn, type SafeItem, type SafeText } from '../ui/surface';

export interface TriageCommandDeps {
  triage: Triage;
  store: IncidentStore;
  view: vscode.TreeView<TreeNode>;
  log: Log;
  settings: () => TriageSettings;
}

/**
 * Runs one action over many incidents with progress, cancellation, a per-item result and a pause while
 * the service throttles (see ./bulk). `title` is a builder's or a literal.
 */
export async function runBulk(log: Log, title: string, ids: string[], act: Act): Promise<BulkOutcome> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: bulkProgressTitle(title), cancellable: true },
    async (progress, token) => {
      const ctl = new AbortController();
      const sub = token.onCancellationRequested(() => ctl.abort());
      try {
        return await runBulkLoop(title, ids, act, {
          signal: ctl.signal,
          report: (message, increment) => progress.report({ message, increment }),
          log: line => log.warn(line),
        });
      } finally {
        sub.dispose();
      }
    },
  );
}

/** Runs an action through the door on the targets: directly for one, as a bulk action for several. */
async function perform(
  d: TriageCommandDeps,
  title: string,
  ids: string[],
  action: (id: string) => TriageAction,
  connection: string | undefined,
): Promise<void> {
  if (!ids.length) return;
  if (ids.length === 1) {
    const [id] = ids;
    try {
      const r = await d.triage.run(id, action(id), { connection });
      if (r.warnings.length) void warn(actionDoneMessage(id, r.summary, r.warnings));
      else if (r.summary) void info(actionDoneMessage(id, r.summary));
    } catch (e) {
      showError(d.log, `${title} ${ref(id)}`, e);
    }
    return;
  }
  let pending = ids;
  for (;;) {
    // The whole run, its retries included, is bound to the connection the command began on.
    const r = await runBulk(d.log, title, pending, (id, o) => d.triage.run(id, action(id), { ...o, connection }));
    const summary = bulkSummaryMessage(title, r, pending.length);
    if (!summary.warning) {
      if (summary.notice) void warn(summary.text);
      else void info(summary.text);
      return;
    }
    const choice = await warn(summary.text, 'Retry Failed', 'Show Log');
    if (choice === 'Show Log') d.log.show();
    if (choice !== 'Retry Failed') return;
    pending = r.failed.map(f => f.id);
  }
}

async function askOwner(store: IncidentStore): Promise<string | undefined> {
  const owners = store.knownOwners();
  // Labels show the owners (invisible characters marked); the raw UPN is what gets assigned.
  const qp = createPick<SafeItem & { upn: string }>();
  qp.title = ui`Assign to`;
  qp.placeholder = ui`User principal name, e.g. alice@contoso.com`;
  qp.items = owners.map(o => ownerPickItem(o));
  return new Promise(resolve => {
    qp.onDidChangeValue(v => {
      const typed = v.trim();
      qp.items = [...(typed && !owners.includes(typed) ? [ownerPickItem(typed, ui`assign to this user`)] : []), ...owners.map(o => ownerPickItem(o))];
    });
    qp.onDidAccept(() => {
      const v = (qp.selectedItems[0]?.upn ?? qp.value).trim();
      if (!v || v.length > EMAIL_MAX_LENGTH) return;
      resolve(v);
      qp.hide();
    });
    qp.onDidHide(() => {
      resolve(undefined);
      qp.dispose();
    });
    qp.show();
  });
}

/**
 * Classification, then a determination valid for it (the model's table, in the portal's words). With
 * `allowNotSet` false (resolving where the team requires a classification) "Not set" is not offered.
 */
async function askClassification(allowNotSet = true): Promise<{ classification: Classification; determination: Determination } | undefined> {
  const offered = SETTABLE_CLASSIFICATIONS.filter(c => allowNotSet || c !== NOT_SET.classification);
  const c = await pick(
    offered.map(value => ({ label: safe(enumLabel('classification', value)), value })),
    { placeHolder: ui`Classification` },
  );
  if (!c) return undefined;
  if (c.value === NOT_SET.classification) return { ...NOT_SET };
  const options = determinationsFor(c.value).filter(v => !isDeprecated('determination', v));
  const d = await pick(
    options.map(value => ({ label: safe(determinationLabel(value)), value })),
    { placeHolder: ui`Determination for ${c.label}` },
  );
  return d ? { classification: c.value, determination: d.value } : undefined;
}

async function askComment(title: SafeText, required: boolean): Promise<string | undefined> {
  return input({
    title,
    prompt: required ? ui`Required by your team's settings.` : ui`Optional. Press Enter to skip.`,
    ignoreFocusOut: true,
    validateInput: x =>
      x.length > COMMENT_MAX_LENGTH
        ? safe(`At most ${COMMENT_MAX_LENGTH.toLocaleString('en-US')} characters (${x.length.toLocaleString('en-US')}).`)
        : required && !x.trim()
          ? safe(`${NEED_COMMENT}.`)
          : undefined,
  });
}

type TriageCommandIds =
  'assignToMe' | 'assignTo' | 'unassign' | 'setStatus' | 'resolve' | 'reopen' | 'classify' | 'addComment' | 'rename' | 'setSeverity' | 'editTags';

export function triageCommands(d: TriageCommandDeps): Pick<CommandTable, (typeof Commands)[TriageCommandIds]> {
  const targets = (arg: unknown, selected: unknown, placeholder: string) => resolveTargets(d, arg, selected, { many: true, placeholder });
  const one = async (arg: unknown, placeholder: string) => (await resolveTargets(d, arg, undefined, { many: false, placeholder } satisfies PickOptions))[0];

  async function resolveFlow(ids: string[], connection: string | undefined): Promise<void> {
    if (!ids.length) return;
    const required = d.settings().requireClassificationToResolve;
    const c = await askClassification(!required);
    if (!c) return;
    const comment = await askComment(ui`Resolving comment`, required);
    if (comment === undefined) return;
    const text = comment.trim() || undefined;
    await perform(
      d,
      'Resolve',
      ids,
      () => ({ kind: 'setStatus', status: 'Resolved', classification: c.classification, determination: c.determination, ...(text ? { comment: text } : {}) }),
      connection,
    );
  }

  return {
    [Commands.assignToMe]: async (arg, sel) => {
      // Bound to the connection the command began on (the targets are that queue's incidents).
      const bound = d.triage.connection();
      await perform(d, 'Assign to me', await targets(arg, sel, 'Assign which incident to you?'), () => ({ kind: 'assignToMe' }), bound);
    },
    [Commands.assignTo]: async (arg, sel) => {
      // Bound to the connection the command began on (the targets are that queue's incidents).
      const bound = d.triage.connection();
      const ids = await targets(arg, sel, 'Assign which incident?');
      if (!ids.length) return;
      const who = await askOwner(d.store);
      if (!who) return;
      await perform(d, assignTitle(who), ids, () => ({ kind: 'assign', to: who }), bound);
    },
    [Commands.unassign]: async (arg, sel) => {
      // Bound to the connection the command began on (the targets are that queue's incidents).
      const bound = d.triage.connection();
      await perform(d, 'Unassign', await targets(arg, sel, 'Unassign which incident?'), () => ({ kind: 'assign', to: null }), bound);
    },
    [Commands.setStatus]: async (arg, sel) => {
      // Bound to the connection the command began on (the targets are that queue's incidents).
      const bound = d.triage.connection();
      const ids = await targets(arg, sel, 'Set the status of which incident?');
      if (!ids.length) return;
      const choice = await pick(
        PANE_STATUSES.map(value => ({ label: safe(statusLabel(value)), value: value as Status })),
        { placeHolder: ui`New status` },
      );
      if (!choice) return;
      if (choice.value === 'Resolved') return resolveFlow(ids, bound);
      await perform(d, setStatusTitle(choice.label), ids, () => ({ kind: 'setStatus', status: choice.value }), bound);
    },
    [Commands.resolve]: async (arg, sel) => {
      const bound = d.triage.connection();
      await resolveFlow(await targets(arg, sel, 'Resolve which incident?'), bound);
    },
    [Commands.reopen]: async (arg, sel) => {
      // Bound to the connection the command began on (the targets are that queue's incidents).
      const bound = d.triage.connection();
      await perform(d, 'Reopen', await targets(arg, sel, 'Reopen which incident?'), () => ({ kind: 'setStatus', status: 'Active' }), bound);
    },
    [Commands.classify]: async (arg, sel) => {
      // Bound to the connection the command began on (the targets are that queue's incidents).
      const bound = d.triage.connection();
      const ids = await targets(arg, sel, 'Classify which incident?');
      if (!ids.length) return;
      const c = await askClassification();
      if (!c) return;
      await perform(d, 'Classify', ids, () => ({ kind: 'classify', ...c }), bound);
    },
    [Commands.addComment]: async (arg, sel) => {
      // Bound to the connection the command began on (the targets are that queue's incidents).
      const bound = d.triage.connection();
      const ids = await targets(arg, sel, 'Comment on which incident?');
      if (!ids.length) return;
      const text = await input({
        title: commentTitle(ids),
        ignoreFocusOut: true,
        validateInput: x =>
          !x.trim()
            ? ui`Enter a comment.`
            : x.length > COMMENT_MAX_LENGTH
              ? safe(`At most ${COMMENT_MAX_LENGTH.toLocaleString('en-US')} characters.`)
              : undefined,
      });
      if (!text?.trim()) return;
      const stamp = Date.now().toString(36);
      await perform(d, 'Add comment', ids, id => ({ kind: 'addComment', text, clientId: `cmd-${stamp}-${id}` }), bound);
    },
    [Commands.rename]: async arg => {
      // Bound to the connection the command began on (the targets are that queue's incidents).
      const bound = d.triage.connection();
      const id = await one(arg, 'Rename which incident?');
      if (!id) return;
      // Where the backend cannot rename, say so (and where it can) before asking for a name.
      await d.triage.supports('rename');
      const name = await input({
        title: renameTitle(id),
        value: d.store.get(id)?.name,
        validateInput: x => (!x.trim() ? ui`Enter a name.` : x.length > NAME_MAX_LENGTH ? ui`Too long.` : undefined),
      });
      if (!name?.trim()) return;
      await perform(d, 'Rename', [id], () => ({ kind: 'rename', name: name.trim() }), bound);
    },
    [Commands.setSeverity]: async (arg, sel) => {
      // Bound to the connection the command began on (the targets are that queue's incidents).
      const bound = d.triage.connection();
      const ids = await targets(arg, sel, 'Set the severity of which incident?');
      if (!ids.length) return;
      await d.triage.supports('setSeverity');
      const choice = await pick(
        SETTABLE_SEVERITIES.map(value => ({ label: safe(severityLabel(value)), value: value as Severity })),
        { placeHolder: ui`New severity` },
      );
      if (!choice) return;
      await perform(d, 'Set severity', ids, () => ({ kind: 'setSeverity', severity: choice.value }), bound);
    },
    [Commands.editTags]: async (arg, sel) => {
      // Bound to the connection the command began on (the targets are that queue's incidents).
      const bound = d.triage.connection();
      const ids = await targets(arg, sel, 'Edit the tags of which incident?');
      if (!ids.length) return;
      if (ids.length > 1) {
        const tag = await input({ title: addTagToManyTitle(ids.length), validateInput: x => (!x.trim() ? ui`Enter a tag.` : undefined) });
        if (!tag?.trim()) return;
        await perform(d, addTagTitle(tag.trim()), ids, () => ({ kind: 'addTag', tag: tag.trim() }), bound);
        return;
      }
      const current = d.store.get(ids[0])?.tags ?? [];
      const value = await input({ title: tagsTitle(ids[0]), prompt: ui`Comma-separated`, value: current.join(', ') });
      if (value === undefined) return;
      await perform(d, 'Edit tags', ids, () => ({ kind: 'setTags', tags: splitTags(value) }), bound);
    },
  };
}
