/**
 * Microsoft Graph security API v1.0 (`/v1.0/security/incidents`, `/v1.0/security/alerts_v2`).
 * Incidents cannot be renamed or re-rated here; alerts can be updated (the assign/resolve cascade).
 * No `vscode` import.
 */
import type { Alert, AlertPatch, Comment, Incident, IncidentPatch } from '../../model/types';
import { toGraphEnum } from '../../model/enums';
import { InvalidResponseError } from '../errors';
import type { Backend, BackendCapabilities, CallOptions, IncidentQuery, Page, ServerFilterField } from '../types';
import type { TokenProvider } from '../auth';
import { HttpClient, REQUESTS_PER_MINUTE, type HttpClientOptions, type SlidingWindowPacer } from '../http';
import {
  addCommentSafely, call, checkConflict, checkSupported, filterOnClient, odataAnyOf, odataDate, odataString, queryString, type SafeCommentDeps,
} from '../common';
import { GRAPH_SOURCE, graphAlertPatchBody, graphPatchBody, mapGraphAlert, mapGraphCommentList, mapGraphIncident, mapGraphList } from './mapping';

export interface GraphClientOptions {
  baseUrl: string;
  tokens: TokenProvider;
  log: (line: string) => void;
  timeoutMs?: number;
  pacer?: SlidingWindowPacer;
  http?: Partial<Omit<HttpClientOptions, 'flavor' | 'baseUrl' | 'tokens' | 'log'>>;
  comments?: Partial<Omit<SafeCommentDeps, 'send' | 'reread'>>;
}

const SERVER_FILTERS: readonly ServerFilterField[] = ['status', 'severity', 'assignedTo', 'classification', 'lastUpdateTime', 'createdTime'];
/** Graph answers 400 above 50 for incidents. */
const MAX_TOP = 50;
const INCIDENTS = '/v1.0/security/incidents';

export class GraphClient implements Backend {
  readonly capabilities: BackendCapabilities = {
    kind: 'graph',
    displayName: 'Microsoft Graph security API',
    canRename: false,
    canChangeSeverity: false,
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

  async updateIncident(id: string, patch: IncidentPatch, opts: CallOptions & { expected?: Incident } = {}): Promise<Incident> {
    checkSupported(patch, this.capabilities);
    const { resolvingComment, ...fields } = patch;
    let before: Incident | undefined;
    if (opts.expected) {
      before = await this.getIncident(id, call(opts));
      checkConflict(opts.expected, before);
    }
    const body = graphPatchBody(fields);
    let incident: Incident | undefined;
    if (Object.keys(body).length) {
      const res = await this.http.request({ ...call(opts), method: 'PATCH', path: `${INCIDENTS}/${encodeURIComponent(id)}`, body, what: `Incident ${id}` });
      if (res.data !== undefined) {
        incident = mapGraphIncident(res.data);
        // The PATCH answer has no $expand: keep the alerts we just read rather than showing none.
        const hasAlerts = typeof res.data === 'object' && res.data !== null && 'alerts' in res.data;
        if (!hasAlerts) { incident = before ? { ...incident, alerts: before.alerts } : undefined; }
      }
    }
    if (resolvingComment) {
      await this.addComment(id, resolvingComment, call(opts));
      incident = undefined;
    }
    return incident ?? this.getIncident(id, call(opts));
  }

  async addComment(id: string, text: string, opts: CallOptions = {}): Promise<Comment[]> {
    const path = `${INCIDENTS}/${encodeURIComponent(id)}/comments`;
    return addCommentSafely(text, {
      ...this.opts.comments,
      send: async signal => {
        const res = await this.http.request({
          method: 'POST', path, signal, what: `Incident ${id}`,
          body: { '@odata.type': 'microsoft.graph.security.alertComment', comment: text },
        });
        return res.data === undefined ? (await this.getIncident(id, { signal })).comments : mapGraphCommentList(res.data);
      },
      reread: async signal => (await this.getIncident(id, { signal })).comments,
    }, opts);
  }

  async updateAlert(alertId: string, patch: AlertPatch, opts: CallOptions = {}): Promise<Alert> {
    const path = `/v1.0/security/alerts_v2/${encodeURIComponent(alertId)}`;
    const res = await this.http.request({ ...call(opts), method: 'PATCH', path, body: graphAlertPatchBody(patch), what: `Alert ${alertId}` });
    if (res.data !== undefined) { return mapGraphAlert(res.data); }
    const got = await this.http.request({ ...call(opts), method: 'GET', path, what: `Alert ${alertId}` });
    if (got.data === undefined) { throw new InvalidResponseError(`${GRAPH_SOURCE}: GET ${path} returned no alert.`); }
    return mapGraphAlert(got.data);
  }

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
