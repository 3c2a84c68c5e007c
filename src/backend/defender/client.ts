/**
 * Microsoft Defender XDR incidents API (`/api/incidents`), and the built-in mock, which speaks the same
 * dialect plus rename, severity and `PATCH /api/alerts/{id}`. No `vscode` import.
 */
import type { Alert, AlertPatch, Comment, Incident, IncidentPatch } from '../../model/types';
import { toDefenderEnum } from '../../model/enums';
import { InvalidResponseError, UnsupportedError } from '../errors';
import type { Backend, BackendCapabilities, CallOptions, IncidentQuery, Page, ServerFilterField } from '../types';
import type { TokenProvider } from '../auth';
import { HttpClient, REQUESTS_PER_MINUTE, type HttpClientOptions, type SlidingWindowPacer } from '../http';
import {
  addCommentSafely, call, checkConflict, checkSupported, filterOnClient, odataAnyOf, odataDate, odataString, queryString, type SafeCommentDeps,
} from '../common';
import { DEFENDER_SOURCE, defenderAlertPatchBody, defenderPatchBody, mapDefenderAlert, mapDefenderIncident, mapDefenderList } from './mapping';

export interface DefenderClientOptions {
  baseUrl: string;
  tokens: TokenProvider;
  log: (line: string) => void;
  /** The built-in mock: can rename, change severity and update alerts via PATCH /api/alerts/{id}. */
  mock?: boolean;
  timeoutMs?: number;
  pacer?: SlidingWindowPacer;
  /** Test seam: retry counts, backoff, clock. */
  http?: Partial<Omit<HttpClientOptions, 'flavor' | 'baseUrl' | 'tokens' | 'log'>>;
  /** Test seam for the comment resend logic. */
  comments?: Partial<Omit<SafeCommentDeps, 'send' | 'reread'>>;
}

const SERVER_FILTERS: readonly ServerFilterField[] = ['status', 'assignedTo', 'lastUpdateTime', 'createdTime'];
const MAX_TOP = 100;

export class DefenderClient implements Backend {
  readonly capabilities: BackendCapabilities;
  private readonly http: HttpClient;

  constructor(private readonly opts: DefenderClientOptions) {
    const mock = opts.mock === true;
    this.http = new HttpClient({
      ...opts.http,
      flavor: mock ? 'mock' : 'defender',
      baseUrl: opts.baseUrl,
      tokens: opts.tokens,
      log: opts.log,
      timeoutMs: opts.timeoutMs ?? opts.http?.timeoutMs,
      pacer: opts.pacer ?? opts.http?.pacer,
    });
    this.capabilities = {
      kind: mock ? 'mock' : 'defender',
      displayName: mock ? 'mock backend' : 'Microsoft Defender XDR API',
      canRename: mock,
      canChangeSeverity: mock,
      canUpdateAlerts: mock,
      maxPageSize: MAX_TOP,
      serverFilters: SERVER_FILTERS,
      requestsPerMinute: REQUESTS_PER_MINUTE[mock ? 'mock' : 'defender'],
    };
  }

  async listIncidents(query: IncidentQuery, opts: CallOptions & { top?: number; cursor?: string | null } = {}): Promise<Page<Incident>> {
    const top = Math.max(1, Math.min(MAX_TOP, Math.floor(opts.top ?? MAX_TOP)));
    let path: string;
    let skip = 0;
    if (opts.cursor && /^https?:/i.test(opts.cursor)) {
      path = opts.cursor;
    } else {
      skip = opts.cursor ? Number(opts.cursor) : 0;
      if (!Number.isInteger(skip) || skip < 0) { throw new InvalidResponseError(`Invalid page cursor "${opts.cursor}".`); }
      path = `/api/incidents${queryString([['$filter', this.filter(query)], ['$top', top], ['$skip', skip || undefined]])}`;
    }
    const res = await this.http.request({ ...call(opts), method: 'GET', path });
    const list = mapDefenderList(res.data);
    let next: string | null = null;
    if (list.nextLink && this.http.isSameOrigin(list.nextLink)) {
      next = list.nextLink;
    } else if (!/^https?:/i.test(path) && list.rawCount >= top) {
      // No (usable) nextLink: a full page means there may be more. A foreign-host link is never followed.
      next = String(skip + list.rawCount);
    }
    return { items: filterOnClient(list.items, query, SERVER_FILTERS), next };
  }

  async getIncident(id: string, opts: CallOptions = {}): Promise<Incident> {
    const res = await this.http.request({ ...call(opts), method: 'GET', path: `/api/incidents/${encodeURIComponent(id)}`, what: `Incident ${id}` });
    return mapDefenderIncident(res.data);
  }

  async updateIncident(id: string, patch: IncidentPatch, opts: CallOptions & { expected?: Incident } = {}): Promise<Incident> {
    checkSupported(patch, this.capabilities);
    const { resolvingComment, ...fields } = patch;
    if (opts.expected) {
      checkConflict(opts.expected, await this.getIncident(id, call(opts)));
    }
    const body = defenderPatchBody(fields);
    let incident: Incident | undefined;
    if (Object.keys(body).length) {
      const res = await this.http.request({ ...call(opts), method: 'PATCH', path: `/api/incidents/${encodeURIComponent(id)}`, body, what: `Incident ${id}` });
      incident = res.data === undefined ? undefined : mapDefenderIncident(res.data);
    }
    if (resolvingComment) {
      // Sent apart from the field PATCH so that one can be retried safely; the comment goes the safe way.
      await this.addComment(id, resolvingComment, call(opts));
      incident = undefined;
    }
    return incident ?? this.getIncident(id, call(opts));
  }

  async addComment(id: string, text: string, opts: CallOptions = {}): Promise<Comment[]> {
    const path = `/api/incidents/${encodeURIComponent(id)}`;
    return addCommentSafely(text, {
      ...this.opts.comments,
      send: async signal => {
        // A PATCH with a comment appends: not idempotent, so no blind retry in the HTTP layer.
        const res = await this.http.request({ method: 'PATCH', path, body: { comment: text }, retry: false, signal, what: `Incident ${id}` });
        return res.data === undefined ? (await this.getIncident(id, { signal })).comments : mapDefenderIncident(res.data).comments;
      },
      reread: async signal => (await this.getIncident(id, { signal })).comments,
    }, opts);
  }

  async updateAlert(alertId: string, patch: AlertPatch, opts: CallOptions = {}): Promise<Alert> {
    if (!this.capabilities.canUpdateAlerts) {
      throw new UnsupportedError('The Microsoft Defender XDR API cannot update alerts; use the Graph backend or the Defender portal.');
    }
    const body = defenderAlertPatchBody(patch);
    const res = await this.http.request({ ...call(opts), method: 'PATCH', path: `/api/alerts/${encodeURIComponent(alertId)}`, body, what: `Alert ${alertId}` });
    if (res.data === undefined) { throw new InvalidResponseError(`${DEFENDER_SOURCE}: PATCH /api/alerts/${alertId} returned no alert.`); }
    return mapDefenderAlert(res.data, '');
  }

  dispose(): void { this.http.dispose(); }

  /** Only the fields the API filters on; severity and classification are filtered after fetching. */
  private filter(q: IncidentQuery): string | undefined {
    const parts: string[] = [];
    if (q.statuses?.length) { parts.push(odataAnyOf('status', q.statuses.map(s => odataString(toDefenderEnum('status', s))))); }
    if (typeof q.assignedTo === 'string') { parts.push(`assignedTo eq ${odataString(q.assignedTo)}`); }
    if (q.updatedSince) { parts.push(`lastUpdateTime ge ${odataDate(q.updatedSince, 'updatedSince')}`); }
    if (q.createdSince) { parts.push(`createdTime ge ${odataDate(q.createdSince, 'createdSince')}`); }
    if (q.createdBefore) { parts.push(`createdTime lt ${odataDate(q.createdBefore, 'createdBefore')}`); }
    return parts.length ? parts.join(' and ') : undefined;
  }
}
