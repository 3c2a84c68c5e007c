/** Queue commands: refresh, filters (and saved filters), group by, sort, paging. */
import * as vscode from 'vscode';
import { Commands, EXT, settingId, Settings, VIEW_ID, WorkspaceKeys } from '../constants';
import { isOpen, PANE_STATUSES } from '../model/rules';
import { describeFilter, filterEditorRows } from '../store/filter';
import { DEFAULT_FILTER, type IncidentFilter, parseFilter } from '../model/query';
import { FILTER_FIELDS, type FilterField, type PickSource } from '../store/filterFields';
import { GROUP_BY_VALUES, SORT_BY_VALUES, sortUnavailable, type GroupBy, type SortBy } from '../store/queue';
import type { IncidentStore } from '../store/incidentStore';
import { ShowMoreNode, type IncidentsTreeProvider } from '../tree/incidentsTree';
import type { CommandTable } from './register';
import { reloadQueue } from './reload';
import { savedFilterMessage, savedFilterPickItem, saveFilterPrompt, skippedFilterEntry, skippedFiltersMessage } from './format';
import { info, input, pick, safe, ui, warn, type SafeItem } from '../ui/surface';

const GROUP_LABELS: Record<GroupBy, string> = {
  none: 'None',
  status: 'Status',
  severity: 'Severity',
  owner: 'Owner',
  classification: 'Classification',
  sla: 'SLA state',
};
const SORT_LABELS: Record<SortBy, string> = {
  lastUpdate: 'Last update',
  severity: 'Severity',
  created: 'Creation time',
  timeLeft: 'Time left (SLA)',
  priority: 'Priority (highest first)',
};

/** The open statuses (Active, In progress): the model's rule, in the order the pane offers them. */
const OPEN_STATUSES = PANE_STATUSES.filter(s => isOpen(s));

export interface QueueCommandDeps {
  store: IncidentStore;
  tree: IncidentsTreeProvider;
  workspaceState: vscode.Memento;
}

type EditorItem = SafeItem & { key: keyof IncidentFilter | 'apply' | 'default' };

/** The filter editor's rows: Apply, one per entry of the filter table (with its current value), Reset. */
function filterEditorPick(f: IncidentFilter): EditorItem[] {
  return [
    { label: ui`$(check) Apply`, key: 'apply', description: safe(describeFilter(f)) },
    ...filterEditorRows(f).map(r => ({ key: r.key, label: safe(r.label), description: safe(r.description) })),
    { label: ui`Reset to the default queue`, key: 'default', description: safe(describeFilter(DEFAULT_FILTER)) },
  ];
}

/** Asks for one field the way its table entry says; undefined = cancelled, nothing changes. */
async function pickField(
  field: FilterField,
  current: IncidentFilter[keyof IncidentFilter],
  src: PickSource,
): Promise<{ value: IncidentFilter[keyof IncidentFilter] } | undefined> {
  const p = field.pick;
  switch (p.kind) {
    case 'many': {
      const selected = p.selected(current);
      const items = p.options(src).map(o => ({ label: safe(o.label), value: o.value, picked: selected.includes(o.value) }));
      const picked = await pick(items, { title: safe(p.title), canPickMany: true, placeHolder: ui`None picked = any` });
      return picked && { value: p.value(picked.map(x => x.value)) };
    }
    case 'one': {
      const items = [...p.options(src), ...(p.other ? [p.other.option] : [])].map(o => ({ label: safe(o.label), value: o.value }));
      const o = await pick(items, { title: safe(p.title) });
      if (!o) return undefined;
      if (!p.other || o.value !== p.other.option.value) return { value: p.value(o.value) };
      const answers: string[] = [];
      for (const q of p.other.prompts) {
        const a = await input({
          title: safe(q.title),
          placeHolder: q.placeHolder === undefined ? undefined : safe(q.placeHolder),
          validateInput: x => {
            const why = q.invalid?.(x);
            return why === undefined ? undefined : safe(why);
          },
        });
        if (!a && !q.optional) return undefined;
        answers.push(a ?? '');
      }
      const v = p.other.value(answers);
      return v === undefined ? undefined : { value: v };
    }
    case 'text': {
      const text = await input({ title: safe(p.title), value: p.current(current) });
      return text === undefined ? undefined : { value: p.value(text) };
    }
  }
}

async function editFilter(s: Pick<QueueCommandDeps, 'store'>): Promise<IncidentFilter | undefined> {
  let f: IncidentFilter = { ...s.store.filter };
  const src: PickSource = { owners: () => s.store.knownOwners(), tags: () => [...s.store.all()].flatMap(i => i.tags) };
  for (;;) {
    const choice = await pick(filterEditorPick(f), { title: ui`Filter incidents`, placeHolder: ui`Pick a field to change, then Apply` });
    if (!choice) return undefined;
    if (choice.key === 'apply') return f;
    if (choice.key === 'default') {
      f = { ...DEFAULT_FILTER };
      continue;
    }
    const field = (FILTER_FIELDS as readonly FilterField[]).find(x => x.key === choice.key);
    const picked = field && (await pickField(field, f[field.key], src));
    if (field && picked) f = { ...f, [field.key]: picked.value };
  }
}

type QueueCommandIds =
  'refresh' | 'loadMore' | 'showMoreInGroup' | 'filter' | 'search' | 'clearFilter' | 'showMyIncidents' | 'savedFilters' | 'saveFilter' | 'groupBy' | 'sortBy';

export function queueCommands(s: QueueCommandDeps): Pick<CommandTable, (typeof Commands)[QueueCommandIds]> {
  const setFilter = (f: IncidentFilter) => vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => s.store.setFilter(f));
  const cfg = () => vscode.workspace.getConfiguration(EXT);

  return {
    [Commands.refresh]: () => reloadQueue(s.store),
    [Commands.loadMore]: () => vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => s.store.loadMore()),
    [Commands.showMoreInGroup]: (n: unknown) => {
      if (n instanceof ShowMoreNode) s.tree.showMore(n);
    },
    [Commands.filter]: async () => {
      const f = await editFilter(s);
      if (f) await setFilter(f);
    },
    [Commands.search]: async () => {
      const text = await input({ title: ui`Search incidents`, prompt: ui`Matches name, ID, tags, devices and users`, value: s.store.filter.text ?? '' });
      if (text !== undefined) await setFilter({ ...s.store.filter, text: text.trim() || undefined });
    },
    [Commands.clearFilter]: () => setFilter({}),
    [Commands.showMyIncidents]: async () => {
      await setFilter({ statuses: [...OPEN_STATUSES], owner: { kind: 'me' } });
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    },
    [Commands.savedFilters]: async () => {
      const raw = cfg().get<unknown[]>(Settings.savedFilters, []);
      const items: (SafeItem & { filter: IncidentFilter })[] = [
        { label: ui`Default queue`, description: safe(describeFilter(DEFAULT_FILTER)), filter: { ...DEFAULT_FILTER } },
      ];
      const bad: string[] = [];
      for (const [n, entry] of (Array.isArray(raw) ? raw : []).entries()) {
        const e = entry as { name?: unknown; filter?: unknown };
        const f = parseFilter(e?.filter);
        if (typeof e?.name !== 'string' || typeof f === 'string') {
          bad.push(skippedFilterEntry(n, e?.name, typeof f === 'string' ? f : 'missing "name"'));
          continue;
        }
        items.push(savedFilterPickItem(e.name, f));
      }
      if (bad.length) void warn(skippedFiltersMessage(settingId(Settings.savedFilters), bad));
      const chosen = await pick(items, { title: ui`Saved filters` });
      if (chosen) await setFilter(chosen.filter);
    },
    [Commands.saveFilter]: async () => {
      const name = await input({
        title: ui`Save the current filter`,
        prompt: saveFilterPrompt(s.store.filter),
        validateInput: x => (!x.trim() ? ui`Enter a name.` : undefined),
      });
      if (!name?.trim()) return;
      // User settings by default: a filter's values (owners, searched text) are not written into a
      // repository's .vscode/settings.json, where a commit would share them. A team shares on purpose, by hand.
      const target = vscode.ConfigurationTarget.Global;
      const user = cfg().inspect<{ name: string }[]>(Settings.savedFilters)?.globalValue;
      const list = (Array.isArray(user) ? user : []).filter(x => x?.name !== name.trim());
      const f = s.store.filter;
      const stored: Record<string, unknown> = { ...f };
      if (f.owner) stored.owner = f.owner.kind === 'person' ? f.owner.upn : f.owner.kind;
      await cfg().update(Settings.savedFilters, [...list, { name: name.trim(), filter: stored }], target);
      void info(savedFilterMessage(name.trim(), 'user'));
    },
    [Commands.groupBy]: async () => {
      const p = await pick(
        GROUP_BY_VALUES.map(v => ({ label: safe(GROUP_LABELS[v]), value: v, description: v === s.tree.settings.groupBy ? ui`current` : undefined })),
        { title: ui`Group incidents by` },
      );
      if (p) {
        s.tree.setView({ groupBy: p.value });
        await s.workspaceState.update(WorkspaceKeys.groupBy, p.value);
      }
    },
    [Commands.sortBy]: async () => {
      // A sort the backend cannot give (priority without a score) is listed with the reason and not applied.
      const why = (v: SortBy) => sortUnavailable(v, s.store.capabilities);
      const p = await pick(
        SORT_BY_VALUES.map(v => {
          const w = why(v);
          return { label: safe(SORT_LABELS[v]), value: v, description: w !== undefined ? safe(w) : v === s.tree.settings.sortBy ? ui`current` : undefined };
        }),
        { title: ui`Sort incidents by` },
      );
      if (p && !why(p.value)) {
        s.tree.setView({ sortBy: p.value });
        await s.workspaceState.update(WorkspaceKeys.sortBy, p.value);
      }
    },
  };
}
