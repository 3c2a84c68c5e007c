/**
 * Microsoft Graph security API v1.0 (`/v1.0/security/incidents`, `/v1.0/security/alerts_v2`).
 * Since December 2024 an incident's displayName, severity, description and resolvingComment are
 * writable too; alerts can be updated (the assign/resolve cascade). No `vscode` import.
 */
import type { Alert, AlertPatch, Comment, Incident, IncidentPatch } from '../../model/types';
import { toGraphEnum } from '../../model/enums';
import { InvalidResponseError } from '../errors';
import type { Backend, BackendCapabilities, CallOptions, CommentOptions, IncidentQuery, Page, ServerFilterField } from '../types';
import type { TokenProvider } from '../auth';
import { HttpClient, REQUESTS_PER_MINUTE, type HttpClientOptions, type PacerBudget, type SlidingWindowPacer } from '../http';
import {
  addCommentSafely, applyPatch, call, checkConflict, checkSupported, filterOnClient, odataAnyOf, odataDate, odataString, queryString,
  resolvingCommentLanded, writeCommentOnce, type SafeCommentOptions,
} from '../common';
import type { Json } from '../wire';
import { GRAPH_SOURCE, graphAlertPatchBody, graphPatchBody, mapGraphAlert, mapGraphCommentList, mapGraphIncident, mapGraphList } from './mapping';

export interface GraphClientOptions {
  baseUrl: string;
  tokens: TokenProvider;
  log: (line: string) => void;
  timeoutMs?: number;
  pacer?: SlidingWindowPacer;
  http?: Partial<Omit<HttpClientOptions, 'flavor' | 'baseUrl' | 'tokens' | 'log'>>;
  comments?: SafeCommentOptions;
}

const SERVER_FILTERS: readonly ServerFilterField[] = ['status', 'severity', 'assignedTo', 'classification', 'lastUpdateTime', 'createdTime'];
/** Graph answers 400 above 50 for incidents. */
const MAX_TOP = 50;
const INCIDENTS = '/v1.0/security/incidents';

export class GraphClient implements Backend {
  readonly capabilities: BackendCapabilities = {
    kind: 'graph',
    displayName: 'Microsoft Graph security API',
    canRename: true,
    canChangeSeverity: true,
    canUpdateAlerts: true,
    maxPageSize: MAX_TOP,
    serverFilters: SERVER_FILTERS,
    requestsPerMinute: REQUESTS_PER_MINUTE.graph,
  };
  private readonly http: HttpClient;

  constructor(private readonly opts: GraphClientOptions) {
    this.http = new HttpClient({
      ...opts.http,
      flavor: 'graph',
      baseUrl: opts.baseUrl,
      tokens: opts.tokens,
      log: opts.log,
      timeoutMs: opts.timeoutMs ?? opts.http?.timeoutMs,
      pacer: opts.pacer ?? opts.http?.pacer,
      // Without it, Graph folds newer enum members into unknownFutureValue and we would show less than it knows.
      headers: { ...opts.http?.headers, Prefer: 'include-unknown-enum-members' },
    });
  }

  async listIncidents(query: IncidentQuery, opts: CallOptions & { top?: number; cursor?: string | null } = {}): Promise<Page<Incident>> {
    const top = Math.max(1, Math.min(MAX_TOP, Math.floor(opts.top ?? MAX_TOP)));
    let path: string;
    if (opts.cursor) {
      if (!this.http.isSameOrigin(opts.cursor)) { throw new InvalidResponseError(`Invalid page cursor for the ${this.capabilities.displayName}.`); }
      path = opts.cursor;
    } else {
      path = `${INCIDENTS}${queryString([['$expand', 'alerts'], ['$filter', this.filter(query)], ['$top', top]])}`;
    }
    const res = await this.http.request({ ...call(opts), method: 'GET', path });
    const list = mapGraphList(res.data);
    // A nextLink to another host is dropped: the token only ever goes to the configured origin.
    const next = list.nextLink && this.http.isSameOrigin(list.nextLink) ? list.nextLink : null;
    return { items: filterOnClient(list.items, query, SERVER_FILTERS), next };
  }

  async getIncident(id: string, opts: CallOptions = {}): Promise<Incident> {
    const res = await this.http.request({ ...call(opts), method: 'GET', path: `${INCIDENTS}/${encodeURIComponent(id)}?$expand=alerts`, what: `Incident ${id}` });
    return mapGraphIncident(res.data);
  }

  async updateIncident(id: string, patch: IncidentPatch, opts: CommentOptions & { expected?: Incident } = {}): Promise<Incident> {
    checkSupported(patch, this.capabilities);
    const comment = patch.resolvingComment?.trim() ? patch.resolvingComment : undefined;
    let before: Incident | undefined;
    if (opts.expected) {
      before = await this.getIncident(id, call(opts));
      checkConflict(opts.expected, before);
    } else if (comment) {
      // What the resolving comment is checked against should the answer be lost.
      before = await this.getIncident(id, call(opts));
    }
    const path = `${INCIDENTS}/${encodeURIComponent(id)}`;
    const body = graphBody(patch);
    /** The PATCH answer has no $expand: keep the alerts just read rather than showing none. */
    const fromAnswer = (data: unknown): Incident | undefined => {
      if (data === undefined) { return undefined; }
      const incident = mapGraphIncident(data);
      const hasAlerts = typeof data === 'object' && data !== null && 'alerts' in data;
      if (hasAlerts) { return incident; }
      return before ? { ...incident, alerts: before.alerts } : undefined;
    };
    if (comment && before) {
      // The resolving comment goes in the same PATCH. Should Graph also list it as a comment, a blind
      // resend would post it twice: it is sent the comment's way.
      const snapshot = before;
      return writeCommentOnce<Incident>(comment, {
        ...this.opts.comments,
        before: snapshot,
        author: opts.author,
        onSnapshot: opts.onSnapshot,
        send: async signal => (await this.http.request({ method: 'PATCH', path, body, retry: false, signal, what: `Incident ${id}` })).data,
        fromAnswer,
        reread: signal => this.getIncident(id, { signal }),
        comments: i => i.comments,
        landed: (b, n) => resolvingCommentLanded(b, n, comment, opts.author),
        assumeLanded: b => applyPatch(b, patch),
      }, call(opts));
    }
    if (!Object.keys(body).length) { return before ?? this.getIncident(id, call(opts)); }
    const res = await this.http.request({ ...call(opts), method: 'PATCH', path, body, what: `Incident ${id}` });
    return fromAnswer(res.data) ?? this.getIncident(id, call(opts));
  }

  async addComment(id: string, text: string, opts: CommentOptions = {}): Promise<Comment[]> {
    const path = `${INCIDENTS}/${encodeURIComponent(id)}/comments`;
    return addCommentSafely(text, {
      ...this.opts.comments,
      author: opts.author,
      onSnapshot: opts.onSnapshot,
      send: async signal => (await this.http.request({
        method: 'POST', path, signal, what: `Incident ${id}`,
        body: { '@odata.type': 'microsoft.graph.security.alertComment', comment: text },
      })).data,
      fromAnswer: data => (data === undefined ? undefined : mapGraphCommentList(data)),
      reread: async signal => (await this.getIncident(id, { signal })).comments,
    }, call(opts));
  }

  async updateAlert(alertId: string, patch: AlertPatch, opts: CallOptions = {}): Promise<Alert> {
    const path = `/v1.0/security/alerts_v2/${encodeURIComponent(alertId)}`;
    const res = await this.http.request({ ...call(opts), method: 'PATCH', path, body: graphAlertPatchBody(patch), what: `Alert ${alertId}` });
    if (res.data !== undefined) { return mapGraphAlert(res.data); }
    const got = await this.http.request({ ...call(opts), method: 'GET', path, what: `Alert ${alertId}` });
    if (got.data === undefined) { throw new InvalidResponseError(`${GRAPH_SOURCE}: GET ${path} returned no alert.`); }
    return mapGraphAlert(got.data);
  }

  budget(): PacerBudget[] { return this.http.budget(); }

  dispose(): void { this.http.dispose(); }

  private filter(q: IncidentQuery): string | undefined {
    const parts: string[] = [];
    if (q.statuses?.length) { parts.push(odataAnyOf('status', q.statuses.map(s => odataString(toGraphEnum('status', s))))); }
    if (q.severities?.length) { parts.push(odataAnyOf('severity', q.severities.map(s => odataString(toGraphEnum('severity', s))))); }
    if (q.classifications?.length) {
      parts.push(odataAnyOf('classification', q.classifications.map(c => odataString(toGraphEnum('classification', c)))));
    }
    if (typeof q.assignedTo === 'string') { parts.push(`assignedTo eq ${odataString(q.assignedTo)}`); }
    if (q.updatedSince) { parts.push(`lastUpdateDateTime ge ${odataDate(q.updatedSince, 'updatedSince')}`); }
    if (q.createdSince) { parts.push(`createdDateTime ge ${odataDate(q.createdSince, 'createdSince')}`); }
    if (q.createdBefore) { parts.push(`createdDateTime lt ${odataDate(q.createdBefore, 'createdBefore')}`); }
    return parts.length ? parts.join(' and ') : undefined;
  }
}

/**
 * The PATCH body in Graph's names: the mapping's fields plus those writable since December 2024
 * (displayName, severity, description, resolvingComment), whichever the mapping does not add itself.
 */
function graphBody(patch: IncidentPatch & { description?: string | null }): Json {
  const { resolvingComment, ...fields } = patch;
  const body = graphPatchBody(fields);
  if (patch.name !== undefined && body.displayName === undefined) { body.displayName = patch.name; }
  if (patch.severity !== undefined && body.severity === undefined) { body.severity = toGraphEnum('severity', patch.severity); }
  if (patch.description !== undefined && body.description === undefined) { body.description = patch.description; }
  if (resolvingComment?.trim()) { body.resolvingComment = resolvingComment; }
  return body;
}
