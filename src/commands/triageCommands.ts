/**
 * Triage commands (palette, tree context and inline menus, keybindings). One incident runs the action
 * directly; several run as a bulk action: paced by the HTTP layer under the API limits, with a
 * cancellable progress notification, a summary of what succeeded and failed and why, and a retry of
 * the failures.
 */
import * as vscode from 'vscode';
import { EXT, Settings } from '../constants';
import { DETERMINATIONS_BY_CLASSIFICATION, type Classification, type Determination, type KnownClassification, type Status } from '../model/types';
import { COMMENT_MAX_LENGTH, EMAIL_MAX_LENGTH, NAME_MAX_LENGTH } from '../shared/protocol';
import { CLASSIFICATION_LABELS } from '../store/queue';
import type { Services } from '../services';
import {
  actionDoneMessage, addTagTitle, addTagToManyTitle, assignedToMePrefix, assignedToPrefix, assignTitle, bulkProgressTitle, bulkSummaryMessage,
  commentTitle, describeCascade, errorMessage, ownerPickItem, ref, renameTitle, renameUnsupportedMessage, setStatusTitle, tagsTitle, type BulkOutcome,
} from './format';
import { resolveTargets } from './targets';
import { runBulkLoop, type Act } from './bulk';
import { safeText } from '../shared/text';

export type BulkResult = BulkOutcome;

/**
 * Runs one action over many incidents with progress, cancellation, a per-item result and a pause while
 * the service throttles (see ./bulk). `title` is a builder's or a literal.
 */
export async function runBulk(s: Services, title: string, ids: string[], act: Act): Promise<BulkResult> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: bulkProgressTitle(title), cancellable: true }, async (progress, token) => {
    const ctl = new AbortController();
    const sub = token.onCancellationRequested(() => ctl.abort());
    try {
      return await runBulkLoop(title, ids, act, { signal: ctl.signal, report: (message, increment) => progress.report({ message, increment }), log: line => s.log.warn(line) });
    } finally {
      sub.dispose();
    }
  });
}

/** Runs an action on the targets: directly for one, as a bulk action for several. */
async function perform(s: Services, title: string, ids: string[], act: Act): Promise<void> {
  if (!ids.length) return;
  if (ids.length === 1) {
    try {
      const msg = await act(ids[0], {});
      if (msg) void vscode.window.showInformationMessage(actionDoneMessage(ids[0], msg));
    } catch (e) {
      showError(s, `${title} ${ref(ids[0])}`, e);
    }
    return;
  }
  let pending = ids;
  for (;;) {
    const r = await runBulk(s, title, pending, act);
    const summary = bulkSummaryMessage(title, r, pending.length);
    if (!summary.warning) {
      void vscode.window.showInformationMessage(summary.text);
      return;
    }
    const choice = await vscode.window.showWarningMessage(summary.text, 'Retry Failed', 'Show Log');
    if (choice === 'Show Log') s.log.show();
    if (choice !== 'Retry Failed') return;
    pending = r.failed.map(f => f.id);
  }
}

/** `what` is a command id, a builder's title or a literal. */
export function showError(s: Services, what: string, e: unknown): void {
  s.log.error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  const m = errorMessage(what, e);
  if (m.action === 'signIn') {
    void vscode.window.showErrorMessage(m.text, 'Sign In').then(c => { if (c) void vscode.commands.executeCommand(`${EXT}.signIn`); });
    return;
  }
  if (m.action === 'openSettings') {
    void vscode.window.showErrorMessage(m.text, 'Open Settings').then(c => { if (c) void vscode.commands.executeCommand('workbench.action.openSettings', EXT); });
    return;
  }
  void vscode.window.showErrorMessage(m.text);
}

async function askOwner(s: Services): Promise<string | undefined> {
  const owners = s.store.knownOwners();
  // Labels show the owners (invisible characters marked); the raw UPN is what gets assigned.
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem & { upn: string }>();
  qp.title = 'Assign to';
  qp.placeholder = 'User principal name, e.g. alice@contoso.com';
  qp.items = owners.map(o => ownerPickItem(o));
  return new Promise(resolve => {
    qp.onDidChangeValue(v => {
      const typed = v.trim();
      qp.items = [...(typed && !owners.includes(typed) ? [ownerPickItem(typed, 'assign to this user')] : []), ...owners.map(o => ownerPickItem(o))];
    });
    qp.onDidAccept(() => {
      const v = (qp.selectedItems[0]?.upn ?? qp.value).trim();
      if (!v || v.length > EMAIL_MAX_LENGTH) return;
      resolve(v);
      qp.hide();
    });
    qp.onDidHide(() => { resolve(undefined); qp.dispose(); });
    qp.show();
  });
}

async function askClassification(): Promise<{ classification: Classification; determination: Determination } | undefined> {
  const c = await vscode.window.showQuickPick(
    (Object.keys(DETERMINATIONS_BY_CLASSIFICATION) as KnownClassification[]).map(k => ({ label: k === 'Unknown' ? 'Not set' : CLASSIFICATION_LABELS[k], value: k })),
    { placeHolder: 'Classification' });
  if (!c) return undefined;
  if (c.value === 'Unknown') return { classification: 'Unknown', determination: 'NotAvailable' };
  const d = await vscode.window.showQuickPick(DETERMINATIONS_BY_CLASSIFICATION[c.value].map(v => ({ label: v.replace(/([a-z])([A-Z])/g, '$1 $2'), value: v })), { placeHolder: `Determination for ${safeText(c.label)}` });
  return d ? { classification: c.value, determination: d.value } : undefined;
}

async function askComment(title: string, required: boolean): Promise<string | undefined> {
  const v = await vscode.window.showInputBox({
    title, prompt: required ? 'Required by your team\'s settings.' : 'Optional. Press Enter to skip.', ignoreFocusOut: true,
    validateInput: x => (x.length > COMMENT_MAX_LENGTH ? `At most ${COMMENT_MAX_LENGTH.toLocaleString('en-US')} characters (${x.length.toLocaleString('en-US')}).` : required && !x.trim() ? 'A resolving comment is required.' : undefined),
  });
  return v;
}

export function registerTriageCommands(s: Services): vscode.Disposable[] {
  const t = s.triage;
  const me = () => s.host.me();
  const reg = (id: string, fn: (arg?: unknown, selected?: unknown) => Promise<void>) => vscode.commands.registerCommand(`${EXT}.${id}`, async (arg?: unknown, selected?: unknown) => {
    try { await fn(arg, selected); } catch (e) { showError(s, id, e); }
  });
  const targets = (arg: unknown, selected: unknown, placeholder: string) => resolveTargets(s, arg, selected, { many: true, placeholder });

  return [
    reg('assignToMe', async (arg, sel) => {
      const ids = await targets(arg, sel, 'Assign which incident to you?');
      await perform(s, 'Assign to me', ids, async (id, o) => describeCascade(await t.assignToMe(id, o), assignedToMePrefix(me())));
    }),
    reg('assignTo', async (arg, sel) => {
      const ids = await targets(arg, sel, 'Assign which incident?');
      if (!ids.length) return;
      const who = await askOwner(s);
      if (!who) return;
      await perform(s, assignTitle(who), ids, async (id, o) => describeCascade(await t.assign(id, who, o), assignedToPrefix(who)));
    }),
    reg('unassign', async (arg, sel) => {
      const ids = await targets(arg, sel, 'Unassign which incident?');
      await perform(s, 'Unassign', ids, async (id, o) => { await t.assign(id, null, o); return 'Unassigned'; });
    }),
    reg('setStatus', async (arg, sel) => {
      const ids = await targets(arg, sel, 'Set the status of which incident?');
      if (!ids.length) return;
      const pick = await vscode.window.showQuickPick([
        { label: 'Active', value: 'Active' as Status }, { label: 'In progress', value: 'InProgress' as Status }, { label: 'Resolved', value: 'Resolved' as Status },
      ], { placeHolder: 'New status' });
      if (!pick) return;
      if (pick.value === 'Resolved') return resolveFlow(ids);
      await perform(s, setStatusTitle(pick.label), ids, async (id, o) => { await t.setStatus(id, pick.value, {}, o); return `Status set to ${pick.label}`; });
    }),
    reg('resolve', async (arg, sel) => resolveFlow(await targets(arg, sel, 'Resolve which incident?'))),
    reg('reopen', async (arg, sel) => {
      const ids = await targets(arg, sel, 'Reopen which incident?');
      await perform(s, 'Reopen', ids, async (id, o) => { await t.setStatus(id, 'Active', {}, o); return 'Reopened (Active)'; });
    }),
    reg('classify', async (arg, sel) => {
      const ids = await targets(arg, sel, 'Classify which incident?');
      if (!ids.length) return;
      const c = await askClassification();
      if (!c) return;
      await perform(s, 'Classify', ids, async (id, o) => { await t.classify(id, c.classification, c.determination, o); return 'Classification saved'; });
    }),
    reg('addComment', async (arg, sel) => {
      const ids = await targets(arg, sel, 'Comment on which incident?');
      if (!ids.length) return;
      const text = await vscode.window.showInputBox({
        title: commentTitle(ids), ignoreFocusOut: true,
        validateInput: x => (!x.trim() ? 'Enter a comment.' : x.length > COMMENT_MAX_LENGTH ? `At most ${COMMENT_MAX_LENGTH.toLocaleString('en-US')} characters.` : undefined),
      });
      if (!text?.trim()) return;
      await perform(s, 'Add comment', ids, async (id, o) => { await t.addComment(id, text, `cmd-${Date.now().toString(36)}-${id}`, o); return 'Comment added'; });
    }),
    reg('rename', async (arg) => {
      const [id] = await resolveTargets(s, arg, undefined, { many: false, placeholder: 'Rename which incident?' });
      if (!id) return;
      const caps = s.store.capabilities ?? (await s.host.backend()).capabilities;
      if (!caps.canRename) {
        void vscode.window.showWarningMessage(renameUnsupportedMessage(caps.displayName));
        return;
      }
      const name = await vscode.window.showInputBox({ title: renameTitle(id), value: s.store.get(id)?.name, validateInput: x => (!x.trim() ? 'Enter a name.' : x.length > NAME_MAX_LENGTH ? 'Too long.' : undefined) });
      if (!name?.trim()) return;
      await perform(s, 'Rename', [id], async (i, o) => { await t.rename(i, name.trim(), o); return 'Renamed'; });
    }),
    reg('editTags', async (arg, sel) => {
      const ids = await targets(arg, sel, 'Edit the tags of which incident?');
      if (!ids.length) return;
      if (ids.length > 1) {
        const tag = await vscode.window.showInputBox({ title: addTagToManyTitle(ids.length), validateInput: x => (!x.trim() ? 'Enter a tag.' : undefined) });
        if (!tag?.trim()) return;
        await perform(s, addTagTitle(tag.trim()), ids, async (id, o) => { await t.addTag(id, tag.trim(), o); return 'Tag added'; });
        return;
      }
      const current = s.store.get(ids[0])?.tags ?? [];
      const value = await vscode.window.showInputBox({ title: tagsTitle(ids[0]), prompt: 'Comma-separated', value: current.join(', ') });
      if (value === undefined) return;
      const tags = [...new Set(value.split(',').map(x => x.trim()).filter(Boolean))];
      await perform(s, 'Edit tags', ids, async (id, o) => { await t.setTags(id, tags, o); return 'Tags saved'; });
    }),
  ];

  async function resolveFlow(ids: string[]): Promise<void> {
    if (!ids.length) return;
    const required = vscode.workspace.getConfiguration(EXT).get<boolean>(Settings.requireClassificationToResolve, false);
    const c = await askClassification();
    if (!c && required) {
      void vscode.window.showWarningMessage('Defender Incidents: your team requires a classification to resolve an incident.');
      return;
    }
    if (required && (!c || c.classification === 'Unknown')) {
      void vscode.window.showWarningMessage('Defender Incidents: your team requires a classification and a determination to resolve an incident.');
      return;
    }
    const comment = await askComment('Resolving comment', required);
    if (comment === undefined) return;
    await perform(s, 'Resolve', ids, async (id, o) => describeCascade(
      await t.setStatus(id, 'Resolved', { classification: c?.classification, determination: c?.determination, comment: comment.trim() || undefined }, o), 'Resolved'));
  }
}
