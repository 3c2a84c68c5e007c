import { strict as assert } from 'assert';
import { CORPUS, inertProblems, leavesBidiOpen } from '../fixtures/hostile';
import { describeFilter, filterEditorRows } from '../../src/store/filter';
import { compileFilter, DEFAULT_FILTER, isEmptyFilter, parseFilter, sameFilter, type IncidentFilter } from '../../src/model/query';
import { planQuery, toServerQuery } from '../../src/model/serverQuery';
import { FILTER_FIELDS, type FilterField, type PickSource } from '../../src/store/filterFields';
import { DEFENDER_ODATA } from '../../src/backend/defender/client';
import { GRAPH_ODATA } from '../../src/backend/graph/client';
import type { IncidentQuery } from '../../src/model/query';
import type { Incident } from '../../src/model/types';
import type { BackendCapabilities } from '../../src/backend/types';
import { alert, incident } from '../support/builders';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const caps = (serverFilters: BackendCapabilities['serverFilters']): BackendCapabilities => ({
  kind: 'defender',
  displayName: 'Defender',
  canRename: false,
  canChangeSeverity: false,
  canUpdateAlerts: false,
  maxPageSize: 100,
  serverFilters,
  requestsPerMinute: 45,
});

describe('filter', () => {
  it("the default queue is the portal's: Active and In progress, High/Medium/Low", () => {
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
      id: '924565',
      name: 'Ransomware activity',
      tags: ['Finance'],
      alerts: [
        alert({
          devices: [{ id: 'd1', dnsName: 'ws-fin-0231.contoso.com', osPlatform: null, osBuild: null, healthStatus: null, riskScore: null, firstSeen: null }],
          entities: [{ type: 'User', label: 'bob@contoso.com', details: {} }],
        }),
      ],
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
    assert.equal(
      describeFilter({ statuses: ['Active', 'InProgress'], owner: { kind: 'unassigned' }, text: 'vpn' }),
      'Active, In progress · unassigned · "vpn"',
    );
  });

  it('describes a saved filter from a cloned repository without links, codicons or open overrides', () => {
    for (const [name, h] of CORPUS) {
      const d = describeFilter({
        statuses: [h],
        severities: [h],
        classifications: [h],
        owner: { kind: 'person', upn: h },
        tags: [h],
        time: { from: h },
        text: h,
      });
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

  it('names a bad saved-filter entry: an unknown field or a value no table knows', () => {
    assert.match(parseFilter({ statusses: ['Active'] }) as string, /unknown field "statusses"/);
    assert.match(parseFilter({ statuses: ['Actve'] }) as string, /"statuses" has "Actve", which is not a status/);
    assert.match(parseFilter({ updated: { from: 'soon' } }) as string, /"updated" must be/);
    assert.match(parseFilter({ owner: { kind: 'person' } }) as string, /owner\.upn/);
    assert.deepEqual(
      parseFilter({ statuses: ['inProgress'], severities: ['unknown'] }),
      { statuses: ['InProgress'], severities: ['UnSpecified'] },
      'read in the domain spelling',
    );
  });

  it("the default queue is the model's open statuses and High, Medium, Low", () => {
    assert.deepEqual(DEFAULT_FILTER, { statuses: ['Active', 'InProgress'], severities: ['High', 'Medium', 'Low'] });
    assert.ok(sameFilter({ severities: ['Low', 'High'], owner: { kind: 'anyone' } }, { severities: ['High', 'Low'] }));
  });
});

/**
 * The filter table, field by field: every entry has a case here (a new field fails the first test until
 * it gets one), and each case checks the setting's parse, the client match, the server query on each
 * backend's capabilities with the `$filter` each dialect sends, the view's words and the quick pick.
 */
describe('filter table', () => {
  const DEFENDER = caps(['status', 'assignedTo', 'lastUpdateTime', 'createdTime']);
  const GRAPH = caps(['status', 'severity', 'assignedTo', 'classification', 'lastUpdateTime', 'createdTime']);
  const ME = 'me@contoso.com';
  const src: PickSource = { owners: () => ['alice@contoso.com'], tags: () => ['vip', 'Finance', 'vip'] };
  interface Case {
    raw: unknown;
    filter: IncidentFilter;
    yes: Incident;
    no: Incident;
    defender: IncidentQuery;
    graph: IncidentQuery;
    defenderFilter?: string;
    graphFilter?: string;
    describe: string;
    options: string[];
  }
  const CASES: Record<keyof IncidentFilter, Case> = {
    statuses: {
      raw: ['active', 'InProgress'],
      filter: { statuses: ['Active', 'InProgress'] },
      yes: incident({ status: 'InProgress' }),
      no: incident({ status: 'Resolved' }),
      defender: { statuses: ['Active', 'InProgress'] },
      graph: { statuses: ['Active', 'InProgress'] },
      defenderFilter: "(status eq 'Active' or status eq 'InProgress')",
      graphFilter: "(status eq 'active' or status eq 'inProgress')",
      describe: 'Active, In progress',
      options: ['Active', 'In progress', 'Awaiting action', 'Resolved', 'Redirected'],
    },
    severities: {
      raw: ['High'],
      filter: { severities: ['High'] },
      yes: incident({ severity: 'High' }),
      no: incident({ severity: 'Low' }),
      defender: {},
      graph: { severities: ['High'] },
      graphFilter: "severity eq 'high'",
      describe: 'High',
      options: ['High', 'Medium', 'Low', 'Informational', 'Unspecified'],
    },
    classifications: {
      raw: ['FalsePositive'],
      filter: { classifications: ['FalsePositive'] },
      yes: incident({ classification: 'FalsePositive' }),
      no: incident({ classification: 'Unknown' }),
      defender: {},
      graph: { classifications: ['FalsePositive'] },
      graphFilter: "classification eq 'falsePositive'",
      describe: 'False positive',
      options: ['Not set', 'True positive', 'Informational, expected activity', 'False positive'],
    },
    owner: {
      raw: 'me',
      filter: { owner: { kind: 'me' } },
      yes: incident({ assignedTo: 'ME@contoso.com' }),
      no: incident({ assignedTo: null }),
      defender: { assignedTo: ME },
      graph: { assignedTo: ME },
      defenderFilter: "assignedTo eq 'me@contoso.com'",
      graphFilter: "assignedTo eq 'me@contoso.com'",
      describe: 'assigned to me',
      options: ['Anyone', 'Me', 'Unassigned', 'alice@contoso.com', 'Someone else…'],
    },
    tags: {
      raw: ['VIP'],
      filter: { tags: ['VIP'] },
      yes: incident({ tags: ['vip'] }),
      no: incident({ tags: ['other'] }),
      defender: {},
      graph: {},
      describe: 'tags VIP',
      options: ['Finance', 'vip'],
    },
    updated: {
      raw: { from: '2026-11-01T00:00:00Z', to: '2026-11-10T00:00:00Z' },
      filter: { updated: { from: '2026-11-01T00:00:00Z', to: '2026-11-10T00:00:00Z' } },
      yes: incident({ lastUpdateTime: '2026-11-05T00:00:00Z' }),
      no: incident({ lastUpdateTime: '2026-11-10T00:00:00Z' }),
      defender: { updatedSince: '2026-11-01T00:00:00.000Z', updatedBefore: '2026-11-10T00:00:00.000Z' },
      graph: { updatedSince: '2026-11-01T00:00:00.000Z', updatedBefore: '2026-11-10T00:00:00.000Z' },
      defenderFilter: 'lastUpdateTime ge 2026-11-01T00:00:00.000Z and lastUpdateTime lt 2026-11-10T00:00:00.000Z',
      graphFilter: 'lastUpdateDateTime ge 2026-11-01T00:00:00.000Z and lastUpdateDateTime lt 2026-11-10T00:00:00.000Z',
      describe: 'updated from 2026-11-01 to 2026-11-10',
      options: ['Any time', '1 day', '3 days', '7 days', '30 days', '6 months', 'Custom…'],
    },
    time: {
      raw: '1d',
      filter: { time: '1d' },
      yes: incident({ createdTime: '2026-11-29T01:00:00Z' }),
      no: incident({ createdTime: '2026-11-27T01:00:00Z' }),
      defender: { createdSince: '2026-11-28T12:00:00.000Z' },
      graph: { createdSince: '2026-11-28T12:00:00.000Z' },
      defenderFilter: 'createdTime ge 2026-11-28T12:00:00.000Z',
      graphFilter: 'createdDateTime ge 2026-11-28T12:00:00.000Z',
      describe: 'created in the last 1 day',
      options: ['Any time', '1 day', '3 days', '7 days', '30 days', '6 months', 'Custom…'],
    },
    text: {
      raw: 'ransom',
      filter: { text: 'ransom' },
      yes: incident({ name: 'Ransomware activity' }),
      no: incident({ name: 'Phishing' }),
      defender: {},
      graph: {},
      describe: '"ransom"',
      options: [],
    },
    sla: {
      raw: ['overdue', 'dueSoon'],
      filter: { sla: ['overdue', 'dueSoon'] },
      yes: incident({ status: 'Active', severity: 'High', assignedTo: null, createdTime: '2026-11-29T11:00:00Z' }),
      no: incident({ status: 'Active', severity: 'High', assignedTo: null, createdTime: '2026-11-29T11:59:00Z' }),
      defender: {},
      graph: {},
      describe: 'SLA overdue, due soon',
      options: ['Overdue', 'Due soon', 'On time', 'No SLA'],
    },
  };

  it('every field of the table has a case here', () => {
    assert.deepEqual(FILTER_FIELDS.map(f => f.key).sort(), Object.keys(CASES).sort());
  });

  for (const field of FILTER_FIELDS as readonly FilterField[]) {
    const c = CASES[field.key];
    it(`${field.key}: parse, client match, server query per backend, $filter per dialect, words and quick pick`, () => {
      assert.deepEqual(parseFilter({ [field.key]: c.raw }), c.filter, 'parsed from the setting');
      const m = compileFilter(c.filter, ME, NOW);
      assert.equal(m(c.yes), true, 'matches');
      assert.equal(m(c.no), false, 'does not match');
      assert.deepEqual(toServerQuery(c.filter, DEFENDER, ME, NOW), c.defender, 'Defender query');
      assert.deepEqual(toServerQuery(c.filter, GRAPH, ME, NOW), c.graph, 'Graph query');
      for (const [name, backend, dialect, want] of [
        ['defender', DEFENDER, DEFENDER_ODATA, c.defenderFilter],
        ['graph', GRAPH, GRAPH_ODATA, c.graphFilter],
      ] as const) {
        const q = toServerQuery(c.filter, backend, ME, NOW);
        const plan = planQuery(q, backend.serverFilters, dialect);
        assert.equal(plan.filter, want, `${name} $filter`);
        // A query built for the backend is sent whole; one that filters nothing on the server is named unsent.
        assert.equal(Object.keys(plan.unsent).length, 0, `${name}: nothing unsent of a query it built`);
        const none = planQuery(q, [], dialect);
        assert.equal(none.filter, undefined, `${name}: a backend that filters nothing gets no $filter`);
        if (Object.keys(q).length) {
          // What is unsent is what the caller's filter matches: the same field, the same verdicts.
          const m = compileFilter(none.unsent, ME, NOW);
          assert.equal(m(c.yes), true, `${name}: the unsent part matches as the filter does`);
          assert.equal(m(c.no), false, `${name}: the unsent part matches as the filter does`);
        }
      }
      assert.equal(describeFilter(c.filter), c.describe);
      assert.equal(filterEditorRows(c.filter).find(r => r.key === field.key)?.description, c.describe);
      const p = field.pick;
      const labels = p.kind === 'text' ? [] : [...p.options(src).map(o => o.label), ...(p.kind === 'one' && p.other ? [p.other.option.label] : [])];
      assert.deepEqual(labels, c.options, 'quick-pick options');
    });
  }

  it('"unassigned" goes to the query as null but never into a $filter: it is unsent, and the caller\'s filter matches it', () => {
    const q = toServerQuery({ owner: { kind: 'unassigned' } }, GRAPH, ME, NOW);
    assert.deepEqual(q, { assignedTo: null });
    const plan = planQuery(q, GRAPH.serverFilters, GRAPH_ODATA);
    assert.equal(plan.filter, undefined);
    assert.deepEqual(plan, { filter: undefined, unsent: { owner: { kind: 'unassigned' } } }, 'a plan carries no matcher of its own');
    const m = compileFilter({ owner: { kind: 'unassigned' } }, ME, NOW);
    assert.equal(m(incident({ assignedTo: null })), true);
    assert.equal(m(incident({ assignedTo: 'a@b.c' })), false);
  });

  it('the quick pick gives back what the filter holds', () => {
    const byKey = new Map((FILTER_FIELDS as readonly FilterField[]).map(f => [f.key, f.pick]));
    const many = byKey.get('statuses');
    assert.ok(many?.kind === 'many');
    assert.deepEqual(many.selected(['active']), ['Active']);
    assert.deepEqual(many.value(['Active']), ['Active']);
    assert.equal(many.value([]), undefined, 'none picked = any');
    const owner = byKey.get('owner');
    assert.ok(owner?.kind === 'one' && owner.other);
    assert.deepEqual(owner.value('unassigned'), { kind: 'unassigned' });
    assert.deepEqual(owner.value('alice@contoso.com'), { kind: 'person', upn: 'alice@contoso.com' });
    assert.deepEqual(owner.other.value([' bob@contoso.com ']), { kind: 'person', upn: 'bob@contoso.com' });
    assert.equal(owner.other.value(['  ']), undefined, 'blank changes nothing');
    const time = byKey.get('time');
    assert.ok(time?.kind === 'one' && time.other);
    assert.equal(time.value(''), undefined, 'Any time clears');
    assert.equal(time.other.prompts[0].invalid?.('not a date'), 'Enter a date like 2026-11-01.');
    assert.deepEqual(time.other.value(['2026-11-01', '']), { from: '2026-11-01T00:00:00.000Z' });
    const text = byKey.get('text');
    assert.ok(text?.kind === 'text');
    assert.equal(text.value('  '), undefined);
  });

  it('editor rows and pick options from the workspace or the backend are inert', () => {
    for (const [name, h] of CORPUS) {
      const f: IncidentFilter = { statuses: [h], owner: { kind: 'person', upn: h }, tags: [h], updated: { from: h }, text: h };
      const hostile: PickSource = { owners: () => [h], tags: () => [h] };
      const texts = [
        ...filterEditorRows(f).map(r => r.description),
        ...(FILTER_FIELDS as readonly FilterField[]).flatMap(x => (x.pick.kind === 'text' ? [] : x.pick.options(hostile).map(o => o.label))),
      ];
      for (const text of texts) {
        assert.deepEqual(inertProblems(text), [], `${name}: ${text.slice(0, 200)}`);
        assert.ok(!leavesBidiOpen(text), name);
      }
    }
  });
});
