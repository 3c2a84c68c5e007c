/**
 * The Microsoft Graph security API v1.0 dialect (`/v1.0/security/...`), computed from the same
 * Defender-shaped store: camelCase evolvable enums, modern determination spellings, `$top` at most 50,
 * `@odata.nextLink`, `$count`, `$expand=alerts`, comments through POST, alerts through alerts_v2.
 */
import { randomUUID } from 'crypto';
import { compileFilter, FilterError, type FilterDialect } from './odata';
import { header, intParam, type MockResponse, type RequestContext } from './http';
import { isRecord } from './db';
import { MAX_COMMENT_LENGTH, MAX_NAME_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, MAX_USER_LENGTH } from './limits';
import { alertEvidence } from './evidence';
import type { HuntAnswer } from './hunting/service';
import { wireTime, type DefenderAlert, type DefenderComment, type DefenderIncident } from './wire';

export const GRAPH_MAX_TOP = 50;
const GRAPH_META = 'https://graph.microsoft.com/v1.0/$metadata';

// ---- enums ------------------------------------------------------------------------------------

/**
 * A Graph evolvable enum: members listed after `unknownFutureValue` are sent as such only to callers
 * that sent `Prefer: include-unknown-enum-members`; others get `unknownFutureValue`.
 */
interface GraphEnum {
  members: readonly string[];
  evolvable: readonly string[];
}

const INCIDENT_STATUS: GraphEnum = { members: ['active', 'resolved', 'inProgress', 'redirected', 'unknownFutureValue'], evolvable: ['awaitingAction'] };
const SEVERITY: GraphEnum = { members: ['unknown', 'informational', 'low', 'medium', 'high', 'unknownFutureValue'], evolvable: [] };
const CLASSIFICATION: GraphEnum = {
  members: ['unknown', 'falsePositive', 'truePositive', 'informationalExpectedActivity', 'unknownFutureValue'],
  evolvable: [],
};
const DETERMINATION: GraphEnum = {
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
const ALERT_STATUS: GraphEnum = { members: ['unknown', 'new', 'inProgress', 'resolved', 'unknownFutureValue'], evolvable: [] };
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
const DETERMINATION_FROM_GRAPH: Record<string, string> = {
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
const SEVERITY_FROM_GRAPH: Record<string, string> = { informational: 'Informational', low: 'Low', medium: 'Medium', high: 'High' };
const STATUS_FROM_GRAPH: Record<string, string> = {
  active: 'Active',
  inProgress: 'InProgress',
  resolved: 'Resolved',
  redirected: 'Redirected',
  awaitingAction: 'AwaitingAction',
};
const CLASSIFICATION_FROM_GRAPH: Record<string, string> = {
  unknown: 'Unknown',
  falsePositive: 'FalsePositive',
  truePositive: 'TruePositive',
  informationalExpectedActivity: 'InformationalExpectedActivity',
};
const ALERT_STATUS_FROM_GRAPH: Record<string, string> = { new: 'New', inProgress: 'InProgress', resolved: 'Resolved' };
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

function graphComment(c: DefenderComment): Record<string, unknown> {
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

// ---- routes -----------------------------------------------------------------------------------

function prefersUnknown(ctx: RequestContext): boolean {
  return (header(ctx, 'prefer') ?? '').split(',').some(p => p.trim().toLowerCase() === 'include-unknown-enum-members');
}

function opts(ctx: RequestContext): GraphOptions {
  return { includeUnknown: prefersUnknown(ctx), tenantId: ctx.tenantId };
}

function withPreference(ctx: RequestContext, r: MockResponse): MockResponse {
  if (prefersUnknown(ctx)) r.headers = { ...r.headers, 'Preference-Applied': 'include-unknown-enum-members' };
  return r;
}

export function handleGraph(ctx: RequestContext): MockResponse {
  return withPreference(ctx, route(ctx));
}

function route(ctx: RequestContext): MockResponse {
  const parts = ctx.pathname.split('/').filter(Boolean); // ['v1.0', 'security', 'incidents', id?, 'comments'?]
  if (parts[1] !== 'security') return notFound(ctx);
  if (parts[2] === 'incidents') {
    if (parts.length === 3) return ctx.method === 'GET' ? listIncidents(ctx) : methodNotAllowed(ctx);
    const id = /^\d{1,15}$/.test(parts[3]) ? Number(parts[3]) : undefined;
    const inc = id === undefined ? undefined : ctx.db.get(id);
    if (!inc) return graphError(ctx, 404, 'NotFound', `Incident '${decodeURIComponent(parts[3])}' was not found.`);
    if (parts.length === 4) {
      if (ctx.method === 'GET') return getIncident(ctx, inc);
      if (ctx.method === 'PATCH') return patchIncident(ctx, inc);
      return methodNotAllowed(ctx);
    }
    if (parts.length === 5 && parts[4] === 'comments') return ctx.method === 'POST' ? postComment(ctx, inc) : methodNotAllowed(ctx);
    if (parts.length === 5 && parts[4] === 'alerts')
      return ctx.method === 'GET'
        ? {
            status: 200,
            body: { '@odata.context': `${GRAPH_META}#security/incidents('${inc.incidentId}')/alerts`, value: inc.alerts.map(a => toGraphAlert(a, opts(ctx))) },
          }
        : methodNotAllowed(ctx);
    return notFound(ctx);
  }
  if (parts[2] === 'alerts_v2' && parts.length === 3) {
    // The list, newest first; only `$top` (at most 2,000, as the service allows) is honoured here.
    if (ctx.method !== 'GET') return methodNotAllowed(ctx);
    const top = intParam(ctx.query, '$top');
    if (Number.isNaN(top) || (top !== undefined && (top < 1 || top > 2000)))
      return graphError(ctx, 400, 'BadRequest', "Invalid value for '$top': it must be a whole number from 1 to 2000.");
    const all = ctx.db
      .list()
      .flatMap(i => i.alerts)
      .sort((a, b) => b.creationTime.localeCompare(a.creationTime));
    return {
      status: 200,
      body: { '@odata.context': `${GRAPH_META}#security/alerts_v2`, value: all.slice(0, top ?? 2000).map(a => toGraphAlert(a, opts(ctx))) },
    };
  }
  if (parts[2] === 'runHuntingQuery' && parts.length === 3) return ctx.method === 'POST' ? runHuntingQuery(ctx) : methodNotAllowed(ctx);
  if (parts[2] === 'alerts_v2' && parts.length === 4) {
    const alertId = decodeURIComponent(parts[3]);
    const found = ctx.db.findAlert(alertId);
    if (!found) return graphError(ctx, 404, 'NotFound', `Alert '${alertId}' was not found.`);
    if (ctx.method === 'GET')
      return { status: 200, body: { '@odata.context': `${GRAPH_META}#security/alerts_v2/$entity`, ...toGraphAlert(found.alert, opts(ctx)) } };
    if (ctx.method === 'PATCH') return patchAlert(ctx, found.incident, found.alert);
    return methodNotAllowed(ctx);
  }
  return notFound(ctx);
}

/**
 * `POST /security/runHuntingQuery`; the service plays the limits (hunting/service.ts). The permission
 * (ThreatHunting.Read.All) is checked with every route's roles before this (auth.ts requiredRoles).
 */
function runHuntingQuery(ctx: RequestContext): MockResponse {
  return huntResponse(ctx, ctx.hunting.run(ctx.tenantId, ctx.body, ctx.db));
}

/** A hunting answer as Graph sends it: the result, or the error shape with Retry-After on a 429. */
export function huntResponse(ctx: Pick<RequestContext, 'now' | 'requestId' | 'clientRequestId'>, a: HuntAnswer): MockResponse {
  if (a.ok) return { status: 200, body: a.body };
  const r = graphError(ctx, a.status, a.code, a.message);
  if (a.retryAfter !== undefined) r.headers = { 'Retry-After': String(a.retryAfter) };
  return r;
}

function notFound(ctx: RequestContext): MockResponse {
  return graphError(ctx, 404, 'NotFound', `Resource not found for the segment '${ctx.pathname.split('/').filter(Boolean).slice(2).join('/')}'.`);
}

function methodNotAllowed(ctx: RequestContext): MockResponse {
  return graphError(ctx, 405, 'MethodNotAllowed', `The method ${ctx.method} is not allowed on ${ctx.pathname}.`);
}

const OPTION_NAMES: Record<string, string> = {
  $select: 'Select',
  $orderby: 'OrderBy',
  $search: 'Search',
  $apply: 'Apply',
  $format: 'Format',
  $skiptoken: 'SkipToken',
};

function graphFilter(includeUnknown: boolean): FilterDialect<DefenderIncident> {
  const enumField = (
    get: (i: DefenderIncident) => string,
    e: GraphEnum,
    aliases: Record<string, string> = {},
  ): FilterDialect<DefenderIncident>['fields'][string] => ({
    type: 'enum',
    get,
    normalize: v => {
      const canonical = aliases[v] ?? v;
      if (canonical === 'unknownFutureValue') return undefined;
      if (e.members.includes(canonical)) return canonical;
      if (e.evolvable.includes(canonical) && includeUnknown) return canonical;
      return undefined;
    },
    values: e.members
      .filter(m => m !== 'unknownFutureValue')
      .concat(includeUnknown ? e.evolvable : [])
      .join(', '),
  });
  return {
    fields: {
      assignedTo: { type: 'string', get: i => i.assignedTo, nullable: true, caseInsensitive: true },
      classification: enumField(i => graphClassification(i.classification), CLASSIFICATION),
      determination: enumField(i => graphDetermination(i.determination), DETERMINATION, {
        compromisedUser: 'compromisedAccount',
        clean: 'notMalicious',
        insufficientData: 'notEnoughDataToValidate',
        confirmedUserActivity: 'confirmedActivity',
      }),
      createdDateTime: { type: 'date', get: i => i.createdTime },
      lastUpdateDateTime: { type: 'date', get: i => i.lastUpdateTime },
      severity: enumField(i => graphSeverity(i.severity), SEVERITY),
      status: enumField(i => graphStatus(i.status), INCIDENT_STATUS),
    },
    unsupportedField: f =>
      `Invalid filter clause: filtering on the property '${f}' is not supported. Supported properties: assignedTo, classification, createdDateTime, determination, lastUpdateDateTime, severity, status.`,
  };
}

function listIncidents(ctx: RequestContext): MockResponse {
  const q = ctx.query;
  for (const k of q.keys()) {
    if (!k.startsWith('$')) continue;
    if (!['$top', '$skip', '$count', '$filter', '$expand'].includes(k)) {
      const name = OPTION_NAMES[k] ?? k.slice(1);
      return graphError(
        ctx,
        400,
        'BadRequest',
        `Query option '${name}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`,
      );
    }
  }
  const top = intParam(q, '$top');
  const skip = intParam(q, '$skip');
  if (Number.isNaN(top))
    return graphError(
      ctx,
      400,
      'BadRequest',
      `Invalid value '${q.get('$top')}' for $top query option found. The $top query option requires a non-negative integer value.`,
    );
  if (Number.isNaN(skip))
    return graphError(
      ctx,
      400,
      'BadRequest',
      `Invalid value '${q.get('$skip')}' for $skip query option found. The $skip query option requires a non-negative integer value.`,
    );
  if (top !== undefined && top > GRAPH_MAX_TOP) {
    return graphError(
      ctx,
      400,
      'BadRequest',
      `The limit of '${GRAPH_MAX_TOP}' for Top query has been exceeded. The value from the incoming request is '${top}'.`,
    );
  }
  const count = q.get('$count');
  if (count !== null && count !== 'true' && count !== 'false') return graphError(ctx, 400, 'BadRequest', `'${count}' is not a valid count option.`);
  const expand = expandAlerts(ctx);
  if (typeof expand === 'object') return expand;
  const o = opts(ctx);

  let items = ctx.db.list();
  const filter = q.get('$filter');
  if (filter !== null) {
    try {
      items = items.filter(compileFilter(filter, graphFilter(o.includeUnknown)));
    } catch (e) {
      if (e instanceof FilterError) return graphError(ctx, 400, 'BadRequest', e.message);
      throw e;
    }
  }
  const start = skip ?? 0;
  const size = top ?? GRAPH_MAX_TOP;
  const page = items.slice(start, start + size);
  const body: Record<string, unknown> = { '@odata.context': `${GRAPH_META}#security/incidents${expand ? '(alerts())' : ''}` };
  if (count === 'true') body['@odata.count'] = items.length;
  if (size > 0 && start + size < items.length) {
    const next = new URLSearchParams(q);
    next.set('$top', String(size));
    next.set('$skip', String(start + size));
    body['@odata.nextLink'] = `${ctx.origin}${ctx.pathname}?${next.toString().replace(/%24/g, '$')}`;
  }
  body.value = page.map(i => toGraphIncident(i, o, ctx.db.modifiedBy(i.incidentId), expand));
  return { status: 200, body };
}

function expandAlerts(ctx: RequestContext): boolean | MockResponse {
  const expand = ctx.query.get('$expand');
  if (expand === null) return false;
  if (expand.trim() === 'alerts') return true;
  return graphError(
    ctx,
    400,
    'BadRequest',
    `Could not find a property named '${expand}' on type 'microsoft.graph.security.incident' to expand. Only 'alerts' can be expanded.`,
  );
}

function getIncident(ctx: RequestContext, inc: DefenderIncident): MockResponse {
  const expand = expandAlerts(ctx);
  if (typeof expand === 'object') return expand;
  return {
    status: 200,
    body: {
      '@odata.context': `${GRAPH_META}#security/incidents${expand ? '(alerts())' : ''}/$entity`,
      ...toGraphIncident(inc, opts(ctx), ctx.db.modifiedBy(inc.incidentId), expand),
    },
  };
}

const INCIDENT_READ_ONLY = [
  'id',
  'summary',
  'incidentWebUrl',
  'tenantId',
  'redirectIncidentId',
  'createdDateTime',
  'lastUpdateDateTime',
  'lastModifiedBy',
  'systemTags',
  'comments',
  'priorityScore',
  'alerts',
];
/** Since December 2024 (Graph "what's new"): description, displayName, resolvingComment and severity joined the first five. */
const INCIDENT_WRITABLE = 'assignedTo, classification, determination, status, customTags, displayName, severity, description, resolvingComment';

type Step = (inc: DefenderIncident) => void;

/** Check a Graph enum value sent by the caller; evolvable members only for callers that opted in. */
function fromGraphEnum(v: unknown, e: GraphEnum, map: Record<string, string>, includeUnknown: boolean): string | undefined {
  if (typeof v !== 'string' || !(v in map)) return undefined;
  const canonical = v;
  if (e.evolvable.includes(canonical) && !includeUnknown) return undefined;
  return map[canonical];
}

function patchIncident(ctx: RequestContext, inc: DefenderIncident): MockResponse {
  if (!isRecord(ctx.body)) return graphError(ctx, 400, 'BadRequest', 'The request body must be a JSON object.');
  const o = opts(ctx);
  const steps: Step[] = [];
  const keys = Object.keys(ctx.body).filter(k => !k.startsWith('@odata.'));
  if (keys.length === 0) return graphError(ctx, 400, 'BadRequest', 'The request body has no properties to update.');
  for (const k of keys) {
    const v = ctx.body[k];
    switch (k) {
      case 'assignedTo':
        if (v !== null && typeof v !== 'string') return graphError(ctx, 400, 'BadRequest', "Invalid value for 'assignedTo': a string or null is expected.");
        if (typeof v === 'string' && v.length > MAX_USER_LENGTH)
          return graphError(ctx, 400, 'BadRequest', `Invalid value for 'assignedTo': at most ${MAX_USER_LENGTH} characters.`);
        steps.push(i => {
          i.assignedTo = v === '' ? null : v;
        });
        break;
      case 'displayName':
        if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_NAME_LENGTH) {
          return graphError(
            ctx,
            400,
            'BadRequest',
            `Invalid value for 'displayName': a non-empty string of at most ${MAX_NAME_LENGTH} characters is expected.`,
          );
        }
        steps.push(i => {
          i.incidentName = v;
        });
        break;
      case 'severity': {
        // 'unknown' is a member, but an incident cannot be set back to "no severity".
        const sev = typeof v === 'string' ? SEVERITY_FROM_GRAPH[v] : undefined;
        if (!sev)
          return graphError(
            ctx,
            400,
            'BadRequest',
            `Invalid value '${typeof v === 'string' ? v : JSON.stringify(v)}' for 'severity'. Valid values: ${Object.keys(SEVERITY_FROM_GRAPH).join(', ')}.`,
          );
        steps.push(i => {
          i.severity = sev;
        });
        break;
      }
      case 'description':
      case 'resolvingComment': {
        if (v !== null && typeof v !== 'string') return graphError(ctx, 400, 'BadRequest', `Invalid value for '${k}': a string or null is expected.`);
        if (typeof v === 'string' && v.length > MAX_COMMENT_LENGTH)
          return graphError(ctx, 400, 'BadRequest', `'${k}' is ${v.length} characters long; the limit is ${MAX_COMMENT_LENGTH}.`);
        const key = k;
        steps.push(i => {
          i.graph = { ...i.graph, [key]: v };
        });
        break;
      }
      case 'status': {
        const s = fromGraphEnum(v, INCIDENT_STATUS, STATUS_FROM_GRAPH, o.includeUnknown);
        if (!s) return badEnum(ctx, k, v, INCIDENT_STATUS, o.includeUnknown);
        steps.push(i => {
          i.status = s;
        });
        break;
      }
      case 'classification': {
        const c = fromGraphEnum(v, CLASSIFICATION, CLASSIFICATION_FROM_GRAPH, o.includeUnknown);
        if (!c) return badEnum(ctx, k, v, CLASSIFICATION, o.includeUnknown);
        steps.push(i => {
          i.classification = c;
        });
        break;
      }
      case 'determination': {
        const d = fromGraphEnum(v, DETERMINATION, DETERMINATION_FROM_GRAPH, o.includeUnknown);
        if (!d) return badEnum(ctx, k, v, DETERMINATION, o.includeUnknown);
        steps.push(i => {
          i.determination = d;
        });
        break;
      }
      case 'customTags': {
        if (!Array.isArray(v) || !v.every((t): t is string => typeof t === 'string' && t.trim() !== '')) {
          return graphError(ctx, 400, 'BadRequest', "Invalid value for 'customTags': an array of non-empty strings is expected.");
        }
        if (v.length > MAX_TAGS) return graphError(ctx, 400, 'BadRequest', `Invalid value for 'customTags': ${v.length} tags; the limit is ${MAX_TAGS}.`);
        if (v.some(t => t.length > MAX_TAG_LENGTH))
          return graphError(ctx, 400, 'BadRequest', `Invalid value for 'customTags': each tag is at most ${MAX_TAG_LENGTH} characters.`);
        const tags = [...v];
        steps.push(i => {
          i.tags = tags;
        });
        break;
      }
      default:
        return graphError(
          ctx,
          400,
          'BadRequest',
          INCIDENT_READ_ONLY.includes(k)
            ? `The property '${k}' is read-only and cannot be updated. Updatable properties: ${INCIDENT_WRITABLE}.`
            : `Could not find a property named '${k}' on type 'microsoft.graph.security.incident'.`,
        );
    }
  }
  const nowText = wireTime(ctx.now());
  ctx.db.update(inc.incidentId, ctx.identity, i => {
    for (const s of steps) s(i);
    i.lastUpdateTime = nowText;
  });
  return {
    status: 200,
    body: { '@odata.context': `${GRAPH_META}#security/incidents/$entity`, ...toGraphIncident(inc, o, ctx.db.modifiedBy(inc.incidentId), false) },
  };
}

function badEnum(ctx: RequestContext, field: string, v: unknown, e: GraphEnum, includeUnknown: boolean): MockResponse {
  const valid = e.members.filter(m => m !== 'unknownFutureValue').concat(includeUnknown ? e.evolvable : []);
  return graphError(
    ctx,
    400,
    'BadRequest',
    `Invalid value '${typeof v === 'string' ? v : JSON.stringify(v)}' for '${field}'. Valid values: ${valid.join(', ')}.`,
  );
}

function postComment(ctx: RequestContext, inc: DefenderIncident): MockResponse {
  if (!isRecord(ctx.body)) return graphError(ctx, 400, 'BadRequest', 'The request body must be a JSON object.');
  const type = ctx.body['@odata.type'];
  if (type !== undefined && type !== 'microsoft.graph.security.alertComment' && type !== '#microsoft.graph.security.alertComment') {
    return graphError(ctx, 400, 'BadRequest', `Unexpected @odata.type '${String(type)}': expected 'microsoft.graph.security.alertComment'.`);
  }
  const extra = Object.keys(ctx.body).find(k => k !== 'comment' && k !== '@odata.type');
  if (extra) return graphError(ctx, 400, 'BadRequest', `Could not find a property named '${extra}' on type 'microsoft.graph.security.alertComment'.`);
  const text = ctx.body.comment;
  if (typeof text !== 'string' || text.trim() === '')
    return graphError(ctx, 400, 'BadRequest', "The property 'comment' is required and must be a non-empty string.");
  if (text.length > MAX_COMMENT_LENGTH)
    return graphError(ctx, 400, 'BadRequest', `The comment is ${text.length} characters long; the limit is ${MAX_COMMENT_LENGTH}.`);
  const nowText = wireTime(ctx.now());
  ctx.db.update(inc.incidentId, ctx.identity, i => {
    i.comments.push({ comment: text, createdBy: ctx.identity, createdTime: nowText });
    i.lastUpdateTime = nowText;
  });
  return { status: 200, body: { '@odata.context': `${GRAPH_META}#Collection(microsoft.graph.security.alertComment)`, value: inc.comments.map(graphComment) } };
}

function patchAlert(ctx: RequestContext, inc: DefenderIncident, alert: DefenderAlert): MockResponse {
  if (!isRecord(ctx.body)) return graphError(ctx, 400, 'BadRequest', 'The request body must be a JSON object.');
  const o = opts(ctx);
  const keys = Object.keys(ctx.body).filter(k => !k.startsWith('@odata.'));
  if (keys.length === 0) return graphError(ctx, 400, 'BadRequest', 'The request body has no properties to update.');
  const steps: ((a: DefenderAlert, t: string) => void)[] = [];
  for (const k of keys) {
    const v = ctx.body[k];
    switch (k) {
      case 'status': {
        const s = fromGraphEnum(v, ALERT_STATUS, ALERT_STATUS_FROM_GRAPH, o.includeUnknown);
        if (!s) return badEnum(ctx, k, v, ALERT_STATUS, o.includeUnknown);
        steps.push((a, t) => {
          a.status = s;
          a.resolvedTime = s === 'Resolved' ? t : null;
        });
        break;
      }
      case 'classification': {
        const c = fromGraphEnum(v, CLASSIFICATION, CLASSIFICATION_FROM_GRAPH, o.includeUnknown);
        if (!c) return badEnum(ctx, k, v, CLASSIFICATION, o.includeUnknown);
        steps.push(a => {
          a.classification = c;
        });
        break;
      }
      case 'determination': {
        const d = fromGraphEnum(v, DETERMINATION, DETERMINATION_FROM_GRAPH, o.includeUnknown);
        if (!d) return badEnum(ctx, k, v, DETERMINATION, o.includeUnknown);
        steps.push(a => {
          a.determination = d;
        });
        break;
      }
      case 'assignedTo':
        if (v !== null && typeof v !== 'string') return graphError(ctx, 400, 'BadRequest', "Invalid value for 'assignedTo': a string or null is expected.");
        if (typeof v === 'string' && v.length > MAX_USER_LENGTH)
          return graphError(ctx, 400, 'BadRequest', `Invalid value for 'assignedTo': at most ${MAX_USER_LENGTH} characters.`);
        steps.push(a => {
          a.assignedTo = v === '' ? null : v;
        });
        break;
      default:
        return graphError(
          ctx,
          400,
          'BadRequest',
          `The property '${k}' cannot be updated on an alert. Updatable properties: status, classification, determination, assignedTo.`,
        );
    }
  }
  const nowText = wireTime(ctx.now());
  ctx.db.update(inc.incidentId, ctx.identity, i => {
    for (const s of steps) s(alert, nowText);
    alert.lastUpdatedTime = nowText;
    i.lastUpdateTime = nowText;
  });
  return { status: 200, body: { '@odata.context': `${GRAPH_META}#security/alerts_v2/$entity`, ...toGraphAlert(alert, o) } };
}

export function newRequestId(): string {
  return randomUUID();
}
