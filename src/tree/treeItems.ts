/**
 * What VS Code is given for each node of the queue's tree: the tree item of a row, group, alert or
 * action row, and the action rows the view shows instead of (or above) the queue when the backend
 * cannot be used or the automatic refresh failed. Backend text reaches these items only as the plain,
 * isolated strings of ./rows: never MarkdownString, never command links.
 */
import * as vscode from 'vscode';
import type { IncidentStore } from '../store/incidentStore';
import type { GroupBy } from '../store/queue';
import type { SlaClock } from './slaClock';
import { Commands, EXT } from '../constants';
import {
  ActionNode,
  AlertNode,
  GroupNode,
  IncidentNode,
  ShowMoreNode,
  incidentContextValue,
  incidentIcon,
  incidentUri,
  severityIcon,
  type TreeNode,
} from './nodes';
import { alertDescription, alertLabel, alertTooltip, incidentAccessibilityLabel, incidentLabel, staleRow, stateLabel } from './rows';

/** What a node's item depends on besides the node: the SLA clock, who "me" is, and the view's settings. */
export interface ItemContext {
  clock: SlaClock;
  me: string;
  groupBy: GroupBy;
  maxGroupSize: number;
}

export function treeItem(n: TreeNode, v: ItemContext): vscode.TreeItem {
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
    item.id = `group:${v.groupBy}:${n.group.key}`;
    item.description = String(n.group.count);
    item.contextValue = 'group';
    item.tooltip = `${n.group.label}: ${n.group.count} incident${n.group.count === 1 ? '' : 's'}`;
    return item;
  }
  if (n instanceof IncidentNode) {
    const i = n.incident;
    const sla = v.clock.info(i.id);
    const me = v.me;
    // A group or root repaint asks again for every row it shows: an unchanged row's item is reused.
    const c = n.item;
    if (c && c.incident === i && c.description === n.description && c.sla === sla && c.me === me) return c.made;
    const item = new vscode.TreeItem(incidentLabel(i), i.alerts.length ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `incident:${i.id}`;
    item.description = n.description;
    item.iconPath = incidentIcon(i.severity);
    item.resourceUri = incidentUri(i.id);
    item.contextValue = incidentContextValue(i, me);
    item.accessibilityInformation = { label: incidentAccessibilityLabel(i, v.clock.at, sla) };
    item.command = { command: Commands.openIncident, title: 'Open Management Pane', arguments: [i.id, { preview: true }] };
    n.item = { made: item, incident: i, description: n.description, sla, me };
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
    const item = new vscode.TreeItem(`Show ${Math.min(n.hidden, v.maxGroupSize)} more (${n.hidden} hidden)`, vscode.TreeItemCollapsibleState.None);
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

/** What the view shows when the backend cannot be used: the reason, then what fixes it. */
export function stateNodes(store: IncidentStore): ActionNode[] {
  const err = store.error;
  const cmd = (command: string, title: string): vscode.Command => ({ command, title });
  const reason = err?.message ?? 'The backend could not be reached.';
  const out = [new ActionNode(stateLabel(reason), store.state === 'signedOut' ? 'account' : 'error', undefined, stateLabel(reason))];
  if (store.state === 'signedOut') {
    out.push(new ActionNode('Sign In', 'sign-in', cmd(Commands.signIn, 'Sign In')));
    if (/client secret/i.test(reason)) out.push(new ActionNode('Set Client Secret', 'key', cmd(Commands.setClientSecret, 'Set Client Secret')));
  } else if (err?.kind === 'config') {
    out.push(new ActionNode('Open Settings', 'settings-gear', { command: 'workbench.action.openSettings', title: 'Open Settings', arguments: [EXT] }));
  } else {
    out.push(new ActionNode('Retry', 'refresh', cmd(Commands.refresh, 'Refresh')));
  }
  out.push(
    new ActionNode('Switch Backend', 'server-environment', cmd(Commands.switchBackend, 'Switch Backend')),
    new ActionNode('Show Log', 'output', cmd(Commands.showLog, 'Show Log')),
  );
  return out;
}

/** Above a queue whose automatic refresh failed: the reason, how old the queue is, and a retry (or sign-in). */
export function staleNode(store: IncidentStore, now: number, nextAutoRefresh: number | undefined): ActionNode | undefined {
  const f = store.refreshFailure;
  if (!f) return undefined;
  const row = staleRow(f.error.message, store.lastRefreshed, now, nextAutoRefresh);
  const cmd: vscode.Command = f.error.kind === 'auth' ? { command: Commands.signIn, title: 'Sign In' } : { command: Commands.refresh, title: 'Refresh' };
  return new ActionNode(row.label, 'warning', cmd, row.tooltip);
}
