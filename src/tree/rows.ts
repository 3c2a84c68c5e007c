/**
 * The text of the queue's rows and tooltips. Pure; no `vscode` import, so it is unit-tested in plain
 * Node. Backend text is plain strings only (no MarkdownString, no command links), each value on one line
 * and isolated (`plainText`), so an unclosed right-to-left override in a name or an owner cannot reverse
 * the rest of the row, and a value with a line break cannot fake a tooltip line. Owners, account and
 * device names and entities show invisible characters (`⟦U+200B⟧`), so a look-alike differs visibly.
 */
import type { Alert, Incident } from '../model/types';
import { classificationLabel, priorityText, shortAge, statusLabel } from '../store/queue';
import { describeSlaClocks, formatSla, type SlaInfo } from '../model/sla';
import { clockTime, plainText } from '../shared/text';
import { determinationLabel } from '../model/enums';

/** Names and titles: long, but one line. */
const NAME = { max: 1000 };
const SHORT = { max: 120 };
const IDENTITY = { max: 200, identity: true };

export function incidentLabel(i: Incident): string {
  return i.name ? plainText(i.name, NAME) : `Incident ${plainText(i.id, SHORT)}`;
}

export function incidentAccessibilityLabel(i: Incident, now: number, sla?: SlaInfo): string {
  const clock = sla ? formatSla(sla, now) : '';
  const p = priorityText(i);
  return `${plainText(i.severity, SHORT)} severity incident ${plainText(i.id, SHORT)}: ${plainText(i.name, NAME)}. ${plainText(statusLabel(i.status), SHORT)}, ${i.assignedTo ? plainText(i.assignedTo, IDENTITY) : 'unassigned'}, updated ${shortAge(i.lastUpdateTime, now)} ago${clock ? `, SLA ${clock}` : ''}${p ? `, priority ${p.slice(2)}` : ''}`;
}

/**
 * Plain-text tooltip: status, owner, classification and determination, tags, alerts, activity, then the
 * priority score (where the backend gives one) and both SLA clocks (where the policy has them).
 */
export function incidentTooltip(i: Incident, sla?: SlaInfo, now?: number): string {
  const summary = sla && now !== undefined ? formatSla(sla, now) : '';
  const times = i.alerts
    .flatMap(a => [a.firstActivity, a.lastActivity])
    .filter((t): t is string => !!t)
    .sort();
  const t = (x: string | null | undefined) => plainText(x, SHORT);
  return [
    plainText(i.name, NAME),
    `#${t(i.id)} · Severity ${t(i.severity)}`,
    `Status: ${t(statusLabel(i.status))}`,
    `Owner: ${i.assignedTo ? plainText(i.assignedTo, IDENTITY) : 'Unassigned'}`,
    `Classification: ${t(classificationLabel(i.classification))}${i.determination && i.determination !== 'NotAvailable' ? ` (${t(determinationLabel(i.determination))})` : ''}`,
    `Tags: ${[...i.tags, ...i.systemTags].map(t).join(', ') || 'none'}`,
    `Alerts: ${i.alerts.length}`,
    `First activity: ${t(times[0] ?? 'unknown')}`,
    `Last activity: ${t(times[times.length - 1] ?? 'unknown')}`,
    `Created: ${t(i.createdTime)} · Last update: ${t(i.lastUpdateTime)}`,
    ...(priorityText(i) ? [`Priority score: ${priorityText(i).slice(2)} of 100`] : []),
    // The pane's header says the same: the row's words, then each clock.
    ...(summary ? [`SLA: ${summary}`] : []),
    ...(sla ? describeSlaClocks(sla) : []),
  ].join('\n');
}

/** The SLA state as a FileDecoration on the row (badge, tooltip, colour name): the words the row and the pane use. */
export interface SlaBadge {
  badge: string;
  tooltip: string;
  color: 'list.errorForeground' | 'list.warningForeground';
}

export function slaBadge(sla: SlaInfo | undefined, now: number): SlaBadge | undefined {
  if (!sla || (sla.state !== 'overdue' && sla.state !== 'dueSoon')) return undefined;
  const words = formatSla(sla, now);
  return sla.state === 'overdue'
    ? { badge: '!!', tooltip: `SLA: ${words}`, color: 'list.errorForeground' }
    : { badge: '!', tooltip: `SLA: ${words}`, color: 'list.warningForeground' };
}

export function alertLabel(a: Alert): string {
  return plainText(a.title || a.id, NAME);
}

export function alertDescription(a: Alert): string {
  return [a.severity, a.status, a.category, a.serviceSource]
    .filter(Boolean)
    .map(x => plainText(x, SHORT))
    .join(' · ');
}

export function alertTooltip(a: Alert): string {
  const t = (x: string | null | undefined) => plainText(x, SHORT);
  const lines = [
    plainText(a.title, NAME),
    `Severity ${t(a.severity)} · ${t(a.status)} · ${t(a.category ?? 'no category')}`,
    `Service source: ${t(a.serviceSource ?? 'unknown')} · Detection: ${t(a.detectionSource ?? 'unknown')}`,
  ];
  if (a.assignedTo) lines.push(`Assigned to: ${plainText(a.assignedTo, IDENTITY)}`);
  if (a.mitreTechniques.length) lines.push(`MITRE: ${a.mitreTechniques.map(t).join(', ')}`);
  if (a.devices.length)
    lines.push('Devices:', ...a.devices.map(d => `  ${plainText(d.dnsName ?? d.id ?? 'unknown', IDENTITY)}${d.osPlatform ? ` (${t(d.osPlatform)})` : ''}`));
  if (a.entities.length) lines.push('Entities:', ...a.entities.map(e => `  ${t(e.type)}: ${plainText(e.label, IDENTITY)}`));
  return lines.join('\n');
}

/** A state line (an error from the server, say) in the view: one line, isolated. */
export function stateLabel(rawReason: string): string {
  return plainText(rawReason, { max: 400 });
}

export interface StaleRow {
  label: string;
  tooltip: string;
}

/**
 * The warning row above a queue whose automatic refresh failed: the reason and when the queue shown
 * was last refreshed. `nextRetryMs` is when the next automatic refresh runs, if known.
 */
export function staleRow(rawReason: string, lastGood: number | undefined, now: number, nextRetryMs?: number): StaleRow {
  const reason = plainText(rawReason, { max: 200 });
  const age = lastGood === undefined ? '' : shortAge(new Date(lastGood).toISOString(), now);
  const since = lastGood === undefined ? 'an earlier refresh' : `${clockTime(lastGood)} (${age === 'now' ? 'just now' : `${age} ago`})`;
  const label = `Refresh failed: ${reason} · showing the queue as of ${since}`;
  const tooltip = [
    `Automatic refresh failed: ${plainText(rawReason, { max: 1000 })}`,
    `The queue is as of ${since}.`,
    nextRetryMs === undefined ? 'Click to retry now.' : `Next try at ${clockTime(nextRetryMs)}; click to retry now.`,
  ].join('\n');
  return { label, tooltip };
}

/** What the view's message needs to know about the loading of the queue (the store's fields). */
export interface QueueProgress {
  hasMore: boolean;
  loadingRest: boolean;
  capped: boolean;
  size: number;
  total: number | undefined;
  restFailure: unknown;
}

/**
 * The view's message: how many incidents, whether more are loading or on the server, and, when an open
 * queue stopped at maxQueueSize, that the counts cover only what was loaded.
 */
export function queueMessage(visible: number, s: QueueProgress, filter: string): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const head = `${n(visible)} incident${visible === 1 ? '' : 's'}`;
  if (s.loadingRest) return `${head} · loading the rest of the queue… · ${filter}`;
  if (s.capped) {
    return s.total !== undefined && s.total > s.size
      ? `Showing ${n(s.size)} of ${n(s.total)} open incidents; the counts cover the first ${n(s.size)} · ${filter}`
      : `Showing the first ${n(s.size)} open incidents (more on the server); the counts cover those · ${filter}`;
  }
  if (s.restFailure) return `${head} loaded; loading the rest failed, so the counts cover these · ${filter}`;
  return `${head}${s.hasMore ? ' loaded (more on the server)' : ''} · ${filter}`;
}
