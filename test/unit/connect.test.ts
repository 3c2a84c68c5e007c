import * as assert from 'assert/strict';
import type { MockServer } from '../../src/mock/server';
import { ClientSecretTokenProvider } from '../../src/backend/auth';
import { ConfigError } from '../../src/backend/errors';
import { SlidingWindowPacer } from '../../src/backend/http';
import { checkConnection, missingPermission, type CheckInput, type ProbeEndpoint, type ProbeLine } from '../../src/connect/check';
import { aadstsCode, aadstsWords, knownAadsts } from '../../src/connect/aadsts';
import { APIS } from '../../src/connect/permissions';
import { connectionReport } from '../../src/connect/report';
import { startMock } from '../fixtures/mock-helpers';

const AUTH = {
  tenantId: '8a1c2b4e-8d3a-4c6b-9e7f-2a1d5c8b0e99',
  clientId: '11111111-2222-4333-8444-555555555555',
  clientSecret: 's3cr3t~value-xyz',
  required: true,
};
const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
const DEFENDER_SCOPE = 'https://api.security.microsoft.com/.default';

describe('Check Connection against the mock in its "real tenant" mode', () => {
  let server: MockServer;
  let calls: string[] = [];

  before(async () => {
    server = await startMock({ incidentCount: 5, seed: 1, auth: AUTH, log: (l: string) => calls.push(l) });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.setAuthMode({ roles: undefined, secretExpired: false, unlicensed: false });
    calls = [];
  });

  function endpoint(flavor: 'defender' | 'graph', over: { tenant?: string; clientId?: string; secret?: string } = {}): ProbeEndpoint {
    return {
      flavor,
      baseUrl: server.url,
      pacer: new SlidingWindowPacer(100),
      tokens: new ClientSecretTokenProvider({
        authorityHost: server.url,
        tenantId: over.tenant ?? AUTH.tenantId,
        clientId: over.clientId ?? AUTH.clientId,
        scope: flavor === 'graph' ? GRAPH_SCOPE : DEFENDER_SCOPE,
        getSecret: async () => over.secret ?? AUTH.clientSecret,
      }),
    };
  }

  function input(kind: 'defender' | 'graph', over: Parameters<typeof endpoint>[1] = {}): CheckInput {
    const graph = endpoint('graph', over);
    return { kind, api: kind === 'graph' ? graph : endpoint('defender', over), graph, secrets: [over.secret ?? AUTH.clientSecret] };
  }

  const apiCalls = () => calls.filter(l => /(\/api\/|\/v1\.0\/)/.test(l) && !/oauth2/.test(l));
  const byCap = (lines: ProbeLine[]) => Object.fromEntries(lines.map(l => [l.capability, l]));

  it('Graph with every permission: incidents and alerts work, one call each; hunting is reported as it answers', async () => {
    const lines = await checkConnection(input('graph'));
    const c = byCap(lines);
    assert.equal(c.incidents.outcome, 'works');
    assert.equal(c.alerts.outcome, 'works', c.alerts.words);
    // The mock has no hunting route until the hunting mock lands; whatever it answers is one call and named.
    assert.ok(['works', 'notAvailable'].includes(c.hunting.outcome), `${c.hunting.outcome}: ${c.hunting.words}`);
    assert.equal(apiCalls().length, 3, apiCalls().join('\n'));
  });

  it('a missing permission is forbidden, naming the permission from the real 403 body', async () => {
    server.setAuthMode({ roles: ['SecurityIncident.Read.All'] });
    const c = byCap(await checkConnection(input('graph')));
    assert.equal(c.incidents.outcome, 'works');
    assert.equal(c.alerts.outcome, 'forbidden');
    assert.equal(c.alerts.permission, 'SecurityAlert.Read.All');
    assert.match(c.alerts.words, /lacks the permission SecurityAlert\.Read\.All/);
    assert.match(c.alerts.fix ?? '', /Grant admin consent/);
    assert.ok(c.alerts.requestId, 'the 403 keeps the service request id');
    assert.equal(c.hunting.outcome, 'forbidden');
    assert.equal(c.hunting.permission, 'ThreatHunting.Read.All');
  });

  it('Defender: a token without Incident.Read.All is forbidden, and the embedded alerts say so without a call of their own', async () => {
    server.setAuthMode({ roles: ['ThreatHunting.Read.All'] });
    const c = byCap(await checkConnection(input('defender')));
    assert.equal(c.incidents.outcome, 'forbidden');
    assert.equal(c.incidents.permission, 'Incident.Read.All');
    assert.equal(c.alerts.outcome, 'forbidden');
    assert.match(c.alerts.words, /^Read with the incidents/);
    assert.equal(apiCalls().filter(l => l.includes('/api/')).length, 1);
  });

  it('an unknown tenant is "wrong tenant" in words (AADSTS90002), and no API call is made', async () => {
    const c = byCap(await checkConnection(input('graph', { tenant: 'fabrikam.onmicrosoft.com' })));
    for (const cap of ['incidents', 'alerts', 'hunting']) assert.equal(c[cap].outcome, 'wrongTenant', cap);
    assert.match(c.incidents.words, /tenant was not found \(AADSTS90002\)/);
    assert.match(c.alerts.words, /^Not tried/);
    assert.equal(apiCalls().length, 0);
  });

  it('an app not in the tenant, a wrong secret and an expired secret are each named; the secret never appears', async () => {
    const wrongApp = byCap(await checkConnection(input('graph', { clientId: '99999999-2222-4333-8444-555555555555' })));
    assert.equal(wrongApp.incidents.outcome, 'wrongTenant');
    assert.match(wrongApp.incidents.words, /application was not found in this tenant \(AADSTS700016\)/);
    const wrongSecret = await checkConnection(input('graph', { secret: 'not-the-secret-123' }));
    assert.equal(wrongSecret[0].outcome, 'signInFailed');
    assert.match(wrongSecret[0].words, /client secret is wrong \(AADSTS7000215\)/);
    server.setAuthMode({ secretExpired: true });
    const expired = await checkConnection(input('defender'));
    assert.equal(expired[0].outcome, 'signInFailed');
    assert.match(expired[0].words, /client secret has expired \(AADSTS7000222\)/);
    const report = connectionReport({ backend: 'graph', apiHost: '127.0.0.1', tenant: AUTH.tenantId, signIn: 'client secret', at: new Date(0) }, [
      ...wrongSecret,
      ...expired,
    ]);
    assert.ok(!report.includes('not-the-secret-123') && !report.includes(AUTH.clientSecret));
  });

  it('an unlicensed tenant is "not licensed"', async () => {
    server.setAuthMode({ unlicensed: true });
    const c = byCap(await checkConnection(input('defender')));
    assert.equal(c.incidents.outcome, 'notLicensed');
  });

  it('an unreachable host is named with the network error', async () => {
    const dead: ProbeEndpoint = {
      flavor: 'graph',
      baseUrl: 'http://127.0.0.1:9',
      tokens: { getToken: async () => 'x', clear: () => undefined },
      pacer: new SlidingWindowPacer(100),
    };
    const lines = await checkConnection({ kind: 'graph', api: dead, graph: dead });
    assert.equal(lines[0].outcome, 'unreachable');
    assert.match(lines[0].words, /127\.0\.0\.1:9 could not be reached \(ECONNREFUSED\)/);
  });

  it('a Graph endpoint that cannot be built (bad setting) is named for hunting on the Defender backend', async () => {
    const lines = await checkConnection({
      kind: 'defender',
      api: endpoint('defender'),
      graph: new ConfigError('defenderIncidents.tenantId', 'Setting defenderIncidents.tenantId is required.'),
    });
    assert.equal(byCap(lines).hunting.outcome, 'failed');
    assert.match(byCap(lines).hunting.fix ?? '', /defenderIncidents\.tenantId/);
  });
});

describe('connection words', () => {
  it('reads the AADSTS code out of an Entra message and puts it in words', () => {
    assert.equal(aadstsCode('Sign-in with the client secret failed (invalid_client: AADSTS7000222: The provided client secret keys ...'), 7000222);
    assert.equal(aadstsCode('no code here'), null);
    assert.match(aadstsWords(65001).words, /consent/);
    assert.match(aadstsWords(12345).words, /AADSTS12345/);
    for (const code of [90002, 700016, 7000215, 7000222, 65001])
      assert.ok(
        knownAadsts().some(w => w.code === code),
        String(code),
      );
  });

  it("names the permission of a 403 in either API's words", () => {
    assert.equal(
      missingPermission(
        'Access denied (403): ... Missing application roles. API required roles: SecurityIncident.Read.All,SecurityIncident.ReadWrite.All, application roles: .',
      ),
      'SecurityIncident.Read.All',
    );
    assert.equal(missingPermission('Access denied (403): the Graph API needs the permission SecurityAlert.Read.All; signed-in'), 'SecurityAlert.Read.All');
  });

  it('the report names each write permission and says writes were not probed', () => {
    const md = connectionReport(
      { backend: 'graph', apiHost: 'graph.microsoft.com', tenant: 'contoso.onmicrosoft.com', signIn: 'client secret', at: new Date(0) },
      [{ capability: 'incidents', what: 'Incidents', outcome: 'works', words: 'Answered | ok [x](command:evil)' }],
    );
    assert.match(md, /cannot be probed without changing data/);
    for (const c of APIS.graph.capabilities) if (c.write) assert.ok(md.includes(c.write), c.write);
    assert.ok(!md.includes('[x](command:evil)'), 'backend text is escaped in the Markdown');
  });
});

describe('tenant and client ID as typed', () => {
  // Imported here so the describe above stays about the check.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { tenantProblem, clientIdProblem } = require('../../src/connect/validate') as typeof import('../../src/connect/validate');

  it('accepts a tenant GUID or a verified domain and says what is wrong with anything else', () => {
    assert.equal(tenantProblem('72f988bf-86f1-41af-91ab-2d7cd011db47'), undefined);
    assert.equal(tenantProblem(' contoso.onmicrosoft.com '), undefined);
    assert.match(tenantProblem('') ?? '', /Directory \(tenant\) ID/);
    assert.match(tenantProblem('common') ?? '', /not a tenant/);
    assert.match(tenantProblem('72f988bf-86f1') ?? '', /12 of 32 hex digits/);
    assert.match(tenantProblem('https://login.microsoftonline.com/contoso') ?? '', /not a URL/);
    assert.match(tenantProblem('contoso') ?? '', /GUID or a domain/);
  });

  it('accepts a client ID GUID and warns when a secret is pasted instead', () => {
    assert.equal(clientIdProblem('11111111-2222-4333-8444-555555555555'), undefined);
    assert.match(clientIdProblem('abc8Q~fakefakefakefakefakefake.fake12') ?? '', /looks like a client secret/);
    assert.match(clientIdProblem('1111') ?? '', /4 of 32/);
  });
});

describe('Copy Diagnostics text', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { diagnosticsText, isProblemRequestLine, RecentLines } = require('../../src/connect/diagnostics') as typeof import('../../src/connect/diagnostics');
  const base = {
    extensionVersion: '0.1.0',
    vscodeVersion: '1.99.0',
    platform: 'linux x64',
    backend: 'graph',
    apiHost: 'graph.microsoft.com',
    authMethod: 'clientSecret',
    pacing: [{ limit: 140, windowMs: 60_000, remaining: 139, used: 1 }],
    at: new Date(0),
  };

  it('carries versions, backend, host, tenant, pacing and the last errors with their request ids', () => {
    const t = diagnosticsText({
      ...base,
      tenant: 'contoso.onmicrosoft.com',
      scrub: [],
      lastErrors: ['GET /v1.0/security/incidents?$top=50 403 20ms retries=0 client-request-id=abc request-id=def'],
    });
    for (const s of ['0.1.0', '1.99.0', 'graph.microsoft.com', 'contoso.onmicrosoft.com', '139 of 140', 'request-id=def']) assert.ok(t.includes(s), s);
  });

  it('hides the tenant everywhere when asked, and scrubs tokens and secrets', () => {
    const t = diagnosticsText({
      ...base,
      tenant: null,
      scrub: ['Contoso.onmicrosoft.com'],
      lastErrors: [
        'error: token for contoso.onmicrosoft.com failed: Authorization: Bearer eyJ0eXAiOiJKV1QiLCJhbGciOi.abc.def client_secret=abc8Q~secretsecret',
      ],
    });
    assert.ok(!/contoso/i.test(t), t);
    assert.ok(!t.includes('eyJ0eXAiOiJKV1QiLCJhbGciOi'), t);
    assert.ok(!t.includes('abc8Q~secretsecret'), t);
    assert.match(t, /Tenant: \(hidden\)/);
  });

  it('keeps failed requests and drops the ones that worked; keeps only the last lines', () => {
    assert.ok(isProblemRequestLine('GET /api/incidents 403 12ms retries=0 client-request-id=x'));
    assert.ok(isProblemRequestLine('GET /api/incidents ECONNREFUSED 12ms retries=3'));
    assert.ok(!isProblemRequestLine('GET /api/incidents 200 12ms retries=0'));
    const r = new RecentLines(2);
    for (const l of ['a', 'b', 'c']) r.push(l, new Date(0));
    assert.deepEqual(
      r.list().map(l => l.split(' ')[1]),
      ['b', 'c'],
    );
  });
});
