/**
 * `npm run bench -- --only=tree`: the real tree provider (scripts/bench/vscode-stub.js stands in for VS
 * Code) over a store of 2,000 open incidents: one incident changed (a new owner and a new lastUpdateTime,
 * as an assignment answers) under the default view and under grouping, counting the tree events the
 * change fires and timing the provider's work: the update (the store's put to the events fired), then the
 * repaint (the children and items VS Code asks again for the nodes fired); a full rebuild (refresh, then
 * every row's item) is the baseline. Then a background page: rows added, and
 * how many of the rows shown were made again.
 */
import { performance } from 'perf_hooks';
import { seedIncidents } from '../../src/mock/seed';
import { mapDefenderList } from '../../src/backend/defender/mapping';
import type { Backend } from '../../src/backend/types';
import type { Incident } from '../../src/model/types';
import { IncidentStore } from '../../src/store/incidentStore';
import { History } from '../../src/store/history';
import { IncidentsTreeProvider, type TreeNode } from '../../src/tree/incidentsTree';
import type { GroupBy, SortBy } from '../../src/store/queue';
import { MemoryKv } from '../support/builders';

const ME = 'analyst@contoso.com';
const N = 2000;
const DATA_NOW = new Date('2026-11-29T12:00:00Z');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Pages after the first wait for this (the bench releases the background page when it is ready). */
let gate: Promise<void> = Promise.resolve();

/** A backend that lists the given incidents in pages (the store's load, its background pages). */
function listing(items: Incident[], page: number): Backend {
  return {
    capabilities: {
      kind: 'mock',
      displayName: 'bench',
      canRename: true,
      canChangeSeverity: true,
      canUpdateAlerts: true,
      maxPageSize: page,
      serverFilters: [],
      requestsPerMinute: 1e9,
    },
    listIncidents: async (_q: unknown, o: { cursor?: string | null }) => {
      const at = Number(o.cursor ?? 0);
      if (at > 0) await gate;
      return { items: items.slice(at, at + page), next: at + page < items.length ? String(at + page) : null };
    },
    dispose: () => undefined,
  } as unknown as Backend;
}

async function setup(groupBy: GroupBy, sortBy: SortBy, items: Incident[], page = items.length) {
  const store = new IncidentStore({
    backend: async () => listing(items, page),
    me: () => ME,
    history: () => new History(new MemoryKv(), 'mock'),
    now: () => DATA_NOW.getTime(),
    maxQueueSize: () => 1e6,
  });
  await store.setFilter({ statuses: ['Active', 'InProgress'] });
  const tree = new IncidentsTreeProvider(
    store,
    { groupBy, sortBy, maxGroupSize: 200 },
    () => ME,
    () => DATA_NOW.getTime(),
  );
  const fired: (TreeNode | undefined)[] = [];
  tree.onDidChangeTreeData(n => fired.push(n ?? undefined));
  /** What VS Code does after an event: the children of each node fired (all groups' for the root). */
  const show = (nodes: (TreeNode | undefined)[]) => {
    for (const n of nodes) {
      const kids = tree.getChildren(n);
      for (const k of kids) {
        tree.getTreeItem(k);
        if (!n && k.kind === 'group') tree.getChildren(k).forEach(x => tree.getTreeItem(x));
      }
      if (n) tree.getTreeItem(n);
    }
  };
  show([undefined]);
  return { store, tree, fired, show };
}

export async function benchTree(runs: number): Promise<unknown> {
  // Open incidents, newest first (the order the APIs list them in, so a later page holds older ones).
  const items = mapDefenderList({ value: seedIncidents({ count: N, seed: 3, now: DATA_NOW }) })
    .items.map(i => ({ ...i, status: i.status === 'Resolved' ? 'Active' : i.status }))
    .sort((a, b) => (a.lastUpdateTime < b.lastUpdateTime ? 1 : a.lastUpdateTime > b.lastUpdateTime ? -1 : 0));
  const cases: Record<string, unknown>[] = [];
  for (const [groupBy, sortBy, label, target] of [
    ['none', 'lastUpdate', 'default view (no groups, by last update)', true],
    ['severity', 'lastUpdate', 'grouped by severity, by last update', true],
    ['owner', 'lastUpdate', 'grouped by owner (the change moves it to another group)', false],
    ['none', 'timeLeft', 'no groups, by time left', true],
  ] as [GroupBy, SortBy, string, boolean][]) {
    const { store, tree, fired, show } = await setup(groupBy, sortBy, items);
    const times: number[] = [];
    const repaints: number[] = [];
    let events = 0;
    let what = '';
    const warmup = 5;
    for (let k = 0; k < runs + warmup; k++) {
      // A row shown in the first group, assigned now (the first few runs warm the code up, untimed).
      const shown = tree.queue()[0].rows[5 + k].incident;
      const changed: Incident = { ...shown, assignedTo: k % 2 ? ME : 'bob@contoso.com', lastUpdateTime: new Date(DATA_NOW.getTime() + k * 1000).toISOString() };
      fired.length = 0;
      const t0 = performance.now();
      await store.put(changed);
      const t1 = performance.now();
      show([...fired]);
      if (k < warmup) continue;
      times.push(t1 - t0);
      repaints.push(performance.now() - t1);
      events = fired.length;
      what = fired.map(n => (n ? n.kind : 'root')).join(' + ');
    }
    const rebuild: number[] = [];
    for (let k = 0; k < runs; k++) {
      const t0 = performance.now();
      tree.refresh();
      show([undefined]);
      rebuild.push(performance.now() - t0);
    }
    const ms = median(times);
    cases.push({ groupBy, sortBy, label, target, events, what, ms, repaintMs: median(repaints), rebuildMs: median(rebuild), ok: events === 1 && ms < 2 });
    tree.dispose();
  }
  // A background page: the first page shows, the rest follows in pages of 100.
  let release: () => void = () => undefined;
  gate = new Promise(r => (release = r));
  const pageRig = await setup('none', 'lastUpdate', items, 1000);
  const before = pageRig.tree.nodesMade;
  const shownBefore = pageRig.tree.queue()[0].rows.length;
  pageRig.fired.length = 0;
  const t0 = performance.now();
  // The store loads the rest in the background: one more page of 1,000 here.
  release();
  for (let k = 0; k < 500 && pageRig.store.hasMore; k++) await new Promise(r => setTimeout(r, 1));
  pageRig.show([...pageRig.fired]);
  const page = {
    added: pageRig.store.size - 1000,
    shownBefore,
    events: pageRig.fired.length,
    rebuiltRows: pageRig.tree.nodesMade - before,
    ms: performance.now() - t0,
  };
  pageRig.tree.dispose();
  return { incidents: N, cases, page };
}
