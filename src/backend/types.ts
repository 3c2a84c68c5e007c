/**
 * The one backend interface the store talks to. Implemented by the Defender XDR client and the Graph
 * client; mock mode is the Defender client (or the Graph client) pointed at the local mock server.
 * No `vscode` import.
 */
import type { Alert, AlertPatch, Comment, Incident, IncidentPatch, Severity, Status, Classification } from '../model/types';

export type BackendKind = 'mock' | 'defender' | 'graph';

/** Filter fields a query may carry. Which of them a backend runs server-side is in its capabilities. */
export interface IncidentQuery {
  statuses?: Status[];
  severities?: Severity[];
  classifications?: Classification[];
  /** `null` = unassigned only. */
  assignedTo?: string | null;
  /** ISO 8601: only incidents updated at or after this time. */
  updatedSince?: string;
  /** ISO 8601: only incidents created at or after this time. */
  createdSince?: string;
  /** ISO 8601: only incidents created before this time. */
  createdBefore?: string;
}

export type ServerFilterField = 'status' | 'assignedTo' | 'lastUpdateTime' | 'createdTime' | 'severity' | 'classification' | 'determination';

export interface BackendCapabilities {
  kind: BackendKind;
  /** Human name for messages: "Microsoft Defender XDR API". */
  displayName: string;
  canRename: boolean;
  canChangeSeverity: boolean;
  /** Whether alert updates (the assign/resolve cascade) are possible. */
  canUpdateAlerts: boolean;
  /** Largest `$top` the API accepts. */
  maxPageSize: number;
  /** Query fields the server filters on; the rest the store filters on the client. */
  serverFilters: readonly ServerFilterField[];
  /** Requests per minute the client paces itself under (shared by every caller). */
  requestsPerMinute: number;
}

export interface Page<T> {
  items: T[];
  /** Opaque cursor for the next page, or null when there is none. */
  next: string | null;
}

/** Cancellation without `vscode`: the extension turns a CancellationToken into an AbortSignal. */
export interface CallOptions {
  signal?: AbortSignal;
  /** Called when a request is throttled or retried, so the UI can say "throttled, retrying in N s". */
  onRetry?: (info: { attempt: number; delayMs: number; reason: string }) => void;
}

export interface Backend {
  readonly capabilities: BackendCapabilities;
  /** One page of incidents. Pass the previous page's `next` to continue. `top` is capped at maxPageSize. */
  listIncidents(query: IncidentQuery, opts?: CallOptions & { top?: number; cursor?: string | null }): Promise<Page<Incident>>;
  getIncident(id: string, opts?: CallOptions): Promise<Incident>;
  /**
   * Update an incident. When `expected` (the incident as the user saw it) is given, the server's copy is
   * read first; if its `lastUpdateTime` differs, nothing is sent and a ConflictError carrying the server's
   * incident and the changed fields is thrown. (Neither API has ETags or If-Match, so the check costs a GET.)
   * A field the backend cannot write (see capabilities) throws UnsupportedError and nothing is sent.
   */
  updateIncident(id: string, patch: IncidentPatch, opts?: CallOptions & { expected?: Incident }): Promise<Incident>;
  /** Append a comment. Never posted twice: after an ambiguous failure the incident is re-read first. */
  addComment(id: string, text: string, opts?: CallOptions): Promise<Comment[]>;
  updateAlert(alertId: string, patch: AlertPatch, opts?: CallOptions): Promise<Alert>;
  dispose(): void;
}
