import { strict as assert } from 'assert';
import { CORPUS, inertProblems, leavesBidiOpen } from '../fixtures/hostile';
import { compileFilter, DEFAULT_FILTER, describeFilter, isEmptyFilter, parseFilter, toServerQuery } from '../../src/store/filter';
import type { BackendCapabilities } from '../../src/backend/types';
import { alert, incident } from '../support/builders';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const caps = (serverFilters: BackendCapabilities['serverFilters']): BackendCapabilities => ({
  kind: 'defender', displayName: 'Defender', canRename: false, canChangeSeverity: false, canUpdateAlerts: false, maxPageSize: 100, serverFilters, requestsPerMinute: 45,
});

describe('filter', () => {
  it('the default queue is the portal\'s: Active and In progress, High/Medium/Low', () => {
    const m = compileFilter(DEFAULT_FILTER, 'me@contoso.com', NOW);
    assert.equal(m(incident({ status: 'Active', severity: 'High' })), true);
    assert.equal(m(incident({ status: 'InProgress', severity: 'Low' })), true);
    assert.equal(m(incident({ status: 'Resolved', severity: 'High' })), false);
    assert.equal(m(incident({ status: 'Active', severity: 'Informational' })), false);
  });

  it('owner: me, unassigned and a named person (case-insensitive)', () => {
    const me = compileFilter({ owner: { kind: 'me' } }, 'Me@Contoso.com', NOW);
    assert.equal(me(incident({ assignedTo: 'me@contoso.com' })), true);
    assert.equal(me(incident({ assignedTo: null })), false);
    const un = compileFilter({ owner: { kind: 'unassigned' } }, 'x', NOW);
    assert.equal(un(incident({ assignedTo: null })), true);
    assert.equal(un(incident({ assignedTo: 'a@b.c' })), false);
    const p = compileFilter({ owner: { kind: 'person', upn: 'alice@contoso.com' } }, 'x', NOW);
    assert.equal(p(incident({ assignedTo: 'ALICE@contoso.com' })), true);
  });

  it('time range, tags, classification', () => {
    const m = compileFilter({ time: '1d', tags: ['vip'], classifications: ['TruePositive'] }, 'x', NOW);
    const base = { createdTime: '2026-11-29T01:00:00Z', tags: ['VIP', 'other'], classification: 'TruePositive' };
    assert.equal(m(incident(base)), true);
    assert.equal(m(incident({ ...base, createdTime: '2026-11-27T01:00:00Z' })), false);
    assert.equal(m(incident({ ...base, tags: ['other'] })), false);
    assert.equal(m(incident({ ...base, classification: 'FalsePositive' })), false);
    const custom = compileFilter({ time: { from: '2026-11-01T00:00:00Z', to: '2026-11-10T00:00:00Z' } }, 'x', NOW);
    assert.equal(custom(incident({ createdTime: '2026-11-05T00:00:00Z' })), true);
    assert.equal(custom(incident({ createdTime: '2026-11-10T00:00:00Z' })), false);
  });

  it('text search covers name, id, tags, devices and users', () => {
    const i = incident({
      id: '924565', name: 'Ransomware activity', tags: ['Finance'],
      alerts: [alert({ devices: [{ id: 'd1', dnsName: 'ws-fin-0231.contoso.com', osPlatform: null, osBuild: null, healthStatus: null, riskScore: null, firstSeen: null }],
        entities: [{ type: 'User', label: 'bob@contoso.com', details: {} }] })],
    });
    for (const q of ['ransom', '924565', 'finance', 'WS-FIN-0231', 'bob@']) assert.equal(compileFilter({ text: q }, 'x', NOW)(i), true, q);
    assert.equal(compileFilter({ text: 'nothing-like-this' }, 'x', NOW)(i), false);
  });

  it('sends to the server only what the backend can filter', () => {
    const f = { statuses: ['Active'], severities: ['High'], owner: { kind: 'me' as const }, time: '7d' as const };
    const d = toServerQuery(f, caps(['status', 'assignedTo', 'lastUpdateTime', 'createdTime']), 'me@x.com', NOW);
    assert.deepEqual(d.statuses, ['Active']);
    assert.equal(d.severities, undefined, 'Defender cannot filter severity server-side');
    assert.equal(d.assignedTo, 'me@x.com');
    assert.equal(d.createdSince, new Date(NOW - 7 * 864e5).toISOString());
    const g = toServerQuery(f, caps(['status', 'severity', 'assignedTo']), 'me@x.com', NOW);
    assert.deepEqual(g.severities, ['High']);
    assert.equal(toServerQuery({ owner: { kind: 'unassigned' } }, caps(['assignedTo']), 'x', NOW).assignedTo, null);
  });

  it('describes and detects empty filters', () => {
    assert.equal(describeFilter({}), 'All incidents');
    assert.equal(isEmptyFilter({ owner: { kind: 'anyone' } }), true);
    assert.equal(describeFilter({ statuses: ['Active', 'InProgress'], owner: { kind: 'unassigned' }, text: 'vpn' }), 'Active, In progress · unassigned · "vpn"');
  });

  it('describes a saved filter from a cloned repository without links, codicons or open overrides', () => {
    for (const [name, h] of CORPUS) {
      const d = describeFilter({ statuses: [h], severities: [h], classifications: [h], owner: { kind: 'person', upn: h }, tags: [h], time: { from: h }, text: h });
      assert.deepEqual(inertProblems(d), [], `${name}: ${d.slice(0, 200)}`);
      assert.ok(!leavesBidiOpen(d), name);
    }
    assert.equal(describeFilter({ text: '[x](command:workbench.action.terminal.new)' }), '"［x］(command：workbench.action.terminal.new)"');
    assert.equal(describeFilter({ owner: { kind: 'person', upn: 'adm\u200Bin@contoso.com' } }), 'owner adm⟦U+200B⟧in@contoso.com');
  });

  it('parses saved filters from settings and names what is wrong', () => {
    assert.deepEqual(parseFilter({ statuses: ['Active'], owner: 'me', time: '7d' }), { statuses: ['Active'], owner: { kind: 'me' }, time: '7d' });
    assert.deepEqual(parseFilter({ owner: 'alice@contoso.com' }), { owner: { kind: 'person', upn: 'alice@contoso.com' } });
    assert.match(parseFilter({ statuses: 'Active' }) as string, /statuses/);
    assert.match(parseFilter({ time: 'yesterday' }) as string, /time/);
    assert.match(parseFilter({ owner: 42 }) as string, /owner/);
    assert.match(parseFilter(null) as string, /object/);
  });
});
