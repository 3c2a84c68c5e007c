/**
 * The skeleton both real clients share: list paging and the server/client split of the filter, get,
 * update with the conflict check and what the backend cannot write, the resolving comment and the
 * comment that land exactly once, and alert updates (the assign/resolve cascade). Each dialect fills in
 * its paths, wire mapping and body names as small hooks (src/backend/defender/client.ts,
 * src/backend/graph/client.ts). No `vscode` import.
 */
import type { Alert, AlertPatch, Comment, Incident, IncidentPatch } from '../model/types';
import { QueryValueError, type IncidentQuery, type ServerFilterField } from '../model/query';
import { planQuery, type QueryPlan } from '../model/serverQuery';
import type { TokenProvider } from './auth';
import { addCommentSafely, applyPatch, call, checkConflict, checkSupported, newCommentLanded, writeCommentOnce, type SafeCommentOptions } from './common';
import { BackendError, InvalidResponseError, UnsupportedError } from './errors';
import { HttpClient, type HttpClientOptions } from './http';
import type { HttpMethod } from './transport';
import type { ODataDialect } from '../model/query';
import type { HttpFlavor, PacerBudget, SlidingWindowPacer } from './pacer';
import type { Backend, BackendCapabilities, CallOptions, CommentOptions, Page } from './types';
import type { Json } from './wire';

export interface ClientOptions {
  baseUrl: string;
  tokens: TokenProvider;
  log: (line: string) => void;
  timeoutMs?: number;
  pacer?: SlidingWindowPacer;
  /** Test seam: retry counts, backoff, clock. */
  http?: Partial<Omit<HttpClientOptions, 'flavor' | 'baseUrl' | 'tokens' | 'log'>>;
  /** Test seam for the comment resend logic. */
  comments?: SafeCommentOptions;
}

/** One page of a list answer, mapped. `rawCount` counts what the server sent, before the client's filter. */
export interface WireList {
  items: Incident[];
  nextLink: string | null;
  rawCount: number;
  /** The list's size as the server counted it (`@odata.count`), where the dialect asks for it. */
  total?: number;
}

/** A filter the server refused and how to do without it (Defender's `or`), for the rest of the client's life. */
export interface FilterFallback {
  apply(): void;
  undo(): void;
  message: string;
}

export abstract class BaseClient implements Backend {
  abstract readonly capabilities: BackendCapabilities;
  protected readonly http: HttpClient;

  // ---- the dialect's hooks -----------------------------------------------------------------------

  /** Property names and enum spellings of `$filter`. */
  protected abstract readonly odata: ODataDialect;
  /** Whether a full page without a nextLink continues by `$skip` (Defender) or ends the list (Graph). */
  protected abstract readonly skipPaging: boolean;
  /** Whether an empty answer to an alert PATCH is read back (Graph) or is an error (Defender's mock). */
  protected abstract readonly rereadAlert: boolean;
  /** Names the API in an invalid-answer message. */
  protected abstract readonly source: string;
  protected abstract listPath(filter: string | undefined, top: number, skip: number): string;
  /** Where an incident is read. */
  protected abstract readPath(id: string): string;
  /** Where an incident is updated. */
  protected abstract incidentPath(id: string): string;
  protected abstract mapList(data: unknown): WireList;
  protected abstract mapIncident(data: unknown): Incident;
  /** The PATCH body in the dialect's names, with the resolving comment (when there is one) where the API takes it. */
  protected abstract patchBody(patch: IncidentPatch, comment: string | undefined): Json;
  /** The request that appends a comment (Defender: PATCH `comment`; Graph: POST `.../comments`). */
  protected abstract commentRequest(id: string, text: string): { method: HttpMethod; path: string; body: Json };
  protected abstract commentsFromAnswer(data: unknown): Comment[];
  protected abstract alertPath(alertId: string): string;
  protected abstract alertBody(patch: AlertPatch): Json;
  protected abstract mapAlert(data: unknown): Alert;

  /** The fields the server filters on for this query (the caller's own filter matches the rest). */
  protected serverFiltersFor(_q: IncidentQuery): readonly ServerFilterField[] {
    return this.capabilities.serverFilters;
  }

  /** How to go on without a part of the filter the server refused; undefined = the error stands. */
  protected refusedFilter(_e: unknown, _q: IncidentQuery): FilterFallback | undefined {
    return undefined;
  }

  /** The incident a write's answer carries; undefined = read it back. `before` is the copy read just before, if any. */
  protected fromWriteAnswer(data: unknown, _before: Incident | undefined): Incident | undefined {
    return data === undefined ? undefined : this.mapIncident(data);
  }

  /** Whether the resolving comment landed, judged from the incident before and now. Default: one more such comment. */
  protected resolvingLanded(before: Incident, now: Incident, comment: string, author: string | undefined): boolean {
    return newCommentLanded(before.comments, now.comments, comment, author);
  }

  /** What to show after a resolving write that landed but whose answer and read-back were both lost. */
  protected assumeResolved(before: Incident, patch: IncidentPatch, comment: Comment): Incident {
    const { resolvingComment: _sentAsComment, ...fields } = patch;
    return { ...applyPatch(before, fields), comments: [...before.comments, comment] };
  }

  // ---- the shared skeleton -----------------------------------------------------------------------

  protected constructor(
    protected readonly opts: ClientOptions,
    flavor: HttpFlavor,
    headers?: Record<string, string>,
  ) {
    this.http = new HttpClient({
      ...opts.http,
      flavor,
      baseUrl: opts.baseUrl,
      tokens: opts.tokens,
      log: opts.log,
      timeoutMs: opts.timeoutMs ?? opts.http?.timeoutMs,
      pacer: opts.pacer ?? opts.http?.pacer,
      ...(headers ? { headers: { ...opts.http?.headers, ...headers } } : {}),
    });
  }

  async listIncidents(query: IncidentQuery, opts: CallOptions & { top?: number; cursor?: string | null } = {}): Promise<Page<Incident>> {
    const max = this.capabilities.maxPageSize;
    const top = Math.max(1, Math.min(max, Math.floor(opts.top ?? max)));
    const link = opts.cursor && /^https?:/i.test(opts.cursor) ? opts.cursor : undefined;
    const skip = link || !opts.cursor ? 0 : Number(opts.cursor);
    // A cursor is a nextLink of this very list (same origin and path) or (where the API pages by $skip) a
    // count; the token never leaves the origin, nor goes to another resource of it.
    if (link ? !this.isOwnListLink(link) : opts.cursor && !(this.skipPaging && Number.isInteger(skip) && skip >= 0)) {
      throw new InvalidResponseError(`Invalid page cursor for the ${this.capabilities.displayName}.`);
    }
    let plan = this.plan(query);
    const get = (): Promise<{ data: unknown }> => this.http.request({ ...call(opts), method: 'GET', path: link ?? this.listPath(plan.filter, top, skip) });
    let res: { data: unknown };
    try {
      res = await get();
    } catch (e) {
      const fallback = link ? undefined : this.refusedFilter(e, query);
      if (!fallback) {
        throw e;
      }
      // Try once without the refused part; only if that works was the refusal about it.
      fallback.apply();
      plan = this.plan(query);
      try {
        res = await get();
      } catch (e2) {
        fallback.undo();
        throw e2;
      }
      this.opts.log(fallback.message);
    }
    const list = this.mapList(res.data);
    let next: string | null = null;
    if (list.nextLink && this.isOwnListLink(list.nextLink)) {
      next = list.nextLink;
    } else if (!link && this.skipPaging && list.rawCount >= top) {
      // No (usable) nextLink: a full page means there may be more. A foreign-host link is never followed.
      next = String(skip + list.rawCount);
    }
    // What the server matched, as it matched it: the caller runs its whole filter once, and that covers what
    // the plan did not send. The count is the server's too; only the first page carries it.
    const items = list.items;
    return !link && list.total !== undefined ? { items, next, total: list.total } : { items, next };
  }

  /** A nextLink that pages this client's incident list: same origin, same path (any query). */
  private isOwnListLink(link: string): boolean {
    return this.http.isSameResource(link, this.listPath(undefined, 1, 0));
  }

  /** The `$filter` the server runs (the model's plan); a value that cannot be sent is a bad request. */
  private plan(query: IncidentQuery): QueryPlan {
    try {
      return planQuery(query, this.serverFiltersFor(query), this.odata);
    } catch (e) {
      if (e instanceof QueryValueError) {
        throw new BackendError('badRequest', e.message);
      }
      throw e;
    }
  }

  async getIncident(id: string, opts: CallOptions = {}): Promise<Incident> {
    const res = await this.http.request({ ...call(opts), method: 'GET', path: this.readPath(id), what: `Incident ${id}` });
    return this.mapIncident(res.data);
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
    const path = this.incidentPath(id);
    const body = this.patchBody(patch, comment);
    if (comment && before) {
      // One PATCH carries the fields and the comment. It adds a comment, so it is sent the comment's way:
      // never blindly again. The comment landing means the whole PATCH did (one request, one change).
      const snapshot = before;
      return writeCommentOnce<Incident>(
        comment,
        {
          ...this.opts.comments,
          before: snapshot,
          author: opts.author,
          onSnapshot: opts.onSnapshot,
          send: async signal => (await this.http.request({ method: 'PATCH', path, body, retry: false, signal, what: `Incident ${id}` })).data,
          fromAnswer: data => this.fromWriteAnswer(data, snapshot),
          reread: signal => this.getIncident(id, { signal }),
          comments: i => i.comments,
          landed: (b, n) => this.resolvingLanded(b, n, comment, opts.author),
          assumeLanded: (b, c) => this.assumeResolved(b, patch, c),
        },
        call(opts),
      );
    }
    if (!Object.keys(body).length) {
      return before ?? this.getIncident(id, call(opts));
    }
    const res = await this.http.request({ ...call(opts), method: 'PATCH', path, body, what: `Incident ${id}` });
    return this.fromWriteAnswer(res.data, before) ?? this.getIncident(id, call(opts));
  }

  async addComment(id: string, text: string, opts: CommentOptions = {}): Promise<Comment[]> {
    const req = this.commentRequest(id, text);
    return addCommentSafely(
      text,
      {
        ...this.opts.comments,
        author: opts.author,
        onSnapshot: opts.onSnapshot,
        // Appending is not idempotent: no blind retry in the HTTP layer.
        send: async signal => (await this.http.request({ ...req, retry: false, signal, what: `Incident ${id}` })).data,
        fromAnswer: data => (data === undefined ? undefined : this.commentsFromAnswer(data)),
        reread: async signal => (await this.getIncident(id, { signal })).comments,
      },
      call(opts),
    );
  }

  async updateAlert(alertId: string, patch: AlertPatch, opts: CallOptions = {}): Promise<Alert> {
    if (!this.capabilities.canUpdateAlerts) {
      throw new UnsupportedError(`The ${this.capabilities.displayName} cannot update alerts; use the Graph backend or the Defender portal.`);
    }
    const path = this.alertPath(alertId);
    const res = await this.http.request({ ...call(opts), method: 'PATCH', path, body: this.alertBody(patch), what: `Alert ${alertId}` });
    if (res.data !== undefined) {
      return this.mapAlert(res.data);
    }
    if (!this.rereadAlert) {
      throw new InvalidResponseError(`${this.source}: PATCH ${path} returned no alert.`);
    }
    const got = await this.http.request({ ...call(opts), method: 'GET', path, what: `Alert ${alertId}` });
    if (got.data === undefined) {
      throw new InvalidResponseError(`${this.source}: GET ${path} returned no alert.`);
    }
    return this.mapAlert(got.data);
  }

  budget(): PacerBudget[] {
    return this.http.budget();
  }

  dispose(): void {
    this.http.dispose();
  }
}
