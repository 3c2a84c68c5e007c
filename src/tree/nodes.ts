/**
 * The queue's node types (each a class and a `kind`), their icons and their `contextValue`: what
 * ./incidentsTree hands VS Code. The provider keeps one object per row and group, so an event names the
 * object VS Code already has.
 */
import * as vscode from 'vscode';
import { own } from '../model/own';
import type { Alert, Incident } from '../model/types';
import type { QueueGroup } from '../store/queue';
import type { SlaInfo } from '../model/sla';
import { normalizeStatus } from '../model/enums';
import { isOpen } from '../model/rules';
import { isMine } from '../model/identity';

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
 * An incident's icon is its severity's, whatever its SLA state: the state shows as the row's
 * FileDecoration (a badge and the label's colour, see slaDecorations.ts), so an overdue High incident
 * still reads High at a glance.
 */
export function incidentIcon(severity: string): vscode.ThemeIcon {
  return severityIcon(severity);
}

/** The row's resource URI: what the SLA FileDecoration is attached to (never opened). */
export const INCIDENT_URI_SCHEME = 'defender-incident';
export function incidentUri(id: string): vscode.Uri {
  return vscode.Uri.from({ scheme: INCIDENT_URI_SCHEME, path: `/${encodeURIComponent(id)}` });
}

// Each node carries a `kind` as well as its class: tests in the extension host load the classes from
// another copy of this module than the bundle, where `instanceof` cannot match.
export class GroupNode {
  readonly kind = 'group';
  constructor(public group: QueueGroup) {}
}
export class IncidentNode {
  readonly kind = 'incident';
  /** The tree item last made for this row, and what it was made from (see IncidentsTreeProvider.getTreeItem). */
  item: { made: vscode.TreeItem; incident: Incident; description: string; sla: SlaInfo | undefined; me: string } | undefined;
  constructor(
    public incident: Incident,
    public description: string,
    public parent: GroupNode | undefined,
  ) {}
}
export class AlertNode {
  readonly kind = 'alert';
  constructor(
    public alert: Alert,
    public parent: IncidentNode,
  ) {}
}
export class LoadMoreNode {
  readonly kind = 'loadMore';
}
export class ShowMoreNode {
  readonly kind = 'showMore';
  constructor(
    public parent: GroupNode | undefined,
    public groupKey: string,
    public hidden: number,
  ) {}
}
/** A state line (error, signed out) or an action that fixes it: never a blank view. */
export class ActionNode {
  readonly kind = 'action';
  constructor(
    public label: string,
    public icon: string,
    public command?: vscode.Command,
    public tooltip?: string,
  ) {}
}
export type TreeNode = GroupNode | IncidentNode | AlertNode | LoadMoreNode | ShowMoreNode | ActionNode;

/**
 * `incident:<status>:<open|closed>:<assigned|unassigned>[:mine]`, matched by `viewItem =~` in package.json
 * menus: `open` is the model's rule (Active or In progress), so menus need not spell the statuses out.
 */
export function incidentContextValue(i: Incident, me: string): string {
  const parts = ['incident', normalizeStatus(i.status).toLowerCase(), isOpen(i.status) ? 'open' : 'closed', i.assignedTo ? 'assigned' : 'unassigned'];
  if (isMine(i, me)) parts.push('mine');
  return parts.join(':');
}
