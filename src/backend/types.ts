/**
 * The one backend interface the store talks to. Implemented by the Defender XDR client and the Graph
 * client; mock mode is the Defender client (or the Graph client) pointed at the local mock server.
 * No `vscode` import.
 */
import type { Alert, AlertPatch, Comment, Incident, IncidentPatch } from '../model/types';
import type { PacerBudget } from './pacer';

import type { BackendCapabilities } from '../model/backends';
import type { IncidentQuery } from '../model/query';

export type { BackendCapabilities, BackendKind } from '../model/backends';

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, or null when there is none. */
  next: string | null;
  /**
   * How many items the whole list has, where the API says so up front (Graph's `$count=true`), on the
   * first page only; absent elsewhere (Defender gives no count).
   */
  total?: number;
}

/** Cancellation without `vscode`: the extension turns a CancellationToken into an AbortSignal. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Called when a request is throttled or retried, so the UI can say "throttled, retrying in N s". */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

/** For writes that carry a comment. */
export interface CommentOptions extends CallOptions {
  /**
   * Who the server will name as the comment's author, where known (a sign-in name). Only used to tell
   * our comment from someone else's identical one after a lost answer.
   */
  author?: string;
  /**
   * Called with the incident's comments as read just before the first send (awaited), so a caller can
   * keep how many identical comments there were and, after a crash or a lost answer, tell whether its
   * own landed.
   */
  onSnapshot?: (comments: Comment[]) => void | Promise<void>;
}

export interface Backend {
  readonly capabilities: BackendCapabilities;
  /**
   * One page of the incidents the server's `$filter` matched: the query's fields the backend runs server-side
   * (`serverFilters`, less what it cannot express, such as unassigned). Nothing more is matched here: the
   * caller runs its whole filter once (`compileFilter`). Pass the previous page's `next` to continue. `top`
   * is capped at maxPageSize; `total` is the server's count of its own match.
   */
  listIncidents(query: IncidentQuery, opts?: CallOptions & { top?: number; cursor?: string | null }): Promise<Page<Incident>>;
  getIncident(id: string, opts?: CallOptions): Promise<Incident>;
  /**
   * Update an incident. When `expected` (the incident as the user saw it) is given, the server's copy is
   * read first; if its `lastUpdateTime` differs, nothing is sent and a ConflictError carrying the server's
   * incident and the changed fields is thrown. (Neither API has ETags or If-Match, so the check costs a GET.)
   * A field the backend cannot write (see capabilities) throws UnsupportedError and nothing is sent.
   * A `resolvingComment` goes in the same request (Defender: `comment`; Graph: `resolvingComment`), and
   * that request is then treated like a comment: never sent twice.
   */
  updateIncident(id: string, patch: IncidentPatch, opts?: CommentOptions & { expected?: Incident }): Promise<Incident>;
  /**
   * Append a comment. Never posted twice: the comments are read before the first send, and after an
   * ambiguous failure the incident is re-read and the comment sent again only if no new one with its
   * text is there. A 2xx is never followed by a resend.
   */
  addComment(id: string, text: string, opts?: CommentOptions): Promise<Comment[]>;
  updateAlert(alertId: string, patch: AlertPatch, opts?: CallOptions): Promise<Alert>;
  /** What is left of the request budget this backend draws from, per window (minute, hour). */
  budget(): PacerBudget[];
  dispose(): void;
}
