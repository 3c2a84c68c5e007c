import * as assert from 'assert/strict';
import { resolveBackendConfig } from '../../src/backend/config';
import { ConfigError } from '../../src/backend/errors';
import { createBackend } from '../../src/backend/factory';
import { NoAuthTokenProvider } from '../../src/backend/auth';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CLIENT = '04b07795-8ddb-461a-bbee-02f9e1bf7b46';

function fails(raw: Parameters<typeof resolveBackendConfig>[0], setting: string, msg?: RegExp): void {
  assert.throws(() => resolveBackendConfig(raw), (e: unknown) => {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.setting, setting);
    assert.ok(e.message.includes(setting), e.message);
    if (msg) { assert.match(e.message, msg); }
    return true;
  });
}

describe('config', () => {
  it('mock needs nothing', () => {
    const c = resolveBackendConfig({ backend: 'mock', apiBaseUrl: 'garbage', tenantId: '!!', clientId: 'x', authMethod: 'nope', authorityHost: 'ftp://x' });
    assert.equal(c.kind, 'mock');
  });

  it('defaults the public hosts and scopes', () => {
    const d = resolveBackendConfig({ backend: 'defender', apiBaseUrl: '', authorityHost: '', tenantId: '', clientId: '', authMethod: 'vscode' });
    assert.equal(d.apiBaseUrl, 'https://api.security.microsoft.com');
    assert.equal(d.scope, 'https://api.security.microsoft.com/.default');
    assert.deepEqual(d.sessionScopes, ['https://api.security.microsoft.com/.default']);
    assert.equal(d.authorityHost, 'https://login.microsoftonline.com');
    const g = resolveBackendConfig({ backend: 'graph', apiBaseUrl: ' https://graph.microsoft.com/ ', authorityHost: 'https://login.microsoftonline.com', tenantId: TENANT, clientId: CLIENT, authMethod: 'vscode' });
    assert.equal(g.apiBaseUrl, 'https://graph.microsoft.com');
    assert.equal(g.scope, 'https://graph.microsoft.com/.default');
    assert.deepEqual(g.sessionScopes, ['https://graph.microsoft.com/.default', `VSCODE_CLIENT_ID:${CLIENT}`, `VSCODE_TENANT:${TENANT}`]);
  });

  it('allows regional, government and loopback hosts with the right scope', () => {
    const us = resolveBackendConfig({ backend: 'defender', apiBaseUrl: 'https://us.api.security.microsoft.com', tenantId: 'contoso.onmicrosoft.com', authMethod: 'vscode' });
    assert.equal(us.scope, 'https://api.security.microsoft.com/.default');
    assert.deepEqual(us.sessionScopes, ['https://api.security.microsoft.com/.default', 'VSCODE_TENANT:contoso.onmicrosoft.com']);
    const gov = resolveBackendConfig({ backend: 'defender', apiBaseUrl: 'https://api-gov.security.microsoft.us', authorityHost: 'https://login.microsoftonline.us', authMethod: 'vscode' });
    assert.equal(gov.scope, 'https://api-gov.security.microsoft.us/.default');
    assert.equal(gov.authorityHost, 'https://login.microsoftonline.us');
    const ggov = resolveBackendConfig({ backend: 'graph', apiBaseUrl: 'https://graph.microsoft.us', authMethod: 'vscode' });
    assert.equal(ggov.scope, 'https://graph.microsoft.us/.default');
    for (const host of ['http://127.0.0.1:8123', 'http://localhost:8123', 'http://[::1]:8123']) {
      const l = resolveBackendConfig({ backend: 'graph', apiBaseUrl: host, authorityHost: host, tenantId: TENANT, clientId: CLIENT, authMethod: 'clientSecret' });
      assert.equal(l.apiBaseUrl, host);
      assert.equal(l.scope, 'https://graph.microsoft.com/.default');
      assert.equal(l.authorityHost, host);
    }
    const ld = resolveBackendConfig({ backend: 'defender', apiBaseUrl: 'http://127.0.0.1:9', authMethod: 'vscode' });
    assert.equal(ld.scope, 'https://api.security.microsoft.com/.default');
  });

  it('rejects bad URLs naming the setting', () => {
    fails({ backend: 'defender', apiBaseUrl: 'http://api.security.microsoft.com' }, 'defenderIncidents.apiBaseUrl', /https/);
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
    const d = createBackend(resolveBackendConfig({ backend: 'defender' }), { tokens, log });
    assert.deepEqual([d.capabilities.kind, d.capabilities.canRename, d.capabilities.canUpdateAlerts, d.capabilities.maxPageSize, d.capabilities.requestsPerMinute], ['defender', false, false, 100, 45]);
    const g = createBackend(resolveBackendConfig({ backend: 'graph' }), { tokens, log });
    assert.deepEqual([g.capabilities.kind, g.capabilities.canRename, g.capabilities.canChangeSeverity, g.capabilities.canUpdateAlerts, g.capabilities.maxPageSize, g.capabilities.requestsPerMinute], ['graph', false, false, true, 50, 140]);
    for (const b of [mock, d, g]) { b.dispose(); }
  });
});
