/**
 * SLA clocks on the queue in a real extension host (issue #12), on the built-in mock with a fixed
 * clock: each row's SLA text, grouping by SLA state, sorting by time left, the badge and the status
 * bar counting overdue incidents, Show Overdue Incidents, and a clock tick that redraws only the rows
 * that changed. Expectations come from the store's incidents through src/model/sla.ts, not from ids.
 */
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { GroupNode, IncidentNode, TreeNode } from '../../src/tree/incidentsTree';
import { DEFAULT_FILTER } from '../../src/model/query';
import { DEFAULT_SLA_POLICY, formatSla, slaState, type SlaInfo } from '../../src/model/sla';
import type { Incident } from '../../src/model/types';
import { until } from './util';

const EXT_ID = 'defender-incidents.defender-incidents';
const isIncident = (n: TreeNode): n is IncidentNode => n.kind === 'incident';
const isGroup = (n: TreeNode): n is GroupNode => n.kind === 'group';

describe('SLA clocks on the queue (real host, fixed clock)', function () {
  this.timeout(60000);
  let api: ExtensionApi;
  let T: number;
  const sla = (i: Incident, at = T): SlaInfo => slaState(i, DEFAULT_SLA_POLICY, at, api.store.assignedAt(i.id));
  const queue = () => api.store.visible();
  const overdueCount = () => queue().filter(i => sla(i).state === 'overdue').length;

  before(async () => {
    const ext = vscode.extensions.getExtension<ExtensionApi>(EXT_ID);
    assert.ok(ext);
    api = await ext.activate();
    assert.ok(api.setClock, 'the test clock is available under DEFENDER_INCIDENTS_TEST=1');
    await vscode.commands.executeCommand('workbench.view.extension.defenderIncidents');
    await until('the queue to load', () => api.store.state === 'ready' && api.store.capabilities?.kind === 'mock');
    // The mock's data is relative to its own clock: fix ours a little after it, so some clocks ran out.
    T = Date.now() + 15 * 60_000;
    api.setClock(T);
    api.tree.setView({ groupBy: 'none', sortBy: 'lastUpdate' });
    await api.store.setFilter({ ...DEFAULT_FILTER });
    await api.store.restLoaded();
    assert.equal(api.store.state, 'ready', api.store.error?.message);
    assert.ok(overdueCount() > 0, 'the mock has overdue incidents at this time');
  });

  after(async () => {
    api.tree.setView({ groupBy: 'none', sortBy: 'lastUpdate' });
    api.setClock?.(undefined);
    await api.store.setFilter({ ...DEFAULT_FILTER });
  });

  it('each row says its SLA state with the time left or over, after #id · status · owner · age', () => {
    const rows = (api.tree.getChildren() as TreeNode[]).filter(isIncident);
    assert.ok(rows.length > 10);
    let withClock = 0;
    for (const r of rows) {
      const item = api.tree.getTreeItem(r);
      const text = formatSla(sla(r.incident), T);
      const desc = String(item.description);
      assert.match(desc, /^#\S+ · (Active|In progress) · .+ · \S+/);
      if (text) {
        withClock++;
        assert.ok(desc.endsWith(` · ${text}`), `${desc} should end with ${text}`);
      }
      // The severity icon stays; the SLA state is the row's FileDecoration (issue 19).
      const icon = item.iconPath as vscode.ThemeIcon;
      assert.notEqual(icon.id, 'watch', `icon of ${desc}`);
      const deco = api.slaDecorations.provideFileDecoration(item.resourceUri!);
      const state = sla(r.incident).state;
      assert.equal(deco?.badge, state === 'overdue' ? '!!' : state === 'dueSoon' ? '!' : undefined, `decoration of ${desc}`);
      if (state === 'overdue') assert.equal(deco?.color?.id, 'list.errorForeground');
      if (deco) assert.equal(deco.tooltip, `SLA: ${text}`, 'the decoration says what the row says');
    }
    assert.ok(withClock > 0);
    const overdue = rows.find(r => sla(r.incident).state === 'overdue')!;
    const tip = String(api.tree.resolveTreeItem(api.tree.getTreeItem(overdue), overdue).tooltip);
    assert.match(tip, /Time to (assign|resolve): .+, overdue /);
  });

  it('the badge and the status bar count the overdue incidents of the whole queue', () => {
    const n = overdueCount();
    assert.equal(api.view.badge?.value, n);
    assert.equal(api.watcher.overdue.text, `$(watch) ${n} overdue`);
    assert.equal(api.watcher.overdue.command, 'defenderIncidents.showOverdue');
  });

  it('groups by SLA state, most urgent first, with the counts of the queue', () => {
    api.tree.setView({ groupBy: 'sla' });
    const groups = (api.tree.getChildren() as TreeNode[]).filter(isGroup);
    const want = new Map<string, number>();
    for (const i of queue()) {
      const s = sla(i).state;
      want.set(s, (want.get(s) ?? 0) + 1);
    }
    const order = ['overdue', 'dueSoon', 'onTime', 'none'].filter(k => want.has(k));
    assert.deepEqual(
      groups.map(g => [g.group.key, g.group.count]),
      order.map(k => [k, want.get(k)]),
    );
    assert.equal(groups[0].group.label, 'Overdue');
    for (const g of groups) {
      for (const r of (api.tree.getChildren(g) as TreeNode[]).filter(isIncident)) assert.equal(sla(r.incident).state, g.group.key);
    }
    api.tree.setView({ groupBy: 'none' });
  });

  it('sorts by time left: least first, incidents without a clock last', () => {
    api.tree.setView({ sortBy: 'timeLeft' });
    const rows = (api.tree.getChildren() as TreeNode[]).filter(isIncident);
    const left = rows.map(r => sla(r.incident).msLeft ?? Infinity);
    for (let k = 1; k < left.length; k++) assert.ok(left[k - 1] <= left[k], `row ${k}: ${left[k - 1]} then ${left[k]}`);
    api.tree.setView({ sortBy: 'lastUpdate' });
  });

  it('a tick with nothing changing fires no tree event; a later one redraws exactly the rows that changed', async () => {
    api.tree.getChildren();
    const fired: unknown[] = [];
    const sub = api.tree.onDidChangeTreeData(e => fired.push(e));
    try {
      const quiet = api.tree.tick(T + 1);
      assert.deepEqual(quiet?.changed, []);
      assert.equal(fired.length, 0, 'no tree refresh event');
      const later = T + 5 * 60_000;
      const r = api.tree.tick(later);
      assert.ok(r && r.changed.length > 0, 'five minutes on, some "overdue N m" texts changed');
      assert.equal(fired.length, r.changed.length, 'one event per changed row');
      assert.ok(
        fired.every(e => e !== undefined && isIncident(e as TreeNode)),
        'never the whole tree',
      );
      assert.deepEqual((fired as IncidentNode[]).map(n => n.incident.id).sort(), [...r.changed].sort());
    } finally {
      sub.dispose();
      api.tree.tick(T);
    }
  });

  it('grouped by severity, a change to one incident redecorates its row, though the tree event names its group', async () => {
    api.tree.setView({ groupBy: 'severity', sortBy: 'lastUpdate' });
    const groups = (api.tree.getChildren() as TreeNode[]).filter(isGroup);
    // Not the first row of its group: made the newest, it moves up, so the tree repaints the group, not the row.
    const row = groups.map(g => (api.tree.getChildren(g) as TreeNode[]).filter(isIncident)).find(rows => rows.length > 1)?.[1];
    assert.ok(row, 'a second row under a severity group');
    const decorated: string[] = [];
    const sub = api.slaDecorations.onDidChangeFileDecorations(u => {
      for (const uri of Array.isArray(u) ? u : u ? [u] : []) decorated.push(uri.toString());
    });
    try {
      const uri = api.tree.getTreeItem(row).resourceUri!.toString();
      // A change the store reports for this one incident (as an action's answer does).
      await api.store.put({ ...row.incident, tags: [...row.incident.tags, 'sla-deco-probe'], lastUpdateTime: new Date(T + 60_000).toISOString() });
      await until('the row redecorated', () => decorated.includes(uri));
    } finally {
      sub.dispose();
      api.tree.setView({ groupBy: 'none', sortBy: 'lastUpdate' });
    }
  });

  it('Show Overdue Incidents filters the queue to the overdue ones', async () => {
    const n = overdueCount();
    await vscode.commands.executeCommand('defenderIncidents.showOverdue');
    assert.deepEqual(api.store.filter.sla, ['overdue']);
    const rows = queue();
    assert.equal(rows.length, n);
    assert.ok(rows.every(i => sla(i).state === 'overdue'));
    assert.match(String(api.view.message), /SLA overdue/);
  });
});
