/** Queue commands: refresh, filters (and saved filters), group by, sort, paging. */
import * as vscode from 'vscode';
import { EXT, Settings } from '../constants';
import { DEFAULT_FILTER, describeFilter, type IncidentFilter, type OwnerFilter, parseFilter, type TimeRange } from '../store/filter';
import { GROUP_BY_VALUES, SORT_BY_VALUES, type GroupBy, type SortBy, CLASSIFICATION_LABELS } from '../store/queue';
import type { Services } from '../services';
import { ShowMoreNode } from '../tree/incidentsTree';
import { showError } from './triageCommands';
import { filterEditorItems, ownerPickItem, savedFilterMessage, savedFilterPickItem, saveFilterPrompt, skippedFilterEntry, skippedFiltersMessage, valuePickItem } from './format';

const GROUP_LABELS: Record<GroupBy, string> = { none: 'None', status: 'Status', severity: 'Severity', owner: 'Owner', classification: 'Classification' };
const SORT_LABELS: Record<SortBy, string> = { lastUpdate: 'Last update', severity: 'Severity', created: 'Creation time' };

/** Reloads with a progress indicator in the view; failures land in the view's welcome content. */
export async function reloadQueue(s: Services): Promise<void> {
  await vscode.window.withProgress({ location: { viewId: `${EXT}.incidents` } }, () => s.store.reload());
}

async function pickMany(title: string, options: [string, string][], current: string[] | undefined): Promise<string[] | undefined> {
  const picked = await vscode.window.showQuickPick(options.map(([value, label]) => valuePickItem(value, label, current?.includes(value) ?? false)), { title, canPickMany: true, placeHolder: 'None picked = any' });
  return picked?.map(p => p.value);
}

async function editFilter(s: Services): Promise<IncidentFilter | undefined> {
  const f: IncidentFilter = { ...s.store.filter };
  for (;;) {
    const choice = await vscode.window.showQuickPick(filterEditorItems(f), { title: 'Filter incidents', placeHolder: 'Pick a field to change, then Apply' });
    if (!choice) return undefined;
    switch (choice.key) {
      case 'apply': return f;
      case 'default': Object.assign(f, { ...DEFAULT_FILTER, owner: undefined, classifications: undefined, tags: undefined, time: undefined, text: undefined }); break;
      case 'status': { const v = await pickMany('Status', [['Active', 'Active'], ['InProgress', 'In progress'], ['Resolved', 'Resolved'], ['Redirected', 'Redirected']], f.statuses); if (v) f.statuses = v; break; }
      case 'severity': { const v = await pickMany('Severity', [['High', 'High'], ['Medium', 'Medium'], ['Low', 'Low'], ['Informational', 'Informational']], f.severities); if (v) f.severities = v; break; }
      case 'classification': { const v = await pickMany('Classification', Object.entries(CLASSIFICATION_LABELS), f.classifications); if (v) f.classifications = v; break; }
      case 'owner': {
        const o = await vscode.window.showQuickPick([
          { label: 'Anyone', value: 'anyone' }, { label: 'Me', value: 'me' }, { label: 'Unassigned', value: 'unassigned' },
          ...s.store.knownOwners().map(x => { const p = ownerPickItem(x); return { label: p.label, value: p.upn }; }), { label: 'Someone else…', value: '?' },
        ], { title: 'Owner' });
        if (!o) break;
        if (o.value === '?') {
          const upn = await vscode.window.showInputBox({ title: 'Owner', placeHolder: 'alice@contoso.com' });
          if (upn?.trim()) f.owner = { kind: 'person', upn: upn.trim() };
        } else {
          f.owner = (['anyone', 'me', 'unassigned'].includes(o.value) ? { kind: o.value } : { kind: 'person', upn: o.value }) as OwnerFilter;
        }
        break;
      }
      case 'tag': {
        const tags = new Set<string>();
        for (const i of s.store.all()) i.tags.forEach(t => tags.add(t));
        const v = await pickMany('Tag (all picked must be present)', [...tags].sort().map(t => [t, t]), f.tags);
        if (v) f.tags = v;
        break;
      }
      case 'time': {
        const r = await vscode.window.showQuickPick([
          { label: 'Any time', value: '' }, { label: '1 day', value: '1d' }, { label: '3 days', value: '3d' }, { label: '7 days', value: '7d' },
          { label: '30 days', value: '30d' }, { label: '6 months', value: '6m' }, { label: 'Custom…', value: 'custom' },
        ], { title: 'Created within' });
        if (!r) break;
        if (r.value === 'custom') {
          const from = await vscode.window.showInputBox({ title: 'From (YYYY-MM-DD)', validateInput: x => (Number.isNaN(Date.parse(x)) ? 'Enter a date like 2026-11-01.' : undefined) });
          if (!from) break;
          const to = await vscode.window.showInputBox({ title: 'To (YYYY-MM-DD, optional)', validateInput: x => (x && Number.isNaN(Date.parse(x)) ? 'Enter a date like 2026-11-29, or nothing.' : undefined) });
          f.time = { from: new Date(from).toISOString(), ...(to ? { to: new Date(to).toISOString() } : {}) };
        } else {
          f.time = (r.value || undefined) as TimeRange | undefined;
        }
        break;
      }
      case 'text': {
        const v = await vscode.window.showInputBox({ title: 'Search name, ID, tags, devices and users', value: f.text ?? '' });
        if (v !== undefined) f.text = v.trim() || undefined;
        break;
      }
    }
  }
}

export function registerQueueCommands(s: Services): vscode.Disposable[] {
  const reg = (id: string, fn: (...a: unknown[]) => unknown) => vscode.commands.registerCommand(`${EXT}.${id}`, async (...a: unknown[]) => {
    try { await fn(...a); } catch (e) { showError(s, id, e); }
  });
  const setFilter = (f: IncidentFilter) => vscode.window.withProgress({ location: { viewId: `${EXT}.incidents` } }, () => s.store.setFilter(f));
  const cfg = () => vscode.workspace.getConfiguration(EXT);

  return [
    reg('refresh', () => reloadQueue(s)),
    reg('loadMore', () => vscode.window.withProgress({ location: { viewId: `${EXT}.incidents` } }, () => s.store.loadMore())),
    reg('showMoreInGroup', (n: unknown) => { if (n instanceof ShowMoreNode) s.tree.showMore(n); }),
    reg('filter', async () => { const f = await editFilter(s); if (f) await setFilter(f); }),
    reg('search', async () => {
      const text = await vscode.window.showInputBox({ title: 'Search incidents', prompt: 'Matches name, ID, tags, devices and users', value: s.store.filter.text ?? '' });
      if (text !== undefined) await setFilter({ ...s.store.filter, text: text.trim() || undefined });
    }),
    reg('clearFilter', () => setFilter({})),
    reg('showMyIncidents', async () => {
      await setFilter({ statuses: ['Active', 'InProgress'], owner: { kind: 'me' } });
      await vscode.commands.executeCommand(`${EXT}.incidents.focus`);
    }),
    reg('savedFilters', async () => {
      const raw = cfg().get<unknown[]>(Settings.savedFilters, []);
      const items: (vscode.QuickPickItem & { filter: IncidentFilter })[] = [
        { label: 'Default queue', description: describeFilter(DEFAULT_FILTER), filter: { ...DEFAULT_FILTER } },
      ];
      const bad: string[] = [];
      for (const [n, entry] of (Array.isArray(raw) ? raw : []).entries()) {
        const e = entry as { name?: unknown; filter?: unknown };
        const f = parseFilter(e?.filter);
        if (typeof e?.name !== 'string' || typeof f === 'string') { bad.push(skippedFilterEntry(n, e?.name, typeof f === 'string' ? f : 'missing "name"')); continue; }
        items.push(savedFilterPickItem(e.name, f));
      }
      if (bad.length) void vscode.window.showWarningMessage(skippedFiltersMessage(`${EXT}.${Settings.savedFilters}`, bad));
      const pick = await vscode.window.showQuickPick(items, { title: 'Saved filters' });
      if (pick) await setFilter(pick.filter);
    }),
    reg('saveFilter', async () => {
      const name = await vscode.window.showInputBox({ title: 'Save the current filter', prompt: saveFilterPrompt(s.store.filter), validateInput: x => (!x.trim() ? 'Enter a name.' : undefined) });
      if (!name?.trim()) return;
      const target = vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
      const list = (cfg().get<{ name: string }[]>(Settings.savedFilters, []) ?? []).filter(x => x?.name !== name.trim());
      const f = s.store.filter;
      const stored: Record<string, unknown> = { ...f };
      if (f.owner) stored.owner = f.owner.kind === 'person' ? f.owner.upn : f.owner.kind;
      await cfg().update(Settings.savedFilters, [...list, { name: name.trim(), filter: stored }], target);
      void vscode.window.showInformationMessage(savedFilterMessage(name.trim(), target === vscode.ConfigurationTarget.Workspace ? 'workspace' : 'user'));
    }),
    reg('groupBy', async () => {
      const p = await vscode.window.showQuickPick(GROUP_BY_VALUES.map(v => ({ label: GROUP_LABELS[v], value: v, description: v === s.tree.settings.groupBy ? 'current' : undefined })), { title: 'Group incidents by' });
      if (p) { s.tree.setView({ groupBy: p.value }); await s.context.workspaceState.update('groupBy', p.value); }
    }),
    reg('sortBy', async () => {
      const p = await vscode.window.showQuickPick(SORT_BY_VALUES.map(v => ({ label: SORT_LABELS[v], value: v, description: v === s.tree.settings.sortBy ? 'current' : undefined })), { title: 'Sort incidents by' });
      if (p) { s.tree.setView({ sortBy: p.value }); await s.context.workspaceState.update('sortBy', p.value); }
    }),
  ];
}
