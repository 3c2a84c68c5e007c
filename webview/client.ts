/**
 * The pane's side of src/shared/protocol.ts: requests keyed by id (each names the incident it is for) with
 * their response callbacks, and subscriptions to the extension's `state` and `progress` messages.
 */
import type { ErrorInfo, ExtensionMessage, PaneAction, PaneState, WebviewMessage } from '../src/shared/protocol';

export interface RequestOptions {
  onOk?: (message?: string) => void;
  onFail?: (error: ErrorInfo) => void;
  /** Failures the user did not ask about (cleanup) are not worth a message. */
  quiet?: boolean;
  /** "Apply mine on top" after a conflict. */
  force?: boolean;
}

export interface Pending extends RequestOptions {
  action: PaneAction;
}

export type Response = Extract<ExtensionMessage, { type: 'response' }>;

/** The subset of the VS Code webview API the client needs. */
export interface Poster {
  postMessage(m: unknown): void;
}

export class PaneClient {
  private readonly pending = new Map<number, Pending>();
  private readonly stateListeners = new Set<(s: PaneState) => void>();
  private readonly progressListeners = new Set<(message: string | null) => void>();
  private readonly answerListeners = new Set<(m: Response, p: Pending) => void>();
  private readonly connectionListeners = new Set<(stale: { was: string; now: string } | null) => void>();

  /** `nextId` hands out request ids (persisted by the store, so a reloaded pane does not reuse one). */
  constructor(
    private readonly api: Poster,
    private readonly nextId: () => number,
  ) {}

  post(m: WebviewMessage): void {
    this.api.postMessage(m);
  }

  /** Sends one action for `incidentId`; the response calls `onOk` or `onFail`. Returns the request id. */
  request(incidentId: string, action: PaneAction, o: RequestOptions = {}): number {
    const id = this.nextId();
    this.pending.set(id, { action, onOk: o.onOk, onFail: o.onFail, quiet: o.quiet });
    this.post(o.force ? { type: 'request', id, incidentId, action, force: true } : { type: 'request', id, incidentId, action });
    return id;
  }

  /** Requests still waiting for their answer. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  /** Forgets every request in flight: their answers are for an incident the pane no longer shows. */
  forgetPending(): void {
    this.pending.clear();
  }

  onState(fn: (s: PaneState) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  onProgress(fn: (message: string | null) => void): () => void {
    this.progressListeners.add(fn);
    return () => this.progressListeners.delete(fn);
  }

  /** The connection moved away from the pane's (both named), or came back to it (null). */
  onConnection(fn: (stale: { was: string; now: string } | null) => void): () => void {
    this.connectionListeners.add(fn);
    return () => this.connectionListeners.delete(fn);
  }

  /** Called for every answer to a request of this pane, before its own callbacks. */
  onAnswer(fn: (m: Response, p: Pending) => void): () => void {
    this.answerListeners.add(fn);
    return () => this.answerListeners.delete(fn);
  }

  /** One message from the extension; anything not shaped like one is ignored. */
  receive(m: ExtensionMessage): void {
    if (!m || typeof m !== 'object' || typeof (m as { type?: unknown }).type !== 'string') return;
    switch (m.type) {
      case 'state':
        if (!m.state || typeof m.state !== 'object' || !m.state.incident) return;
        for (const l of this.stateListeners) l(m.state);
        break;
      case 'response': {
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        for (const l of this.answerListeners) l(m, p);
        if (m.ok) p.onOk?.(m.message);
        else p.onFail?.(m.error);
        break;
      }
      case 'progress':
        for (const l of this.progressListeners) l(m.message);
        break;
      case 'connection': {
        const st = m.stale;
        const ok = st === null || (typeof st === 'object' && typeof st?.was === 'string' && typeof st?.now === 'string');
        if (ok) for (const l of this.connectionListeners) l(st);
        break;
      }
    }
  }
}
