/**
 * One world for the unit tests that run the extension's own pieces over real HTTP: the mock server, a
 * client of either dialect talking to it, and the store, history and triage wired as the extension wires
 * them (with a Map-backed global state). A test may swap the backend (`useBackend`) or restart the mock
 * (`restartMock`); the store and triage always reach the current one.
 */
import { StaticTokenProvider } from '../../src/backend/auth';
import type { ClientOptions } from '../../src/backend/baseClient';
import { DefenderClient } from '../../src/backend/defender/client';
import { GraphClient } from '../../src/backend/graph/client';
import { resetSharedPacers } from '../../src/backend/http';
import type { Backend } from '../../src/backend/types';
import type { TriageSettings } from '../../src/model/actions';
import { startMockServer, type MockServer, type MockServerOptions } from '../../src/mock/server';
import { History } from '../../src/store/history';
import { IncidentStore, type StoreDeps } from '../../src/store/incidentStore';
import { Triage } from '../../src/store/triage';
import { MemoryKv } from './builders';

export type Dialect = 'defender' | 'graph';

/** The signed-in analyst of every world unless a test names another. */
export const ME = 'analyst@contoso.com';

/** What a client takes besides where the mock is (`mock: true` is the Defender client's extensions switch). */
export type ClientOver = Partial<Omit<ClientOptions, 'baseUrl'>> & { mock?: boolean };

/** A client of `dialect` against `mock`: the mock's own key and no log unless given. */
export function clientFor(dialect: Dialect, mock: MockServer, over: ClientOver = {}): Backend {
  const o = { ...over, baseUrl: mock.url, tokens: over.tokens ?? new StaticTokenProvider(mock.key), log: over.log ?? (() => undefined) };
  if (dialect === 'defender') return new DefenderClient(o);
  const { mock: _extensions, ...graph } = o;
  return new GraphClient(graph);
}

export interface WorldOptions {
  /** Which client the world talks through; default Defender. */
  dialect?: Dialect;
  /** The mock's options (`identity` defaults to `me`). */
  mock?: MockServerOptions;
  /** The client's options besides where the mock is. */
  client?: ClientOver;
  /** A client built by the test instead (`dialect` and `client` are then unused). */
  backend?: (mock: MockServer) => Backend;
  /** The signed-in analyst; default ME. */
  me?: string;
  /** The team's triage settings; absent: none apply. */
  settings?: () => TriageSettings;
  /** The rest of the store's dependencies (SLA policy, queue size, clock). */
  store?: Partial<Omit<StoreDeps, 'backend' | 'me' | 'history'>>;
}

export interface World {
  mock: MockServer;
  backend: Backend;
  readonly me: string;
  readonly kv: MemoryKv;
  readonly history: History;
  readonly store: IncidentStore;
  readonly triage: Triage;
  /** The store's and triage's dependencies, for building more of them over the same world. */
  readonly deps: { backend: () => Promise<Backend>; me: () => string; history: () => History };
  /** A new client of `dialect` against the current mock (not the world's own; the caller disposes it). */
  client(dialect: Dialect, over?: ClientOver): Backend;
  /** Dispose the current backend and use `b` from now on. */
  useBackend(b: Backend): Backend;
  /** Close the mock, start another with `opts` (identity defaults to `me`) and a client of `dialect` for it. */
  restartMock(opts: MockServerOptions, dialect: Dialect, over?: ClientOver): Promise<void>;
  /** PATCH and POST requests the mock has seen since its requests were last cleared. */
  writes(): number;
  close(): Promise<void>;
}

/** Start the mock and wire a client, history, store and triage over it (shared pacers reset first). */
export async function startWorld(o: WorldOptions = {}): Promise<World> {
  resetSharedPacers();
  const me = o.me ?? ME;
  const kv = new MemoryKv();
  const history = new History(kv, 'mock');
  const mock = await startMockServer({ identity: me, ...o.mock });
  const deps = { backend: async () => w.backend, me: () => me, history: () => history };
  const store = new IncidentStore({ ...o.store, ...deps });
  const w: World = {
    mock,
    me,
    kv,
    history,
    store,
    deps,
    backend: o.backend ? o.backend(mock) : clientFor(o.dialect ?? 'defender', mock, o.client),
    triage: new Triage({ ...deps, store, ...(o.settings ? { settings: o.settings } : {}) }),
    client: (dialect, over) => clientFor(dialect, w.mock, over),
    useBackend(b) {
      w.backend.dispose();
      w.backend = b;
      return b;
    },
    async restartMock(opts, dialect, over) {
      w.backend.dispose();
      await w.mock.close();
      w.mock = await startMockServer({ identity: me, ...opts });
      w.backend = clientFor(dialect, w.mock, over);
    },
    writes: () => w.mock.requests.filter(r => r.method === 'PATCH' || r.method === 'POST').length,
    async close() {
      w.backend.dispose();
      await w.mock.close();
    },
  };
  return w;
}
