import * as assert from 'assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import {
  describeIgnored,
  historyScope,
  readBackendSettings,
  resolveBackendConfig,
  secretKey,
  USER_ONLY_SETTINGS,
  type SettingInspection,
} from '../../src/backend/config';
import type { SettingKey } from '../../src/constants';
import { ConfigError } from '../../src/backend/errors';
import { createBackend } from '../../src/backend/factory';
import { NoAuthTokenProvider } from '../../src/backend/auth';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

function fails(raw: Parameters<typeof resolveBackendConfig>[0], setting: string, msg?: RegExp): void {
  assert.throws(
    () => resolveBackendConfig(raw),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.setting, setting);
      assert.ok(e.message.includes(setting), e.message);
      if (msg) {
        assert.match(e.message, msg);
      }
      return true;
    },
  );
}

describe('config', () => {
  it('mock needs nothing', () => {
    const c = resolveBackendConfig({ backend: 'mock', apiBaseUrl: 'garbage', tenantId: '!!', clientId: 'x', authMethod: 'nope', authorityHost: 'ftp://x' });
    assert.equal(c.kind, 'mock');
  });

  it('defaults the public hosts and scopes', () => {
    const d = resolveBackendConfig({ backend: 'defender', apiBaseUrl: '', authorityHost: '', tenantId: '', clientId: CLIENT, authMethod: 'vscode' });
    assert.equal(d.apiBaseUrl, 'https://api.security.microsoft.com');
    assert.equal(d.scope, 'https://api.security.microsoft.com/.default');
    assert.deepEqual(d.sessionScopes, ['https://api.security.microsoft.com/.default', `VSCODE_CLIENT_ID:${CLIENT}`]);
    assert.equal(d.authorityHost, 'https://login.microsoftonline.com');
    const g = resolveBackendConfig({
      backend: 'graph',
      apiBaseUrl: ' https://graph.microsoft.com/ ',
      authorityHost: 'https://login.microsoftonline.com',
      tenantId: TENANT,
      clientId: CLIENT,
      authMethod: 'vscode',
    });
    assert.equal(g.apiBaseUrl, 'https://graph.microsoft.com');
    assert.equal(g.scope, 'https://graph.microsoft.com/.default');
    assert.deepEqual(g.sessionScopes, ['https://graph.microsoft.com/.default', `VSCODE_CLIENT_ID:${CLIENT}`, `VSCODE_TENANT:${TENANT}`]);
  });

  it('allows regional, government and loopback hosts with the right scope', () => {
    const us = resolveBackendConfig({
      backend: 'defender',
      apiBaseUrl: 'https://us.api.security.microsoft.com',
      tenantId: 'contoso.onmicrosoft.com',
      clientId: CLIENT,
      authMethod: 'vscode',
    });
    assert.equal(us.scope, 'https://api.security.microsoft.com/.default');
    assert.deepEqual(us.sessionScopes, ['https://api.security.microsoft.com/.default', `VSCODE_CLIENT_ID:${CLIENT}`, 'VSCODE_TENANT:contoso.onmicrosoft.com']);
    const gov = resolveBackendConfig({
      backend: 'defender',
      apiBaseUrl: 'https://api-gov.security.microsoft.us',
      authorityHost: 'https://login.microsoftonline.us',
      clientId: CLIENT,
      authMethod: 'vscode',
    });
    assert.equal(gov.scope, 'https://api-gov.security.microsoft.us/.default');
    assert.equal(gov.authorityHost, 'https://login.microsoftonline.us');
    const ggov = resolveBackendConfig({ backend: 'graph', apiBaseUrl: 'https://graph.microsoft.us', clientId: CLIENT, authMethod: 'vscode' });
    assert.equal(ggov.scope, 'https://graph.microsoft.us/.default');
    const user = { apiBaseUrl: 'user', authorityHost: 'user' } as const;
    for (const host of ['http://127.0.0.1:8123', 'http://localhost:8123', 'http://[::1]:8123']) {
      const l = resolveBackendConfig({
        backend: 'graph',
        apiBaseUrl: host,
        authorityHost: host,
        tenantId: TENANT,
        clientId: CLIENT,
        authMethod: 'clientSecret',
        sources: user,
      });
      assert.equal(l.apiBaseUrl, host);
      assert.equal(l.scope, 'https://graph.microsoft.com/.default');
      assert.equal(l.authorityHost, host);
    }
    const ld = resolveBackendConfig({
      backend: 'defender',
      apiBaseUrl: 'http://127.0.0.1:9',
      authorityHost: 'http://127.0.0.1:9',
      tenantId: TENANT,
      clientId: CLIENT,
      authMethod: 'clientSecret',
      sources: user,
    });
    assert.equal(ld.scope, 'https://api.security.microsoft.com/.default');
  });

  it('a loopback API never receives stored production credentials, even from user (or dev container) settings (issue 16 item 6)', () => {
    const user = { apiBaseUrl: 'user', authorityHost: 'user' } as const;
    const local = 'http://127.0.0.1:8123';
    // VS Code's Microsoft account: its token has the production audience.
    fails(
      { backend: 'defender', apiBaseUrl: local, clientId: CLIENT, authMethod: 'vscode', sources: user },
      'defenderIncidents.apiBaseUrl',
      /never gets production credentials/,
    );
    // A client secret at Microsoft's authority: the token it buys is a production one.
    fails(
      { backend: 'graph', apiBaseUrl: local, tenantId: TENANT, clientId: CLIENT, authMethod: 'clientSecret', sources: user },
      'defenderIncidents.apiBaseUrl',
      /never gets production credentials/,
    );
    // The loopback authority's own secret is kept apart from Microsoft's (one secret per authority).
    const ok = resolveBackendConfig({
      backend: 'graph',
      apiBaseUrl: local,
      authorityHost: local,
      tenantId: TENANT,
      clientId: CLIENT,
      authMethod: 'clientSecret',
      sources: user,
    });
    const prod = resolveBackendConfig({ backend: 'graph', tenantId: TENANT, clientId: CLIENT, authMethod: 'clientSecret' });
    assert.notEqual(secretKey(ok), secretKey(prod));
  });

  it('rejects bad URLs naming the setting', () => {
    fails({ backend: 'defender', clientId: CLIENT, apiBaseUrl: 'http://api.security.microsoft.com' }, 'defenderIncidents.apiBaseUrl', /https/);
    fails({ backend: 'defender', apiBaseUrl: 'api.security.microsoft.com' }, 'defenderIncidents.apiBaseUrl', /absolute/);
    fails({ backend: 'defender', apiBaseUrl: 'https://user:pw@api.security.microsoft.com' }, 'defenderIncidents.apiBaseUrl', /password/);
    fails({ backend: 'defender', apiBaseUrl: 'https://api.security.microsoft.com/?x=1' }, 'defenderIncidents.apiBaseUrl', /query/);
    fails({ backend: 'defender', apiBaseUrl: 'https://api.security.microsoft.com/#x' }, 'defenderIncidents.apiBaseUrl', /fragment/);
    fails({ backend: 'graph', apiBaseUrl: 'https://evil.example.com' }, 'defenderIncidents.apiBaseUrl', /Microsoft cloud host/);
    fails({ backend: 'graph', apiBaseUrl: 'https://graph.microsoft.com.evil.example' }, 'defenderIncidents.apiBaseUrl');
    fails({ backend: 'graph', apiBaseUrl: 'https://graph.microsoft.com/v1.0' }, 'defenderIncidents.apiBaseUrl', /host only/);
    fails({ backend: 'defender', apiBaseUrl: 'http://10.0.0.1' }, 'defenderIncidents.apiBaseUrl');
    fails({ backend: 'defender', authorityHost: 'https://login.evil.example' }, 'defenderIncidents.authorityHost');
    fails({ backend: 'defender', authorityHost: 'https://login.microsoftonline.com/contoso' }, 'defenderIncidents.authorityHost');
  });

  it('validates tenant, client id, auth method and backend', () => {
    fails({ backend: 'defender', tenantId: 'not a tenant' }, 'defenderIncidents.tenantId');
    fails({ backend: 'defender', clientId: 'abc' }, 'defenderIncidents.clientId', /GUID/);
    fails({ backend: 'defender', authMethod: 'clientSecret', clientId: CLIENT }, 'defenderIncidents.tenantId', /required/);
    fails({ backend: 'defender', authMethod: 'clientSecret', tenantId: TENANT }, 'defenderIncidents.clientId', /required/);
    fails({ backend: 'defender', authMethod: 'password' }, 'defenderIncidents.authMethod');
    fails({ backend: 'splunk' }, 'defenderIncidents.backend');
    const ok = resolveBackendConfig({ backend: 'defender', authMethod: 'clientSecret', tenantId: TENANT, clientId: CLIENT.toUpperCase() });
    assert.equal(ok.authMethod, 'clientSecret');
  });

  it("VS Code sign-in to a real backend requires clientId: VS Code's own client cannot get tokens for these APIs", () => {
    for (const backend of ['defender', 'graph']) {
      fails({ backend, authMethod: 'vscode', tenantId: TENANT }, 'defenderIncidents.clientId', /required to sign in with VS Code's Microsoft account/);
      fails({ backend, tenantId: TENANT, clientId: '  ' }, 'defenderIncidents.clientId', /required/);
      assert.equal(resolveBackendConfig({ backend, authMethod: 'vscode', clientId: CLIENT }).clientId, CLIENT);
    }
    assert.equal(resolveBackendConfig({ backend: 'mock', authMethod: 'vscode' }).kind, 'mock', 'the mock needs no client ID');
  });

  it('gives the sign-in to a loopback URL only when it came from user settings', () => {
    const base = { backend: 'defender', tenantId: TENANT, clientId: CLIENT, authMethod: 'clientSecret' };
    for (const source of [undefined, 'default', 'workspace', 'workspaceFolder'] as const) {
      fails(
        { ...base, apiBaseUrl: 'http://127.0.0.1:4000', sources: { apiBaseUrl: source, authorityHost: 'user' } },
        'defenderIncidents.apiBaseUrl',
        /loopback.*user settings/,
      );
      fails(
        { ...base, authorityHost: 'http://localhost:4000', sources: { apiBaseUrl: 'user', authorityHost: source } },
        'defenderIncidents.authorityHost',
        /loopback.*user settings/,
      );
      fails(
        { ...base, backend: 'graph', authMethod: 'vscode', apiBaseUrl: 'http://[::1]:4000', sources: { apiBaseUrl: source } },
        'defenderIncidents.apiBaseUrl',
        /loopback/,
      );
    }
    // Microsoft hosts need no such proof: they are the only other hosts accepted at all.
    assert.equal(
      resolveBackendConfig({ ...base, apiBaseUrl: 'https://eu.api.security.microsoft.com', sources: { apiBaseUrl: 'default' } }).apiBaseUrl,
      'https://eu.api.security.microsoft.com',
    );
    assert.equal(
      resolveBackendConfig({
        ...base,
        apiBaseUrl: 'http://127.0.0.1:4000',
        authorityHost: 'http://127.0.0.1:4000',
        sources: { apiBaseUrl: 'user', authorityHost: 'user' },
      }).apiBaseUrl,
      'http://127.0.0.1:4000',
    );
  });
});

describe('config: which settings take effect from where', () => {
  const DEFAULTS: Record<string, unknown> = {
    backend: 'mock',
    apiBaseUrl: '',
    authorityHost: 'https://login.microsoftonline.com',
    authMethod: 'vscode',
    tenantId: '',
    clientId: '',
  };

  /** inspect() and get() of a configuration with these user, workspace and folder values. */
  function settings(user: Record<string, unknown>, workspace: Record<string, unknown> = {}, folder: Record<string, unknown> = {}) {
    const inspect = (key: SettingKey): SettingInspection => ({
      defaultValue: DEFAULTS[key],
      globalValue: user[key],
      workspaceValue: workspace[key],
      workspaceFolderValue: folder[key],
    });
    const get = (key: SettingKey): unknown => folder[key] ?? workspace[key] ?? user[key] ?? DEFAULTS[key];
    return readBackendSettings(inspect, get);
  }

  it('takes backend, URLs and auth method from user settings (or their defaults), never from a workspace or folder, and names what it ignored', () => {
    const attacker = 'http://127.0.0.1:4444';
    const r = settings(
      { backend: 'defender', authMethod: 'clientSecret', tenantId: TENANT, clientId: CLIENT },
      { apiBaseUrl: attacker, authorityHost: attacker, backend: 'graph' },
      { authMethod: 'vscode', apiBaseUrl: 'http://localhost:1' },
    );
    assert.equal(r.raw.backend, 'defender');
    assert.equal(r.raw.authMethod, 'clientSecret');
    assert.equal(r.raw.apiBaseUrl, '', 'the default, not the workspace value');
    assert.equal(r.raw.authorityHost, 'https://login.microsoftonline.com');
    assert.deepEqual(r.raw.sources, { apiBaseUrl: 'default', authorityHost: 'default' });
    assert.deepEqual(r.ignored.map(i => `${i.setting}@${i.from}`).sort(), [
      'defenderIncidents.apiBaseUrl@workspace',
      'defenderIncidents.apiBaseUrl@workspaceFolder',
      'defenderIncidents.authMethod@workspaceFolder',
      'defenderIncidents.authorityHost@workspace',
      'defenderIncidents.backend@workspace',
    ]);
    const c = resolveBackendConfig(r.raw);
    assert.equal(c.apiBaseUrl, 'https://api.security.microsoft.com');
    assert.equal(c.authorityHost, 'https://login.microsoftonline.com');
    const notice = describeIgnored(r.ignored);
    assert.match(notice, /defenderIncidents\.backend, defenderIncidents\.apiBaseUrl, defenderIncidents\.authorityHost from the workspace settings/);
    assert.match(notice, /defenderIncidents\.apiBaseUrl, defenderIncidents\.authMethod from a workspace folder's settings/);
  });

  it("a user value wins and is marked as the user's, so a loopback URL the user set is accepted", () => {
    const mine = 'http://127.0.0.1:18090';
    const r = settings(
      { backend: 'graph', apiBaseUrl: mine, authorityHost: mine, authMethod: 'clientSecret', tenantId: TENANT, clientId: CLIENT },
      { apiBaseUrl: 'http://127.0.0.1:4444' },
    );
    assert.deepEqual(r.raw.sources, { apiBaseUrl: 'user', authorityHost: 'user' });
    const c = resolveBackendConfig(r.raw);
    assert.equal(c.apiBaseUrl, mine);
    assert.equal(c.authorityHost, mine);
    assert.deepEqual(r.ignored, [{ setting: 'defenderIncidents.apiBaseUrl', from: 'workspace' }]);
  });

  it('tenant, client ID and user principal name come from user settings only: a repository cannot choose the tenant, the app or who "me" is (issue 16 item 5)', () => {
    const r = settings(
      { backend: 'defender', clientId: CLIENT, tenantId: TENANT, userPrincipalName: 'me@contoso.com' },
      { tenantId: 'attacker.onmicrosoft.com', userPrincipalName: 'ceo@contoso.com' },
      { clientId: '99999999-2222-4333-8444-555555555555' },
    );
    assert.equal(r.raw.tenantId, TENANT);
    assert.equal(r.raw.clientId, CLIENT);
    assert.equal(r.raw.userPrincipalName, 'me@contoso.com');
    assert.deepEqual(r.ignored.map(i => `${i.setting}@${i.from}`).sort(), [
      'defenderIncidents.clientId@workspaceFolder',
      'defenderIncidents.tenantId@workspace',
      'defenderIncidents.userPrincipalName@workspace',
    ]);
    assert.match(describeIgnored(r.ignored), /tenant, the app and your identity/);
    const none = readBackendSettings(
      () => undefined,
      () => undefined,
    );
    assert.equal(none.raw.backend, 'mock', 'no configuration at all is the mock');
  });

  it('package.json: the identity settings are machine-scoped, and Restricted Mode keeps every setting a repository must not steer', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', 'package.json'), 'utf8'));
    const props = pkg.contributes.configuration.properties;
    for (const k of USER_ONLY_SETTINGS) assert.equal(props[`defenderIncidents.${k}`].scope, 'machine', k);
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    for (const k of [...USER_ONLY_SETTINGS, 'notifyNewHighSeverity', 'sla', 'refreshInterval', 'maxQueueSize']) {
      assert.ok(restricted.includes(`defenderIncidents.${k}`), `${k} is restricted in untrusted workspaces`);
    }
  });

  it('a workspace cannot switch the backend on: the mock stays the mock', () => {
    const r = settings({}, { backend: 'defender', apiBaseUrl: 'http://127.0.0.1:4444', authMethod: 'clientSecret' });
    assert.equal(resolveBackendConfig(r.raw).kind, 'mock');
    assert.equal(r.ignored.length, 3);
  });
});

describe('config: history scope', () => {
  it('is kind + API host + tenant for real backends, mock for the mock', () => {
    const d = resolveBackendConfig({ backend: 'defender', tenantId: TENANT.toUpperCase(), clientId: CLIENT });
    assert.equal(historyScope(d), `defender|api.security.microsoft.com|${TENANT}`);
    const other = resolveBackendConfig({ backend: 'defender', tenantId: 'fabrikam.onmicrosoft.com', clientId: CLIENT });
    assert.notEqual(historyScope(other), historyScope(d));
    const eu = resolveBackendConfig({ backend: 'defender', apiBaseUrl: 'https://eu.api.security.microsoft.com', tenantId: TENANT, clientId: CLIENT });
    assert.equal(historyScope(eu), `defender|eu.api.security.microsoft.com|${TENANT}`);
    const g = resolveBackendConfig({
      backend: 'graph',
      apiBaseUrl: 'http://127.0.0.1:18090',
      authorityHost: 'http://127.0.0.1:18090',
      authMethod: 'clientSecret',
      sources: { apiBaseUrl: 'user', authorityHost: 'user' },
      tenantId: TENANT,
      clientId: CLIENT,
    });
    assert.equal(historyScope(g), `graph|127.0.0.1:18090|${TENANT}`);
    assert.equal(historyScope(resolveBackendConfig({ backend: 'graph', clientId: CLIENT })), 'graph|graph.microsoft.com|organizations');
    assert.equal(historyScope(resolveBackendConfig({ backend: 'mock' })), 'mock');
  });
});

describe('factory', () => {
  it('builds the backend the config asks for', () => {
    const log = (): void => undefined;
    const tokens = new NoAuthTokenProvider();
    const mock = createBackend(resolveBackendConfig({ backend: 'mock' }), { tokens, log, mockBaseUrl: 'http://127.0.0.1:4321' });
    assert.equal(mock.capabilities.kind, 'mock');
    assert.equal(mock.capabilities.canRename, true);
    assert.equal(mock.capabilities.requestsPerMinute, 6000);
    assert.throws(() => createBackend(resolveBackendConfig({ backend: 'mock' }), { tokens, log }), ConfigError);
    const d = createBackend(resolveBackendConfig({ backend: 'defender', clientId: CLIENT }), { tokens, log });
    assert.deepEqual(
      [d.capabilities.kind, d.capabilities.canRename, d.capabilities.canUpdateAlerts, d.capabilities.maxPageSize, d.capabilities.requestsPerMinute],
      ['defender', false, false, 100, 45],
    );
    const g = createBackend(resolveBackendConfig({ backend: 'graph', clientId: CLIENT }), { tokens, log });
    assert.deepEqual(
      [
        g.capabilities.kind,
        g.capabilities.canRename,
        g.capabilities.canChangeSeverity,
        g.capabilities.canUpdateAlerts,
        g.capabilities.maxPageSize,
        g.capabilities.requestsPerMinute,
      ],
      ['graph', true, true, true, 50, 140],
    );
    for (const b of [mock, d, g]) {
      b.dispose();
    }
  });
});
