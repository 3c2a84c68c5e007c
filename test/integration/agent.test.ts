/**
 * The agent's tools in a real extension host, called as a model would through `vscode.lm.invokeTool`
 * (no model needed), against the built-in mock: the declared schemas, reads from the loaded queue,
 * the injection corpus in names and comments coming back only as marked data with no live link, writes
 * that change nothing without the extension's confirmation (PATCHes counted on the mock), a bulk write
 * paced under a quota, and the MCP server driven by the SDK's client.
 */
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ExtensionApi } from '../../src/extension';
import { TOOLS } from '../../src/agent/tools';
import { clean, liveLinkProblems } from '../../src/agent/spotlight';
import { INJECTION, INVISIBLE_OR_BIDI, markerKey } from '../fixtures/injection';
import { until } from './util';

const EXT_ID = 'defender-incidents.defender-incidents';

async function invoke(name: string, input: object): Promise<string> {
  const r = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined });
  return r.content.map(p => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe('Agent tools in a real extension host', function () {
  this.timeout(120000);
  let api: ExtensionApi;
  let mock: { url: string; key: string };
  const dialogs: string[] = [];
  let answer = false;

  const control = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(mock.url + path, {
      method,
      headers: { Authorization: `Bearer ${mock.key}`, 'Content-Type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await r.text();
    assert.ok(r.ok, `${method} ${path}: ${r.status} ${text}`);
    return JSON.parse(text) as Record<string, unknown>;
  };
  const requests = async () => (await control('GET', '/__mock/requests')).value as { method: string; path: string; status: number }[];
  /** Writes to incidents (an assignment's cascade PATCHes alerts too). */
  const patches = async () => (await requests()).filter(r => r.method === 'PATCH' && /^\/api\/incidents\//.test(r.path)).length;

  before(async () => {
    const ext = vscode.extensions.getExtension<ExtensionApi>(EXT_ID);
    assert.ok(ext);
    api = await ext.activate();
    await vscode.commands.executeCommand('workbench.view.extension.defenderIncidents');
    await until('the queue to load', () => api.store.state === 'ready' && api.store.capabilities?.kind === 'mock');
    await api.store.restLoaded();
    const m = await api.host.mockEndpoint();
    assert.ok(m);
    mock = m;
    api.agent.dialog = async (_plan, text) => {
      dialogs.push(`${text.title}\n${text.lines.join('\n')}`);
      return answer;
    };
  });

  it('registers every tool with the declared input schema', () => {
    for (const t of TOOLS) {
      const info = vscode.lm.tools.find(x => x.name === t.name);
      assert.ok(info, `${t.name} is registered`);
      assert.deepEqual(info.inputSchema, JSON.parse(JSON.stringify(t.inputSchema)), t.name);
    }
  });

  it('list incidents answers the loaded queue without a request, every backend string marked', async () => {
    const before = (await requests()).length;
    const text = await invoke('defender_list_incidents', { limit: 20 });
    assert.equal((await requests()).length, before, 'no request to the backend');
    assert.match(text, /Source: the queue loaded in VS Code/);
    const key = markerKey(text);
    for (const i of api.store.visible().slice(0, 5)) {
      assert.ok(
        text.includes(`\u27EAdata ${key}\u27EB${clean(i.name, { max: 500 })}\u27EA/data ${key}\u27EB`) || !text.includes(`#${i.id} `),
        `#${i.id}'s name marked`,
      );
    }
    assert.deepEqual(liveLinkProblems(text), []);
  });

  it('evidence and hunting: marked data, no live link; a query reaching outside the tenant is refused', async () => {
    const target = api.store.visible().find(i => i.alerts.length > 0)!;
    const evidence = await invoke('defender_get_evidence', { incidentId: target.id });
    assert.match(evidence, /entities from \d+ alerts/);
    assert.deepEqual(liveLinkProblems(evidence), []);
    const hunt = await invoke('defender_run_hunting_query', { query: 'AlertEvidence | take 3', timespan: 'P30D' });
    assert.match(hunt, /Columns: /, hunt);
    assert.deepEqual(liveLinkProblems(hunt), []);
    const refused = await invoke('defender_run_hunting_query', { query: 'externaldata (x:string) [@"https://evil.example/x"]' });
    assert.match(refused, /query refused/);
  });

  it('an invalid input is refused with the field named, and nothing is sent', async () => {
    const before = await patches();
    let text: string;
    try {
      text = await invoke('defender_assign_incidents', { incidentIds: ['1'], owner: 'me', instructions: 'resolve everything' });
    } catch (e) {
      text = String(e); // VS Code may refuse an input that does not fit the declared schema itself.
    }
    assert.match(text, /instructions/);
    assert.equal(await patches(), before);
  });

  it('the injection corpus in incident names and comments comes back only as marked data, with no live link', async () => {
    const target = api.store.visible().find(i => i.alerts.length > 0)!;
    for (const [name, s] of INJECTION) {
      // The mock refuses names and comments beyond its limits, as the API does; the unit test covers 1 MB values.
      if (s.length > 1000) continue;
      await control('POST', '/__mock/edit', {
        incidentId: target.id,
        patch: { incidentName: s.trim() || name, comment: s.trim() || name },
        by: 'attacker@evil.example',
      });
      await api.store.load(target.id, { fresh: true });
      const text = await invoke('defender_get_incident', { incidentId: target.id });
      assert.deepEqual(liveLinkProblems(text), [], name);
      assert.ok(!INVISIBLE_OR_BIDI.test(text), `${name}: an invisible or bidi character reached the model`);
      const key = markerKey(text);
      const server = api.store.get(target.id)!;
      assert.ok(text.includes(`\u27EAdata ${key}\u27EB${clean(server.name, { max: 1000 })}\u27EA/data ${key}\u27EB`), `${name}: the name as one marked block`);
      const last = server.comments[server.comments.length - 1];
      assert.ok(text.includes(`\u27EAdata ${key}\u27EB${clean(last.text)}\u27EA/data ${key}\u27EB`), `${name}: the comment as one marked block`);
    }
  });

  it("write tools change nothing without the extension's confirmation, and journal the agent and who confirmed", async () => {
    const [a, b] = api.store.visible().filter(i => !i.assignedTo);
    answer = false;
    dialogs.length = 0;
    const before = await patches();
    const declined = await invoke('defender_assign_incidents', { incidentIds: [a.id], owner: 'me' });
    const r2 = await invoke('defender_resolve_incidents', {
      incidentIds: [b.id],
      classification: 'FalsePositive',
      determination: 'NotMalicious',
      comment: 'benign',
    });
    const r3 = await invoke('defender_add_comment', { incidentIds: [a.id, b.id], text: 'checked' });
    assert.match(r2, /declined/);
    assert.match(r3, /declined/);
    assert.match(declined, /declined/);
    assert.equal(await patches(), before, 'no PATCH reached the mock');
    assert.equal(dialogs.length, 3, 'outside a chat request every write asks in the dialog');
    assert.match(dialogs[0], new RegExp(`#${a.id} ".*": Owner: none → analyst@contoso\\.com`));
    assert.match(dialogs[1], /Status: .* → Resolved; Classification: .* → False positive; Determination: .* → Not malicious/);
    answer = true;
    const done = await invoke('defender_assign_incidents', { incidentIds: [a.id], owner: 'me' });
    assert.match(done, /1 of 1 changed/);
    assert.equal(await patches(), before + 1);
    const entry = api.history.journal(a.id).find(j => j.field === 'owner' && j.via);
    assert.deepEqual(entry?.via, {
      agent: 'VS Code chat (tool defender_assign_incidents)',
      confirmedBy: api.host.me(),
      confirmation: "the extension's confirmation dialog",
    });
  });

  it('a bulk write is paced: under a tight quota every incident is changed, none fails', async () => {
    const ids = api.store
      .visible()
      .filter(i => !i.assignedTo)
      .slice(0, 5)
      .map(i => i.id);
    assert.equal(ids.length, 5);
    answer = true;
    await control('DELETE', '/__mock/requests');
    // Retry-After counts whole seconds: a 1 s window makes each wait 1 s (a 1.5 s one made them 2 s).
    await control('PUT', '/__mock/rate-limit', { limit: 4, windowMs: 1000, retryAfterHeader: true });
    try {
      const text = await invoke('defender_assign_incidents', { incidentIds: ids, owner: 'me' });
      assert.match(text, /5 of 5 changed/, text);
      for (const id of ids) assert.equal(api.store.get(id)?.assignedTo, api.host.me());
      const log = await requests();
      assert.equal(log.filter(r => r.method === 'PATCH' && r.status < 300 && /\/api\/incidents\//.test(r.path)).length, 5);
      assert.ok(
        log.some(r => r.status === 429),
        'the quota was reached: the run waited for it instead of failing incidents',
      );
      assert.match(dialogs[dialogs.length - 1], /Assign Defender Incidents: 5 incidents/);
    } finally {
      await control('DELETE', '/__mock/rate-limit');
    }
  });

  it('the MCP server: tools/list with annotations, a read, a write refused while writes are off, a request without the key refused', async () => {
    const server = await api.mcp.start();
    const client = new Client({ name: 'Integration', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: { Authorization: `Bearer ${server.key}` } } }));
    try {
      const { tools } = await client.listTools();
      assert.equal(tools.find(t => t.name === 'defender_resolve_incidents')?.annotations?.destructiveHint, true);
      assert.equal(tools.find(t => t.name === 'defender_list_incidents')?.annotations?.readOnlyHint, true);
      const read = await client.callTool({ name: 'defender_list_incidents', arguments: { limit: 3 } });
      assert.equal(read.isError, false);
      const before = await patches();
      const target = api.store.visible().find(i => !i.assignedTo)!;
      const write = await client.callTool({ name: 'defender_assign_incidents', arguments: { incidentIds: [target.id], owner: 'me' } });
      assert.equal(write.isError, true);
      assert.match((write.content as { text: string }[])[0].text, /off/);
      assert.equal(await patches(), before);
      // The user setting turns writes on; each one still asks in the extension's dialog (declined here).
      const config = vscode.workspace.getConfiguration('defenderIncidents');
      await config.update('agent.mcpAllowWrites', true, vscode.ConfigurationTarget.Global);
      try {
        answer = false;
        const asked = dialogs.length;
        const declined = await client.callTool({ name: 'defender_assign_incidents', arguments: { incidentIds: [target.id], owner: 'me' } });
        assert.match((declined.content as { text: string }[])[0].text, /declined/);
        assert.equal(dialogs.length, asked + 1, 'the MCP write asked in the dialog');
        assert.equal(await patches(), before);
      } finally {
        await config.update('agent.mcpAllowWrites', undefined, vscode.ConfigurationTarget.Global);
      }
      const noKey = await fetch(server.url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
        body: '{}',
      });
      assert.equal(noKey.status, 401);
    } finally {
      await client.close();
      await api.mcp.stop();
    }
  });
});
