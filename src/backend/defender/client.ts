/**
 * Microsoft Defender XDR incidents API (`/api/incidents`), and the built-in mock, which speaks the same
 * dialect plus rename, severity and `PATCH /api/alerts/{id}`. No `vscode` import.
 */
import type { Alert, AlertPatch, Comment, Incident, IncidentPatch } from '../../model/types';
import { toDefenderEnum } from '../../model/enums';
import { BackendError, InvalidResponseError, UnsupportedError } from '../errors';
import type { Backend, BackendCapabilities, CallOptions, CommentOptions, IncidentQuery, Page, ServerFilterField } from '../types';
import type { TokenProvider } from '../auth';
import { HttpClient, REQUESTS_PER_HOUR, REQUESTS_PER_MINUTE, type HttpClientOptions, type PacerBudget, type SlidingWindowPacer } from '../http';
import {
  addCommentSafely, applyPatch, call, checkConflict, checkSupported, filterOnClient, odataAnyOf, odataDate, odataString, queryString,
  writeCommentOnce, type SafeCommentOptions,
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
  comments?: SafeCommentOptions;
}

const SERVER_FILTERS: readonly ServerFilterField[] = ['status', 'assignedTo', 'lastUpdateTime', 'createdTime'];
const MAX_TOP = 100;

export class DefenderClient implements Backend {
  readonly capabilities: BackendCapabilities;
  private readonly http: HttpClient;
  /**
   * `$filter` with `or` is not documented for this API: once the server refuses one (400), several
   * statuses are filtered on the client for the rest of this client's life.
   */
  private statusOrRefused = false;

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
    const perHour = REQUESTS_PER_HOUR[mock ? 'mock' : 'defender'];
    this.capabilities = {
      kind: mock ? 'mock' : 'defender',
      displayName: mock ? 'mock backend' : 'Microsoft Defender XDR API',
      canRename: mock,
      canChangeSeverity: mock,
      canUpdateAlerts: mock,
      maxPageSize: MAX_TOP,
      serverFilters: SERVER_FILTERS,
      requestsPerMinute: REQUESTS_PER_MINUTE[mock ? 'mock' : 'defender'],
      ...(perHour !== null ? { requestsPerHour: perHour } : {}),
    };
  }

  async listIncidents(query: IncidentQuery, opts: CallOptions & { top?: number; cursor?: string | null } = {}): Promise<Page<Incident>> {
    const top = Math.max(1, Math.min(MAX_TOP, Math.floor(opts.top ?? MAX_TOP)));
    const byLink = !!opts.cursor && /^https?:/i.test(opts.cursor);
    const skip = byLink || !opts.cursor ? 0 : Number(opts.cursor);
    if (!Number.isInteger(skip) || skip < 0) { throw new InvalidResponseError(`Invalid page cursor "${opts.cursor}".`); }
    const pathFor = (): string => (byLink && opts.cursor ? opts.cursor
      : `/api/incidents${queryString([['$filter', this.filter(query)], ['$top', top], ['$skip', skip || undefined]])}`);
    let path = pathFor();
    let res;
    try {
      res = await this.http.request({ ...call(opts), method: 'GET', path });
    } catch (e) {
      if (!(e instanceof BackendError && e.status === 400) || byLink || this.statusOrRefused || !this.sendsStatusOr(query)) { throw e; }
      // Refused: try once without the `or` part; only if that works is the server's refusal the `or`.
      this.statusOrRefused = true;
      path = pathFor();
      try {
        res = await this.http.request({ ...call(opts), method: 'GET', path });
      } catch (e2) {
        this.statusOrRefused = false;
        throw e2;
      }
      this.opts.log(`${this.capabilities.displayName}: the server refused a $filter with "or" (400: ${e.message}); filtering several statuses on the client from now on.`);
    }
    const list = mapDefenderList(res.data);
    let next: string | null = null;
    if (list.nextLink && this.http.isSameOrigin(list.nextLink)) {
      next = list.nextLink;
    } else if (!/^https?:/i.test(path) && list.rawCount >= top) {
      // No (usable) nextLink: a full page means there may be more. A foreign-host link is never followed.
      next = String(skip + list.rawCount);
    }
    return { items: filterOnClient(list.items, query, this.serverFilters(query)), next };
  }

  async getIncident(id: string, opts: CallOptions = {}): Promise<Incident> {
    const res = await this.http.request({ ...call(opts), method: 'GET', path: `/api/incidents/${encodeURIComponent(id)}`, what: `Incident ${id}` });
    return mapDefenderIncident(res.data);
  }

  async updateIncident(id: string, patch: IncidentPatch, opts: CommentOptions & { expected?: Incident } = {}): Promise<Incident> {
    checkSupported(patch, this.capabilities);
    const { resolvingComment, ...fields } = patch;
    let before: Incident | undefined;
    if (opts.expected) {
      before = await this.getIncident(id, call(opts));
      checkConflict(opts.expected, before);
    }
    const path = `/api/incidents/${encodeURIComponent(id)}`;
    const body = defenderPatchBody(fields);
    if (resolvingComment?.trim()) {
      // One PATCH carries the fields and the comment. It appends a comment, so it is sent the comment's
      // way: never blindly again. The comment landing means the whole PATCH did (one request, one change).
      body.comment = resolvingComment;
      return writeCommentOnce<Incident>(resolvingComment, {
        ...this.opts.comments,
        before,
        author: opts.author,
        onSnapshot: opts.onSnapshot,
        send: async signal => (await this.http.request({ method: 'PATCH', path, body, retry: false, signal, what: `Incident ${id}` })).data,
        fromAnswer: data => (data === undefined ? undefined : mapDefenderIncident(data)),
        reread: signal => this.getIncident(id, { signal }),
        comments: i => i.comments,
        assumeLanded: (b, c) => ({ ...applyPatch(b, fields), comments: [...b.comments, c] }),
      }, call(opts));
    }
    if (!Object.keys(body).length) { return before ?? this.getIncident(id, call(opts)); }
    const res = await this.http.request({ ...call(opts), method: 'PATCH', path, body, what: `Incident ${id}` });
    return res.data === undefined ? this.getIncident(id, call(opts)) : mapDefenderIncident(res.data);
  }

  async addComment(id: string, text: string, opts: CommentOptions = {}): Promise<Comment[]> {
    const path = `/api/incidents/${encodeURIComponent(id)}`;
    return addCommentSafely(text, {
      ...this.opts.comments,
      author: opts.author,
      onSnapshot: opts.onSnapshot,
      // A PATCH with a comment appends: not idempotent, so no blind retry in the HTTP layer.
      send: async signal => (await this.http.request({ method: 'PATCH', path, body: { comment: text }, retry: false, signal, what: `Incident ${id}` })).data,
      fromAnswer: data => (data === undefined ? undefined : mapDefenderIncident(data).comments),
      reread: async signal => (await this.getIncident(id, { signal })).comments,
    }, call(opts));
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

  budget(): PacerBudget[] { return this.http.budget(); }

  dispose(): void { this.http.dispose(); }

  /** Whether the server query for `q` carries `status eq a or status eq b`. */
  private sendsStatusOr(q: IncidentQuery): boolean {
    return (q.statuses?.length ?? 0) > 1;
  }

  /** The query fields the server filtered on for `q` (the rest are filtered here). */
  private serverFilters(q: IncidentQuery): readonly ServerFilterField[] {
    return this.statusOrRefused && this.sendsStatusOr(q) ? SERVER_FILTERS.filter(f => f !== 'status') : SERVER_FILTERS;
  }

  /** Only the fields the API filters on; severity and classification are filtered after fetching. */
  private filter(q: IncidentQuery): string | undefined {
    const parts: string[] = [];
    if (q.statuses?.length && !(this.statusOrRefused && this.sendsStatusOr(q))) {
      parts.push(odataAnyOf('status', q.statuses.map(s => odataString(toDefenderEnum('status', s)))));
    }
    if (typeof q.assignedTo === 'string') { parts.push(`assignedTo eq ${odataString(q.assignedTo)}`); }
    if (q.updatedSince) { parts.push(`lastUpdateTime ge ${odataDate(q.updatedSince, 'updatedSince')}`); }
    if (q.createdSince) { parts.push(`createdTime ge ${odataDate(q.createdSince, 'createdSince')}`); }
    if (q.createdBefore) { parts.push(`createdTime lt ${odataDate(q.createdBefore, 'createdBefore')}`); }
    return parts.length ? parts.join(' and ') : undefined;
  }
}
