/**
 * Workspace settings cannot send the user's sign-in elsewhere (issue #10): in a trusted workspace,
 * `.vscode/settings.json` points `apiBaseUrl` and `authorityHost` at a listener on 127.0.0.1 (and tries
 * to pick the backend and sign-in method). The user's own settings select the Defender backend with a
 * client secret against a mock of their choosing. The listener must receive nothing, and the
 * extension's effective configuration must be the user's.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { until } from './util';
import { startMockServer, type MockServer } from '../../src/mock/server';
import { secretKey } from '../../src/backend/config';

const TENANT = '5a0c6e1f-2b3d-4c8e-9f7a-1b2c3d4e5f60';
const CLIENT = 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e';
const SECRET = `ws-secret-${Math.random().toString(36).slice(2)}-do-not-send`;
const KEYS = ['backend', 'apiBaseUrl', 'authorityHost', 'tenantId', 'clientId', 'authMethod', 'userPrincipalName'];

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

describe('workspace settings cannot redirect the sign-in', function () {
  this.timeout(90000);
  let api: ExtensionApi;
  let mine: MockServer;
  let listener: http.Server;
  let listenerUrl: string;
  const seen: Seen[] = [];
  let settingsFile: string;
  let previous: string | undefined;
  const cfg = () => vscode.workspace.getConfiguration('defenderIncidents');
  const probe = `probe-${Date.now()}`;

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>('defender-incidents.defender-incidents')!.activate();
    await vscode.commands.executeCommand('workbench.view.extension.defenderIncidents');
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration host opens a workspace folder');
    settingsFile = path.join(folder.uri.fsPath, '.vscode', 'settings.json');
    previous = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;

    // The repository's listener: counts requests and records what credentials reach it.
    listener = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString('utf8');
      });
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, body });
        res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":{"code":"Unauthorized","message":"listener"}}');
      });
    });
    await new Promise<void>(r => listener.listen(0, '127.0.0.1', r));
    listenerUrl = `http://127.0.0.1:${(listener.address() as { port: number }).port}`;

    // The user's own mock, which requires the client-credentials token.
    mine = await startMockServer({ incidentCount: 20, seed: 5, auth: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, required: true } });
    await api.context.secrets.store(secretKey({ authorityHost: new URL(mine.url).origin, tenantId: TENANT, clientId: CLIENT }), SECRET);
  });

  after(async () => {
    await cfg()
      .update('savedFilters', undefined, vscode.ConfigurationTarget.Workspace)
      .then(undefined, () => undefined);
    if (previous === undefined) fs.rmSync(settingsFile, { force: true });
    else fs.writeFileSync(settingsFile, previous);
    for (const k of KEYS) await cfg().update(k, undefined, vscode.ConfigurationTarget.Global);
    await api.context.secrets.delete(secretKey({ authorityHost: new URL(mine.url).origin, tenantId: TENANT, clientId: CLIENT }));
    await until('the mock backend again', () => api.store.state === 'ready' && api.store.capabilities?.kind === 'mock');
    await mine.close();
    await new Promise<void>(r => listener.close(() => r()));
  });

  it('a workspace apiBaseUrl/authorityHost on a local listener gets no request and no credential; the user settings are in effect', async () => {
    // What a cloned repository ships in .vscode/settings.json. (VS Code refuses to write these
    // "machine" settings to the workspace through the API, so the file is written directly.)
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(
      settingsFile,
      JSON.stringify(
        {
          'defenderIncidents.apiBaseUrl': listenerUrl,
          'defenderIncidents.authorityHost': listenerUrl,
          'defenderIncidents.backend': 'graph',
          'defenderIncidents.authMethod': 'vscode',
          // Issue 16 item 5: nor the tenant, the app or who "me" is.
          'defenderIncidents.tenantId': 'attacker.onmicrosoft.com',
          'defenderIncidents.clientId': '99999999-2222-4333-8444-555555555555',
          'defenderIncidents.userPrincipalName': 'ceo@contoso.com',
        },
        null,
        2,
      ),
    );
    // A workspace setting written through the API makes VS Code (re)read that file now; it proves the
    // file above is the workspace's settings as VS Code sees them.
    await cfg().update('savedFilters', [{ name: probe, filter: {} }], vscode.ConfigurationTarget.Workspace);
    await until('the workspace settings file to be read', () => {
      const w = cfg().inspect<{ name: string }[]>('savedFilters')?.workspaceValue;
      return Array.isArray(w) && w.some(f => f.name === probe);
    });
    const onDisk = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    assert.equal(onDisk['defenderIncidents.apiBaseUrl'], listenerUrl, 'the workspace file still points at the listener');

    // The user's settings: Defender backend, client secret, their own mock for both URLs.
    const g = vscode.ConfigurationTarget.Global;
    await cfg().update('tenantId', TENANT, g);
    await cfg().update('clientId', CLIENT, g);
    await cfg().update('authMethod', 'clientSecret', g);
    await cfg().update('apiBaseUrl', mine.url, g);
    await cfg().update('authorityHost', mine.url, g);
    await cfg().update('backend', 'defender', g);
    await until("the defender queue from the user's mock", () => api.store.state === 'ready' && api.store.capabilities?.kind === 'defender', 30000).catch(
      (e: unknown) => {
        throw new Error(`${String(e)}: state=${api.store.state} error=${api.store.error?.message}`);
      },
    );
    await api.store.reload();

    assert.deepEqual(
      seen.map(s => `${s.method} ${s.url}`),
      [],
      "the workspace's listener received nothing",
    );
    assert.ok(!seen.some(s => s.authorization || s.body.includes(SECRET)));
    assert.ok(
      mine.requests.some(r => r.dialect === 'token' && r.status === 200),
      "the token came from the user's authority",
    );
    assert.ok(
      mine.requests.some(r => r.dialect === 'defender' && r.status === 200),
      "the incidents came from the user's API URL",
    );

    const effective = api.host.config();
    assert.equal(effective.kind, 'defender');
    assert.equal(effective.authMethod, 'clientSecret');
    assert.equal(effective.apiBaseUrl, new URL(mine.url).origin);
    assert.equal(effective.authorityHost, new URL(mine.url).origin);
    assert.equal(api.host.kind(), 'defender');
    assert.equal(api.host.historyScope(), `defender|${new URL(mine.url).host}|${TENANT}`);
    assert.equal(effective.tenantId, TENANT, "the user's tenant, not the workspace's");
    assert.equal(effective.clientId, CLIENT, "the user's app, not the workspace's");
    assert.notEqual(api.host.me(), 'ceo@contoso.com', 'the workspace cannot say who "me" is');
    // VS Code itself keeps the workspace's values out too ("scope": "machine" in package.json).
    assert.notEqual(cfg().get('apiBaseUrl'), listenerUrl);
    assert.notEqual(cfg().get('authorityHost'), listenerUrl);
  });

  it('the workspace cannot pick the backend either, and an ignored workspace value is named in the log', async () => {
    const g = vscode.ConfigurationTarget.Global;
    const before = mine.requests.length;
    // The user removes their backend choice: the default (mock) applies, not the workspace's "graph".
    await cfg().update('backend', undefined, g);
    await until('the mock backend', () => api.store.state === 'ready' && api.store.capabilities?.kind === 'mock');
    assert.equal(api.host.kind(), 'mock');
    assert.equal(api.host.historyScope(), 'mock');
    assert.deepEqual(seen, []);
    assert.equal(mine.requests.length, before);
    // VS Code normally drops a "machine" setting from workspace settings before the extension sees it;
    // where it does not, the extension ignores it itself and says so once.
    if (cfg().inspect('backend')?.workspaceValue !== undefined) {
      const logFile = path.join(api.context.logUri.fsPath, 'Defender Incidents.log');
      await until(
        'the notice in the log',
        () => fs.existsSync(logFile) && /Ignored .*defenderIncidents\.backend.* from the workspace settings/.test(fs.readFileSync(logFile, 'utf8')),
      );
    }
  });
});

describe('Save Filter (issue 16 item 10)', function () {
  this.timeout(30000);
  it("writes to user settings by default, never into the workspace's .vscode/settings.json", async () => {
    const api = (await vscode.extensions.getExtension<ExtensionApi>('defender-incidents.defender-incidents')!.activate())!;
    const cfg = () => vscode.workspace.getConfiguration('defenderIncidents');
    const name = `it-saved-${Date.now().toString(36)}`;
    const box = vscode.window.showInputBox;
    (vscode.window as { showInputBox: unknown }).showInputBox = async () => name;
    try {
      await api.store.setFilter({ statuses: ['Active'] });
      await vscode.commands.executeCommand('defenderIncidents.saveFilter');
    } finally {
      (vscode.window as { showInputBox: unknown }).showInputBox = box;
    }
    const i = cfg().inspect<{ name: string }[]>('savedFilters');
    assert.ok(
      i?.globalValue?.some(f => f.name === name),
      'in user settings',
    );
    assert.ok(!(i?.workspaceValue ?? []).some(f => f.name === name), 'not in the workspace settings');
    await cfg().update(
      'savedFilters',
      (i?.globalValue ?? []).filter(f => f.name !== name),
      vscode.ConfigurationTarget.Global,
    );
  });
});
