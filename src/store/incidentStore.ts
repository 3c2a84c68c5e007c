/**
 * The incident cache behind the queue and the panes. It owns paging, the filter, delta refreshes
 * (only what changed since the newest lastUpdateTime seen) and fires change events; the tree and the
 * panes only render. For an open queue (the default view) it loads the rest of the queue in the
 * background after the first page, up to `maxQueueSize`, so counts cover the whole queue. It also
 * answers each incident's SLA state (the policy from the settings, the clock, and when the local
 * journal saw it assigned). Pure; no `vscode` import.
 */
import type { Backend, BackendCapabilities, CallOptions } from '../backend/types';
import { AuthError, toBackendError, type BackendError } from '../backend/errors';
import type { Incident } from '../model/types';
import { newer } from '../model/rules';
import { compileFilter, DEFAULT_FILTER, type IncidentFilter } from '../model/query';
import { toServerQuery } from '../model/serverQuery';
import { diffIncidents, History } from './history';
import { firstAssignedAt, isOpenQueue } from './queue';
import { DEFAULT_SLA_POLICY, slaState, type SlaInfo, type SlaPolicy } from '../model/sla';
import { MAX_BACKGROUND_PAGES, queueSizeLimit, type RefreshFailure } from './queueLimits';

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

export interface StoreDeps {
  backend: () => Promise<Backend>;
  me: () => string;
  history: () => History;
  now?: () => number;
  /** Most pages one delta refresh follows (a long absence should reload, not page forever). */
  maxDeltaPages?: number;
  /** The SLA policy in effect (the `defenderIncidents.sla` setting); default DEFAULT_SLA_POLICY. */
  slaPolicy?: () => SlaPolicy;
  /** Most incidents an open queue loads in the background (`defenderIncidents.maxQueueSize`). */
  maxQueueSize?: () => number;
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
  /** How many incidents the server says the queue has (Graph's count on the first page); undefined where unknown. */
  total: number | undefined;
  /** Set while the rest of an open queue loads in the background. */
  loadingRest = false;
  /** Why loading the rest of the queue stopped early, if it did; the pages loaded stay. */
  restFailure: BackendError | undefined;
  private rest: Promise<void> | undefined;
  /** The journal's assignment times, by id; dropped when the incident changes. */
  private assigned = new Map<string, number | null>();

  constructor(private readonly deps: StoreDeps) {}

  /** The store's clock (epoch ms): the extension's, which an integration test can fix. */
  now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  /** Most incidents the background load brings in. */
  maxQueueSize(): number {
    return queueSizeLimit(this.deps.maxQueueSize?.());
  }

  /** Whether an open queue stopped at `maxQueueSize` with more on the server. */
  get capped(): boolean {
    return this.cursor !== null && !this.loadingRest && isOpenQueue(this.filter) && this.byId.size >= this.maxQueueSize();
  }

  slaPolicy(): SlaPolicy {
    return this.deps.slaPolicy?.() ?? DEFAULT_SLA_POLICY;
  }

  /** When the local journal first saw this incident assigned (epoch ms), or null: time to assign is then met. */
  assignedAt(id: string): number | null {
    let t = this.assigned.get(id);
    if (t === undefined) {
      t = firstAssignedAt(this.deps.history().journal(id));
      this.assigned.set(id, t);
    }
    return t;
  }

  /** The incident's SLA state at `now` (default: the store's clock). */
  slaOf(i: Incident, now = this.now()): SlaInfo {
    return slaState(i, this.slaPolicy(), now, this.assignedAt(i.id));
  }

  onDidChange(l: Listener): { dispose(): void } {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }

  private fire(c: StoreChange = {}): void {
    // The journal may have learnt of an assignment with the change.
    if (c.ids) for (const id of c.ids) this.assigned.delete(id);
    else this.assigned.clear();
    for (const l of [...this.listeners]) l(c);
  }

  /** What the backend the queue came from can do; undefined until it was first reached. Set only here. */
  get capabilities(): BackendCapabilities | undefined {
    return this.caps;
  }

  get hasMore(): boolean {
    return this.cursor !== null;
  }
  get size(): number {
    return this.byId.size;
  }
  get(id: string): Incident | undefined {
    return this.byId.get(id);
  }
  all(): IterableIterator<Incident> {
    return this.byId.values();
  }

  /** Incidents that pass the whole filter: the one client match (the server ran part of it; its pages are kept as sent). */
  visible(): Incident[] {
    const match = this.matcher();
    const out: Incident[] = [];
    for (const i of this.byId.values()) if (match(i)) out.push(i);
    return out;
  }

  /** The whole filter as one test at `now`, for a few incidents (a change) rather than all of them. */
  matcher(now = this.now()): (i: Incident) => boolean {
    return compileFilter(this.filter, this.deps.me(), now, i => this.slaOf(i, now).state);
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
    // A background load of the previous queue stops at its next page (its generation is gone).
    this.loadingRest = false;
    this.rest = undefined;
    this.state = 'loading';
    this.fire();
    const run = (async () => {
      try {
        const backend = await this.deps.backend();
        this.caps = backend.capabilities;
        const query = toServerQuery(this.filter, backend.capabilities, this.deps.me(), this.now());
        const page = await backend.listIncidents(query, { signal, top: backend.capabilities.maxPageSize });
        if (gen !== this.generation) return;
        // A list that left the server before an action's answer arrived must not undo it: the newer copy stays.
        const before = this.byId;
        this.byId = new Map(page.items.map(i => [i.id, newer(before.get(i.id), i)]));
        this.cursor = page.next;
        this.total = page.total;
        this.restFailure = undefined;
        this.newest = '';
        for (const i of page.items) if (i.lastUpdateTime > this.newest) this.newest = i.lastUpdateTime;
        this.refreshed();
        this.state = 'ready';
      } catch (e) {
        if (gen !== this.generation) return;
        this.fail(e);
      }
      this.fire();
      // The first rows show now; the rest of an open queue follows, page by page, through the pacer.
      if (this.state === 'ready') this.loadRest(gen, signal);
    })();
    this.inflight = run;
    return run;
  }

  /**
   * Loads the rest of an open queue in the background, one page after another (the HTTP layer paces
   * them under the API's limit), until the server has no more or `maxQueueSize` is reached. A new
   * reload or filter stops it; a failed page stops it with `restFailure` and keeps what was loaded.
   */
  private loadRest(gen: number, signal?: AbortSignal): void {
    if (!this.cursor || !isOpenQueue(this.filter) || this.byId.size >= this.maxQueueSize()) return;
    this.loadingRest = true;
    this.rest = (async () => {
      try {
        let pages = 0;
        while (this.cursor && gen === this.generation && this.byId.size < this.maxQueueSize() && pages++ < MAX_BACKGROUND_PAGES) {
          const before = this.byId.size;
          const added = await this.fetchPage(gen, signal);
          // A page adds rows; the ones shown stay as they are.
          if (gen === this.generation) this.fire({ ids: added });
          // A page that brought nothing new (empty, or repeats) ends the load: the next would too.
          if (this.byId.size === before) break;
        }
      } catch (e) {
        if (gen === this.generation) this.restFailure = toBackendError(e);
      } finally {
        if (gen === this.generation) {
          this.loadingRest = false;
          this.rest = undefined;
          // No incident changed: the view's message and counts say the load ended (or failed).
          this.fire({ ids: [] });
        }
      }
    })();
  }

  /** Waits for the background load of the rest of the queue, if one runs. */
  async restLoaded(): Promise<void> {
    await this.rest;
  }

  /** Fetches the next page for the current filter and merges it; returns the ids it added, throws what the backend threw. */
  private async fetchPage(gen: number, signal?: AbortSignal): Promise<string[]> {
    const backend = await this.deps.backend();
    const query = toServerQuery(this.filter, backend.capabilities, this.deps.me(), this.now());
    const page = await backend.listIncidents(query, { signal, top: backend.capabilities.maxPageSize, cursor: this.cursor });
    if (gen !== this.generation) return [];
    const added: string[] = [];
    for (const i of page.items) {
      if (!this.byId.has(i.id)) {
        this.byId.set(i.id, i);
        added.push(i.id);
      }
      if (i.lastUpdateTime > this.newest) this.newest = i.lastUpdateTime;
    }
    this.cursor = page.next;
    return added;
  }

  /** Fetches the next page for the current filter ("Load more"). */
  async loadMore(signal?: AbortSignal): Promise<void> {
    // The background load owns the cursor while it runs: the next page is the one after it.
    await this.rest;
    if (!this.cursor) return;
    const gen = this.generation;
    try {
      await this.fetchPage(gen, signal);
      this.restFailure = undefined;
    } catch (e) {
      if (gen !== this.generation) return;
      // The queue loaded stays, and so do the automatic refresh and its notifications: a failed page
      // is named in the view (restFailure) and thrown for the command to say so, not an error state.
      this.restFailure = toBackendError(e);
      this.fire();
      throw this.restFailure;
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
          if (prev && prev.lastUpdateTime >= i.lastUpdateTime) continue;
          if (prev) {
            // Graph names who changed it last (lastModifiedBy); elsewhere the author stays unknown (null).
            await this.deps.history().record(i.id, diffIncidents(prev, i), i.lastModifiedBy ?? null, 'observed');
            // An action's answer may have come in meanwhile: a newer copy stays.
            const now = this.byId.get(i.id);
            if (now && now.lastUpdateTime > i.lastUpdateTime) continue;
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
    this.total = undefined;
    this.loadingRest = false;
    this.restFailure = undefined;
    this.rest = undefined;
    this.fire();
  }

  /** Waits for the reload in flight, if any. */
  async settled(): Promise<void> {
    await this.inflight;
  }
}
