/**
 * Every text the commands and the watcher show in notifications, progress, quick picks, input boxes and
 * the status bar. Pure (no `vscode` import), so each is unit-tested with the hostile corpus: backend and
 * workspace text goes through `safeText` (src/shared/text.ts) and cannot form a link, a command URI or a
 * codicon there. Parameters named `raw...` or typed as domain objects are untrusted; a `title` is one of
 * the builders' own (`assignTitle`, `addTagTitle`) or a literal.
 */
import type { Incident } from '../model/types';
import { isBackendError } from '../backend/errors';
import { describeFilter } from '../store/filter';
import type { IncidentFilter } from '../model/query';
import { severityLabel, statusLabel } from '../model/enums';
import { clockTime, safeText } from '../shared/text';
import { built, type SafeText } from '../ui/safe';
import { connectionInNotices } from './noticeConnection';

export const PREFIX = 'Defender Incidents: ';

export { nameConnectionWith } from './noticeConnection';

/** The prefix of a notice about an action: with the connection (`Defender Incidents (contoso · Graph): `) when in doubt. */
export function actionPrefix(): string {
  const where = connectionInNotices();
  return where ? `Defender Incidents (${safeText(where, { max: 200 })}): ` : PREFIX;
}
/** Alert titles, tags and names inside a longer message. */
const SHORT = { max: 120 };
/** Owners and accounts: invisible characters shown, so a look-alike UPN differs visibly. */
const IDENTITY = { max: 120, identity: true };
/** An action's summary or warning: it names owners (invisible characters shown) and up to three alert titles. */
const ACTION_TEXT = { max: 600, identity: true };

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
 * One incident done, in the door's words (src/store/summary.ts; the pane shows the same):
 * "Defender Incidents: #4312: Assigned to you (me@contoso.com). 2 alerts are not assigned to you because
 * the Microsoft Defender XDR API cannot update alerts: "A", "B"." The summary and warnings are raw (they
 * name alert titles and owners): each goes through safeText, invisible characters shown.
 */
export function actionDoneMessage(id: string, rawSummary: string, rawWarnings: readonly string[] = []): SafeText {
  const warnings = rawWarnings.map(w => safeText(w, ACTION_TEXT)).join(' ');
  return built(`${actionPrefix()}${ref(id)}: ${safeText(rawSummary, ACTION_TEXT)}.${warnings ? ` ${warnings}` : ''}`);
}

/** Bulk and error titles: "Assign to alice@contoso.com". */
export function assignTitle(rawWho: string): SafeText {
  return built(`Assign to ${safeText(rawWho, IDENTITY)}`);
}

export function addTagTitle(rawTag: string): SafeText {
  return built(`Add tag "${safeText(rawTag, SHORT)}"`);
}

export function setStatusTitle(label: string): SafeText {
  return built(`Set status ${safeText(label, SHORT)}`);
}

export interface BulkOutcome {
  ok: string[];
  failed: { id: string; error: string }[];
  cancelled: string[];
  /** Incidents done, but with something the backend could not do (the door's warnings). */
  warned: { id: string; warnings: string[] }[];
}

const idList = (ids: string[]) => ids.slice(0, 10).map(ref).join(', ') + (ids.length > 10 ? ` and ${ids.length - 10} more` : '');

/**
 * The summary after a bulk run; `warning` when something failed (shown with Retry Failed), `notice` when
 * something succeeded with a warning (shown as a warning, nothing to retry).
 */
export function bulkSummaryMessage(title: string, r: BulkOutcome, total: number): { text: SafeText; warning: boolean; notice: boolean } {
  const parts = [`${safeText(title)}: ${r.ok.length} of ${total} succeeded`];
  if (r.warned.length) {
    const first = [...new Set(r.warned.flatMap(w => w.warnings))]
      .slice(0, 2)
      .map(x => safeText(x, ACTION_TEXT))
      .join(' ');
    parts.push(`${r.warned.length} with a warning (${idList(r.warned.map(w => w.id))}): ${first}`);
  }
  if (r.cancelled.length) parts.push(`${r.cancelled.length} cancelled`);
  if (r.failed.length) {
    const ids = idList(r.failed.map(f => f.id));
    const reasons = [...new Set(r.failed.map(f => f.error))]
      .slice(0, 2)
      .map(x => safeText(x, { max: 200 }))
      .join('; ');
    parts.push(`${r.failed.length} failed (${ids}): ${reasons}`);
  }
  return { text: built(`${actionPrefix()}${parts.join(', ')}.`), warning: r.failed.length > 0, notice: r.warned.length > 0 };
}

// ---- progress ----------------------------------------------------------------------------------------

export function bulkProgressTitle(title: string): SafeText {
  return built(`${PREFIX}${safeText(title)}`);
}

export function bulkItemMessage(index: number, total: number, id: string): SafeText {
  return built(`${index + 1} of ${total}: ${ref(id)}`);
}

export function retryProgressMessage(id: string, rawReason: string, delayMs: number): SafeText {
  return built(`${ref(id)}: ${safeText(rawReason, SHORT)}, retrying in ${Math.ceil(delayMs / 1000)} s`);
}

/** The pause of a throttled bulk run: "Throttled until 14:05: paused before #4312 (3 of 20 done); cancel to stop". */
export function throttledProgressMessage(until: number, id: string, done: number, total: number): SafeText {
  return built(`Throttled until ${clockTime(until)}: paused before ${ref(id)} (${done} of ${total} done); cancel to stop`);
}

// ---- errors ------------------------------------------------------------------------------------------

/** What a failed command says; `action` tells which button goes with it. */
export function errorMessage(what: string, e: unknown): { text: SafeText; action?: 'signIn' | 'openSettings' } {
  if (isBackendError(e) && e.kind === 'auth') return { text: built(`${actionPrefix()}${errorText(e)}`), action: 'signIn' };
  if (isBackendError(e) && e.kind === 'config') return { text: built(`${PREFIX}${errorText(e)}`), action: 'openSettings' };
  return { text: built(`${actionPrefix()}${safeText(what)} failed: ${errorText(e)}`) };
}

// ---- the watcher -------------------------------------------------------------------------------------

/** New High-severity incidents, by number only: a name is backend text and the number says enough. */
export function newHighSeverityMessage(high: Pick<Incident, 'id'>[]): SafeText {
  const first = high[0];
  return built(
    high.length === 1
      ? `${PREFIX}New High-severity incident ${ref(first.id)}`
      : `${PREFIX}${high.length} new High-severity incidents, the newest ${ref(first.id)}`,
  );
}

export function statusBarTooltip(n: number, rawMe: string): SafeText {
  return built(`${PREFIX}${count(n, 'active incident')} assigned to you (${safeText(rawMe, IDENTITY)}). Click to show them.`);
}

export function copiedIdMessage(id: string): SafeText {
  return built(`Copied incident ID ${safeText(id, { max: 40 })}`);
}

export function copiedLinkMessage(id: string): SafeText {
  return built(`Copied the portal link of incident ${safeText(id, { max: 40 })}`);
}

// ---- input boxes -------------------------------------------------------------------------------------

export function commentTitle(ids: string[]): SafeText {
  return built(ids.length > 1 ? `Comment on ${ids.length} incidents` : `Comment on ${ref(ids[0])}`);
}

export function renameTitle(id: string): SafeText {
  return built(`Rename ${ref(id)}`);
}

export function tagsTitle(id: string): SafeText {
  return built(`Tags of ${ref(id)}`);
}

export function addTagToManyTitle(n: number): SafeText {
  return built(`Add a tag to ${n} incidents`);
}

export function saveFilterPrompt(f: IncidentFilter): SafeText {
  return built(describeFilter(f));
}

// ---- saved filters -----------------------------------------------------------------------------------

/** One skipped entry of the savedFilters setting: "#2 "name": reason". */
export function skippedFilterEntry(index: number, rawName: unknown, rawReason: string): string {
  return `#${index + 1}${typeof rawName === 'string' ? ` "${safeText(rawName, SHORT)}"` : ''}: ${safeText(rawReason, SHORT)}`;
}

/** `entries` are `skippedFilterEntry`s. */
export function skippedFiltersMessage(setting: string, entries: string[]): SafeText {
  return built(`${PREFIX}setting ${safeText(setting)} has entries that were skipped: ${entries.join('; ')}`);
}

export function savedFilterMessage(rawName: string, where: 'workspace' | 'user'): SafeText {
  return built(`${PREFIX}saved filter "${safeText(rawName, SHORT)}" in ${where} settings.`);
}

// ---- quick picks -------------------------------------------------------------------------------------

export interface PickItem {
  label: SafeText;
  description?: SafeText;
  detail?: SafeText;
  picked?: boolean;
}

export function incidentPickItem(i: Incident): PickItem & { id: string } {
  return {
    id: i.id,
    label: built(i.name ? safeText(i.name, { max: 200 }) : `Incident ${safeText(i.id, { max: 40 })}`),
    description: built(`${ref(i.id)} · ${safeText(severityLabel(i.severity), SHORT)} · ${safeText(statusLabel(i.status), SHORT)}`),
    detail: built(i.assignedTo ? safeText(i.assignedTo, IDENTITY) : 'Unassigned'),
  };
}

/** An owner to pick; `upn` is the raw value to act on, the label only shows it. */
export function ownerPickItem(rawUpn: string, description?: SafeText): PickItem & { upn: string } {
  return { label: built(safeText(rawUpn, IDENTITY)), upn: rawUpn, ...(description ? { description } : {}) };
}

export function savedFilterPickItem(rawName: string, f: IncidentFilter): PickItem & { filter: IncidentFilter } {
  return { label: built(safeText(rawName, SHORT)), description: built(describeFilter(f)), filter: f };
}
