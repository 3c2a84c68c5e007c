/**
 * The incidents queue. Renders what the store holds (filtered, grouped, sorted, capped by
 * the live queue); fetching and caching live in the store. Each node's tree item is made in ./treeItems;
 * backend text reaches VS Code only as plain strings (labels, descriptions, string tooltips), built and
 * isolated in ./rows: never MarkdownString, never command links.
 */
import * as vscode from 'vscode';
import type { Incident } from '../model/types';
import type { IncidentStore } from '../store/incidentStore';
import { type GroupBy, type QueueGroup, type SortBy } from '../store/queue';
import { LiveQueue } from '../store/liveQueue';
import { SlaClock, tickAt, type SlaCounts, type SlaTick } from './slaClock';
import { staleNode, stateNodes, treeItem } from './treeItems';
import { safeDelay } from '../shared/timer';
import { describeFilter } from '../store/filter';
import { isEmptyFilter } from '../model/query';
import { ContextKeys } from '../constants';
import { AlertNode, GroupNode, IncidentNode, LoadMoreNode, ShowMoreNode, type TreeNode } from './nodes';
import { alertTooltip, incidentTooltip, queueMessage } from './rows';

export { alertTooltip, incidentTooltip };

export {
  ActionNode,
  AlertNode,
  GroupNode,
  IncidentNode,
  LoadMoreNode,
  ShowMoreNode,
  INCIDENT_URI_SCHEME,
  incidentContextValue,
  incidentIcon,
  incidentUri,
  severityIcon,
  type TreeNode,
} from './nodes';

export interface ViewSettings {
  groupBy: GroupBy;
  sortBy: SortBy;
  maxGroupSize: number;
}

export class IncidentsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined | void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly countsEmitter = new vscode.EventEmitter<SlaCounts>();
  /** Fires when the SLA counts may have changed (a rebuild, or a tick where a state changed). */
  readonly onDidChangeSlaCounts = this.countsEmitter.event;
  private readonly repaintEmitter = new vscode.EventEmitter<string[] | undefined>();
  /**
   * The incidents whose rows were repainted (undefined: all of them). A tree event may name a group or the
   * root rather than the row, so this is what the rows' SLA decorations follow.
   */
  readonly onDidRepaintRows = this.repaintEmitter.event;
  /** The queue's SLA states as of the last rebuild or tick. */
  readonly clock: SlaClock;
  private tickTimer: NodeJS.Timeout | undefined;
  private lastTick = -Infinity;
  /** The queue as shown, kept live one incident at a time (undefined: rebuilt on the next look). */
  private live: LiveQueue | undefined;
  /** The node objects VS Code was given, by incident id and group key: an event names the same object. */
  private nodes = new Map<string, IncidentNode>();
  private groupNodes = new Map<string, GroupNode>();
  private showMoreNodes = new Map<string, ShowMoreNode>();
  /** Whether the root ended with Load More when it was last built. */
  private hadMore = false;
  private groupLimits = new Map<string, number>();
  private readonly sub: { dispose(): void };
  view: vscode.TreeView<TreeNode> | undefined;
  /** When the next automatic refresh runs (set by the watcher), for the warning row's tooltip. */
  nextAutoRefresh: number | undefined;

  /** `now`: the clock the rows and the SLA tick read (default: the store's, which a test can fix). */
  constructor(
    private readonly store: IncidentStore,
    public settings: ViewSettings,
    private readonly me: () => string,
    private readonly now: () => number = () => store.now(),
  ) {
    this.sub = store.onDidChange(c => this.onStoreChange(c.ids));
    this.clock = new SlaClock({ policy: () => store.slaPolicy(), assignedAt: id => store.assignedAt(id) });
  }

  /**
   * A change to some incidents repaints their rows, or their groups where a count or the order changed
   * (without grouping, the root is the group); a background page adds rows the same way, and the rows
   * already shown keep their nodes and texts. Anything else (a new filter, a reload) rebuilds.
   */
  private onStoreChange(ids?: string[]): void {
    const live = this.live;
    if (!ids || !live || this.store.state !== 'ready') return this.refresh();
    const now = this.now();
    const match = this.store.matcher(now);
    let counts = false;
    const changes: { id: string; incident: Incident | undefined }[] = [];
    for (const id of ids) {
      const i = this.store.get(id);
      const incident = i && match(i) ? i : undefined;
      if (!incident && !live.has(id)) continue;
      changes.push({ id, incident });
      if (this.clock.put(id, incident)) counts = true;
    }
    const d = live.apply(changes, now);
    this.events = 0;
    if (d.root || this.store.hasMore !== this.hadMore) {
      this.fire(undefined);
    } else {
      for (const k of d.groups) this.fire(this.groupNodes.get(k));
      for (const id of d.rows) {
        const node = this.nodes.get(id);
        if (!node) continue;
        node.incident = this.store.get(id)!;
        node.description = live.description(id) ?? node.description;
        this.fire(node);
      }
    }
    for (const c of changes) if (!c.incident) this.nodes.delete(c.id);
    if (changes.length) this.repaintEmitter.fire(changes.map(c => c.id));
    if (counts) this.countsEmitter.fire(this.clock.counts);
    if (changes.length) this.armTick();
    this.updateChrome();
  }

  /** Tree events fired by the last store change (for the bench and tests). */
  events = 0;

  private fire(node: TreeNode | undefined): void {
    this.events++;
    this.emitter.fire(node);
  }

  refresh(): void {
    this.live = undefined;
    this.nodes.clear();
    this.groupNodes.clear();
    this.showMoreNodes.clear();
    this.emitter.fire();
    this.repaintEmitter.fire(undefined);
    this.updateChrome();
  }

  setView(s: Partial<ViewSettings>): void {
    this.settings = { ...this.settings, ...s };
    this.groupLimits.clear();
    this.refresh();
  }

  showMore(node: ShowMoreNode): void {
    const cur = this.groupLimits.get(node.groupKey) ?? this.settings.maxGroupSize;
    this.groupLimits.set(node.groupKey, cur + this.settings.maxGroupSize);
    this.refresh();
  }

  /** Builds (once per change) the queue the tree shows, with the SLA states at this moment. */
  queue(): QueueGroup[] {
    if (!this.live) {
      const now = this.now();
      const visible = this.store.visible();
      this.clock.update(visible, now);
      this.live = new LiveQueue(visible, { ...this.settings, groupLimits: this.groupLimits, now, sla: id => this.clock.info(id) });
      this.countsEmitter.fire(this.clock.counts);
      // The rows exist once getChildren made their nodes: arm after this turn.
      setTimeout(() => this.armTick(), 0);
    }
    return this.live.groups;
  }

  /** The SLA counts over the whole queue (every incident loaded that passes the filter), or undefined before it loaded. */
  slaCounts(): SlaCounts | undefined {
    if (this.store.state !== 'ready') return undefined;
    this.queue();
    return this.clock.counts;
  }

  /**
   * A clock tick: recomputes every SLA state at `now` and redraws only the rows whose SLA state or SLA
   * text changed (one event per row; none when nothing changed). When a state changed and the view
   * groups or filters by SLA state, rows move, so the whole view rebuilds. Returns what changed.
   */
  tick(now = this.now()): SlaTick | undefined {
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    if (!this.live || this.store.state !== 'ready') return undefined;
    this.lastTick = now;
    const r = this.clock.tick(this.nodes.keys(), now);
    if (r.stateChanged && (this.settings.groupBy === 'sla' || this.store.filter.sla?.length)) {
      this.refresh();
      return r;
    }
    for (const id of r.changed) {
      const node = this.nodes.get(id)!;
      node.description = this.live.redescribe(node.incident, now);
      this.emitter.fire(node);
    }
    if (r.changed.length) this.repaintEmitter.fire(r.changed);
    if (r.stateChanged) {
      this.updateChrome();
      this.countsEmitter.fire(this.clock.counts);
    }
    this.armTick();
    return r;
  }

  /** Schedules the next tick at the next SLA change (not sooner than 30 s after the last tick, nor later than 10 min). */
  private armTick(): void {
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.tickTimer = undefined;
    if (this.disposed || !this.live || this.store.state !== 'ready') return;
    const now = this.now();
    const at = tickAt(this.clock.nextChange(this.nodes.keys(), now), now, this.lastTick);
    this.nextTick = at;
    this.tickTimer = setTimeout(() => this.tick(), safeDelay(at - now));
  }

  /** When the next SLA tick is due (epoch ms, by the tree's clock), for tests and the bench. */
  nextTick: number | undefined;
  private disposed = false;

  /** Title, description, message, badge and the state context key that picks the welcome content. */
  /** Where the queue comes from in words (`contoso.onmicrosoft.com · Graph`): the view always says where a click goes. */
  connection: () => string = () => '';

  updateChrome(): void {
    const view = this.view;
    const s = this.store;
    const visible = s.state === 'ready' ? this.queue().reduce((n, g) => n + g.count, 0) : 0;
    let state: string = s.state;
    if (s.state === 'ready' && visible === 0) state = 'empty';
    void vscode.commands.executeCommand('setContext', ContextKeys.state, state);
    void vscode.commands.executeCommand('setContext', ContextKeys.filtered, !isEmptyFilter(s.filter));
    if (!view) return;
    const where = this.connection();
    const filter = describeFilter(s.filter);
    view.description = [where, filter].filter(Boolean).join(' · ') || undefined;
    // Error and signed-out states are nodes with the fixing commands (VS Code hides welcome content while a message shows).
    if (s.state === 'loading') view.message = where ? `Loading incidents from ${where}…` : 'Loading incidents…';
    // The connection and the filter go in the message too: single-view containers hide the view's description.
    else if (s.state === 'ready' && visible > 0) view.message = `${where ? `${where}: ` : ''}${queueMessage(visible, s, filter)}`;
    else view.message = undefined;
    // The badge counts overdue incidents over the whole queue (all of it loaded, up to maxQueueSize).
    const overdue = s.state === 'ready' ? this.clock.counts.overdue : 0;
    view.badge = overdue ? { value: overdue, tooltip: `${overdue} overdue incident${overdue === 1 ? '' : 's'} (SLA)` } : undefined;
  }

  getTreeItem(n: TreeNode): vscode.TreeItem {
    return treeItem(n, { clock: this.clock, me: this.me(), groupBy: this.settings.groupBy, maxGroupSize: this.settings.maxGroupSize });
  }

  /** Tooltips are built only when hovered. */
  resolveTreeItem(item: vscode.TreeItem, n: TreeNode): vscode.TreeItem {
    if (n instanceof IncidentNode) item.tooltip = incidentTooltip(n.incident, this.clock.info(n.incident.id), this.clock.at);
    return item;
  }

  getChildren(n?: TreeNode): TreeNode[] {
    if (!n) {
      if (this.store.state === 'error' || this.store.state === 'signedOut') return stateNodes(this.store);
      if (this.store.state !== 'ready') return [];
      const groups = this.queue();
      const out: TreeNode[] = [];
      const stale = staleNode(this.store, this.now(), this.nextAutoRefresh);
      if (stale) out.push(stale);
      if (this.settings.groupBy === 'none') {
        const g = groups[0];
        if (g) {
          out.push(...this.incidentNodes(g, undefined));
          if (g.hidden) out.push(new ShowMoreNode(undefined, g.key, g.hidden));
        } else {
          this.pruneNodes(undefined, new Set());
        }
      } else {
        out.push(
          ...groups.map(g => {
            let node = this.groupNodes.get(g.key);
            if (!node) this.groupNodes.set(g.key, (node = new GroupNode(g)));
            node.group = g;
            return node;
          }),
        );
      }
      this.hadMore = this.store.hasMore;
      if (this.store.hasMore) out.push(new LoadMoreNode());
      return out;
    }
    if (n instanceof GroupNode) {
      const out: TreeNode[] = this.incidentNodes(n.group, n);
      if (n.group.hidden) out.push(new ShowMoreNode(n, n.group.key, n.group.hidden));
      return out;
    }
    if (n instanceof IncidentNode) return n.incident.alerts.map(a => new AlertNode(a, n));
    return [];
  }

  /** The group's rows as nodes: the ones VS Code already has are kept (updated), new ones made. */
  private incidentNodes(g: QueueGroup, parent: GroupNode | undefined): IncidentNode[] {
    const shown = new Set<string>();
    const out = g.rows.map(r => {
      shown.add(r.incident.id);
      let node = this.nodes.get(r.incident.id);
      if (node) {
        node.incident = r.incident;
        node.description = r.description;
        node.parent = parent;
      } else {
        this.nodesMade++;
        this.nodes.set(r.incident.id, (node = new IncidentNode(r.incident, r.description, parent)));
      }
      return node;
    });
    this.pruneNodes(parent, shown);
    return out;
  }

  /** Forgets the nodes of a parent that it no longer shows (moved to another group, or beyond its cap). */
  private pruneNodes(parent: GroupNode | undefined, shown: Set<string>): void {
    for (const [id, node] of this.nodes) if (node.parent === parent && !shown.has(id)) this.nodes.delete(id);
  }

  /** Row nodes made (not reused) since the tree was built: for the bench and tests. */
  nodesMade = 0;

  getParent(n: TreeNode): TreeNode | undefined {
    if (n instanceof AlertNode) return n.parent;
    if (n instanceof IncidentNode || n instanceof ShowMoreNode) return n.parent;
    return undefined;
  }

  /** The node for an incident, for reveal. */
  nodeFor(id: string): IncidentNode | undefined {
    return this.nodes.get(id);
  }

  dispose(): void {
    this.disposed = true;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.sub.dispose();
    this.emitter.dispose();
    this.repaintEmitter.dispose();
    this.countsEmitter.dispose();
  }
}
