/**
 * Turns the store's incidents into the queue the tree shows: filtered, grouped, sorted and capped,
 * with each row's text computed once. Pure; no `vscode` import, so it is unit-tested and benchmarked
 * in plain Node (`npm run bench` builds this for 10,000 incidents).
 */
import type { Incident } from '../model/types';
import { classificationLabel, labelTable, statusLabel } from '../model/enums';
import { isOpen, severityRank, statusRank } from '../model/rules';
import { BACKENDS, type BackendKind } from '../model/backends';
import type { IncidentFilter } from '../model/query';
import { plainText } from '../shared/text';
import { formatSla, NO_SLA, SLA_STATE_LABELS, type SlaInfo, type SlaStateName } from '../model/sla';

export { classificationLabel, statusLabel };

export type GroupBy = 'none' | 'status' | 'severity' | 'owner' | 'classification' | 'sla';
export type SortBy = 'lastUpdate' | 'severity' | 'created' | 'timeLeft' | 'priority';

export const GROUP_BY_VALUES: readonly GroupBy[] = ['none', 'status', 'severity', 'owner', 'classification', 'sla'];
export const SORT_BY_VALUES: readonly SortBy[] = ['lastUpdate', 'severity', 'created', 'timeLeft', 'priority'];

/** The SLA groups, most urgent first, with their labels. */
const SLA_GROUP_ORDER: readonly SlaStateName[] = ['overdue', 'dueSoon', 'onTime', 'none'];

/** What the backend says it is, for the reasons a sort cannot apply. */
export interface BackendIdentity {
  kind: BackendKind;
  displayName: string;
}

/**
 * Why a sort does not apply to this backend, or undefined when it does: the backend table says which
 * give a priority score; before any backend was reached nothing is refused.
 */
export function sortUnavailable(by: SortBy, backend: BackendIdentity | undefined): string | undefined {
  if (by !== 'priority' || !backend || BACKENDS[backend.kind].hasPriorityScore) return undefined;
  return `the ${backend.displayName} gives no priority score`;
}

export interface QueueRow {
  incident: Incident;
  /** `#924565 · Active · alice@contoso.com · 3h` */
  description: string;
}

export interface QueueGroup {
  key: string;
  label: string;
  /** All incidents in the group, not only the shown ones. */
  count: number;
  rows: QueueRow[];
  /** How many more exist beyond `rows` because of the sibling cap. */
  hidden: number;
}

export interface QueueOptions {
  groupBy: GroupBy;
  sortBy: SortBy;
  /** Most rows shown in one group (or at the root when not grouped). */
  maxGroupSize: number;
  /** Per-group raised caps from "Show more" clicks. */
  groupLimits?: ReadonlyMap<string, number>;
  now: number;
  /** Each incident's SLA state at `now` (src/model/sla.ts); absent or missing = no clock. */
  sla?: (id: string) => SlaInfo | undefined;
}

/** The model's label tables (src/model/enums.ts), kept under these names for the commands that read them here. */
export const STATUS_LABELS: Readonly<Record<string, string>> = labelTable('status');
export const CLASSIFICATION_LABELS: Readonly<Record<string, string>> = labelTable('classification');

/** Classifications in the portal's order (the label table's), any other value after them. */
function classificationRank(c: string): number {
  const order = Object.keys(CLASSIFICATION_LABELS);
  const n = order.indexOf(c);
  return n < 0 ? order.length : n;
}

/** "3h", "2d", "5mo": the age of an ISO time relative to now. */
export function shortAge(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return '';
  const s = Math.max(0, (now - t) / 1000);
  if (s < 60) return 'now';
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h`;
  if (s < 86400 * 45) return `${Math.floor(s / 86400)}d`;
  if (s < 86400 * 365) return `${Math.floor(s / (86400 * 30))}mo`;
  return `${Math.floor(s / (86400 * 365))}y`;
}

/** "P 87" for Graph's priority score (0-100), '' when the backend gives none. */
export function priorityText(i: Incident): string {
  const p = i.priorityScore;
  return typeof p === 'number' && Number.isFinite(p) ? `P ${Math.round(p)}` : '';
}

/**
 * `#924565 · Active · alice@contoso.com · 3h`, then the SLA ("overdue 1 h 12 m", "due in 9 m", "on
 * time") and the priority ("P 87") where there are. Each backend part is isolated (see `plainText`): an
 * owner with an unclosed right-to-left override cannot reverse the parts after it.
 */
/**
 * The row's age, labelled: it counts from the last update, while the SLA clock beside it counts from
 * creation ("updated 8m ago · overdue 1 d 4 h" reads right; "8m · overdue 1 d 4 h" did not).
 */
export function updatedAgo(iso: string, now: number): string {
  const age = shortAge(iso, now);
  return age === '' ? 'updated at an unknown time' : age === 'now' ? 'updated just now' : `updated ${age} ago`;
}

export function rowDescription(i: Incident, now: number, sla: SlaInfo = NO_SLA): string {
  const base = `#${plainText(i.id, { max: 40 })} · ${plainText(statusLabel(i.status), { max: 40 })} · ${i.assignedTo ? plainText(i.assignedTo, { max: 120, identity: true }) : 'Unassigned'} · ${updatedAgo(i.lastUpdateTime, now)}`;
  const clock = formatSla(sla, now);
  const p = priorityText(i);
  return `${base}${clock ? ` · ${clock}` : ''}${p ? ` · ${p}` : ''}`;
}

/** The sort's order, then the id: equal rows keep one order however the queue was built (rebuilt or live). */
export function comparator(sortBy: SortBy, sla: (id: string) => SlaInfo | undefined): (a: Incident, b: Incident) => number {
  const by = sortOrder(sortBy, sla);
  return (a, b) => by(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function sortOrder(sortBy: SortBy, sla: (id: string) => SlaInfo | undefined): (a: Incident, b: Incident) => number {
  // ISO 8601 UTC strings of one format sort as text; comparing strings avoids 2 Date parses per compare.
  const byUpdate = (a: Incident, b: Incident) => (a.lastUpdateTime < b.lastUpdateTime ? 1 : a.lastUpdateTime > b.lastUpdateTime ? -1 : 0);
  switch (sortBy) {
    // Least time left first (the most overdue at the top); incidents without a running clock last.
    case 'timeLeft': {
      const left = (i: Incident) => sla(i.id)?.msLeft ?? Infinity;
      return (a, b) => {
        const x = left(a),
          y = left(b);
        return x < y ? -1 : x > y ? 1 : byUpdate(a, b);
      };
    }
    // Highest score first; incidents without one last.
    case 'priority': {
      const score = (i: Incident) => (typeof i.priorityScore === 'number' && Number.isFinite(i.priorityScore) ? i.priorityScore : -Infinity);
      return (a, b) => {
        const x = score(a),
          y = score(b);
        return x > y ? -1 : x < y ? 1 : byUpdate(a, b);
      };
    }
    case 'severity':
      return (a, b) => severityRank(a.severity) - severityRank(b.severity) || byUpdate(a, b);
    case 'created':
      return (a, b) => (a.createdTime < b.createdTime ? 1 : a.createdTime > b.createdTime ? -1 : 0) || byUpdate(a, b);
    default:
      return byUpdate;
  }
}

export function groupKey(i: Incident, by: GroupBy, sla: (id: string) => SlaInfo | undefined): string {
  switch (by) {
    case 'sla':
      return (sla(i.id) ?? NO_SLA).state;
    case 'status':
      return i.status;
    case 'severity':
      return i.severity;
    case 'owner':
      return i.assignedTo ?? '';
    case 'classification':
      return i.classification;
    default:
      return '';
  }
}

/** Group keys are backend values (an owner, an unknown status): isolated like the rows. */
export function groupLabel(key: string, by: GroupBy): string {
  switch (by) {
    case 'status':
      return plainText(statusLabel(key), { max: 80 });
    case 'classification':
      return plainText(classificationLabel(key), { max: 80 });
    // Invisible characters shown (`⟦U+200B⟧`), as in the pane: a look-alike owner is a visibly different group.
    case 'owner':
      return key ? plainText(key, { max: 120, identity: true }) : 'Unassigned';
    case 'sla':
      return SLA_STATE_LABELS[key as SlaStateName] ?? plainText(key, { max: 80 });
    default:
      return plainText(key, { max: 80 });
  }
}

export function groupOrder(by: GroupBy): (a: string, b: string) => number {
  switch (by) {
    case 'status':
      return (a, b) => statusRank(a) - statusRank(b) || a.localeCompare(b);
    case 'classification':
      return (a, b) => classificationRank(a) - classificationRank(b) || a.localeCompare(b);
    case 'severity':
      return (a, b) => severityRank(a) - severityRank(b) || a.localeCompare(b);
    // Unassigned first: that is what a triage queue looks for.
    case 'owner':
      return (a, b) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b));
    case 'sla':
      return (a, b) => SLA_GROUP_ORDER.indexOf(a as SlaStateName) - SLA_GROUP_ORDER.indexOf(b as SlaStateName);
    default:
      return () => 0;
  }
}

/**
 * Whether a filter is an open queue (every status it asks for is open: the default view, my incidents,
 * overdue), whose rest the store loads in the background. A filter with closed or any statuses could
 * reach far back in time, so it pages by "Load more" only.
 */
export function isOpenQueue(f: IncidentFilter): boolean {
  return !!f.statuses?.length && f.statuses.every(s => isOpen(s));
}

/** When the journal first saw the incident assigned (epoch ms), from its owner changes; null if never. */
export function firstAssignedAt(journal: readonly { field: string; to: string | null; time: string }[]): number | null {
  for (const j of journal) {
    if ((j.field === 'owner' || j.field === 'assignedTo') && j.to) {
      const t = Date.parse(j.time);
      if (Number.isFinite(t)) return t;
    }
  }
  return null;
}
