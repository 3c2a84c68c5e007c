/**
 * The words of what a triage action did: one wording for the pane, the palette and bulk runs. What was
 * done is the summary; what the backend could not do (alerts it left as they were, alerts that failed)
 * are warnings, one sentence each. The text is raw: it names alert titles and owners as the backend has
 * them. The pane shows it as text; the palette passes it through `safeText` (src/commands/format.ts).
 * Pure; no `vscode` import.
 */
import { normalizeStatus, severityLabel, statusLabel } from '../model/enums';

/** What an action did to the incident's alerts (src/store/triage.ts `ActionResult`). */
export interface AlertOutcome {
  alertsChanged: readonly { title: string }[];
  alertsFailed: readonly { alert: { title: string }; error: string }[];
  /** Alerts the backend left alone, and why (Defender cannot update alerts). */
  alertsSkipped?: readonly { alert: { title: string }; reason: string }[];
}

const MAX_LISTED = 3;

function titles(list: readonly { title: string }[]): string {
  const shown = list
    .slice(0, MAX_LISTED)
    .map(a => `"${a.title}"`)
    .join(', ');
  return list.length > MAX_LISTED ? `${shown} and ${list.length - MAX_LISTED} more` : shown;
}

function count(n: number): string {
  return n === 1 ? '1 alert' : `${n.toLocaleString('en-US')} alerts`;
}

/** Groups alerts by the reason given for them, in first-seen order. */
function byReason(list: readonly { alert: { title: string }; reason: string }[]): [string, { title: string }[]][] {
  const groups = new Map<string, { title: string }[]>();
  for (const { alert, reason } of list) {
    const g = groups.get(reason) ?? [];
    g.push(alert);
    groups.set(reason, g);
  }
  return [...groups];
}

export interface Described {
  summary: string;
  /** What the backend could not do, one sentence each; empty when everything was done. */
  warnings: string[];
}

/** How the alerts an action did not reach were left: "is not assigned to you" / "are not assigned to you". */
export interface LeftAs {
  one: string;
  many: string;
}

function reasonText(reason: string): string {
  return reason.trim().replace(/[.!?]+$/, '');
}

/**
 * After Assign / Resolve: what was done and which alerts followed (the summary), and which alerts were
 * left as they were and why (the warnings).
 */
export function describeOutcome(r: AlertOutcome, done: string, left: LeftAs): Described {
  let summary = done;
  const n = r.alertsChanged.length;
  if (n) summary += `; ${n === 1 ? 'its alert' : `its ${n} alerts`} too: ${titles(r.alertsChanged)}`;
  const verb = (k: number) => (k === 1 ? left.one : left.many);
  const warnings: string[] = [];
  for (const [reason, alerts] of byReason(r.alertsSkipped ?? [])) {
    warnings.push(`${count(alerts.length)} ${verb(alerts.length)} because ${reasonText(reason)}: ${titles(alerts)}.`);
  }
  for (const [reason, alerts] of byReason(r.alertsFailed.map(f => ({ alert: f.alert, reason: f.error })))) {
    warnings.push(`${count(alerts.length)} could not be updated and ${verb(alerts.length)}: ${titles(alerts)} (${reasonText(reason)}).`);
  }
  return { summary, warnings };
}

export const LEFT_UNASSIGNED = (who: string): LeftAs => ({ one: `is not assigned to ${who}`, many: `are not assigned to ${who}` });
export const LEFT_OPEN: LeftAs = { one: 'stays open', many: 'stay open' };

/** The actions' own words, for the ones whose alerts do not follow. */
export const Done = {
  unassigned: 'Unassigned',
  assignedToMe: (me: string) => `Assigned to you (${me})`,
  assignedTo: (who: string) => `Assigned to ${who}`,
  status: (status: string) => (normalizeStatus(status) === 'Resolved' ? 'Resolved' : `Status set to ${statusLabel(status)}`),
  classified: 'Classification saved',
  renamed: 'Renamed',
  severity: (s: string) => `Severity set to ${severityLabel(s)}`,
  tags: 'Tags saved',
  tagAdded: (tag: string) => `Tag "${tag}" added`,
  commentAdded: 'Comment added',
  /** Discarding says nothing: the comment leaves the timeline, which says enough. */
  commentDiscarded: '',
} as const;
