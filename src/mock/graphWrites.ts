/**
 * The Graph dialect's writes (graph.ts routes them): PATCH of an incident and of an alert, POST of a
 * comment, each checked as the service checks it (read-only and unknown properties, enum members, limits)
 * before anything is applied.
 */
import type { MockResponse, RequestContext } from './http';
import { isRecord } from './db';
import { MAX_COMMENT_LENGTH, MAX_NAME_LENGTH, MAX_TAG_LENGTH, MAX_TAGS, MAX_USER_LENGTH } from './limits';
import { wireTime, type DefenderAlert, type DefenderIncident } from './wire';
import {
  ALERT_STATUS,
  ALERT_STATUS_FROM_GRAPH,
  CLASSIFICATION,
  CLASSIFICATION_FROM_GRAPH,
  DETERMINATION,
  DETERMINATION_FROM_GRAPH,
  GRAPH_META,
  graphComment,
  graphError,
  graphOptions,
  INCIDENT_STATUS,
  SEVERITY_FROM_GRAPH,
  STATUS_FROM_GRAPH,
  toGraphAlert,
  toGraphIncident,
  type GraphEnum,
} from './graphWire';

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

export function patchIncident(ctx: RequestContext, inc: DefenderIncident): MockResponse {
  if (!isRecord(ctx.body)) return graphError(ctx, 400, 'BadRequest', 'The request body must be a JSON object.');
  const o = graphOptions(ctx);
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

export function postComment(ctx: RequestContext, inc: DefenderIncident): MockResponse {
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

export function patchAlert(ctx: RequestContext, inc: DefenderIncident, alert: DefenderAlert): MockResponse {
  if (!isRecord(ctx.body)) return graphError(ctx, 400, 'BadRequest', 'The request body must be a JSON object.');
  const o = graphOptions(ctx);
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
