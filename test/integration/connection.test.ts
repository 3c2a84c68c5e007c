/**
 * Issue 16, item 1 in the real extension host: two simulated tenants (two mock servers in the Defender
 * dialect, each with its own tenant, app and client secret, and the same incident numbers). With the pane
 * of an incident of tenant A open, the settings are pointed at tenant B and the pane's Resolve is pressed:
 * not one write reaches either tenant, the pane says it belongs to the previous connection, and its
 * Reopen opens the incident on tenant B.
 */
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ExtensionMessage } from '../../src/shared/protocol';
import { secretKey } from '../../src/backend/config';
import { startMockServer, type MockServer } from '../../src/mock/server';
import { until } from './util';

const CLIENT = 'c1c2c3c4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const TENANT_A = 'aaaaaaaa-1d2a-4b7c-8e6f-0a9b8c7d6e5f';
const TENANT_B = 'bbbbbbbb-1d2a-4b7c-8e6f-0a9b8c7d6e5f';
const KEYS = ['backend', 'apiBaseUrl', 'authorityHost', 'tenantId', 'clientId', 'authMethod', 'userPrincipalName'];

describe('an open pane after a tenant switch (connection binding)', function () {
  this.timeout(90000);
  let api: ExtensionApi;
  const servers: MockServer[] = [];
  const cfg = () => vscode.workspace.getConfiguration('defenderIncidents');
  const origin = (s: MockServer) => new URL(s.url).origin;

  before(async () => {
    api = (await vscode.extensions.getExtension<ExtensionApi>('defender-incidents.defender-incidents')!.activate())!;
    await vscode.commands.executeCommand('workbench.view.extension.defenderIncidents');
    for (const tenantId of [TENANT_A, TENANT_B]) {
      const clientSecret = `secret-of-${tenantId}`;
      const s = await startMockServer({ incidentCount: 30, seed: 23, auth: { tenantId, clientId: CLIENT, clientSecret, required: true } });
      servers.push(s);
      await api.context.secrets.store(secretKey({ authorityHost: origin(s), tenantId, clientId: CLIENT }), clientSecret);
    }
  });

  after(async () => {
    for (const k of KEYS) await cfg().update(k, undefined, vscode.ConfigurationTarget.Global);
    for (const [i, s] of servers.entries())
      await api.context.secrets.delete(secretKey({ authorityHost: origin(s), tenantId: [TENANT_A, TENANT_B][i], clientId: CLIENT }));
    await until('the mock backend again', () => api.store.state === 'ready' && api.store.capabilities?.kind === 'mock');
    for (const s of servers) await s.close();
  });

  async function use(s: MockServer, tenantId: string): Promise<void> {
    const g = vscode.ConfigurationTarget.Global;
    await cfg().update('apiBaseUrl', s.url, g);
    await cfg().update('authorityHost', s.url, g);
    await cfg().update('clientId', CLIENT, g);
    await cfg().update('authMethod', 'clientSecret', g);
    await cfg().update('tenantId', tenantId, g);
    await cfg().update('backend', 'defender', g);
    await until(
      `tenant ${tenantId}'s queue`,
      () => api.store.state === 'ready' && api.store.capabilities?.kind === 'defender' && api.host.connection().endsWith(tenantId),
    );
  }

  it("refuses the pane's Resolve on tenant B before any request (0 writes), says so, and reopens on B", async () => {
    const [a, b] = servers;
    await use(a, TENANT_A);
    const target = api.store.visible().find(i => i.status === 'Active' || i.status === 'InProgress') ?? api.store.visible()[0];
    const id = target.id;
    await vscode.commands.executeCommand('defenderIncidents.openIncident', id);
    const panel = await until('the pane', () => api.panels.get(id));
    const posted: ExtensionMessage[] = [];
    panel.onPost.add(m => posted.push(m));
    await panel.receive({ type: 'ready' });

    await use(b, TENANT_B);
    assert.ok(b.db.get(Number(id)), 'tenant B has an incident of the same number');
    const writes = () => servers.flatMap(s => s.requests).filter(r => r.method !== 'GET' && r.dialect !== 'token').length;
    const before = writes();
    const bRequests = b.requests.length;
    await panel.receive({
      type: 'request',
      id: 901,
      incidentId: id,
      action: { kind: 'setStatus', status: 'Resolved', classification: 'TruePositive', determination: 'Malware', comment: 'resolved from the stale pane' },
    });
    await panel.receive({ type: 'request', id: 902, incidentId: id, action: { kind: 'addComment', text: 'stale comment', clientId: 'stale-1' } });
    for (const reqId of [901, 902]) {
      const r = posted.find(m => m.type === 'response' && m.id === reqId);
      assert.ok(r && r.type === 'response' && !r.ok && r.error.kind === 'connectionChanged', `refused: ${JSON.stringify(r)}`);
    }
    assert.equal(writes() - before, 0, 'not one write reached either tenant');
    assert.equal(b.requests.length, bRequests, 'tenant B got no request at all from the pane');
    assert.notEqual((b.db.get(Number(id)) as unknown as { status: string }).status, 'Resolved');
    // Told at the first setting that moved the connection, and again as it moved on: the last names tenant B.
    const notice = posted.filter(m => m.type === 'connection').pop();
    assert.ok(notice && notice.type === 'connection' && notice.stale, 'the pane was told it belongs to the previous connection');
    assert.match(notice.stale.was, new RegExp(TENANT_A));
    assert.match(notice.stale.now, new RegExp(TENANT_B));
    const firstNotice = posted.findIndex(m => m.type === 'connection');
    assert.ok(!posted.some((m, i) => m.type === 'state' && i > firstNotice), "the pane was not given tenant B's incident of that number");

    // Reopen: a new pane on tenant B.
    await panel.receive({ type: 'reopen' });
    const reopened = await until('the reopened pane', () => {
      const p = api.panels.get(id);
      return p && p !== panel && p;
    });
    assert.equal(reopened.connection, api.host.connection());
    assert.ok(!reopened.isStale());
    reopened.panel.dispose();
  });
});
