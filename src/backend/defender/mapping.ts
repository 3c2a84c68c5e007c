/**
 * Defender XDR API JSON -> domain model (and domain patch -> Defender PATCH body).
 * Required: incidentId, incidentName, createdTime, lastUpdateTime, status; alertId. Everything else
 * tolerates null/absent, so the trimmed documentation example (alerts without times) parses.
 */
import type { Alert, AlertPatch, Comment, Device, Entity, Incident, IncidentPatch } from '../../model/types';
import { wirePatch } from '../../model/fields';
import { normalizeAlertStatus, normalizeClassification, normalizeDetermination, normalizeSeverity, normalizeStatus, toDefenderEnum } from '../../model/enums';
import { WireReader, isObject, join, scalarText, type Json } from '../wire';
import { own } from '../../model/own';
import { parseDefenderEntities } from '../../model/evidence';

export const DEFENDER_SOURCE = 'Defender API answer';
const rd = new WireReader(DEFENDER_SOURCE);

export interface DefenderList {
  items: Incident[];
  /** How many incidents the server returned (before any client-side filter): decides whether to page on. */
  rawCount: number;
  nextLink: string | null;
}

export function mapDefenderList(body: unknown): DefenderList {
  const o = rd.object(body, '');
  const value = rd.array(o, 'value', '');
  const nextLink = typeof o['@odata.nextLink'] === 'string' ? o['@odata.nextLink'] : null;
  return { items: value.map((v, i) => mapDefenderIncident(v, `value[${i}]`)), rawCount: value.length, nextLink };
}

export function mapDefenderIncident(v: unknown, path = ''): Incident {
  const o = rd.object(v, path || 'incident');
  const id = rd.id(o, 'incidentId', path);
  return {
    id,
    name: rd.string(o, 'incidentName', path),
    severity: normalizeSeverity(rd.optString(o, 'severity') ?? 'UnSpecified'),
    status: normalizeStatus(rd.string(o, 'status', path)),
    assignedTo: rd.optString(o, 'assignedTo') || null,
    classification: normalizeClassification(rd.optString(o, 'classification') ?? 'Unknown'),
    determination: normalizeDetermination(rd.optString(o, 'determination') ?? 'NotAvailable'),
    createdTime: rd.time(o, 'createdTime', path),
    lastUpdateTime: rd.time(o, 'lastUpdateTime', path),
    tags: rd.strings(o, 'tags'),
    systemTags: [],
    comments: rd.optArray(o, 'comments', path).map((c, i) => mapDefenderComment(c, join(join(path, 'comments'), i))),
    alerts: rd.optArray(o, 'alerts', path).map((a, i) => mapDefenderAlert(a, join(join(path, 'alerts'), i), id)),
    redirectIncidentId: rd.optId(o, 'redirectIncidentId'),
    // The portal link with the tenant (?tid=); portalUrl() checks it before anything opens it.
    webUrl: rd.optString(o, 'incidentUri'),
    description: rd.optString(o, 'description'),
    resolvingComment: null,
    detectionSource: rd.optString(o, 'detectionSource'),
    lastModifiedBy: null,
    priorityScore: null,
  };
}

export function mapDefenderComment(v: unknown, path: string): Comment {
  const o = rd.object(v, path);
  return { text: rd.optString(o, 'comment') ?? '', createdBy: rd.optString(o, 'createdBy'), createdTime: rd.optTime(o, 'createdTime') };
}

export function mapDefenderAlert(v: unknown, path: string, incidentId?: string): Alert {
  const o = rd.object(v, path || 'alert');
  const classification = rd.optString(o, 'classification');
  const determination = rd.optString(o, 'determination');
  const id = rd.id(o, 'alertId', path);
  // Entities and devices are optional and attacker-influenced: a malformed item is reported on the alert, never fatal.
  const evidence = parseDefenderEntities(o.entities, o.devices, id, `${DEFENDER_SOURCE}: ${path || 'alert'} (alert ${id})`);
  const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);
  return {
    id,
    incidentId: rd.optId(o, 'incidentId') ?? incidentId ?? '',
    title: rd.optString(o, 'title') ?? '',
    description: rd.optString(o, 'description'),
    severity: normalizeSeverity(rd.optString(o, 'severity') ?? 'UnSpecified'),
    status: normalizeAlertStatus(rd.optString(o, 'status') ?? 'New'),
    category: rd.optString(o, 'category'),
    serviceSource: rd.optString(o, 'serviceSource'),
    detectionSource: rd.optString(o, 'detectionSource'),
    assignedTo: rd.optString(o, 'assignedTo') || null,
    classification: classification === null ? null : normalizeClassification(classification),
    determination: determination === null ? null : normalizeDetermination(determination),
    createdTime: rd.optTime(o, 'creationTime'),
    lastUpdateTime: rd.optTime(o, 'lastUpdatedTime'),
    resolvedTime: rd.optTime(o, 'resolvedTime'),
    firstActivity: rd.optTime(o, 'firstActivity'),
    lastActivity: rd.optTime(o, 'lastActivity'),
    mitreTechniques: rd.strings(o, 'mitreTechniques'),
    devices: objects(o.devices).map((d, i) => mapDefenderDevice(d, join(join(path, 'devices'), i))),
    entities: objects(o.entities).map((e, i) => mapDefenderEntity(e, join(join(path, 'entities'), i))),
    evidence: evidence.items,
    evidenceProblems: evidence.problems,
  };
}

export function mapDefenderDevice(v: unknown, path: string): Device {
  const o = rd.object(v, path);
  const build = o.osBuild;
  return {
    id: rd.optString(o, 'mdatpDeviceId') ?? rd.optString(o, 'aadDeviceId'),
    dnsName: rd.optString(o, 'deviceDnsName'),
    osPlatform: rd.optString(o, 'osPlatform'),
    osBuild: typeof build === 'number' || typeof build === 'string' ? build : null,
    healthStatus: rd.optString(o, 'healthStatus'),
    riskScore: rd.optString(o, 'riskScore'),
    firstSeen: rd.optTime(o, 'firstSeen'),
  };
}

/** Which flat field is the best one-line label, per entityType (first non-empty wins). */
const LABEL_FIELDS: Record<string, readonly string[]> = {
  user: ['userPrincipalName', 'accountName', 'aadUserId', 'userSid'],
  ip: ['ipAddress'],
  url: ['url'],
  file: ['fileName', 'filePath', 'sha256', 'sha1'],
  process: ['processCommandLine', 'fileName', 'processId'],
  mailbox: ['mailboxAddress', 'mailboxDisplayName', 'userPrincipalName'],
  mailmessage: ['subject', 'networkMessageId', 'sender'],
  mailcluster: ['clusterBy', 'clusterByValue'],
  registry: ['registryKey', 'registryValueName', 'registryValue'],
  securitygroup: ['securityGroupName', 'securityGroupId'],
};

export function mapDefenderEntity(v: unknown, path: string): Entity {
  const o = rd.object(v, path);
  const type = rd.optString(o, 'entityType') || 'Unknown';
  return entityFromFlat(type, o, ['entityType']);
}

/** Shared with the Graph mapping: builds an Entity from flat fields. */
export function entityFromFlat(type: string, flat: Json, skip: readonly string[] = []): Entity {
  const details: Record<string, string> = {};
  for (const [k, val] of Object.entries(flat)) {
    if (skip.includes(k)) {
      continue;
    }
    const s = scalarText(val);
    if (s !== null && s.trim() !== '') {
      details[k] = s;
    }
  }
  const preferred = own(LABEL_FIELDS, type.toLowerCase()) ?? [];
  let label = preferred.map(k => details[k]).find(s => s !== undefined);
  if (label === undefined) {
    label = Object.values(details)[0] ?? type;
  }
  return { type, label, details };
}

// ---- domain -> wire ------------------------------------------------------------------------------

/** Only the fields that change, in Defender's case-sensitive names (model/fields.ts). Name/severity only the mock takes. */
export function defenderPatchBody(patch: IncidentPatch): Json {
  return wirePatch(patch, 'defender', toDefenderEnum);
}

/** An alert's fields take the incident's names; its status, the alerts' values. */
export function defenderAlertPatchBody(patch: AlertPatch): Json {
  return wirePatch(patch, 'defender', (kind, v) => toDefenderEnum(kind === 'status' ? 'alertStatus' : kind, v));
}
