/**
 * The few typed errors the UI acts on. Every failure of a backend call becomes one of these; the
 * message is safe to show (it never contains a token, a secret or an Authorization header).
 */
import type { Incident } from '../model/types';

export type BackendErrorKind =
  | 'auth'
  | 'forbidden'
  | 'notFound'
  | 'throttled'
  | 'unreachable'
  | 'invalidResponse'
  | 'conflict'
  | 'badRequest'
  | 'server'
  | 'cancelled'
  | 'config'
  | 'unsupported';

export class BackendError extends Error {
  /** The service's `request-id` of the failed call, where it sent one (for a support case; set by the HTTP road). */
  requestId?: string;
  /** Our `client-request-id` of the failed call (sent on every request). */
  clientRequestId?: string;

  constructor(
    readonly kind: BackendErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BackendError';
  }
}

/** 401 after one silent refresh: the user must sign in again. */
export class AuthError extends BackendError {
  constructor(message = 'Sign-in required: the backend refused the credentials.') {
    super('auth', message, 401);
  }
}

/** 403: names the missing permission or role. */
export class ForbiddenError extends BackendError {
  constructor(message: string) {
    super('forbidden', message, 403);
  }
}

export class NotFoundError extends BackendError {
  constructor(message: string) {
    super('notFound', message, 404);
  }
}

/**
 * 429, or a wait longer than the caller accepts. `retryAfterMs` is how long the service (or our own
 * pacing) asks to wait, `until` the same as an absolute time (epoch ms), so a bulk run can pause and say
 * "throttled until 14:05". Both are absent only when nobody said how long.
 */
export class ThrottledError extends BackendError {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly until?: number,
  ) {
    super('throttled', message, 429);
  }
}

/** Network error, timeout, DNS failure, connection refused or reset. */
export class UnreachableError extends BackendError {
  /** True when the request may have reached the server (timeout or reset after sending). */
  constructor(
    message: string,
    readonly ambiguous = false,
  ) {
    super('unreachable', message);
  }
}

/** The answer was not what the API documents (bad JSON, missing fields, wrong types). */
export class InvalidResponseError extends BackendError {
  constructor(message: string) {
    super('invalidResponse', message);
  }
}

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

/** The incident changed on the server since the user saw it; nothing was sent. */
export class ConflictError extends BackendError {
  constructor(
    readonly server: Incident,
    readonly changes: FieldChange[],
  ) {
    super('conflict', `The incident changed on the server since you opened it (${changes.map(c => c.field).join(', ') || 'lastUpdateTime'}).`, 409);
  }
}

/** A setting is wrong (bad URL, missing tenant...). Named, and nothing is sent. */
export class ConfigError extends BackendError {
  constructor(
    readonly setting: string,
    message: string,
  ) {
    super('config', message);
  }
}

/** The backend cannot do this (e.g. rename on the Graph or Defender API). Nothing was sent. */
export class UnsupportedError extends BackendError {
  constructor(message: string) {
    super('unsupported', message);
  }
}

export class CancelledError extends BackendError {
  constructor() {
    super('cancelled', 'Cancelled.');
  }
}

export function isBackendError(e: unknown): e is BackendError {
  return e instanceof BackendError;
}

/** Any failure as a BackendError: itself, or a server error carrying its message. */
export function toBackendError(e: unknown): BackendError {
  return isBackendError(e) ? e : new BackendError('server', e instanceof Error ? e.message : String(e));
}
