/**
 * Microsoft Graph security v1.0 JSON -> domain model (and domain patch -> Graph PATCH body).
 * Alerts carry `evidence[]` instead of Defender's devices/entities: device evidence becomes a Device,
 * every other evidence kind an Entity named after its @odata.type.
 */
import type { Alert, AlertPatch, Comment, Device, Entity, Incident, IncidentPatch } from '../../model/types';
import { wirePatch } from '../../model/fields';
import { normalizeAlertStatus, normalizeClassification, normalizeDetermination, normalizeSeverity, normalizeStatus, toGraphEnum } from '../../model/enums';
import { WireReader, isObject, join, scalarText, type Json } from '../wire';
import { entityFromFlat } from '../defender/mapping';
import { own } from '../../model/own';
import { parseGraphEvidence } from '../../model/evidence';

export const GRAPH_SOURCE = 'Graph API answer';
const rd = new WireReader(GRAPH_SOURCE);

export interface GraphList {
  items: Incident[];
  nextLink: string | null;
}

export function mapGraphList(body: unknown): GraphList {
  const o = rd.object(body, '');
  const value = rd.array(o, 'value', '');
  const nextLink = typeof o['@odata.nextLink'] === 'string' ? o['@odata.nextLink'] : null;
  return { items: value.map((v, i) => mapGraphIncident(v, `value[${i}]`)), nextLink };
}

export function mapGraphIncident(v: unknown, path = ''): Incident {
  const o = rd.object(v, path || 'incident');
  const id = rd.id(o, 'id', path);
  return {
    id,
    name: rd.string(o, 'displayName', path),
    severity: normalizeSeverity(rd.optString(o, 'severity') ?? 'unknown'),
    status: normalizeStatus(rd.string(o, 'status', path)),
    assignedTo: rd.optString(o, 'assignedTo') || null,
    classification: normalizeClassification(rd.optString(o, 'classification') ?? 'unknown'),
    determination: normalizeDetermination(rd.optString(o, 'determination') ?? 'unknown'),
    createdTime: rd.time(o, 'createdDateTime', path),
    lastUpdateTime: rd.time(o, 'lastUpdateDateTime', path),
    tags: rd.strings(o, 'customTags'),
    systemTags: rd.strings(o, 'systemTags'),
    comments: mapGraphComments(rd.optArray(o, 'comments', path), join(path, 'comments')),
    alerts: rd.optArray(o, 'alerts', path).map((a, i) => mapGraphAlert(a, join(join(path, 'alerts'), i), id)),
    redirectIncidentId: rd.optId(o, 'redirectIncidentId'),
    webUrl: rd.optString(o, 'incidentWebUrl'),
    description: rd.optString(o, 'description'),
    resolvingComment: rd.optString(o, 'resolvingComment'),
    detectionSource: null,
    lastModifiedBy: rd.optString(o, 'lastModifiedBy'),
    priorityScore: rd.optNumber(o, 'priorityScore'),
  };
}

/** alertComment; older doc pages use createdBy/createdTime. */
export function mapGraphComments(list: unknown[], path: string): Comment[] {
  return list.map((v, i): Comment => {
    const o = rd.object(v, join(path, i));
    return {
      text: rd.optString(o, 'comment') ?? '',
      createdBy: rd.optString(o, 'createdByDisplayName') ?? rd.optString(o, 'createdBy'),
      createdTime: rd.optTime(o, 'createdDateTime') ?? rd.optTime(o, 'createdTime'),
    };
  });
}

/** The POST .../comments answer: the whole list, as `{value: [...]}` or a bare array. */
export function mapGraphCommentList(body: unknown): Comment[] {
  if (Array.isArray(body)) {
    return mapGraphComments(body, '');
  }
  const o = rd.object(body, '');
  return mapGraphComments(rd.array(o, 'value', ''), 'value');
}

export function mapGraphAlert(v: unknown, path = '', incidentId?: string): Alert {
  const o = rd.object(v, path || 'alert');
  const classification = rd.optString(o, 'classification');
  const determination = rd.optString(o, 'determination');
  const id = rd.id(o, 'id', path);
  const devices: Device[] = [];
  const entities: Entity[] = [];
  // Evidence is optional and attacker-influenced: a malformed item is reported on the alert, never fatal.
  const evidence = parseGraphEvidence(o.evidence, id, `${GRAPH_SOURCE}: ${path || 'alert'} (alert ${id})`);
  if (Array.isArray(o.evidence)) {
    for (const e of o.evidence) {
      if (!isObject(e)) {
        continue;
      }
      const mapped = mapEvidence(e);
      if ('dnsName' in mapped) {
        devices.push(mapped);
      } else {
        entities.push(mapped);
      }
    }
  }
  return {
    id,
    incidentId: rd.optId(o, 'incidentId') ?? incidentId ?? '',
    title: rd.optString(o, 'title') ?? '',
    description: rd.optString(o, 'description'),
    severity: normalizeSeverity(rd.optString(o, 'severity') ?? 'unknown'),
    status: normalizeAlertStatus(rd.optString(o, 'status') ?? 'new'),
    category: rd.optString(o, 'category'),
    serviceSource: rd.optString(o, 'serviceSource'),
    detectionSource: rd.optString(o, 'detectionSource'),
    assignedTo: rd.optString(o, 'assignedTo') || null,
    classification: classification === null ? null : normalizeClassification(classification),
    determination: determination === null ? null : normalizeDetermination(determination),
    createdTime: rd.optTime(o, 'createdDateTime'),
    lastUpdateTime: rd.optTime(o, 'lastUpdateDateTime'),
    resolvedTime: rd.optTime(o, 'resolvedDateTime'),
    firstActivity: rd.optTime(o, 'firstActivityDateTime'),
    lastActivity: rd.optTime(o, 'lastActivityDateTime'),
    mitreTechniques: rd.strings(o, 'mitreTechniques'),
    devices,
    entities,
    evidence: evidence.items,
    evidenceProblems: evidence.problems,
  };
}

/** "#microsoft.graph.security.ipEvidence" -> "ipEvidence". */
function evidenceKind(ev: Json): string {
  const t = typeof ev['@odata.type'] === 'string' ? ev['@odata.type'] : '';
  return t.slice(t.lastIndexOf('.') + 1);
}

/** Evidence kind -> the Defender entityType the rest of the extension already knows. */
const EVIDENCE_TYPES: Record<string, string> = {
  userEvidence: 'User',
  ipEvidence: 'Ip',
  urlEvidence: 'Url',
  fileEvidence: 'File',
  processEvidence: 'Process',
  mailboxEvidence: 'MailBox',
  analyzedMessageEvidence: 'MailMessage',
  mailClusterEvidence: 'MailCluster',
  registryKeyEvidence: 'Registry',
  registryValueEvidence: 'Registry',
  securityGroupEvidence: 'SecurityGroup',
  cloudApplicationEvidence: 'CloudApplication',
  oauthApplicationEvidence: 'OAuthApplication',
  azureResourceEvidence: 'AzureResource',
};

/** Graph nests (userAccount, fileDetails, imageFile...): flatten one level into dotted keys. */
function flatten(o: Json, prefix = '', out: Json = {}): Json {
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('@odata')) {
      continue;
    }
    const key = prefix ? `${prefix}.${k}` : k;
    if (isObject(v)) {
      if (!prefix) {
        flatten(v, key, out);
      }
    } else if (Array.isArray(v)) {
      const texts = v.map(scalarText).filter((s): s is string => s !== null && s !== '');
      if (texts.length) {
        out[key] = texts.join(', ');
      }
    } else {
      out[key] = v;
    }
  }
  return out;
}

const EVIDENCE_LABELS: Record<string, readonly string[]> = {
  User: ['userAccount.userPrincipalName', 'userAccount.accountName', 'userAccount.displayName', 'userAccount.azureAdUserId'],
  Ip: ['ipAddress'],
  Url: ['url'],
  File: ['fileDetails.fileName', 'fileDetails.filePath', 'fileDetails.sha256', 'fileDetails.sha1'],
  Process: ['processCommandLine', 'imageFile.fileName', 'processId'],
  MailBox: ['primaryAddress', 'displayName', 'userAccount.userPrincipalName'],
  MailMessage: ['subject', 'networkMessageId', 'senderIp'],
  MailCluster: ['name', 'query'],
  Registry: ['registryKey', 'registryValueName'],
  SecurityGroup: ['displayName', 'securityGroupId'],
  CloudApplication: ['displayName', 'appId'],
  OAuthApplication: ['displayName', 'appId'],
  AzureResource: ['resourceName', 'resourceId'],
};

export function mapEvidence(ev: Json): Device | Entity {
  const kind = evidenceKind(ev);
  if (kind === 'deviceEvidence') {
    const build = ev.osBuild;
    return {
      id: rd.optString(ev, 'mdeDeviceId') ?? rd.optString(ev, 'azureAdDeviceId'),
      dnsName: rd.optString(ev, 'deviceDnsName'),
      osPlatform: rd.optString(ev, 'osPlatform'),
      osBuild: typeof build === 'number' || typeof build === 'string' ? build : null,
      healthStatus: rd.optString(ev, 'healthStatus'),
      riskScore: rd.optString(ev, 'riskScore'),
      firstSeen: rd.optTime(ev, 'firstSeenDateTime'),
    };
  }
  const type = own(EVIDENCE_TYPES, kind) ?? (kind ? kind.replace(/Evidence$/, '').replace(/^./, c => c.toUpperCase()) : 'Unknown');
  const flat = flatten(ev);
  const entity = entityFromFlat(type, flat);
  const preferred = (own(EVIDENCE_LABELS, type) ?? []).map(k => entity.details[k]).find(s => s !== undefined);
  return preferred === undefined ? entity : { ...entity, label: preferred };
}

// ---- domain -> wire ------------------------------------------------------------------------------

/** Only the fields that change, in Graph's names (model/fields.ts); the client adds the resolving comment. */
export function graphPatchBody(patch: IncidentPatch): Json {
  return wirePatch(patch, 'graph', toGraphEnum);
}

/** An alert's fields take the incident's names; its status, the alerts' values. */
export function graphAlertPatchBody(patch: AlertPatch): Json {
  return wirePatch(patch, 'graph', (kind, v) => toGraphEnum(kind === 'status' ? 'alertStatus' : kind, v));
}
