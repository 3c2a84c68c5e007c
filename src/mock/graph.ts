/**
 * The Microsoft Graph security API v1.0 dialect (`/v1.0/security/...`), computed from the same
 * Defender-shaped store: camelCase evolvable enums, modern determination spellings, `$top` at most 50,
 * `@odata.nextLink`, `$count`, `$expand=alerts`, comments through POST, alerts through alerts_v2. This file
 * routes and reads; the wire shapes, enums and errors are graphWire.ts, the writes graphWrites.ts.
 */
import { compileFilter, FilterError, type FilterDialect } from './odata';
import { intParam, type MockResponse, type RequestContext } from './http';
import type { HuntAnswer } from './hunting/service';
import type { DefenderIncident } from './wire';
import {
  CLASSIFICATION,
  DETERMINATION,
  GRAPH_MAX_TOP,
  GRAPH_META,
  graphClassification,
  graphDetermination,
  graphError,
  graphOptions,
  graphSeverity,
  graphStatus,
  INCIDENT_STATUS,
  SEVERITY,
  toGraphAlert,
  toGraphIncident,
  withPreference,
  type GraphEnum,
} from './graphWire';
import { patchAlert, patchIncident, postComment } from './graphWrites';

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
            body: {
              '@odata.context': `${GRAPH_META}#security/incidents('${inc.incidentId}')/alerts`,
              value: inc.alerts.map(a => toGraphAlert(a, graphOptions(ctx))),
            },
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
      body: { '@odata.context': `${GRAPH_META}#security/alerts_v2`, value: all.slice(0, top ?? 2000).map(a => toGraphAlert(a, graphOptions(ctx))) },
    };
  }
  if (parts[2] === 'runHuntingQuery' && parts.length === 3) return ctx.method === 'POST' ? runHuntingQuery(ctx) : methodNotAllowed(ctx);
  if (parts[2] === 'alerts_v2' && parts.length === 4) {
    const alertId = decodeURIComponent(parts[3]);
    const found = ctx.db.findAlert(alertId);
    if (!found) return graphError(ctx, 404, 'NotFound', `Alert '${alertId}' was not found.`);
    if (ctx.method === 'GET')
      return { status: 200, body: { '@odata.context': `${GRAPH_META}#security/alerts_v2/$entity`, ...toGraphAlert(found.alert, graphOptions(ctx)) } };
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
  const o = graphOptions(ctx);

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
      ...toGraphIncident(inc, graphOptions(ctx), ctx.db.modifiedBy(inc.incidentId), expand),
    },
  };
}
