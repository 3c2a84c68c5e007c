/**
 * The incidents queue. Renders what the store holds (filtered, grouped, sorted, capped by
 * `buildQueue`); fetching and caching live in the store. Backend text reaches VS Code only as plain
 * strings (labels, descriptions, string tooltips), built and isolated in ./rows: never MarkdownString,
 * never command links.
 */
import * as vscode from 'vscode';
import type { Alert, Incident } from '../model/types';
import type { IncidentStore } from '../store/incidentStore';
import { buildQueue, GroupBy, QueueGroup, rowDescription, SortBy } from '../store/queue';
import type { SlaInfo } from '../model/sla';
import { SlaClock, tickAt, type SlaCounts, type SlaTick } from './slaClock';
import { safeDelay } from '../shared/timer';
import { describeFilter, isEmptyFilter } from '../store/filter';
import { Commands, ContextKeys, EXT } from '../constants';
import { normalizeStatus } from '../model/enums';
import { isOpen } from '../model/rules';
import { alertDescription, alertLabel, alertTooltip, incidentAccessibilityLabel, incidentLabel, incidentTooltip, queueMessage, staleRow, stateLabel } from './rows';
import { own } from '../shared/own';

export { alertTooltip, incidentTooltip };

const SEVERITY_ICON: Record<string, [string, string]> = {
  high: ['flame', 'charts.red'],
  medium: ['warning', 'charts.orange'],
  low: ['arrow-down', 'charts.yellow'],
  informational: ['info', 'charts.blue'],
};

export function severityIcon(severity: string): vscode.ThemeIcon {
  const [icon, color] = own(SEVERITY_ICON, severity.toLowerCase()) ?? ['circle-outline', 'descriptionForeground'];
  return new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
}

/**
 * An incident's icon: a stopwatch in the theme's error colour when it is overdue, in its warning colour
 * when due soon (the severity stays in the tooltip and the accessibility label), else its severity's.
 */
export function incidentIcon(severity: string, sla: SlaInfo | undefined): vscode.ThemeIcon {
  if (sla?.state === 'overdue') return new vscode.ThemeIcon('watch', new vscode.ThemeColor('list.errorForeground'));
  if (sla?.state === 'dueSoon') return new vscode.ThemeIcon('watch', new vscode.ThemeColor('list.warningForeground'));
  return severityIcon(severity);
}

// Each node carries a `kind` as well as its class: tests in the extension host load the classes from
// another copy of this module than the bundle, where `instanceof` cannot match.
export class GroupNode {
  readonly kind = 'group';
  constructor(public group: QueueGroup) {}
}
export class IncidentNode {
  readonly kind = 'incident';
  constructor(public incident: Incident, public description: string, public parent: GroupNode | undefined) {}
}
export class AlertNode {
  readonly kind = 'alert';
  constructor(public alert: Alert, public parent: IncidentNode) {}
}
export class LoadMoreNode {
  readonly kind = 'loadMore';
}
export class ShowMoreNode {
  readonly kind = 'showMore';
  constructor(public parent: GroupNode | undefined, public groupKey: string, public hidden: number) {}
}
/** A state line (error, signed out) or an action that fixes it: never a blank view. */
export class ActionNode {
  readonly kind = 'action';
  constructor(public label: string, public icon: string, public command?: vscode.Command, public tooltip?: string) {}
}
export type TreeNode = GroupNode | IncidentNode | AlertNode | LoadMoreNode | ShowMoreNode | ActionNode;

/**
 * `incident:<status>:<open|closed>:<assigned|unassigned>[:mine]`, matched by `viewItem =~` in package.json
 * menus: `open` is the model's rule (Active or In progress), so menus need not spell the statuses out.
 */
export function incidentContextValue(i: Incident, me: string): string {
  const parts = ['incident', normalizeStatus(i.status).toLowerCase(), isOpen(i.status) ? 'open' : 'closed', i.assignedTo ? 'assigned' : 'unassigned'];
  if (i.assignedTo && i.assignedTo.toLowerCase() === me.toLowerCase()) parts.push('mine');
  return parts.join(':');
}

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
  /** The queue's SLA states as of the last rebuild or tick. */
  readonly clock: SlaClock;
  private tickTimer: NodeJS.Timeout | undefined;
  private lastTick = -Infinity;
  private groups: QueueGroup[] | undefined;
  private nodes = new Map<string, IncidentNode>();
  private groupLimits = new Map<string, number>();
  private readonly sub: { dispose(): void };
  view: vscode.TreeView<TreeNode> | undefined;
  /** When the next automatic refresh runs (set by the watcher), for the warning row's tooltip. */
  nextAutoRefresh: number | undefined;

  /** `now`: the clock the rows and the SLA tick read (default: the store's, which a test can fix). */
  constructor(private readonly store: IncidentStore, public settings: ViewSettings, private readonly me: () => string, private readonly now: () => number = () => store.now()) {
    this.sub = store.onDidChange(c => this.onStoreChange(c.ids));
    this.clock = new SlaClock({ policy: () => store.slaPolicy(), assignedAt: id => store.assignedAt(id) });
  }

  private onStoreChange(ids?: string[]): void {
    // An incident whose group and position cannot have changed is refreshed alone; anything else rebuilds.
    // Sorted by time left, an assignment can move it (time to assign stops): that rebuilds too.
    if (ids && this.groups && this.settings.groupBy === 'none' && ids.every(id => this.nodes.has(id))) {
      const visibleList = this.store.visible();
      const visible = new Set(visibleList.map(i => i.id));
      if (ids.every(id => visible.has(id)) && this.settings.sortBy !== 'lastUpdate' && this.settings.sortBy !== 'timeLeft') {
        const now = this.now();
        this.clock.update(visibleList, now);
        for (const id of ids) {
          const node = this.nodes.get(id)!;
          node.incident = this.store.get(id)!;
          node.description = rowDescription(node.incident, now, this.clock.info(id));
          this.emitter.fire(node);
        }
        this.countsEmitter.fire(this.clock.counts);
        this.armTick();
        this.updateChrome();
        return;
      }
    }
    this.refresh();
  }

  refresh(): void {
    this.groups = undefined;
    this.nodes.clear();
    this.emitter.fire();
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
    if (!this.groups) {
      const now = this.now();
      const visible = this.store.visible();
      this.clock.update(visible, now);
      this.groups = buildQueue(visible, { ...this.settings, groupLimits: this.groupLimits, now, sla: id => this.clock.info(id) });
      this.countsEmitter.fire(this.clock.counts);
      // The rows exist once getChildren made their nodes: arm after this turn.
      setTimeout(() => this.armTick(), 0);
    }
    return this.groups;
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
    if (!this.groups || this.store.state !== 'ready') return undefined;
    this.lastTick = now;
    const r = this.clock.tick(this.nodes.keys(), now);
    if (r.stateChanged && (this.settings.groupBy === 'sla' || this.store.filter.sla?.length)) {
      this.refresh();
      return r;
    }
    for (const id of r.changed) {
      const node = this.nodes.get(id)!;
      node.description = rowDescription(node.incident, now, this.clock.info(id));
      this.emitter.fire(node);
    }
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
    if (this.disposed || !this.groups || this.store.state !== 'ready') return;
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
    if (n instanceof ActionNode) {
      const item = new vscode.TreeItem(n.label, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon(n.icon);
      item.command = n.command;
      item.tooltip = n.tooltip ?? n.label;
      item.contextValue = 'action';
      return item;
    }
    if (n instanceof GroupNode) {
      const item = new vscode.TreeItem(n.group.label, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${this.settings.groupBy}:${n.group.key}`;
      item.description = String(n.group.count);
      item.contextValue = 'group';
      item.tooltip = `${n.group.label}: ${n.group.count} incident${n.group.count === 1 ? '' : 's'}`;
      return item;
    }
    if (n instanceof IncidentNode) {
      const i = n.incident;
      const item = new vscode.TreeItem(incidentLabel(i), i.alerts.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
      item.id = `incident:${i.id}`;
      const sla = this.clock.info(i.id);
      item.description = n.description;
      item.iconPath = incidentIcon(i.severity, sla);
      item.contextValue = incidentContextValue(i, this.me());
      item.accessibilityInformation = { label: incidentAccessibilityLabel(i, this.clock.at, sla) };
      item.command = { command: Commands.openIncident, title: 'Open Management Pane', arguments: [i.id, { preview: true }] };
      return item;
    }
    if (n instanceof AlertNode) {
      const a = n.alert;
      const item = new vscode.TreeItem(alertLabel(a), vscode.TreeItemCollapsibleState.None);
      item.id = `alert:${n.parent.incident.id}:${a.id}`;
      item.description = alertDescription(a);
      item.iconPath = severityIcon(a.severity);
      item.contextValue = 'alert';
      item.tooltip = alertTooltip(a);
      return item;
    }
    if (n instanceof ShowMoreNode) {
      const item = new vscode.TreeItem(`Show ${Math.min(n.hidden, this.settings.maxGroupSize)} more (${n.hidden} hidden)`, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('ellipsis');
      item.command = { command: Commands.showMoreInGroup, title: 'Show more', arguments: [n] };
      item.contextValue = 'showMore';
      return item;
    }
    const item = new vscode.TreeItem('Load more incidents…', vscode.TreeItemCollapsibleState.None);
    item.iconPath = new vscode.ThemeIcon('cloud-download');
    item.command = { command: Commands.loadMore, title: 'Load More Incidents' };
    item.contextValue = 'loadMore';
    return item;
  }

  /** Tooltips are built only when hovered. */
  resolveTreeItem(item: vscode.TreeItem, n: TreeNode): vscode.TreeItem {
    if (n instanceof IncidentNode) item.tooltip = incidentTooltip(n.incident, this.clock.info(n.incident.id));
    return item;
  }

  /** What the view shows when the backend cannot be used: the reason, then what fixes it. */
  private stateNodes(): ActionNode[] {
    const err = this.store.error;
    const cmd = (command: string, title: string): vscode.Command => ({ command, title });
    const reason = err?.message ?? 'The backend could not be reached.';
    const out = [new ActionNode(stateLabel(reason), this.store.state === 'signedOut' ? 'account' : 'error', undefined, stateLabel(reason))];
    if (this.store.state === 'signedOut') {
      out.push(new ActionNode('Sign In', 'sign-in', cmd(Commands.signIn, 'Sign In')));
      if (/client secret/i.test(reason)) out.push(new ActionNode('Set Client Secret', 'key', cmd(Commands.setClientSecret, 'Set Client Secret')));
    } else if (err?.kind === 'config') {
      out.push(new ActionNode('Open Settings', 'settings-gear', { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: [EXT] }));
    } else {
      out.push(new ActionNode('Retry', 'refresh', cmd(Commands.refresh, 'Refresh')));
    }
    out.push(new ActionNode('Switch Backend', 'server-environment', cmd(Commands.switchBackend, 'Switch Backend')), new ActionNode('Show Log', 'output', cmd(Commands.showLog, 'Show Log')));
    return out;
  }

  /** Above a queue whose automatic refresh failed: the reason, how old the queue is, and a retry (or sign-in). */
  private staleNode(): ActionNode | undefined {
    const f = this.store.refreshFailure;
    if (!f) return undefined;
    const row = staleRow(f.error.message, this.store.lastRefreshed, this.now(), this.nextAutoRefresh);
    const cmd: vscode.Command = f.error.kind === 'auth' ? { command: Commands.signIn, title: 'Sign In' } : { command: Commands.refresh, title: 'Refresh' };
    return new ActionNode(row.label, 'warning', cmd, row.tooltip);
  }

  getChildren(n?: TreeNode): TreeNode[] {
    if (!n) {
      if (this.store.state === 'error' || this.store.state === 'signedOut') return this.stateNodes();
      if (this.store.state !== 'ready') return [];
      const groups = this.queue();
      const out: TreeNode[] = [];
      const stale = this.staleNode();
      if (stale) out.push(stale);
      if (this.settings.groupBy === 'none') {
        const g = groups[0];
        if (g) {
          out.push(...this.incidentNodes(g, undefined));
          if (g.hidden) out.push(new ShowMoreNode(undefined, g.key, g.hidden));
        }
      } else {
        out.push(...groups.map(g => new GroupNode(g)));
      }
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

  private incidentNodes(g: QueueGroup, parent: GroupNode | undefined): IncidentNode[] {
    return g.rows.map(r => {
      const node = new IncidentNode(r.incident, r.description, parent);
      this.nodes.set(r.incident.id, node);
      return node;
    });
  }

  getParent(n: TreeNode): TreeNode | undefined {
    if (n instanceof AlertNode) return n.parent;
    if (n instanceof IncidentNode || n instanceof ShowMoreNode) return n.parent;
    return undefined;
  }

  /** The node for an incident, for reveal. */
  nodeFor(id: string): IncidentNode | undefined { return this.nodes.get(id); }

  dispose(): void {
    this.disposed = true;
    if (this.tickTimer) clearTimeout(this.tickTimer);
    this.sub.dispose();
    this.emitter.dispose();
    this.countsEmitter.dispose();
  }
}
