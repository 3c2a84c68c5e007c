/**
 * The agent's MCP server driven over its transport by the official SDK's client, against the mock:
 * tools/list with annotations, a read, a write refused while writes are off, a confirmed write when they
 * are on, and the doors: no key, a wrong key, an Origin, a rebound Host.
 */
import { strict as assert } from 'assert';
import * as http from 'http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { MockServer } from '../../src/mock/server';
import type { IncidentStore } from '../../src/store/incidentStore';
import { AgentTools, MCP_WRITES_OFF, mcpCaller } from '../../src/agent/runner';
import { startAgentMcpServer, type AgentMcpServer } from '../../src/agent/mcpServer';
import { TOOLS } from '../../src/agent/tools';
import { liveLinkProblems } from '../../src/agent/spotlight';
import { ME, startWorld, type World } from '../support/world';

function raw(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'x', version: '1' } },
    });
    const req = http.request(
      url,
      { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers } },
      res => {
        let text = '';
        res.on('data', c => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('agent MCP server (SDK client over Streamable HTTP)', function () {
  this.timeout(30000);
  let w: World;
  let mock: MockServer;
  let store: IncidentStore;
  let mcp: AgentMcpServer;
  let writesOn: boolean;
  let dialogs: string[];
  let client: Client;

  before(async () => {
    w = await startWorld({ mock: { incidentCount: 30, seed: 3, extensions: true }, client: { mock: true, http: {}, comments: {} } });
    ({ mock, store } = w);
    const tools = new AgentTools({ ...w.deps, store, triage: w.triage });
    writesOn = false;
    dialogs = [];
    mcp = await startAgentMcpServer({
      version: '0.0.0-test',
      call: mcpCaller(tools, {
        writesAllowed: () => writesOn,
        dialog: async (_p, t) => {
          dialogs.push(t.lines.join('\n'));
          return true;
        },
      }),
    });
    await store.reload();
    client = new Client({ name: 'Test Client', version: '1.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(mcp.url), { requestInit: { headers: { Authorization: `Bearer ${mcp.key}` } } }));
  });
  after(async () => {
    await client?.close();
    await mcp?.close();
    await w?.close();
  });

  it('lists every tool with readOnlyHint and destructiveHint', async () => {
    const { tools } = await client.listTools();
    assert.deepEqual(
      tools.map(t => t.name),
      TOOLS.map(t => t.name),
    );
    for (const t of tools) {
      const def = TOOLS.find(d => d.name === t.name)!;
      assert.equal(t.annotations?.readOnlyHint, def.readOnly, t.name);
      assert.equal(t.annotations?.destructiveHint, def.destructive, t.name);
      assert.deepEqual(t.inputSchema.properties, JSON.parse(JSON.stringify(def.inputSchema.properties)));
    }
    assert.equal(tools.find(t => t.name === 'defender_resolve_incidents')?.annotations?.destructiveHint, true);
  });

  it('answers a read with marked data and no live link', async () => {
    const r = await client.callTool({ name: 'defender_list_incidents', arguments: { limit: 5 } });
    assert.equal(r.isError, false);
    const text = (r.content as { type: string; text: string }[])[0].text;
    assert.match(text, /\u27EAdata [0-9a-f]{24}\u27EB/);
    assert.deepEqual(liveLinkProblems(text), []);
    const bad = await client.callTool({ name: 'defender_get_incident', arguments: { incidentId: '1', extra: 'x' } });
    assert.equal(bad.isError, true);
  });

  it('refuses a write while writes are off (nothing sent, no dialog); with writes on, it asks in the dialog first', async () => {
    const target = store.visible().find(i => !i.assignedTo)!;
    const before = mock.requests.filter(r => r.method === 'PATCH').length;
    const r = await client.callTool({ name: 'defender_assign_incidents', arguments: { incidentIds: [target.id], owner: 'me' } });
    assert.equal(r.isError, true);
    assert.equal((r.content as { text: string }[])[0].text, MCP_WRITES_OFF);
    assert.equal(mock.requests.filter(x => x.method === 'PATCH').length, before);
    assert.equal(dialogs.length, 0);
    writesOn = true;
    const ok = await client.callTool({ name: 'defender_assign_incidents', arguments: { incidentIds: [target.id], owner: 'me' } });
    assert.equal(ok.isError, false, JSON.stringify(ok.content));
    assert.equal(dialogs.length, 1, 'even a single MCP write is confirmed in the dialog');
    assert.match(dialogs[0], /Owner: none → analyst@contoso\.com/);
    assert.equal(store.get(target.id)?.assignedTo, ME);
    writesOn = false;
  });

  it('refuses a request without the key, with a wrong key, from a browser Origin, or for a rebound Host', async () => {
    const port = new URL(mcp.url).port;
    assert.equal((await raw(mcp.url, {})).status, 401);
    assert.equal((await raw(mcp.url, { Authorization: 'Bearer wrong-key-wrong-key-wrong' })).status, 401);
    assert.equal((await raw(mcp.url, { Authorization: `Bearer ${mcp.key}`, Origin: 'https://evil.example' })).status, 403);
    assert.equal((await raw(mcp.url, { Authorization: `Bearer ${mcp.key}`, Host: `evil.example:${port}` })).status, 403);
    const ok = await raw(mcp.url, { Authorization: `Bearer ${mcp.key}` });
    assert.equal(ok.status, 200, ok.body);
    const noKeyClient = new Client({ name: 'No Key', version: '1' });
    await assert.rejects(noKeyClient.connect(new StreamableHTTPClientTransport(new URL(mcp.url))));
  });
});
