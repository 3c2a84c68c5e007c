/**
 * Every text the commands and the watcher show in notifications, progress, quick picks, input boxes and
 * the status bar. Pure (no `vscode` import), so each is unit-tested with the hostile corpus: backend and
 * workspace text goes through `safeText` (src/shared/text.ts) and cannot form a link, a command URI or a
 * codicon there. Parameters named `raw...` or typed as domain objects are untrusted; a `title` is one of
 * the builders' own (`assignTitle`, `addTagTitle`) or a literal.
 */
import type { ActionResult } from '../store/triage';
import type { Incident } from '../model/types';
import { isBackendError } from '../backend/errors';
import { describeFilter, DEFAULT_FILTER, type IncidentFilter } from '../store/filter';
import { CLASSIFICATION_LABELS, statusLabel, STATUS_LABELS } from '../store/queue';
import { clockTime, safeText } from '../shared/text';

export const PREFIX = 'Defender Incidents: ';
const MAX_LISTED = 3;
/** Alert titles, tags and names inside a longer message. */
const SHORT = { max: 120 };
/** Owners and accounts: invisible characters shown, so a look-alike UPN differs visibly. */
const IDENTITY = { max: 120, identity: true };

/** `#4312`: an incident by its id only. */
export function ref(id: string): string {
  return `#${safeText(id, { max: 40 })}`;
}

function errorText(e: unknown): string {
  return safeText(e instanceof Error ? e.message : String(e), { max: 400 });
}

/** "3 incidents", "1 incident". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

// ---- action results ----------------------------------------------------------------------------------

/**
 * "Assigned to you; its 2 alerts too: "A", "B"" — the user is told which alerts changed, which failed and
 * which this backend left as they were. `prefix` is a builder's.
 */
export function describeCascade(r: ActionResult, prefix: string): string {
  let msg = prefix;
  const n = r.alertsChanged.length;
  if (n) {
    const titles = r.alertsChanged.slice(0, MAX_LISTED).map(a => `"${safeText(a.title, SHORT)}"`).join(', ');
    msg += `; ${n === 1 ? 'its alert' : `its ${n} alerts`} too: ${titles}${n > MAX_LISTED ? ` and ${n - MAX_LISTED} more` : ''}`;
  }
  if (r.alertsFailed.length) msg += `; ${count(r.alertsFailed.length, 'alert')} could not be updated (${safeText(r.alertsFailed[0].error, SHORT)})`;
  const skipped = r.alertsSkipped ?? [];
  if (skipped.length) msg += `; ${count(skipped.length, 'alert')} left as ${skipped.length === 1 ? 'it was' : 'they were'} (${safeText(skipped[0].reason, SHORT)})`;
  return msg;
}

export function assignedToMePrefix(rawMe: string): string {
  return `Assigned to you (${safeText(rawMe, IDENTITY)})`;
}

export function assignedToPrefix(rawWho: string): string {
  return `Assigned to ${safeText(rawWho, IDENTITY)}`;
}

/** Bulk and error titles: "Assign to alice@contoso.com". */
export function assignTitle(rawWho: string): string {
  return `Assign to ${safeText(rawWho, IDENTITY)}`;
}

export function addTagTitle(rawTag: string): string {
  return `Add tag "${safeText(rawTag, SHORT)}"`;
}

export function setStatusTitle(label: string): string {
  return `Set status ${safeText(label, SHORT)}`;
}

/** One incident done: "Defender Incidents: #4312: Assigned to you (...)." `result` is a builder's. */
export function actionDoneMessage(id: string, result: string): string {
  return `${PREFIX}${ref(id)}: ${result}.`;
}

export interface BulkOutcome { ok: string[]; failed: { id: string; error: string }[]; cancelled: string[] }

/** The summary after a bulk run; `warning` when something failed (shown with Retry Failed). */
export function bulkSummaryMessage(title: string, r: BulkOutcome, total: number): { text: string; warning: boolean } {
  const parts = [`${safeText(title)}: ${r.ok.length} of ${total} succeeded`];
  if (r.cancelled.length) parts.push(`${r.cancelled.length} cancelled`);
  if (r.failed.length) {
    const ids = r.failed.slice(0, 10).map(f => ref(f.id)).join(', ') + (r.failed.length > 10 ? ` and ${r.failed.length - 10} more` : '');
    const reasons = [...new Set(r.failed.map(f => f.error))].slice(0, 2).map(x => safeText(x, { max: 200 })).join('; ');
    parts.push(`${r.failed.length} failed (${ids}): ${reasons}`);
  }
  return { text: `${PREFIX}${parts.join(', ')}.`, warning: r.failed.length > 0 };
}

// ---- progress ----------------------------------------------------------------------------------------

export function bulkProgressTitle(title: string): string {
  return `${PREFIX}${safeText(title)}`;
}

export function bulkItemMessage(index: number, total: number, id: string): string {
  return `${index + 1} of ${total}: ${ref(id)}`;
}

export function retryProgressMessage(id: string, rawReason: string, delayMs: number): string {
  return `${ref(id)}: ${safeText(rawReason, SHORT)}, retrying in ${Math.ceil(delayMs / 1000)} s`;
}

/** The pause of a throttled bulk run: "Throttled until 14:05: paused before #4312 (3 of 20 done); cancel to stop". */
export function throttledProgressMessage(until: number, id: string, done: number, total: number): string {
  return `Throttled until ${clockTime(until)}: paused before ${ref(id)} (${done} of ${total} done); cancel to stop`;
}

// ---- errors ------------------------------------------------------------------------------------------

/** What a failed command says; `action` tells which button goes with it. */
export function errorMessage(what: string, e: unknown): { text: string; action?: 'signIn' | 'openSettings' } {
  if (isBackendError(e) && e.kind === 'auth') return { text: `${PREFIX}${errorText(e)}`, action: 'signIn' };
  if (isBackendError(e) && e.kind === 'config') return { text: `${PREFIX}${errorText(e)}`, action: 'openSettings' };
  return { text: `${PREFIX}${safeText(what)} failed: ${errorText(e)}` };
}

export function renameUnsupportedMessage(rawBackendName: string): string {
  return `${PREFIX}${safeText(rawBackendName, SHORT)} cannot rename incidents (the API does not allow it).`;
}

// ---- the watcher -------------------------------------------------------------------------------------

/** New High-severity incidents, by number only: a name is backend text and the number says enough. */
export function newHighSeverityMessage(high: Pick<Incident, 'id'>[]): string {
  const first = high[0];
  return high.length === 1
    ? `${PREFIX}New High-severity incident ${ref(first.id)}`
    : `${PREFIX}${high.length} new High-severity incidents, the newest ${ref(first.id)}`;
}

export function statusBarTooltip(n: number, rawMe: string): string {
  return `${PREFIX}${count(n, 'active incident')} assigned to you (${safeText(rawMe, IDENTITY)}). Click to show them.`;
}

export function copiedIdMessage(id: string): string {
  return `Copied incident ID ${safeText(id, { max: 40 })}`;
}

export function copiedLinkMessage(id: string): string {
  return `Copied the portal link of incident ${safeText(id, { max: 40 })}`;
}

// ---- input boxes -------------------------------------------------------------------------------------

export function commentTitle(ids: string[]): string {
  return ids.length > 1 ? `Comment on ${ids.length} incidents` : `Comment on ${ref(ids[0])}`;
}

export function renameTitle(id: string): string {
  return `Rename ${ref(id)}`;
}

export function tagsTitle(id: string): string {
  return `Tags of ${ref(id)}`;
}

export function addTagToManyTitle(n: number): string {
  return `Add a tag to ${n} incidents`;
}

export function saveFilterPrompt(f: IncidentFilter): string {
  return describeFilter(f);
}

// ---- saved filters -----------------------------------------------------------------------------------

/** One skipped entry of the savedFilters setting: "#2 "name": reason". */
export function skippedFilterEntry(index: number, rawName: unknown, rawReason: string): string {
  return `#${index + 1}${typeof rawName === 'string' ? ` "${safeText(rawName, SHORT)}"` : ''}: ${safeText(rawReason, SHORT)}`;
}

/** `entries` are `skippedFilterEntry`s. */
export function skippedFiltersMessage(setting: string, entries: string[]): string {
  return `${PREFIX}setting ${safeText(setting)} has entries that were skipped: ${entries.join('; ')}`;
}

export function savedFilterMessage(rawName: string, where: 'workspace' | 'user'): string {
  return `${PREFIX}saved filter "${safeText(rawName, SHORT)}" in ${where} settings.`;
}

// ---- quick picks -------------------------------------------------------------------------------------

export interface PickItem { label: string; description?: string; detail?: string; picked?: boolean }

export function incidentPickItem(i: Incident): PickItem & { id: string } {
  return {
    id: i.id,
    label: i.name ? safeText(i.name, { max: 200 }) : `Incident ${safeText(i.id, { max: 40 })}`,
    description: `${ref(i.id)} · ${safeText(i.severity, SHORT)} · ${safeText(statusLabel(i.status), SHORT)}`,
    detail: i.assignedTo ? safeText(i.assignedTo, IDENTITY) : 'Unassigned',
  };
}

/** An owner to pick; `upn` is the raw value to act on, the label only shows it. */
export function ownerPickItem(rawUpn: string, description?: string): PickItem & { upn: string } {
  return { label: safeText(rawUpn, IDENTITY), upn: rawUpn, ...(description ? { description } : {}) };
}

/** A value of a multi-pick (a tag, a status); `value` is the raw value. */
export function valuePickItem(value: string, rawLabel: string, picked: boolean): PickItem & { value: string } {
  return { label: safeText(rawLabel, SHORT), value, picked };
}

export function savedFilterPickItem(rawName: string, f: IncidentFilter): PickItem & { filter: IncidentFilter } {
  return { label: safeText(rawName, SHORT), description: describeFilter(f), filter: f };
}

export type FilterField = 'apply' | 'status' | 'severity' | 'owner' | 'classification' | 'tag' | 'time' | 'text' | 'default';

const list = (xs: string[] | undefined, label: (x: string) => string = x => x) => (xs?.length ? xs.map(x => safeText(label(x), SHORT)).join(', ') : 'any');

/** The filter editor's fields with their current values (which come from the workspace's saved filters too). */
export function filterEditorItems(f: IncidentFilter): (PickItem & { key: FilterField })[] {
  const owner = !f.owner || f.owner.kind === 'anyone' ? 'anyone' : f.owner.kind === 'person' ? safeText(f.owner.upn, IDENTITY) : f.owner.kind;
  const time = f.time ? (typeof f.time === 'string' ? safeText(f.time, SHORT) : `from ${safeText(f.time.from, SHORT)}`) : 'any';
  return [
    { label: '$(check) Apply', key: 'apply', description: describeFilter(f) },
    { label: 'Status', key: 'status', description: list(f.statuses, x => STATUS_LABELS[x] ?? x) },
    { label: 'Severity', key: 'severity', description: list(f.severities) },
    { label: 'Owner', key: 'owner', description: owner },
    { label: 'Classification', key: 'classification', description: list(f.classifications, x => CLASSIFICATION_LABELS[x] ?? x) },
    { label: 'Tag', key: 'tag', description: list(f.tags) },
    { label: 'Time range', key: 'time', description: time },
    { label: 'Text search', key: 'text', description: f.text ? safeText(f.text, SHORT) : 'none' },
    { label: 'Reset to the default queue', key: 'default', description: describeFilter(DEFAULT_FILTER) },
  ];
}
