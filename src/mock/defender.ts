/**
 * The Microsoft Defender XDR incidents API dialect (`/api/incidents`), with its documented rules:
 * `$top` at most 100, `$filter` only on lastUpdateTime, createdTime, status and assignedTo, PATCH of
 * status/assignedTo/classification/determination/tags/comment with case-sensitive names, no nextLink.
 * With `extensions` the mock also renames, changes severity and updates alerts, which the real API cannot.
 */
import { randomUUID } from 'crypto';
import { compileFilter, FilterError, type FilterDialect } from './odata';
import { intParam, type MockResponse, type RequestContext } from './http';
import { isRecord } from './db';
import {
  DEFENDER_ALERT_STATUSES, DEFENDER_CLASSIFICATIONS, DEFENDER_DETERMINATIONS, DEFENDER_EDIT_STATUSES, DEFENDER_SEVERITIES,
  DEFENDER_STATUSES, isOneOf, wireTime, type DefenderAlert, type DefenderIncident,
} from './wire';

export const DEFENDER_MAX_TOP = 100;
export const MAX_COMMENT_LENGTH = 30_000;
const CONTEXT = 'https://api.security.microsoft.com/api/$metadata#Incidents';

export function defenderError(status: number, code: string, message: string): MockResponse {
  return { status, body: { error: { code, message, target: randomUUID() } } };
}

const STATUS_CODES: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 409: 'Conflict',
  413: 'RequestEntityTooLarge', 429: 'TooManyRequests', 500: 'InternalServerError', 502: 'BadGateway', 503: 'ServiceUnavailable', 504: 'GatewayTimeout',
};

/** The Defender-shaped error body for a bare status (status faults without a body). */
export function defenderStatusError(status: number, retryAfter?: string): MockResponse {
  const message = status === 429
    ? `Rate limit is exceeded. Try again in ${retryAfter ?? '1'} seconds.`
    : `The service answered ${status}.`;
  return defenderError(status, STATUS_CODES[status] ?? 'Error', message);
}

const DEFENDER_FILTER: FilterDialect<DefenderIncident> = {
  fields: {
    lastUpdateTime: { type: 'date', get: i => i.lastUpdateTime },
    createdTime: { type: 'date', get: i => i.createdTime },
    status: { type: 'enum', get: i => i.status, normalize: v => (isOneOf(DEFENDER_EDIT_STATUSES, v) ? v : undefined), values: DEFENDER_EDIT_STATUSES.join(', ') },
    assignedTo: { type: 'string', get: i => i.assignedTo, nullable: true, caseInsensitive: true },
  },
  unsupportedField: f => `Invalid filter: the property '${f}' cannot be used in $filter. Supported properties: lastUpdateTime, createdTime, status, assignedTo.`,
};

const ALLOWED_OPTIONS = new Set(['$top', '$skip', '$filter']);

// ---- PATCH validation (shared with /__mock/edit) ---------------------------------------------------

export type PatchMode = 'api' | 'api+extensions' | 'edit';

const API_WRITABLE = ['status', 'assignedTo', 'classification', 'determination', 'tags', 'comment'] as const;
const READ_ONLY = ['incidentId', 'incidentUri', 'redirectIncidentId', 'incidentName', 'createdTime', 'lastUpdateTime', 'severity', 'comments', 'alerts', 'detectionSource'];

export type IncidentChange = (inc: DefenderIncident, by: string, nowText: string) => void;

/**
 * Check a Defender-shaped patch completely before anything is applied (a 400 never half-applies).
 * Returns the change, or the message of the 400.
 */
export function validateIncidentPatch(body: unknown, mode: PatchMode): { ok: true; apply: IncidentChange } | { ok: false; message: string } {
  if (!isRecord(body)) return { ok: false, message: 'The request body must be a JSON object.' };
  const keys = Object.keys(body);
  if (keys.length === 0) return { ok: false, message: 'The request body has no properties to update.' };
  const writable = new Set<string>(API_WRITABLE);
  if (mode !== 'api') { writable.add('incidentName'); writable.add('severity'); }
  if (mode === 'edit') writable.add('redirectIncidentId');
  const steps: IncidentChange[] = [];
  for (const k of keys) {
    const v = body[k];
    if (!writable.has(k)) {
      return {
        ok: false,
        message: READ_ONLY.includes(k)
          ? `The property '${k}' cannot be updated.`
          : `The property '${k}' does not exist on type 'Incident'. Property names are case-sensitive; updatable properties: ${API_WRITABLE.join(', ')}.`,
      };
    }
    switch (k) {
      case 'status': {
        const allowed = mode === 'edit' ? DEFENDER_EDIT_STATUSES : DEFENDER_STATUSES;
        if (!isOneOf(allowed, v)) return { ok: false, message: badEnum(k, v, allowed) };
        steps.push(inc => { inc.status = v; });
        break;
      }
      case 'classification':
        if (!isOneOf(DEFENDER_CLASSIFICATIONS, v)) return { ok: false, message: badEnum(k, v, DEFENDER_CLASSIFICATIONS) };
        steps.push(inc => { inc.classification = v; });
        break;
      case 'determination':
        if (!isOneOf(DEFENDER_DETERMINATIONS, v)) return { ok: false, message: badEnum(k, v, DEFENDER_DETERMINATIONS) };
        steps.push(inc => { inc.determination = v; });
        break;
      case 'severity':
        if (!isOneOf(DEFENDER_SEVERITIES, v)) return { ok: false, message: badEnum(k, v, DEFENDER_SEVERITIES) };
        steps.push(inc => { inc.severity = v; });
        break;
      case 'assignedTo':
        if (v !== null && (typeof v !== 'string' || v.trim() === '' || v.length > 320)) return { ok: false, message: "'assignedTo' must be a user principal name or null." };
        steps.push(inc => { inc.assignedTo = v; });
        break;
      case 'incidentName':
        if (typeof v !== 'string' || v.trim() === '' || v.length > 512) return { ok: false, message: "'incidentName' must be a non-empty string of at most 512 characters." };
        steps.push(inc => { inc.incidentName = v; });
        break;
      case 'tags': {
        if (!Array.isArray(v) || !v.every((t): t is string => typeof t === 'string')) return { ok: false, message: "'tags' must be an array of strings." };
        if (v.some(t => t.trim() === '' || t.length > 128)) return { ok: false, message: "Each tag must be a non-empty string of at most 128 characters." };
        const tags = [...v];
        steps.push(inc => { inc.tags = tags; });
        break;
      }
      case 'comment':
        if (typeof v !== 'string' || v.trim() === '') return { ok: false, message: "'comment' must be a non-empty string." };
        if (v.length > MAX_COMMENT_LENGTH) return { ok: false, message: `The comment is ${v.length} characters long; the limit is ${MAX_COMMENT_LENGTH}.` };
        steps.push((inc, by, nowText) => { inc.comments.push({ comment: v, createdBy: by, createdTime: nowText }); });
        break;
      case 'redirectIncidentId':
        if (v !== null && !Number.isSafeInteger(v)) return { ok: false, message: "'redirectIncidentId' must be an incident id or null." };
        steps.push(inc => { inc.redirectIncidentId = v as number | null; });
        break;
    }
  }
  return {
    ok: true,
    apply: (inc, by, nowText) => {
      for (const s of steps) s(inc, by, nowText);
      inc.lastUpdateTime = nowText;
    },
  };
}

function badEnum(field: string, v: unknown, allowed: readonly string[]): string {
  return `'${typeof v === 'string' ? v : JSON.stringify(v)}' is not a valid value for '${field}'. Valid values: ${allowed.join(', ')}.`;
}

export type AlertChange = (alert: DefenderAlert, nowText: string) => void;

/** Alert patch with Defender spellings (New/InProgress/Resolved), used by the extension-only route. */
export function validateDefenderAlertPatch(body: unknown): { ok: true; apply: AlertChange } | { ok: false; message: string } {
  if (!isRecord(body)) return { ok: false, message: 'The request body must be a JSON object.' };
  const keys = Object.keys(body);
  if (keys.length === 0) return { ok: false, message: 'The request body has no properties to update.' };
  const steps: AlertChange[] = [];
  for (const k of keys) {
    const v = body[k];
    switch (k) {
      case 'status':
        if (!isOneOf(DEFENDER_ALERT_STATUSES, v)) return { ok: false, message: badEnum(k, v, DEFENDER_ALERT_STATUSES) };
        steps.push((a, t) => { a.status = v; a.resolvedTime = v === 'Resolved' ? t : null; });
        break;
      case 'classification':
        if (!isOneOf(DEFENDER_CLASSIFICATIONS, v)) return { ok: false, message: badEnum(k, v, DEFENDER_CLASSIFICATIONS) };
        steps.push(a => { a.classification = v; });
        break;
      case 'determination':
        if (!isOneOf(DEFENDER_DETERMINATIONS, v)) return { ok: false, message: badEnum(k, v, DEFENDER_DETERMINATIONS) };
        steps.push(a => { a.determination = v; });
        break;
      case 'assignedTo':
        if (v !== null && (typeof v !== 'string' || v.trim() === '')) return { ok: false, message: "'assignedTo' must be a user principal name or null." };
        steps.push(a => { a.assignedTo = v; });
        break;
      default:
        return { ok: false, message: `The property '${k}' cannot be updated on an alert. Updatable properties: status, assignedTo, classification, determination.` };
    }
  }
  return { ok: true, apply: (a, t) => { for (const s of steps) s(a, t); a.lastUpdatedTime = t; } };
}

// ---- routes -----------------------------------------------------------------------------------

export function handleDefender(ctx: RequestContext): MockResponse {
  const parts = ctx.pathname.split('/').filter(Boolean); // ['api', 'incidents', id?]
  if (parts[1] === 'incidents' && parts.length === 2) {
    if (ctx.method !== 'GET') return methodNotAllowed(ctx);
    return listIncidents(ctx);
  }
  if (parts[1] === 'incidents' && parts.length === 3) {
    const id = parseId(parts[2]);
    if (id === undefined) return defenderError(400, 'InvalidInput', `'${decodeURIComponent(parts[2])}' is not a valid incident id.`);
    if (ctx.method === 'GET') return getIncident(ctx, id);
    if (ctx.method === 'PATCH') return patchIncident(ctx, id);
    return methodNotAllowed(ctx);
  }
  if (parts[1] === 'alerts' && parts.length === 3 && ctx.extensions) {
    const alertId = decodeURIComponent(parts[2]);
    if (ctx.method === 'GET') {
      const found = ctx.db.findAlert(alertId);
      return found ? { status: 200, body: found.alert } : defenderError(404, 'NotFound', `Alert ${alertId} was not found.`);
    }
    if (ctx.method === 'PATCH') return patchAlert(ctx, alertId);
    return methodNotAllowed(ctx);
  }
  return defenderError(404, 'NotFound', `No API at ${ctx.method} ${ctx.pathname}.`);
}

function methodNotAllowed(ctx: RequestContext): MockResponse {
  return defenderError(405, 'MethodNotAllowed', `The method ${ctx.method} is not allowed on ${ctx.pathname}.`);
}

function parseId(text: string): number | undefined {
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

function listIncidents(ctx: RequestContext): MockResponse {
  for (const k of ctx.query.keys()) {
    if (k.startsWith('$') && !ALLOWED_OPTIONS.has(k)) return defenderError(400, 'InvalidInput', `The query option '${k}' is not supported. Supported: $top, $skip, $filter.`);
  }
  const top = intParam(ctx.query, '$top');
  const skip = intParam(ctx.query, '$skip');
  if (Number.isNaN(top)) return defenderError(400, 'InvalidInput', `'${ctx.query.get('$top')}' is not a valid value for $top.`);
  if (Number.isNaN(skip)) return defenderError(400, 'InvalidInput', `'${ctx.query.get('$skip')}' is not a valid value for $skip.`);
  if (top !== undefined && top > DEFENDER_MAX_TOP) {
    return defenderError(400, 'InvalidInput', `The value of $top (${top}) exceeds the maximum of ${DEFENDER_MAX_TOP}.`);
  }
  let items = ctx.db.list();
  const filter = ctx.query.get('$filter');
  if (filter !== null) {
    try {
      const pred = compileFilter(filter, DEFENDER_FILTER);
      items = items.filter(pred);
    } catch (e) {
      if (e instanceof FilterError) return defenderError(400, 'InvalidInput', e.message);
      throw e;
    }
  }
  const start = skip ?? 0;
  const page = items.slice(start, start + (top ?? DEFENDER_MAX_TOP));
  return { status: 200, body: { '@odata.context': CONTEXT, value: page } };
}

function getIncident(ctx: RequestContext, id: number): MockResponse {
  const inc = ctx.db.get(id);
  if (!inc) return notFound(id);
  return { status: 200, body: { '@odata.context': `${CONTEXT}/$entity`, ...inc } };
}

function notFound(id: number): MockResponse {
  return defenderError(404, 'NotFound', `Incident ${id} was not found.`);
}

function patchIncident(ctx: RequestContext, id: number): MockResponse {
  if (!ctx.db.get(id)) return notFound(id);
  const v = validateIncidentPatch(ctx.body, ctx.extensions ? 'api+extensions' : 'api');
  if (!v.ok) return defenderError(400, 'InvalidInput', v.message);
  const nowText = wireTime(ctx.now());
  const inc = ctx.db.update(id, ctx.identity, i => v.apply(i, ctx.identity, nowText));
  return inc ? { status: 200, body: { '@odata.context': `${CONTEXT}/$entity`, ...inc } } : notFound(id);
}

function patchAlert(ctx: RequestContext, alertId: string): MockResponse {
  const found = ctx.db.findAlert(alertId);
  if (!found) return defenderError(404, 'NotFound', `Alert ${alertId} was not found.`);
  const v = validateDefenderAlertPatch(ctx.body);
  if (!v.ok) return defenderError(400, 'InvalidInput', v.message);
  const nowText = wireTime(ctx.now());
  ctx.db.update(found.incident.incidentId, ctx.identity, inc => {
    v.apply(found.alert, nowText);
    inc.lastUpdateTime = nowText;
  });
  return { status: 200, body: found.alert };
}
