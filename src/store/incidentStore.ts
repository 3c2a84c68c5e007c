/**
 * The incident cache behind the queue and the panes. It owns paging, the filter, delta refreshes
 * (only what changed since the newest lastUpdateTime seen) and fires change events; the tree and the
 * panes only render. Pure; no `vscode` import.
 */
import type { Backend, BackendCapabilities, CallOptions } from '../backend/types';
import { AuthError, BackendError, isBackendError } from '../backend/errors';
import type { Incident } from '../model/types';
import { compileFilter, DEFAULT_FILTER, IncidentFilter, toServerQuery } from './filter';
import { diffIncidents, History } from './history';

export type StoreState = 'idle' | 'loading' | 'ready' | 'error' | 'signedOut';

export interface StoreChange {
  /** Incidents whose content changed; absent = the whole queue may have changed. */
  ids?: string[];
}

export interface RefreshResult {
  /** Incidents created since the previous look. */
  added: Incident[];
  changed: Incident[];
}

type Listener = (c: StoreChange) => void;

/** Why the last automatic refresh failed; the queue shown is the last good one. */
export interface RefreshFailure {
  error: BackendError;
  /** When it failed (epoch ms). */
  at: number;
}

/** Longest wait between automatic refreshes while they keep failing. */
export const MAX_REFRESH_BACKOFF_MS = 10 * 60_000;

/**
 * The wait before the next automatic refresh: the interval, doubled for each refresh that failed in a
 * row, up to 10 minutes (or the interval, when that is longer); back to the interval after a success.
 */
export function refreshDelayMs(intervalMs: number, failures: number, maxMs = MAX_REFRESH_BACKOFF_MS): number {
  if (failures <= 0) return intervalMs;
  return Math.min(intervalMs * 2 ** Math.min(failures, 20), Math.max(intervalMs, maxMs));
}

export interface StoreDeps {
  backend: () => Promise<Backend>;
  me: () => string;
  history: () => History;
  now?: () => number;
  /** Most pages one delta refresh follows (a long absence should reload, not page forever). */
  maxDeltaPages?: number;
}

function toBackendError(e: unknown): BackendError {
  return isBackendError(e) ? e : new BackendError('server', e instanceof Error ? e.message : String(e));
}

export class IncidentStore {
  private byId = new Map<string, Incident>();
  private cursor: string | null = null;
  private generation = 0;
  private listeners = new Set<Listener>();
  private inflight: Promise<void> | undefined;
  private newest = '';
  filter: IncidentFilter = { ...DEFAULT_FILTER };
  state: StoreState = 'idle';
  error: BackendError | undefined;
  private caps: BackendCapabilities | undefined;
  /** Set while automatic refreshes fail: the last good queue stays, with a warning row. */
  refreshFailure: RefreshFailure | undefined;
  /** Automatic refreshes that failed in a row (0 after a success). */
  refreshFailures = 0;
  /** When the queue shown was last loaded or refreshed successfully (epoch ms). */
  lastRefreshed: number | undefined;

  constructor(private readonly deps: StoreDeps) {}

  private now(): number { return this.deps.now?.() ?? Date.now(); }

  onDidChange(l: Listener): { dispose(): void } {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }

  private fire(c: StoreChange = {}): void {
    for (const l of [...this.listeners]) l(c);
  }

  /** What the backend the queue came from can do; undefined until it was first reached. Set only here. */
  get capabilities(): BackendCapabilities | undefined { return this.caps; }

  get hasMore(): boolean { return this.cursor !== null; }
  get size(): number { return this.byId.size; }
  get(id: string): Incident | undefined { return this.byId.get(id); }
  all(): IterableIterator<Incident> { return this.byId.values(); }

  /** Incidents that pass the whole filter (the server ran part of it; the client re-checks all of it). */
  visible(): Incident[] {
    const match = compileFilter(this.filter, this.deps.me(), this.now());
    const out: Incident[] = [];
    for (const i of this.byId.values()) if (match(i)) out.push(i);
    return out;
  }

  /** Owners seen in the loaded incidents, for "assign to" suggestions. */
  knownOwners(): string[] {
    const s = new Set<string>();
    for (const i of this.byId.values()) if (i.assignedTo) s.add(i.assignedTo);
    return [...s].sort();
  }

  setFilter(f: IncidentFilter, signal?: AbortSignal): Promise<void> {
    this.filter = f;
    return this.reload(signal);
  }

  private fail(e: unknown): void {
    this.error = toBackendError(e);
    this.state = this.error instanceof AuthError || this.error.kind === 'auth' ? 'signedOut' : 'error';
  }

  private refreshed(): void {
    this.error = undefined;
    this.refreshFailure = undefined;
    this.refreshFailures = 0;
    this.lastRefreshed = this.now();
  }

  /** Drops the cache and loads the first page for the current filter. */
  reload(signal?: AbortSignal): Promise<void> {
    const gen = ++this.generation;
    this.state = 'loading';
    this.fire();
    const run = (async () => {
      try {
        const backend = await this.deps.backend();
        this.caps = backend.capabilities;
        const query = toServerQuery(this.filter, backend.capabilities, this.deps.me(), this.now());
        const page = await backend.listIncidents(query, { signal, top: backend.capabilities.maxPageSize });
        if (gen !== this.generation) return;
        this.byId = new Map(page.items.map(i => [i.id, i]));
        this.cursor = page.next;
        this.newest = '';
        for (const i of page.items) if (i.lastUpdateTime > this.newest) this.newest = i.lastUpdateTime;
        this.refreshed();
        this.state = 'ready';
      } catch (e) {
        if (gen !== this.generation) return;
        this.fail(e);
      }
      this.fire();
    })();
    this.inflight = run;
    return run;
  }

  /** Fetches the next page for the current filter ("Load more"). */
  async loadMore(signal?: AbortSignal): Promise<void> {
    if (!this.cursor) return;
    const gen = this.generation;
    const backend = await this.deps.backend();
    const query = toServerQuery(this.filter, backend.capabilities, this.deps.me(), this.now());
    try {
      const page = await backend.listIncidents(query, { signal, top: backend.capabilities.maxPageSize, cursor: this.cursor });
      if (gen !== this.generation) return;
      for (const i of page.items) {
        if (!this.byId.has(i.id)) this.byId.set(i.id, i);
        if (i.lastUpdateTime > this.newest) this.newest = i.lastUpdateTime;
      }
      this.cursor = page.next;
    } catch (e) {
      this.fail(e);
    }
    this.fire();
  }

  /**
   * Asks the backend only for incidents updated since the newest lastUpdateTime seen: one request when
   * nothing changed. The delta query carries no other filter, so an incident that stopped matching
   * (resolved by a colleague) is seen and leaves the queue. Changes made elsewhere are journaled as
   * "observed" for the pane's history, by whom the server names as the last modifier (Graph), if anyone.
   * When it fails, the last good queue stays (state 'ready') with `refreshFailure`
   * set for the view's warning row, and the error is rethrown for the caller's backoff.
   */
  async refreshChanges(signal?: AbortSignal): Promise<RefreshResult> {
    if (this.state !== 'ready' || !this.newest) {
      await this.reload(signal);
      return { added: [], changed: [] };
    }
    const gen = this.generation;
    const result: RefreshResult = { added: [], changed: [] };
    try {
      const backend = await this.deps.backend();
      let cursor: string | null = null;
      let pages = 0;
      let firstSeen = 0;
      const since = this.newest;
      do {
        const page = await backend.listIncidents({ updatedSince: since }, { signal, top: backend.capabilities.maxPageSize, cursor });
        if (gen !== this.generation) return result;
        for (const i of page.items) {
          const prev = this.byId.get(i.id);
          if (i.lastUpdateTime > this.newest) this.newest = i.lastUpdateTime;
          if (prev && prev.lastUpdateTime === i.lastUpdateTime) continue;
          if (prev) {
            // Graph names who changed it last (lastModifiedBy); elsewhere the author stays unknown (null).
            await this.deps.history().record(i.id, diffIncidents(prev, i), i.lastModifiedBy ?? null, 'observed');
            result.changed.push(i);
          } else if (i.createdTime >= since) {
            // Only incidents created since the last look are new; an older one outside the loaded
            // pages (resolved, say) is merely seen for the first time.
            result.added.push(i);
          } else {
            firstSeen++;
          }
          this.byId.set(i.id, i);
        }
        cursor = page.next;
      } while (cursor && ++pages < (this.deps.maxDeltaPages ?? 10));
      const recovered = this.refreshFailure !== undefined;
      this.refreshed();
      if (firstSeen || recovered) this.fire();
      else if (result.added.length || result.changed.length) this.fire({ ids: [...result.added, ...result.changed].map(i => i.id) });
    } catch (e) {
      if (gen !== this.generation) throw e;
      this.refreshFailure = { error: toBackendError(e), at: this.now() };
      this.refreshFailures++;
      this.fire();
      throw e;
    }
    return result;
  }

  /**
   * One incident: the cached copy, or fetched from the backend and kept (a pane opened from a link, a
   * restored pane, an action on an incident outside the loaded pages). `fresh` always asks the server
   * (the pane's Refresh), journaling what changed elsewhere as observed.
   */
  async load(id: string, opts: CallOptions & { fresh?: boolean } = {}): Promise<Incident> {
    const known = this.byId.get(id);
    if (known && !opts.fresh) return known;
    const backend = await this.deps.backend();
    this.caps ??= backend.capabilities;
    const i = await backend.getIncident(id, { signal: opts.signal, onRetry: opts.onRetry });
    await this.put(i, { observed: true });
    return this.byId.get(id) ?? i;
  }

  /** Takes the server's copy of one incident (after an action, a conflict or a pane refresh). */
  put(i: Incident, opts: { observed?: boolean } = {}): Promise<void> | void {
    const prev = this.byId.get(i.id);
    this.byId.set(i.id, i);
    if (i.lastUpdateTime > this.newest) this.newest = i.lastUpdateTime;
    this.fire({ ids: [i.id] });
    if (opts.observed && prev && prev.lastUpdateTime !== i.lastUpdateTime) {
      return this.deps.history().record(i.id, diffIncidents(prev, i), i.lastModifiedBy ?? null, 'observed');
    }
  }

  /** Forgets everything (backend switched, signed out, mock reset). */
  clear(): void {
    this.generation++;
    this.byId.clear();
    this.cursor = null;
    this.newest = '';
    this.state = 'idle';
    this.error = undefined;
    this.caps = undefined;
    this.refreshFailure = undefined;
    this.refreshFailures = 0;
    this.lastRefreshed = undefined;
    this.fire();
  }

  /** Waits for the reload in flight, if any. */
  async settled(): Promise<void> { await this.inflight; }
}
