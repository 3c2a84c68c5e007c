/**
 * What the Microsoft Graph security API v1.0 dialect looks like on the wire (graph.ts serves it, graphWrites.ts
 * takes its PATCH and POST bodies): camelCase evolvable enums and the store's values in Graph's spellings,
 * the incident and alert shapes computed from the Defender-shaped store, the error body, and the
 * `Prefer: include-unknown-enum-members` opt-in.
 */
import { randomUUID } from 'crypto';
import { header, type MockResponse, type RequestContext } from './http';
import { alertEvidence } from './evidence';
import type { DefenderAlert, DefenderComment, DefenderIncident } from './wire';

export const GRAPH_MAX_TOP = 50;
export const GRAPH_META = 'https://graph.microsoft.com/v1.0/$metadata';

// ---- enums ------------------------------------------------------------------------------------

/**
 * A Graph evolvable enum: members listed after `unknownFutureValue` are sent as such only to callers
 * that sent `Prefer: include-unknown-enum-members`; others get `unknownFutureValue`.
 */
export interface GraphEnum {
  members: readonly string[];
  evolvable: readonly string[];
}

export const INCIDENT_STATUS: GraphEnum = { members: ['active', 'resolved', 'inProgress', 'redirected', 'unknownFutureValue'], evolvable: ['awaitingAction'] };
export const SEVERITY: GraphEnum = { members: ['unknown', 'informational', 'low', 'medium', 'high', 'unknownFutureValue'], evolvable: [] };
export const CLASSIFICATION: GraphEnum = {
  members: ['unknown', 'falsePositive', 'truePositive', 'informationalExpectedActivity', 'unknownFutureValue'],
  evolvable: [],
};
export const DETERMINATION: GraphEnum = {
  members: [
    'unknown',
    'apt',
    'malware',
    'securityPersonnel',
    'securityTesting',
    'unwantedSoftware',
    'other',
    'multiStagedAttack',
    'compromisedAccount',
    'phishing',
    'maliciousUserActivity',
    'notMalicious',
    'notEnoughDataToValidate',
    'confirmedActivity',
    'lineOfBusinessApplication',
    'unknownFutureValue',
  ],
  evolvable: [],
};
export const ALERT_STATUS: GraphEnum = { members: ['unknown', 'new', 'inProgress', 'resolved', 'unknownFutureValue'], evolvable: [] };
const SERVICE_SOURCE: GraphEnum = {
  members: [
    'unknown',
    'microsoftDefenderForEndpoint',
    'microsoftDefenderForIdentity',
    'microsoftDefenderForCloudApps',
    'microsoftDefenderForOffice365',
    'microsoft365Defender',
    'azureAdIdentityProtection',
    'microsoftAppGovernance',
    'dataLossPrevention',
    'unknownFutureValue',
  ],
  evolvable: ['microsoftDefenderForCloud', 'microsoftSentinel', 'microsoftInsiderRiskManagement'],
};
const DETECTION_SOURCE: GraphEnum = {
  members: [
    'unknown',
    'microsoftDefenderForEndpoint',
    'antivirus',
    'smartScreen',
    'customTi',
    'microsoftDefenderForOffice365',
    'automatedInvestigation',
    'microsoftThreatExperts',
    'customDetection',
    'microsoftDefenderForIdentity',
    'cloudAppSecurity',
    'microsoft365Defender',
    'azureAdIdentityProtection',
    'manual',
    'microsoftDataLossPrevention',
    'appGovernancePolicy',
    'appGovernanceDetection',
    'unknownFutureValue',
  ],
  evolvable: ['microsoftDefenderForCloud', 'microsoftDefenderForIoT', 'microsoftDefenderForServers', 'microsoftSentinel', 'nrtAlerts', 'scheduledAlerts'],
};

function camel(s: string): string {
  return s ? s[0].toLowerCase() + s.slice(1) : s;
}

function emit(value: string, e: GraphEnum, includeUnknown: boolean): string {
  if (e.evolvable.includes(value)) return includeUnknown ? value : 'unknownFutureValue';
  return value;
}

const DETERMINATION_TO_GRAPH: Record<string, string> = {
  NotAvailable: 'unknown',
  CompromisedUser: 'compromisedAccount',
  CompromisedAccount: 'compromisedAccount',
  Clean: 'notMalicious',
  InsufficientData: 'notEnoughDataToValidate',
  NoEnoughDataToValidate: 'notEnoughDataToValidate',
  ConfirmedUserActivity: 'confirmedActivity',
  ConfirmedActivity: 'confirmedActivity',
};
/**
 * Graph determinations a write may send, to the store's (read) spelling. These are the members of the
 * service metadata's enum (the enum table and every generated SDK): compromisedAccount, notMalicious,
 * notEnoughDataToValidate, confirmedActivity. The property tables' compromisedUser, clean, insufficientData
 * and confirmedUserActivity are not members, and OData refuses a value that is not a member of the enum, so
 * a write of those is refused here too (reads and $filter still take both, reference §2). Every member is
 * accepted, the deprecated apt and securityPersonnel included; only the unknownFutureValue sentinel is not.
 */
export const DETERMINATION_FROM_GRAPH: Record<string, string> = {
  unknown: 'NotAvailable',
  apt: 'Apt',
  malware: 'Malware',
  securityPersonnel: 'SecurityPersonnel',
  securityTesting: 'SecurityTesting',
  unwantedSoftware: 'UnwantedSoftware',
  other: 'Other',
  multiStagedAttack: 'MultiStagedAttack',
  compromisedAccount: 'CompromisedUser',
  phishing: 'Phishing',
  maliciousUserActivity: 'MaliciousUserActivity',
  notMalicious: 'Clean',
  notEnoughDataToValidate: 'InsufficientData',
  confirmedActivity: 'ConfirmedUserActivity',
  lineOfBusinessApplication: 'LineOfBusinessApplication',
};
export const SEVERITY_FROM_GRAPH: Record<string, string> = { informational: 'Informational', low: 'Low', medium: 'Medium', high: 'High' };
export const STATUS_FROM_GRAPH: Record<string, string> = {
  active: 'Active',
  inProgress: 'InProgress',
  resolved: 'Resolved',
  redirected: 'Redirected',
  awaitingAction: 'AwaitingAction',
};
export const CLASSIFICATION_FROM_GRAPH: Record<string, string> = {
  unknown: 'Unknown',
  falsePositive: 'FalsePositive',
  truePositive: 'TruePositive',
  informationalExpectedActivity: 'InformationalExpectedActivity',
};
export const ALERT_STATUS_FROM_GRAPH: Record<string, string> = { new: 'New', inProgress: 'InProgress', resolved: 'Resolved' };
const SERVICE_SOURCE_TO_GRAPH: Record<string, string> = { MicrosoftCloudAppSecurity: 'microsoftDefenderForCloudApps' };
const DETECTION_SOURCE_TO_GRAPH: Record<string, string> = {
  WindowsDefenderAtp: 'microsoftDefenderForEndpoint',
  WindowsDefenderAv: 'antivirus',
  WindowsDefenderSmartScreen: 'smartScreen',
  CustomerTI: 'customTi',
  OfficeATP: 'microsoftDefenderForOffice365',
  AATP: 'microsoftDefenderForIdentity',
  MCAS: 'cloudAppSecurity',
  MTP: 'microsoft365Defender',
};
const PRODUCT_NAMES: Record<string, string> = {
  MicrosoftDefenderForEndpoint: 'Microsoft Defender for Endpoint',
  MicrosoftDefenderForOffice365: 'Microsoft Defender for Office 365',
  MicrosoftDefenderForIdentity: 'Microsoft Defender for Identity',
  MicrosoftCloudAppSecurity: 'Microsoft Defender for Cloud Apps',
  AzureAdIdentityProtection: 'Microsoft Entra ID Protection',
};

export const graphStatus = (s: string): string => (s === 'UnSpecified' ? 'unknown' : camel(s));
export const graphSeverity = (s: string): string => (s === 'UnSpecified' ? 'unknown' : camel(s));
export const graphClassification = (s: string | null): string => (s === null ? 'unknown' : camel(s));
export const graphDetermination = (s: string | null): string => (s === null ? 'unknown' : (DETERMINATION_TO_GRAPH[s] ?? camel(s)));

// ---- shapes -----------------------------------------------------------------------------------

export interface GraphOptions {
  includeUnknown: boolean;
  tenantId: string;
}

function webUrl(kind: 'incidents' | 'alerts', id: string | number, tenantId: string): string {
  return `https://security.microsoft.com/${kind}/${encodeURIComponent(String(id))}?tid=${tenantId}`;
}

export function graphComment(c: DefenderComment): Record<string, unknown> {
  return { '@odata.type': 'microsoft.graph.security.alertComment', comment: c.comment, createdByDisplayName: c.createdBy, createdDateTime: c.createdTime };
}

const SEVERITY_BASE: Record<string, number> = { High: 70, Medium: 45, Low: 20, Informational: 5 };

/** Graph's system tags, derived from what the incident is, so they are stable across calls. */
function systemTags(inc: DefenderIncident): string[] {
  const tags: string[] = [];
  if (/ransomware/i.test(inc.incidentName) || inc.alerts.some(a => a.category === 'Ransomware')) tags.push('Ransomware');
  if (/^BEC/.test(inc.incidentName)) tags.push('BEC Fraud');
  if (inc.alerts.some(a => a.mitreTechniques.some(t => t.startsWith('T1566')))) tags.push('Phishing');
  if (/^Multi-stage/.test(inc.incidentName) && inc.alerts.some(a => a.category === 'LateralMovement')) tags.push('Hands-on-keyboard attack');
  return tags;
}

/** 0-100, derived from the seeded incident (severity, alert count, id) so it is stable across calls. */
function priorityScore(inc: DefenderIncident): number {
  return Math.max(0, Math.min(100, (SEVERITY_BASE[inc.severity] ?? 0) + Math.min(20, inc.alerts.length * 4) + (inc.incidentId % 10)));
}

/**
 * `lastModifiedBy`: who last changed it through the mock; for untouched sample data, its owner (the analyst who
 * would have last worked on it), else null.
 */
export function toGraphIncident(inc: DefenderIncident, o: GraphOptions, lastModifiedBy: string | null, expandAlerts: boolean): Record<string, unknown> {
  const resolved = inc.status === 'Resolved';
  const g = inc.graph ?? {};
  const out: Record<string, unknown> = {
    id: String(inc.incidentId),
    tenantId: o.tenantId,
    status: emit(graphStatus(inc.status), INCIDENT_STATUS, o.includeUnknown),
    incidentWebUrl: webUrl('incidents', inc.incidentId, o.tenantId),
    redirectIncidentId: inc.redirectIncidentId === null ? null : String(inc.redirectIncidentId),
    displayName: inc.incidentName,
    description: g.description !== undefined ? g.description : (inc.alerts[0]?.description ?? null),
    summary: null,
    createdDateTime: inc.createdTime,
    lastUpdateDateTime: inc.lastUpdateTime,
    lastModifiedBy: lastModifiedBy ?? inc.assignedTo,
    assignedTo: inc.assignedTo,
    classification: emit(graphClassification(inc.classification), CLASSIFICATION, o.includeUnknown),
    determination: emit(graphDetermination(inc.determination), DETERMINATION, o.includeUnknown),
    severity: emit(graphSeverity(inc.severity), SEVERITY, o.includeUnknown),
    customTags: [...inc.tags],
    systemTags: systemTags(inc),
    priorityScore: priorityScore(inc),
    resolvingComment:
      g.resolvingComment !== undefined ? g.resolvingComment : resolved && inc.comments.length > 0 ? inc.comments[inc.comments.length - 1].comment : null,
    comments: inc.comments.map(graphComment),
  };
  if (expandAlerts) out.alerts = inc.alerts.map(a => toGraphAlert(a, o));
  return out;
}

export function toGraphAlert(a: DefenderAlert, o: GraphOptions): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id: a.alertId,
    providerAlertId: a.providerAlertId,
    incidentId: String(a.incidentId),
    status: emit(ALERT_STATUS.members.includes(camel(a.status)) ? camel(a.status) : 'unknown', ALERT_STATUS, o.includeUnknown),
    severity: emit(graphSeverity(a.severity), SEVERITY, o.includeUnknown),
    classification: a.classification === null ? null : emit(graphClassification(a.classification), CLASSIFICATION, o.includeUnknown),
    determination: a.determination === null ? null : emit(graphDetermination(a.determination), DETERMINATION, o.includeUnknown),
    serviceSource: emit(SERVICE_SOURCE_TO_GRAPH[a.serviceSource] ?? camel(a.serviceSource), SERVICE_SOURCE, o.includeUnknown),
    detectionSource: emit(DETECTION_SOURCE_TO_GRAPH[a.detectionSource] ?? camel(a.detectionSource), DETECTION_SOURCE, o.includeUnknown),
    productName: PRODUCT_NAMES[a.serviceSource] ?? a.serviceSource,
    detectorId: a.detectorId,
    tenantId: o.tenantId,
    title: a.title,
    description: a.description,
    recommendedActions: 'Review the evidence, contain affected devices and accounts, and reset compromised credentials.',
    category: a.category,
    assignedTo: a.assignedTo,
    alertWebUrl: webUrl('alerts', a.alertId, o.tenantId),
    incidentWebUrl: webUrl('incidents', a.incidentId, o.tenantId),
    actorDisplayName: a.actorName,
    threatDisplayName: a.threatFamilyName,
    threatFamilyName: a.threatFamilyName,
    mitreTechniques: [...a.mitreTechniques],
    createdDateTime: a.creationTime,
    lastUpdateDateTime: a.lastUpdatedTime,
    resolvedDateTime: a.resolvedTime,
    firstActivityDateTime: a.firstActivity,
    lastActivityDateTime: a.lastActivity,
    comments: [],
    evidence: alertEvidence(a),
    systemTags: [],
  };
}

// ---- errors -----------------------------------------------------------------------------------

export function graphError(ctx: Pick<RequestContext, 'now' | 'requestId' | 'clientRequestId'>, status: number, code: string, message: string): MockResponse {
  return {
    status,
    body: {
      error: {
        code,
        message,
        innerError: {
          date: ctx
            .now()
            .toISOString()
            .replace(/\.\d+Z$/, ''),
          'request-id': ctx.requestId,
          'client-request-id': ctx.clientRequestId,
        },
      },
    },
  };
}

const GRAPH_STATUS_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  409: 'Conflict',
  413: 'RequestEntityTooLarge',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

export function graphStatusError(ctx: Pick<RequestContext, 'now' | 'requestId' | 'clientRequestId'>, status: number): MockResponse {
  const message = status === 429 ? 'Too many requests. Retry after the time in the Retry-After header.' : `The service answered ${status}.`;
  return graphError(ctx, status, GRAPH_STATUS_CODES[status] ?? 'UnknownError', message);
}

function prefersUnknown(ctx: RequestContext): boolean {
  return (header(ctx, 'prefer') ?? '').split(',').some(p => p.trim().toLowerCase() === 'include-unknown-enum-members');
}

export function graphOptions(ctx: RequestContext): GraphOptions {
  return { includeUnknown: prefersUnknown(ctx), tenantId: ctx.tenantId };
}

export function withPreference(ctx: RequestContext, r: MockResponse): MockResponse {
  if (prefersUnknown(ctx)) r.headers = { ...r.headers, 'Preference-Applied': 'include-unknown-enum-members' };
  return r;
}

export function newRequestId(): string {
  return randomUUID();
}
