/**
 * The read tools' results as plain text for a model: our own words and labels as they are, every value
 * the backend gave inside the call's data markers (./spotlight). No Markdown, no links, no images.
 * Pure; no `vscode` import.
 */
import type { Alert, Incident } from '../model/types';
import {
  alertStatusLabel,
  classificationLabel,
  determinationLabel,
  labelTable,
  normalizeEnum,
  severityLabel,
  statusLabel,
  type EnumKind,
} from '../model/enums';
import { describeSlaClocks, formatSla, SLA_STATE_LABELS, type SlaInfo } from '../model/sla';
import { describeChange, type JournalEntry, type OutboxComment } from '../store/history';
import type { QueueRow } from '../store/queue';
import type { Spotlight } from './spotlight';

/** Most alerts, comments, history entries and entities one incident shows (the newest or first ones). */
export const MAX_ALERTS = 40;
export const MAX_COMMENTS = 40;
export const MAX_HISTORY = 40;
export const MAX_ENTITIES = 25;
/** Longest result, in characters; beyond it the text says what was left out. */
export const MAX_RESULT = 120_000;

/**
 * An id of the shapes the services generate is shown as it is (`#924565`, `da637…_-10243`, a GUID);
 * anything else, words included, is data like any other backend text.
 */
const PLAIN_ID = /^(?:[A-Za-z]{0,3}[0-9][0-9A-Fa-f_-]{0,100}|[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})$/;

export function idText(id: string, spot: Spotlight): string {
  return PLAIN_ID.test(id) ? `#${id}` : `#${spot.mark(id)}`;
}

/** A label of ours for a known enum value; an unknown value (backend text) as data. */
function enumText(kind: EnumKind, value: string | null | undefined, label: (v: string | null | undefined) => string, spot: Spotlight): string {
  if (value === null || value === undefined || value === '') return label(value);
  const known = Object.prototype.hasOwnProperty.call(labelTable(kind), normalizeEnum(kind, value));
  return known ? label(value) : spot.mark(value);
}

export const severityText = (v: string, s: Spotlight) => enumText('severity', v, severityLabel, s);
export const statusText = (v: string, s: Spotlight) => enumText('status', v, statusLabel, s);
const classificationText = (v: string | null, s: Spotlight) => enumText('classification', v, classificationLabel, s);
const determinationText = (v: string | null, s: Spotlight) => enumText('determination', v, determinationLabel, s);

export function ownerText(owner: string | null, spot: Spotlight): string {
  return owner ? spot.mark(owner, { identity: true }) : 'unassigned';
}

function slaText(sla: SlaInfo, now: number): string {
  return sla.state === 'none' ? 'no SLA clock' : `${SLA_STATE_LABELS[sla.state]} (${formatSla(sla, now)})`;
}

function priority(i: Incident): string {
  return typeof i.priorityScore === 'number' && Number.isFinite(i.priorityScore) ? `priority ${Math.round(i.priorityScore)}` : '';
}

/** One incident of a list, on one line. */
export function listLine(row: QueueRow, sla: SlaInfo, now: number, spot: Spotlight): string {
  const i = row.incident;
  const parts = [
    idText(i.id, spot),
    severityText(i.severity, spot),
    statusText(i.status, spot),
    `owner ${ownerText(i.assignedTo, spot)}`,
    slaText(sla, now),
    priority(i),
    `${i.alerts.length} alert${i.alerts.length === 1 ? '' : 's'}`,
    `updated ${i.lastUpdateTime ? spot.mark(i.lastUpdateTime) : 'never'}`,
    `name ${spot.mark(i.name, { max: 500 })}`,
  ];
  return `- ${parts.filter(Boolean).join(' | ')}`;
}

function alertText(a: Alert, spot: Spotlight): string[] {
  const out = [
    `- Alert ${idText(a.id, spot)}: ${spot.mark(a.title, { max: 500 })}`,
    `  severity ${severityText(a.severity, spot)} | status ${enumText('alertStatus', a.status, alertStatusLabel, spot)} | owner ${ownerText(a.assignedTo, spot)}` +
      ` | classification ${classificationText(a.classification, spot)} / ${determinationText(a.determination, spot)}`,
    `  category ${spot.mark(a.category)} | service source ${spot.mark(a.serviceSource)} | detection source ${spot.mark(a.detectionSource)}`,
    `  first activity ${spot.mark(a.firstActivity)} | last activity ${spot.mark(a.lastActivity)} | created ${spot.mark(a.createdTime)}`,
  ];
  if (a.description) out.push(`  description ${spot.mark(a.description)}`);
  if (a.mitreTechniques.length) out.push(`  MITRE techniques ${a.mitreTechniques.map(t => spot.mark(t, { max: 100 })).join(', ')}`);
  for (const d of a.devices.slice(0, MAX_ENTITIES)) {
    out.push(
      `  device ${spot.mark(d.dnsName ?? d.id)} | OS ${spot.mark(d.osPlatform)} ${d.osBuild !== null ? spot.mark(String(d.osBuild)) : ''} | health ${spot.mark(d.healthStatus)} | risk ${spot.mark(d.riskScore)}`,
    );
  }
  for (const e of a.entities.slice(0, MAX_ENTITIES)) {
    const details = Object.entries(e.details)
      .slice(0, 12)
      .map(([k, v]) => `${spot.mark(k, { max: 80 })} ${spot.mark(v, { max: 1000 })}`)
      .join('; ');
    const identity = /^(user|account|mailbox)$/i.test(e.type);
    out.push(`  entity ${spot.mark(e.type, { max: 60 })} ${spot.mark(e.label, { identity, max: 1000 })}${details ? ` (${details})` : ''}`);
  }
  const more = a.devices.length + a.entities.length - Math.min(a.devices.length, MAX_ENTITIES) - Math.min(a.entities.length, MAX_ENTITIES);
  if (more > 0) out.push(`  and ${more} more devices or entities not shown`);
  return out;
}

export interface IncidentView {
  incident: Incident;
  sla: SlaInfo;
  now: number;
  journal: readonly JournalEntry[];
  outbox: readonly OutboxComment[];
}

/** One incident in full: fields, SLA, alerts, comments and the history this editor kept. */
export function incidentText(v: IncidentView, spot: Spotlight): string {
  const i = v.incident;
  const lines = [
    `Incident ${idText(i.id, spot)}: ${spot.mark(i.name, { max: 1000 })}`,
    `severity ${severityText(i.severity, spot)} | status ${statusText(i.status, spot)} | owner ${ownerText(i.assignedTo, spot)}`,
    `classification ${classificationText(i.classification, spot)} | determination ${determinationText(i.determination, spot)}`,
    `created ${spot.mark(i.createdTime)} | last updated ${spot.mark(i.lastUpdateTime)}${priority(i) ? ` | ${priority(i)}` : ''}`,
    `SLA: ${slaText(v.sla, v.now)}${describeSlaClocks(v.sla)
      .map(c => `; ${c}`)
      .join('')}`,
    `tags ${i.tags.length ? i.tags.map(t => spot.mark(t, { max: 200 })).join(', ') : '(none)'}${i.systemTags.length ? ` | system tags ${i.systemTags.map(t => spot.mark(t, { max: 200 })).join(', ')}` : ''}`,
    `detection source ${spot.mark(i.detectionSource)}`,
  ];
  if (i.redirectIncidentId) lines.push(`redirected to ${idText(i.redirectIncidentId, spot)}`);
  if (i.description) lines.push(`description ${spot.mark(i.description)}`);
  if (i.resolvingComment) lines.push(`resolving comment ${spot.mark(i.resolvingComment)}`);

  lines.push('', `Alerts (${i.alerts.length}${i.alerts.length > MAX_ALERTS ? `, the first ${MAX_ALERTS} shown` : ''}):`);
  for (const a of i.alerts.slice(0, MAX_ALERTS)) lines.push(...alertText(a, spot));
  if (!i.alerts.length) lines.push('(none)');

  const comments = i.comments.slice(-MAX_COMMENTS);
  lines.push('', `Comments (${i.comments.length}${i.comments.length > MAX_COMMENTS ? `, the newest ${MAX_COMMENTS} shown` : ''}):`);
  for (const c of comments) lines.push(`- ${spot.mark(c.createdTime)} by ${ownerText(c.createdBy, spot)}: ${spot.mark(c.text)}`);
  for (const o of v.outbox) lines.push(`- not yet confirmed (${o.state}) by ${ownerText(o.author ?? null, spot)}: ${spot.mark(o.text)}`);
  if (!comments.length && !v.outbox.length) lines.push('(none)');

  const journal = v.journal.slice(-MAX_HISTORY);
  lines.push('', `History kept by VS Code (${v.journal.length}${v.journal.length > MAX_HISTORY ? `, the newest ${MAX_HISTORY} shown` : ''}):`);
  for (const j of journal) {
    const who =
      j.source === 'editor'
        ? `changed from this editor by ${ownerText(j.author, spot)}`
        : `seen changed on the server${j.author ? ` by ${ownerText(j.author, spot)}` : ''}`;
    lines.push(`- ${spot.mark(j.time)} ${who}: ${spot.mark(describeChange(j), { max: 2000 })}`);
  }
  if (!journal.length) lines.push('(none)');
  return capResult(lines.join('\n'));
}

/** Cuts a result at MAX_RESULT on a line boundary, saying so. */
export function capResult(text: string, max = MAX_RESULT): string {
  if (text.length <= max) return text;
  const cut = text.lastIndexOf('\n', max);
  return `${text.slice(0, cut > 0 ? cut : max)}\n(The rest, ${(text.length - (cut > 0 ? cut : max)).toLocaleString('en-US')} characters, was left out; read fewer incidents or one incident at a time.)`;
}
