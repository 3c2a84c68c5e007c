/**
 * The real Defender and Graph clients inside the real extension host: settings switched to each
 * backend, pointed at a separate mock server that requires a client-credentials token, with the
 * secret in SecretStorage. Then a search of the log, settings and global state for the secret and the
 * tokens, which must find neither.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { until } from './util';
import type { ExtensionMessage } from '../../src/shared/protocol';
import { startMockServer, type MockServer } from '../../src/mock/server';
import { secretKey } from '../../src/backend/config';

const TENANT = '3f0b5c9e-1d2a-4b7c-8e6f-0a9b8c7d6e5f';
const CLIENT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const SECRET = `it-secret-${Math.random().toString(36).slice(2)}-do-not-log`;
const UPN = 'analyst@contoso.com';
const KEYS = ['backend', 'apiBaseUrl', 'authorityHost', 'tenantId', 'clientId', 'authMethod', 'userPrincipalName'];

describe('real backends (Defender XDR and Graph clients) against a mock that requires sign-in', function () {
  this.timeout(90000);
  let api: ExtensionApi;
  let server: MockServer;
  const cfg = () => vscode.workspace.getConfiguration('defenderIncidents');

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>('defender-incidents.defender-incidents')!.activate();
    await vscode.commands.executeCommand('workbench.view.extension.defenderIncidents');
    server = await startMockServer({ incidentCount: 60, seed: 11, auth: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, required: true } });
    // One secret per authority, tenant and app: this one is the mock authority's.
    await api.context.secrets.store(secretKey({ authorityHost: new URL(server.url).origin, tenantId: TENANT, clientId: CLIENT }), SECRET);
  });

  after(async () => {
    for (const k of KEYS) await cfg().update(k, undefined, vscode.ConfigurationTarget.Global);
    await api.context.secrets.delete(secretKey({ authorityHost: new URL(server.url).origin, tenantId: TENANT, clientId: CLIENT }));
    await until('the mock backend again', () => api.store.state === 'ready' && api.store.capabilities?.kind === 'mock');
    await server.close();
  });

  async function use(kind: 'defender' | 'graph'): Promise<void> {
    const g = vscode.ConfigurationTarget.Global;
    await cfg().update('apiBaseUrl', server.url, g);
    await cfg().update('authorityHost', server.url, g);
    await cfg().update('tenantId', TENANT, g);
    await cfg().update('clientId', CLIENT, g);
    await cfg().update('authMethod', 'clientSecret', g);
    await cfg().update('userPrincipalName', UPN, g);
    await cfg().update('backend', kind, g);
    await until(`the ${kind} queue`, () => api.store.state === 'ready' && api.store.capabilities?.kind === kind);
  }

  async function triageThroughThePane(kind: 'defender' | 'graph'): Promise<void> {
    const s = api;
    assert.ok(s.store.visible().length > 0, `${kind}: the queue lists incidents`);
    const target = s.store.visible().find(i => !i.assignedTo && i.status === 'Active') ?? s.store.visible()[0];
    const id = target.id;
    await vscode.commands.executeCommand('defenderIncidents.openIncident', id);
    const panel = await until('the pane', () => s.panels.get(id));
    const posted: ExtensionMessage[] = [];
    panel.onPost.add(m => posted.push(m));
    let n = 100;
    const send = async (action: unknown) => {
      const reqId = n++;
      await panel.receive({ type: 'request', id: reqId, incidentId: id, action });
      const r = posted.find(m => m.type === 'response' && m.id === reqId);
      assert.ok(r && r.type === 'response' && r.ok, `${kind} ${JSON.stringify(action)}: ${JSON.stringify(r)}`);
    };
    await send({ kind: 'assignToMe' });
    await send({ kind: 'setStatus', status: 'InProgress' });
    await send({ kind: 'classify', classification: 'TruePositive', determination: 'Malware' });
    const text = `${kind} comment ${Date.now()}`;
    await send({ kind: 'addComment', text, clientId: `${kind}-c1` });

    const wire = server.db.get(Number(id)) as unknown as {
      assignedTo: string;
      status: string;
      classification: string;
      determination: string;
      comments: { comment: string }[];
    };
    assert.equal(wire.assignedTo, UPN);
    assert.equal(wire.status, 'InProgress');
    assert.equal(wire.classification, 'TruePositive');
    assert.equal(wire.determination, 'Malware');
    assert.equal(wire.comments.filter(c => c.comment === text).length, 1);
    panel.panel.dispose();
  }

  it('Defender XDR API: lists, assigns, changes status, classifies and comments', async () => {
    await use('defender');
    assert.equal(api.store.capabilities?.canRename, false);
    await triageThroughThePane('defender');
    assert.ok(
      server.requests.some(r => r.dialect === 'token' && r.status === 200),
      'a token was obtained with the client secret',
    );
    assert.ok(server.requests.some(r => r.dialect === 'defender' && r.method === 'PATCH'));
  });

  it('Graph security API: lists, assigns (with alerts), changes status, classifies and comments', async () => {
    await use('graph');
    await triageThroughThePane('graph');
    assert.ok(server.requests.some(r => r.dialect === 'graph' && r.method === 'POST' && r.path.endsWith('/comments')));
    assert.ok(
      server.requests.some(r => r.dialect === 'graph' && r.path.includes('/alerts_v2/')),
      'assign to me cascades to alerts on Graph',
    );
  });

  it('Graph security API: rename and re-rate from the pane; Defender refuses both before sending, with the reason', async () => {
    const s = api;
    const open = async () => {
      const target = s.store.visible()[0];
      await vscode.commands.executeCommand('defenderIncidents.openIncident', target.id);
      const panel = await until('the pane', () => s.panels.get(target.id));
      const posted: ExtensionMessage[] = [];
      panel.onPost.add(m => posted.push(m));
      let n = 500;
      const send = async (action: unknown) => {
        const reqId = n++;
        await panel.receive({ type: 'request', id: reqId, incidentId: target.id, action });
        const r = posted.find(m => m.type === 'response' && m.id === reqId);
        assert.ok(r && r.type === 'response', `no response to ${JSON.stringify(action)}`);
        return r;
      };
      return { target, panel, posted, send };
    };

    await use('graph');
    let p = await open();
    const name = `Renamed from the pane ${Date.now().toString(36)}`;
    assert.ok((await p.send({ kind: 'rename', name })).ok);
    // The pane's state (posted once per change, possibly a tick after the response) offers both on Graph.
    await until('the pane state offering rename and severity on Graph', () =>
      p.posted.some(m => m.type === 'state' && m.state.capabilities.canRename && m.state.capabilities.canChangeSeverity && m.state.incident.name === name),
    );
    assert.ok((await p.send({ kind: 'setSeverity', severity: 'Low' })).ok);
    const wire = server.db.get(Number(p.target.id)) as unknown as { incidentName: string; severity: string };
    assert.equal(wire.incidentName, name);
    assert.equal(wire.severity, 'Low');
    assert.equal(s.store.get(p.target.id)?.name, name, 'the store (and so the tree) shows the new name');
    assert.ok(server.requests.some(r => r.dialect === 'graph' && r.method === 'PATCH' && r.status === 200));
    p.panel.panel.dispose();

    await use('defender');
    p = await open();
    const before = server.requests.filter(r => r.method === 'PATCH').length;
    const refused = await p.send({ kind: 'rename', name: 'should not be sent' });
    assert.ok(refused.type === 'response' && !refused.ok);
    assert.match(JSON.stringify(refused), /Defender XDR API cannot rename/);
    assert.equal(server.requests.filter(r => r.method === 'PATCH').length, before, 'nothing was sent');
    assert.equal(s.store.capabilities?.canRename, false, 'the Defender XDR API cannot rename');
    p.panel.panel.dispose();
  });

  it('a bad setting is named and nothing is sent', async () => {
    const before = server.requests.length;
    await cfg().update('apiBaseUrl', 'http://example.com', vscode.ConfigurationTarget.Global);
    await until('the error state', () => api.store.state === 'error');
    assert.match(api.store.error?.message ?? '', /defenderIncidents\.apiBaseUrl/);
    assert.equal(server.requests.length, before);
    // The view says why and offers the fix, instead of going blank.
    const nodes = api.tree.getChildren() as { kind: string; label?: string }[];
    assert.ok(nodes.every(n => n.kind === 'action'));
    assert.match(nodes[0].label ?? '', /apiBaseUrl/);
    assert.ok(nodes.some(n => n.label === 'Open Settings'));
  });

  it('neither the secret nor any token appears in the log, the settings or the global state', async () => {
    const secrets = [SECRET, ...server.issuedTokens()];
    assert.ok(secrets.length >= 2, 'tokens were issued');
    const logFile = path.join(api.context.logUri.fsPath, 'Defender Incidents.log');
    api.log.info('leak check');
    const log = await until(
      'the log file',
      () => fs.existsSync(logFile) && fs.readFileSync(logFile, 'utf8').includes('leak check') && fs.readFileSync(logFile, 'utf8'),
    );
    assert.match(log, /(GET|PATCH) \/api\/incidents/, 'the log has request lines');
    const state = api.context.globalState;
    const stateText = JSON.stringify(state.keys().map(k => [k, state.get(k)]));
    const settingsText = JSON.stringify(KEYS.map(k => cfg().inspect(k)));
    for (const s of secrets) {
      assert.ok(!log.includes(s), 'log');
      assert.ok(!stateText.includes(s), 'global state');
      assert.ok(!settingsText.includes(s), 'settings');
    }
  });
});
