/**
 * Issue 16 item 1 for the agent tools: a write is bound to the connection (backend, API host, tenant) it
 * was planned and shown on. A switch while the extension's dialog is open, or between the chat's tool
 * confirmation and the call, sends nothing: the door (Triage.run) refuses before any request.
 */
import { strict as assert } from 'assert';
import { startMockServer, type MockServer } from '../../src/mock/server';
import { DefenderClient } from '../../src/backend/defender/client';
import { StaticTokenProvider } from '../../src/backend/auth';
import { resetSharedPacers } from '../../src/backend/http';
import type { Backend } from '../../src/backend/types';
import { IncidentStore } from '../../src/store/incidentStore';
import { History } from '../../src/store/history';
import { Triage } from '../../src/store/triage';
import { AgentTools, type CallContext } from '../../src/agent/runner';
import { MemoryKv } from '../support/builders';

const ME = 'analyst@contoso.com';

describe('agent tools: a write runs on the connection it was shown on (issue 16 item 1)', function () {
  this.timeout(30000);
  let server: MockServer;
  let backend: Backend;
  let store: IncidentStore;
  let tools: AgentTools;
  /** The connection in effect; the one backend here is always "built for" the one in effect. */
  let connection: string;

  const ctx = (o: Partial<CallContext> = {}): CallContext => ({ client: 'test chat', mcp: false, chatConfirmed: true, dialog: async () => true, ...o });
  const writes = () => server.requests.filter(r => r.method === 'PATCH' || r.method === 'POST').length;

  beforeEach(async () => {
    resetSharedPacers();
    connection = 'graph|graph.microsoft.com|tenant-a';
    server = await startMockServer({ incidentCount: 20, seed: 7, extensions: true, identity: ME });
    backend = new DefenderClient({
      baseUrl: server.url,
      tokens: new StaticTokenProvider(server.key),
      log: () => undefined,
      mock: true,
      http: { backoffBaseMs: 5, backoffMaxMs: 20 },
      comments: {},
    });
    const history = new History(new MemoryKv(), 'mock');
    const deps = { backend: async () => backend, me: () => ME, history: () => history };
    store = new IncidentStore(deps);
    const triage = new Triage({ ...deps, store, connection: () => connection, connectionOf: () => connection });
    tools = new AgentTools({ ...deps, store, triage });
  });
  afterEach(async () => {
    backend.dispose();
    await server.close();
  });

  it("a switch while the extension's dialog is open: refused, nothing sent", async () => {
    await store.reload();
    const [a] = store.visible();
    const before = writes();
    const r = await tools.call(
      'defender_add_comment',
      { incidentIds: [a.id], text: 'checked' },
      ctx({
        mcp: true,
        dialog: async () => {
          connection = 'graph|graph.microsoft.com|tenant-b';
          return true;
        },
      }),
    );
    assert.equal(r.isError, true, r.text);
    assert.match(r.text, /another.connection/);
    assert.equal(writes(), before, 'no request reached the other tenant');
  });

  it("a switch between the chat's confirmation and the call: refused, nothing sent; without one it is sent", async () => {
    await store.reload();
    const [a, b] = store.visible();
    const before = writes();
    const shown = await tools.prepare('defender_add_comment', { incidentIds: [a.id], text: 'checked' });
    assert.equal(shown.confirm, true);
    connection = 'graph|graph.microsoft.com|tenant-b';
    const r = await tools.call('defender_add_comment', { incidentIds: [a.id], text: 'checked' }, ctx());
    assert.equal(r.isError, true, r.text);
    assert.match(r.text, /another.connection/);
    assert.equal(writes(), before);

    await tools.prepare('defender_add_comment', { incidentIds: [b.id], text: 'checked' });
    const ok = await tools.call('defender_add_comment', { incidentIds: [b.id], text: 'checked' }, ctx());
    assert.equal(ok.isError, false, ok.text);
    assert.ok(writes() > before, 'the same connection: the comment is sent');
  });
});
