/**
 * The Microsoft Defender XDR incidents API dialect (`/api/incidents`), with its documented rules:
 * `$top` at most 100, `$filter` only on lastUpdateTime, createdTime, status and assignedTo, PATCH of
 * status/assignedTo/classification/determination/tags/comment with case-sensitive names, no nextLink.
 * Determinations are written in the update page's spellings and read in the resource page's, as the live
 * API does, so a client must map both. With `extensions` the mock also renames, changes severity and
 * updates alerts, which the real API cannot.
 */
import { randomUUID } from 'crypto';
import { compileFilter, FilterError, type FilterDialect } from './odata';
import { intParam, type MockResponse, type RequestContext } from './http';
import { isRecord } from './db';
import { MAX_COMMENT_LENGTH, MAX_NAME_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, MAX_USER_LENGTH } from './limits';
import {
  DEFENDER_ALERT_STATUSES,
  DEFENDER_CLASSIFICATIONS,
  DEFENDER_DETERMINATIONS,
  DEFENDER_EDIT_STATUSES,
  DEFENDER_SEVERITIES,
  DEFENDER_STATUSES,
  DEFENDER_WRITE_DETERMINATIONS,
  DEFENDER_WRITE_SPELLING,
  isOneOf,
  readSpelling,
  wireTime,
  type DefenderAlert,
  type DefenderIncident,
} from './wire';

export { MAX_COMMENT_LENGTH } from './limits';
export const DEFENDER_MAX_TOP = 100;
const CONTEXT = 'https://api.security.microsoft.com/api/$metadata#Incidents';

export function defenderError(status: number, code: string, message: string): MockResponse {
  return { status, body: { error: { code, message, target: randomUUID() } } };
}

const STATUS_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
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

/** The Defender-shaped error body for a bare status (status faults without a body). */
export function defenderStatusError(status: number, retryAfter?: string): MockResponse {
  const message = status === 429 ? `Rate limit is exceeded. Try again in ${retryAfter ?? '1'} seconds.` : `The service answered ${status}.`;
  return defenderError(status, STATUS_CODES[status] ?? 'Error', message);
}

/**
 * Over the quota, as seen in the field: the body says when to come back and no Retry-After header is sent
 * (the server adds one only when asked to). No `target` either, as in the observed body.
 */
export function defenderQuotaError(limit: number, windowMs: number, waitSeconds: number): MockResponse {
  const message = `API calls quota exceeded! Maximum allowed ${limit} per ${hms(windowMs)} for the key Destination+TenantID+AppID. You can send requests again in ${waitSeconds} seconds.`;
  return { status: 429, body: { error: { code: 'TooManyRequests', message } } };
}

/** 12000 -> "00:00:12", 3600000 -> "01:00:00" (whole seconds, rounded up). */
function hms(ms: number): string {
  const total = Math.ceil(ms / 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${two(Math.floor(total / 3600))}:${two(Math.floor(total / 60) % 60)}:${two(total % 60)}`;
}

/** The incident as the Defender API answers it: without the Graph-only fields, with its portal link. */
export function defenderView(inc: DefenderIncident, tenantId: string): Omit<DefenderIncident, 'graph'> {
  const { graph: _graph, ...rest } = inc;
  void _graph;
  return { ...rest, incidentUri: `https://security.microsoft.com/incidents/${inc.incidentId}?tid=${tenantId}` };
}

const DEFENDER_FILTER: FilterDialect<DefenderIncident> = {
  fields: {
    lastUpdateTime: { type: 'date', get: i => i.lastUpdateTime },
    createdTime: { type: 'date', get: i => i.createdTime },
    status: {
      type: 'enum',
      get: i => i.status,
      normalize: v => (isOneOf(DEFENDER_EDIT_STATUSES, v) ? v : undefined),
      values: DEFENDER_EDIT_STATUSES.join(', '),
    },
    assignedTo: { type: 'string', get: i => i.assignedTo, nullable: true, caseInsensitive: true },
  },
  unsupportedField: f =>
    `Invalid filter: the property '${f}' cannot be used in $filter. Supported properties: lastUpdateTime, createdTime, status, assignedTo.`,
};

const ALLOWED_OPTIONS = new Set(['$top', '$skip', '$filter']);

// ---- PATCH validation (shared with /__mock/edit) ---------------------------------------------------

export type PatchMode = 'api' | 'api+extensions' | 'edit';

const API_WRITABLE = ['status', 'assignedTo', 'classification', 'determination', 'tags', 'comment'] as const;
const READ_ONLY = [
  'incidentId',
  'incidentUri',
  'redirectIncidentId',
  'incidentName',
  'createdTime',
  'lastUpdateTime',
  'severity',
  'comments',
  'alerts',
  'detectionSource',
];

export type IncidentChange = (inc: DefenderIncident, by: string, nowText: string) => void;

/**
 * Check a Defender-shaped patch completely before anything is applied (a 400 never half-applies).
 * Returns the change, or the message of the 400. `current` is the incident as it is (its classification
 * decides which determinations an API write may send when the patch does not set one).
 */
export function validateIncidentPatch(
  body: unknown,
  mode: PatchMode,
  current?: DefenderIncident,
): { ok: true; apply: IncidentChange } | { ok: false; message: string } {
  if (!isRecord(body)) return { ok: false, message: 'The request body must be a JSON object.' };
  const keys = Object.keys(body);
  if (keys.length === 0) return { ok: false, message: 'The request body has no properties to update.' };
  const writable = new Set<string>(API_WRITABLE);
  if (mode !== 'api') {
    writable.add('incidentName');
    writable.add('severity');
  }
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
        steps.push(inc => {
          inc.status = v;
        });
        break;
      }
      case 'classification':
        if (!isOneOf(DEFENDER_CLASSIFICATIONS, v)) return { ok: false, message: badEnum(k, v, DEFENDER_CLASSIFICATIONS) };
        steps.push(inc => {
          inc.classification = v;
        });
        break;
      case 'determination': {
        const d = mode === 'edit' ? editDetermination(v) : writeDetermination(v, body.classification ?? current?.classification);
        if (!d.ok) return d;
        steps.push(inc => {
          inc.determination = d.value;
        });
        break;
      }
      case 'severity':
        if (!isOneOf(DEFENDER_SEVERITIES, v)) return { ok: false, message: badEnum(k, v, DEFENDER_SEVERITIES) };
        steps.push(inc => {
          inc.severity = v;
        });
        break;
      case 'assignedTo':
        if (v !== null && (typeof v !== 'string' || v.trim() === '' || v.length > MAX_USER_LENGTH)) {
          return { ok: false, message: `'assignedTo' must be a user principal name of at most ${MAX_USER_LENGTH} characters, or null.` };
        }
        steps.push(inc => {
          inc.assignedTo = v;
        });
        break;
      case 'incidentName':
        if (typeof v !== 'string' || v.trim() === '' || v.length > MAX_NAME_LENGTH)
          return { ok: false, message: `'incidentName' must be a non-empty string of at most ${MAX_NAME_LENGTH} characters.` };
        steps.push(inc => {
          inc.incidentName = v;
        });
        break;
      case 'tags': {
        if (!Array.isArray(v) || !v.every((t): t is string => typeof t === 'string')) return { ok: false, message: "'tags' must be an array of strings." };
        if (v.length > MAX_TAGS) return { ok: false, message: `'tags' has ${v.length} tags; the limit is ${MAX_TAGS}.` };
        if (v.some(t => t.trim() === '' || t.length > MAX_TAG_LENGTH))
          return { ok: false, message: `Each tag must be a non-empty string of at most ${MAX_TAG_LENGTH} characters.` };
        const tags = [...v];
        steps.push(inc => {
          inc.tags = tags;
        });
        break;
      }
      case 'comment':
        if (typeof v !== 'string' || v.trim() === '') return { ok: false, message: "'comment' must be a non-empty string." };
        if (v.length > MAX_COMMENT_LENGTH) return { ok: false, message: `The comment is ${v.length} characters long; the limit is ${MAX_COMMENT_LENGTH}.` };
        steps.push((inc, by, nowText) => {
          inc.comments.push({ comment: v, createdBy: by, createdTime: nowText });
        });
        break;
      case 'redirectIncidentId':
        if (v !== null && !Number.isSafeInteger(v)) return { ok: false, message: "'redirectIncidentId' must be an incident id or null." };
        steps.push(inc => {
          inc.redirectIncidentId = v as number | null;
        });
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

type Checked = { ok: true; value: string } | { ok: false; message: string };

/**
 * A determination an API update may send: only the update page's family (reference §1). The resource
 * page's spellings (CompromisedUser, ConfirmedUserActivity, Clean, InsufficientData) and the deprecated
 * Apt/SecurityPersonnel are refused, naming the values valid for the classification the incident will have.
 * Stored (and read back) in the resource page's spelling.
 */
function writeDetermination(v: unknown, classification: unknown): Checked {
  const cls = isOneOf(DEFENDER_CLASSIFICATIONS, classification) ? classification : 'Unknown';
  const all = new Set(Object.values(DEFENDER_WRITE_DETERMINATIONS).flat());
  if (typeof v === 'string' && all.has(v)) return { ok: true, value: readSpelling(v) };
  const text = typeof v === 'string' ? v : JSON.stringify(v);
  const instead = typeof v === 'string' ? DEFENDER_WRITE_SPELLING[v] : undefined;
  // A read spelling on an unclassified incident: name the family it belongs to, which is what the caller meant.
  const family =
    cls === 'Unknown' && instead
      ? ((Object.keys(DEFENDER_WRITE_DETERMINATIONS) as (keyof typeof DEFENDER_WRITE_DETERMINATIONS)[]).find(c =>
          DEFENDER_WRITE_DETERMINATIONS[c].includes(instead),
        ) ?? cls)
      : cls;
  const why = instead ? ` ('${text}' is how reads spell it; an update must send '${instead}')` : '';
  return {
    ok: false,
    message: `'${text}' is not a valid value for 'determination'${why}. With classification '${family}', valid values: ${DEFENDER_WRITE_DETERMINATIONS[family].join(', ')}.`,
  };
}

/** Another analyst's edit (`/__mock/edit`) stands for the portal: any known spelling, stored as reads spell it. */
function editDetermination(v: unknown): Checked {
  if (!isOneOf(DEFENDER_DETERMINATIONS, v)) return { ok: false, message: badEnum('determination', v, DEFENDER_DETERMINATIONS) };
  return { ok: true, value: readSpelling(v) };
}

export type AlertChange = (alert: DefenderAlert, nowText: string) => void;

/** Alert patch with Defender spellings (New/InProgress/Resolved), used by the extension-only route. */
export function validateDefenderAlertPatch(body: unknown, current?: DefenderAlert): { ok: true; apply: AlertChange } | { ok: false; message: string } {
  if (!isRecord(body)) return { ok: false, message: 'The request body must be a JSON object.' };
  const keys = Object.keys(body);
  if (keys.length === 0) return { ok: false, message: 'The request body has no properties to update.' };
  const steps: AlertChange[] = [];
  for (const k of keys) {
    const v = body[k];
    switch (k) {
      case 'status':
        if (!isOneOf(DEFENDER_ALERT_STATUSES, v)) return { ok: false, message: badEnum(k, v, DEFENDER_ALERT_STATUSES) };
        steps.push((a, t) => {
          a.status = v;
          a.resolvedTime = v === 'Resolved' ? t : null;
        });
        break;
      case 'classification':
        if (!isOneOf(DEFENDER_CLASSIFICATIONS, v)) return { ok: false, message: badEnum(k, v, DEFENDER_CLASSIFICATIONS) };
        steps.push(a => {
          a.classification = v;
        });
        break;
      case 'determination': {
        const d = writeDetermination(v, body.classification ?? current?.classification);
        if (!d.ok) return d;
        steps.push(a => {
          a.determination = d.value;
        });
        break;
      }
      case 'assignedTo':
        if (v !== null && (typeof v !== 'string' || v.trim() === '' || v.length > MAX_USER_LENGTH)) {
          return { ok: false, message: `'assignedTo' must be a user principal name of at most ${MAX_USER_LENGTH} characters, or null.` };
        }
        steps.push(a => {
          a.assignedTo = v;
        });
        break;
      default:
        return {
          ok: false,
          message: `The property '${k}' cannot be updated on an alert. Updatable properties: status, assignedTo, classification, determination.`,
        };
    }
  }
  return {
    ok: true,
    apply: (a, t) => {
      for (const s of steps) s(a, t);
      a.lastUpdatedTime = t;
    },
  };
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
    if (k.startsWith('$') && !ALLOWED_OPTIONS.has(k))
      return defenderError(400, 'InvalidInput', `The query option '${k}' is not supported. Supported: $top, $skip, $filter.`);
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
  return { status: 200, body: { '@odata.context': CONTEXT, value: page.map(i => defenderView(i, ctx.tenantId)) } };
}

function getIncident(ctx: RequestContext, id: number): MockResponse {
  const inc = ctx.db.get(id);
  if (!inc) return notFound(id);
  return { status: 200, body: { '@odata.context': `${CONTEXT}/$entity`, ...defenderView(inc, ctx.tenantId) } };
}

function notFound(id: number): MockResponse {
  return defenderError(404, 'NotFound', `Incident ${id} was not found.`);
}

function patchIncident(ctx: RequestContext, id: number): MockResponse {
  const current = ctx.db.get(id);
  if (!current) return notFound(id);
  const v = validateIncidentPatch(ctx.body, ctx.extensions ? 'api+extensions' : 'api', current);
  if (!v.ok) return defenderError(400, 'InvalidInput', v.message);
  const nowText = wireTime(ctx.now());
  const inc = ctx.db.update(id, ctx.identity, i => v.apply(i, ctx.identity, nowText));
  return inc ? { status: 200, body: { '@odata.context': `${CONTEXT}/$entity`, ...defenderView(inc, ctx.tenantId) } } : notFound(id);
}

function patchAlert(ctx: RequestContext, alertId: string): MockResponse {
  const found = ctx.db.findAlert(alertId);
  if (!found) return defenderError(404, 'NotFound', `Alert ${alertId} was not found.`);
  const v = validateDefenderAlertPatch(ctx.body, found.alert);
  if (!v.ok) return defenderError(400, 'InvalidInput', v.message);
  const nowText = wireTime(ctx.now());
  ctx.db.update(found.incident.incidentId, ctx.identity, inc => {
    v.apply(found.alert, nowText);
    inc.lastUpdateTime = nowText;
  });
  return { status: 200, body: found.alert };
}
