import { strict as assert } from 'assert';
import { rowDescription, shortAge } from '../../src/store/queue';
import { buildQueue } from '../../src/store/liveQueue';
import { alertDescription, alertLabel, alertTooltip, incidentAccessibilityLabel, incidentLabel, incidentTooltip } from '../../src/tree/rows';
import { FSI, PDI } from '../../src/shared/text';
import { alert, incident } from '../support/builders';
import { CORPUS, EXTRA, leavesBidiOpen, outsideBidi } from '../fixtures/hostile';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const HOSTILE_FILE = 'invoice\u202Efdp.exe';

describe('queue: grouping, sorting, caps', () => {
  const items = [
    incident({ id: '1', severity: 'Low', status: 'Active', lastUpdateTime: '2026-11-29T10:00:00Z', createdTime: '2026-11-01T00:00:00Z' }),
    incident({
      id: '2',
      severity: 'High',
      status: 'InProgress',
      assignedTo: 'bob@contoso.com',
      lastUpdateTime: '2026-11-28T10:00:00Z',
      createdTime: '2026-11-20T00:00:00Z',
    }),
    incident({ id: '3', severity: 'Medium', status: 'Active', lastUpdateTime: '2026-11-29T11:00:00Z', createdTime: '2026-11-10T00:00:00Z' }),
    incident({
      id: '4',
      severity: 'High',
      status: 'Resolved',
      classification: 'TruePositive',
      assignedTo: 'alice@contoso.com',
      lastUpdateTime: '2026-11-27T10:00:00Z',
      createdTime: '2026-11-25T00:00:00Z',
    }),
  ];
  const ids = (g: { rows: { incident: { id: string } }[] }) => g.rows.map(r => r.incident.id);

  it('sorts by last update, severity and creation', () => {
    assert.deepEqual(ids(buildQueue(items, { groupBy: 'none', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW })[0]), ['3', '1', '2', '4']);
    assert.deepEqual(ids(buildQueue(items, { groupBy: 'none', sortBy: 'severity', maxGroupSize: 200, now: NOW })[0]), ['2', '4', '3', '1']);
    assert.deepEqual(ids(buildQueue(items, { groupBy: 'none', sortBy: 'created', maxGroupSize: 200, now: NOW })[0]), ['4', '2', '3', '1']);
  });

  it('groups with counts in a meaningful order', () => {
    const bySev = buildQueue(items, { groupBy: 'severity', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW });
    assert.deepEqual(
      bySev.map(g => [g.label, g.count]),
      [
        ['High', 2],
        ['Medium', 1],
        ['Low', 1],
      ],
    );
    const byOwner = buildQueue(items, { groupBy: 'owner', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW });
    assert.deepEqual(
      byOwner.map(g => g.label),
      ['Unassigned', 'alice@contoso.com', 'bob@contoso.com'],
    );
    const byStatus = buildQueue(items, { groupBy: 'status', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW });
    assert.deepEqual(
      byStatus.map(g => g.label),
      ['Active', 'In progress', 'Resolved'],
    );
    const byClass = buildQueue(items, { groupBy: 'classification', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW });
    assert.deepEqual(
      byClass.map(g => g.label),
      ['Not set', 'True positive'],
    );
  });

  it('caps siblings per group and reports the hidden rest; raised caps show more', () => {
    const many = Array.from({ length: 25 }, (_, n) => incident({ id: String(n), lastUpdateTime: `2026-11-${String(1 + n).padStart(2, '0')}T00:00:00Z` }));
    const [g] = buildQueue(many, { groupBy: 'none', sortBy: 'lastUpdate', maxGroupSize: 10, now: NOW });
    assert.equal(g.rows.length, 10);
    assert.equal(g.hidden, 15);
    assert.equal(g.count, 25);
    const [g2] = buildQueue(many, { groupBy: 'none', sortBy: 'lastUpdate', maxGroupSize: 10, groupLimits: new Map([['', 20]]), now: NOW });
    assert.equal(g2.rows.length, 20);
  });

  it('describes a row like the portal: #id · status · owner · age', () => {
    assert.equal(
      rowDescription(incident({ id: '924565', status: 'InProgress', assignedTo: 'alice@contoso.com', lastUpdateTime: '2026-11-29T09:00:00Z' }), NOW),
      '#924565 · In progress · alice@contoso.com · updated 3h ago',
    );
    assert.equal(shortAge('2026-11-29T11:59:30Z', NOW), 'now');
    assert.equal(shortAge('2026-11-19T12:00:00Z', NOW), '10d');
    assert.equal(shortAge('not a date', NOW), '');
  });
});

describe('queue rows: backend text cannot reorder or fake the row', () => {
  const row = (over: Parameters<typeof incident>[0]) =>
    rowDescription(incident({ id: '708319', status: 'Active', lastUpdateTime: '2026-11-29T09:00:00Z', ...over }), NOW);

  it("an owner with an unclosed right-to-left override leaves the row's own parts outside any override", () => {
    const raw = `#708319 · Active · ${EXTRA.rloOwner} · updated 3h ago`;
    assert.ok(!outsideBidi(raw, ' · updated 3h ago'), 'the check sees the attack on the raw text');
    const d = row({ assignedTo: EXTRA.rloOwner });
    assert.equal(d, '#708319 · Active · admin@contoso.com⟦U+202E⟧ · updated 3h ago', 'the override is removed and shown as a mark, as in the pane');
    for (const part of ['#708319', ' · Active · ', ' · updated 3h ago']) assert.ok(outsideBidi(d, part), part);
  });

  it('a row built from a name with U+202E (label, then description, as the tree draws them on one line) keeps its own parts outside', () => {
    const i = incident({ id: '708319', name: EXTRA.rloName, status: 'Active', assignedTo: 'owner@contoso.com', lastUpdateTime: '2026-11-29T09:00:00Z' });
    assert.ok(
      !outsideBidi(`${i.name} #708319 · Active · owner@contoso.com · updated 3h ago`, '#708319 · Active · owner@contoso.com · updated 3h ago'),
      'the raw name would reverse the rest',
    );
    const line = `${incidentLabel(i)} ${rowDescription(i, NOW)}`;
    assert.ok(outsideBidi(line, '#708319 · Active · owner@contoso.com · updated 3h ago'), JSON.stringify(line));
  });

  it("every hostile owner, id and status: the row's separators and age stay outside, on one line", () => {
    for (const [name, h] of CORPUS) {
      for (const d of [row({ assignedTo: h }), row({ id: h }), row({ status: h as never })]) {
        assert.ok(outsideBidi(d, ' · updated 3h ago'), `${name}: ${JSON.stringify(d.slice(0, 200))}`);
        assert.ok(!leavesBidiOpen(d), name);
        assert.ok(!/[\r\n]/.test(d), name);
      }
    }
  });

  it('right-to-left owners are isolated, so "· updated 3h ago" keeps its place', () => {
    assert.equal(row({ assignedTo: EXTRA.arabicOwner }), `#708319 · Active · ${FSI}${EXTRA.arabicOwner}${PDI} · updated 3h ago`);
  });

  it('ordinary rows are unchanged', () => {
    assert.equal(row({ assignedTo: 'alice@contoso.com' }), '#708319 · Active · alice@contoso.com · updated 3h ago');
    assert.equal(incidentLabel(incident({ name: 'Ransomware activity [fin-ws-042]' })), 'Ransomware activity [fin-ws-042]');
  });

  it('the owner group label is isolated too', () => {
    const [, g] = buildQueue([incident({ assignedTo: EXTRA.rloOwner }), incident()], { groupBy: 'owner', sortBy: 'lastUpdate', maxGroupSize: 200, now: NOW });
    assert.equal(g.label, 'admin@contoso.com⟦U+202E⟧');
  });

  it('labels, descriptions and accessibility labels close what a name leaves open', () => {
    for (const [name, h] of CORPUS) {
      const i = incident({ name: h, assignedTo: h, alerts: [alert({ title: h, category: h, serviceSource: h })] });
      for (const text of [incidentLabel(i), incidentAccessibilityLabel(i, NOW), alertLabel(i.alerts[0]), alertDescription(i.alerts[0])]) {
        assert.ok(!leavesBidiOpen(text), `${name}: ${JSON.stringify(text.slice(0, 100))}`);
        assert.ok(!/[\r\n]/.test(text), name);
      }
    }
    assert.equal(incidentLabel(incident({ name: EXTRA.rloName })), 'Suspicious sign-in yfirev');
  });

  it('tooltips: one line per field whatever the values, and owners, accounts and devices show invisible characters', () => {
    const a = alert({
      title: EXTRA.lineBreakFakesLine,
      assignedTo: EXTRA.zeroWidthOwner,
      devices: [{ id: 'd', dnsName: 'dc\u200B01.contoso.com', osPlatform: 'Windows11', osBuild: null, healthStatus: null, riskScore: null, firstSeen: null }],
      entities: [
        { type: 'User', label: EXTRA.zeroWidthOwner, details: {} },
        { type: 'File', label: HOSTILE_FILE, details: {} },
      ],
    });
    const i = incident({ name: EXTRA.lineBreakFakesLine, assignedTo: EXTRA.zeroWidthOwner, tags: [EXTRA.rloName], alerts: [a] });
    const t = incidentTooltip(i).split('\n');
    assert.equal(t.length, 10, 'a name with a line break cannot add an "Owner:" line');
    assert.equal(t[0], 'alice@contoso.com Owner: admin@contoso.com');
    assert.equal(t[3], 'Owner: adm⟦U+200B⟧in@con⟦U+200D⟧toso.com⟦U+2060⟧');
    assert.equal(t[5], 'Tags: Suspicious sign-in yfirev');
    const at = alertTooltip(a).split('\n');
    assert.ok(at.includes('Assigned to: adm⟦U+200B⟧in@con⟦U+200D⟧toso.com⟦U+2060⟧'), at.join('\n'));
    assert.ok(at.includes('  dc⟦U+200B⟧01.contoso.com (Windows11)'));
    assert.ok(at.includes('  User: adm⟦U+200B⟧in@con⟦U+200D⟧toso.com⟦U+2060⟧'));
    assert.ok(at.includes('  File: invoice⟦U+202E⟧fdp.exe'));
    for (const line of [...t, ...at]) assert.ok(!leavesBidiOpen(line), line);
  });

  it('rows and owner groups mark zero-width characters, so a look-alike owner is visible (issue 16 item 8)', () => {
    const fake = 'ali\u200Bce@contoso.com';
    assert.match(rowDescription(incident({ id: '1', assignedTo: fake, lastUpdateTime: '2026-11-29T09:00:00Z' }), NOW), /ali⟦U\+200B⟧ce@contoso\.com/);
    const groups = buildQueue([incident({ id: '1', assignedTo: 'alice@contoso.com' }), incident({ id: '2', assignedTo: fake })], {
      groupBy: 'owner',
      sortBy: 'lastUpdate',
      maxGroupSize: 200,
      now: NOW,
    });
    const labels = groups.map(g => g.label);
    assert.ok(labels.includes('alice@contoso.com'), labels.join(' | '));
    assert.ok(labels.includes('ali⟦U+200B⟧ce@contoso.com'), labels.join(' | '));
  });
});
