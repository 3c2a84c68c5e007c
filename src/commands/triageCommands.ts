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
import type { ActionOptions } from '../store/triage';
import { describeCascade } from './format';
import { resolveTargets } from './targets';
import { isBackendError } from '../backend/errors';

type Act = (id: string, opts: ActionOptions) => Promise<string | void>;

export interface BulkResult { ok: string[]; failed: { id: string; error: string }[]; cancelled: string[] }

/** Runs one action over many incidents with progress, cancellation and a per-item result. */
export async function runBulk(s: Services, title: string, ids: string[], act: Act): Promise<BulkResult> {
  const result: BulkResult = { ok: [], failed: [], cancelled: [] };
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Defender Incidents: ${title}`, cancellable: true }, async (progress, token) => {
    const ctl = new AbortController();
    const sub = token.onCancellationRequested(() => ctl.abort());
    try {
      for (const [n, id] of ids.entries()) {
        if (token.isCancellationRequested) { result.cancelled.push(...ids.slice(n)); break; }
        progress.report({ message: `${n + 1} of ${ids.length}: #${id}`, increment: 100 / ids.length });
        try {
          await act(id, { signal: ctl.signal, onRetry: r => progress.report({ message: `#${id}: ${r.reason}, retrying in ${Math.ceil(r.delayMs / 1000)} s` }) });
          result.ok.push(id);
        } catch (e) {
          if (token.isCancellationRequested) { result.cancelled.push(...ids.slice(n)); break; }
          result.failed.push({ id, error: e instanceof Error ? e.message : String(e) });
          s.log.warn(`${title}: #${id} failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    } finally {
      sub.dispose();
    }
  });
  return result;
}

/** Runs an action on the targets: directly for one, as a bulk action for several. */
async function perform(s: Services, title: string, ids: string[], act: Act): Promise<void> {
  if (!ids.length) return;
  if (ids.length === 1) {
    try {
      const msg = await act(ids[0], {});
      if (msg) void vscode.window.showInformationMessage(`Defender Incidents: #${ids[0]}: ${msg}.`);
    } catch (e) {
      showError(s, `${title} #${ids[0]}`, e);
    }
    return;
  }
  let pending = ids;
  for (;;) {
    const r = await runBulk(s, title, pending, act);
    const parts = [`${title}: ${r.ok.length} of ${pending.length} succeeded`];
    if (r.cancelled.length) parts.push(`${r.cancelled.length} cancelled`);
    if (!r.failed.length) {
      void vscode.window.showInformationMessage(`Defender Incidents: ${parts.join(', ')}.`);
      return;
    }
    const reasons = [...new Set(r.failed.map(f => f.error))].slice(0, 2).join('; ');
    parts.push(`${r.failed.length} failed (${r.failed.map(f => `#${f.id}`).join(', ')}): ${reasons}`);
    const choice = await vscode.window.showWarningMessage(`Defender Incidents: ${parts.join(', ')}.`, 'Retry Failed', 'Show Log');
    if (choice === 'Show Log') s.log.show();
    if (choice !== 'Retry Failed') return;
    pending = r.failed.map(f => f.id);
  }
}

export function showError(s: Services, what: string, e: unknown): void {
  const msg = e instanceof Error ? e.message : String(e);
  s.log.error(`${what}: ${msg}`);
  if (isBackendError(e) && e.kind === 'auth') {
    void vscode.window.showErrorMessage(`Defender Incidents: ${msg}`, 'Sign In').then(c => { if (c) void vscode.commands.executeCommand(`${EXT}.signIn`); });
    return;
  }
  if (isBackendError(e) && e.kind === 'config') {
    void vscode.window.showErrorMessage(`Defender Incidents: ${msg}`, 'Open Settings').then(c => { if (c) void vscode.commands.executeCommand('workbench.action.openSettings', EXT); });
    return;
  }
  void vscode.window.showErrorMessage(`Defender Incidents: ${what} failed: ${msg}`);
}

async function askOwner(s: Services): Promise<string | undefined> {
  const owners = s.store.knownOwners();
  const qp = vscode.window.createQuickPick();
  qp.title = 'Assign to';
  qp.placeholder = 'User principal name, e.g. alice@contoso.com';
  qp.items = owners.map(o => ({ label: o }));
  return new Promise(resolve => {
    qp.onDidChangeValue(v => {
      const typed = v.trim();
      qp.items = [...(typed && !owners.includes(typed) ? [{ label: typed, description: 'assign to this user' }] : []), ...owners.map(o => ({ label: o }))];
    });
    qp.onDidAccept(() => {
      const v = (qp.selectedItems[0]?.label ?? qp.value).trim();
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
  const d = await vscode.window.showQuickPick(DETERMINATIONS_BY_CLASSIFICATION[c.value].map(v => ({ label: v.replace(/([a-z])([A-Z])/g, '$1 $2'), value: v })), { placeHolder: `Determination for ${c.label}` });
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
      await perform(s, 'Assign to me', ids, async (id, o) => describeCascade(await t.assignToMe(id, o), `Assigned to you (${me()})`));
    }),
    reg('assignTo', async (arg, sel) => {
      const ids = await targets(arg, sel, 'Assign which incident?');
      if (!ids.length) return;
      const who = await askOwner(s);
      if (!who) return;
      await perform(s, `Assign to ${who}`, ids, async (id, o) => describeCascade(await t.assign(id, who, o), `Assigned to ${who}`));
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
      await perform(s, `Set status ${pick.label}`, ids, async (id, o) => { await t.setStatus(id, pick.value, {}, o); return `Status set to ${pick.label}`; });
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
        title: ids.length > 1 ? `Comment on ${ids.length} incidents` : `Comment on #${ids[0]}`, ignoreFocusOut: true,
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
        void vscode.window.showWarningMessage(`Defender Incidents: ${caps.displayName} cannot rename incidents (the API does not allow it).`);
        return;
      }
      const name = await vscode.window.showInputBox({ title: `Rename #${id}`, value: s.store.get(id)?.name, validateInput: x => (!x.trim() ? 'Enter a name.' : x.length > NAME_MAX_LENGTH ? 'Too long.' : undefined) });
      if (!name?.trim()) return;
      await perform(s, 'Rename', [id], async (i, o) => { await t.rename(i, name.trim(), o); return 'Renamed'; });
    }),
    reg('editTags', async (arg, sel) => {
      const ids = await targets(arg, sel, 'Edit the tags of which incident?');
      if (!ids.length) return;
      if (ids.length > 1) {
        const tag = await vscode.window.showInputBox({ title: `Add a tag to ${ids.length} incidents`, validateInput: x => (!x.trim() ? 'Enter a tag.' : undefined) });
        if (!tag?.trim()) return;
        await perform(s, `Add tag "${tag.trim()}"`, ids, async (id, o) => { await t.addTag(id, tag.trim(), o); return 'Tag added'; });
        return;
      }
      const current = s.store.get(ids[0])?.tags ?? [];
      const value = await vscode.window.showInputBox({ title: `Tags of #${ids[0]}`, prompt: 'Comma-separated', value: current.join(', ') });
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
