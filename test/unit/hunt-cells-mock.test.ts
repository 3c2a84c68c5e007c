/**
 * The cells "Hunt from this incident" builds, run against the mock's runHuntingQuery: every cell is a
 * query the service accepts, and a device's cells return that incident's own rows. With the hostile seed
 * too: attacker text in evidence values stays a value (no syntax error, no other rows).
 */
import * as assert from 'assert/strict';
import { mapGraphList } from '../../src/backend/graph/mapping';
import { mapDefenderList } from '../../src/backend/defender/mapping';
import { incidentEvidence } from '../../src/model/evidence';
import { huntCellsForIncident, huntCellsForValue, incidentWindow, type HuntCell } from '../../src/model/huntQueries';
import type { Incident } from '../../src/model/types';
import type { MockServer } from '../../src/mock/server';
import { arr, call, NOW, rec, startMock, type Json } from '../fixtures/mock-helpers';

describe('hunt cells against the mock runHuntingQuery', () => {
  let server: MockServer;
  before(async () => {
    server = await startMock({ now: () => NOW });
  });
  after(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.hunting.reset();
  });

  async function run(cell: HuntCell): Promise<Json[]> {
    const r = await call(`${server.url}/v1.0/security/runHuntingQuery`, { method: 'POST', json: { Query: cell.query, Timespan: cell.timespan } });
    assert.equal(r.status, 200, `${cell.title}\n${cell.query}\n${r.text.slice(0, 400)}`);
    return arr(rec(r.json).results).map(x => rec(x));
  }

  async function graphIncidents(): Promise<Incident[]> {
    return mapGraphList((await call(`${server.url}/v1.0/security/incidents?$expand=alerts&$top=50`)).json).items;
  }

  /** Recent incidents (inside the service's 30 days) whose alerts name a device. */
  const withDevices = (list: Incident[]) =>
    list
      .filter(i => Date.parse(i.createdTime) > NOW.getTime() - 25 * 86_400_000 && incidentEvidence(i.alerts).items.some(e => e.kind === 'device'))
      .slice(0, 4);

  async function checkIncident(inc: Incident): Promise<void> {
    server.hunting.reset();
    const evidence = incidentEvidence(inc.alerts).items;
    const cells = huntCellsForIncident(inc, evidence);
    assert.ok(cells.length >= 3, `${cells.length} cells for incident ${inc.id}`);
    const devices = evidence.filter(e => e.kind === 'device');
    const ids = new Set(devices.flatMap(d => d.targets.map(t => t.value.toLowerCase())));
    for (const cell of cells) {
      const rows = await run(cell);
      if (/^Device(Process|Network)Events\n\| where DeviceId/.test(cell.query)) {
        assert.ok(rows.length > 0, `no rows for ${cell.title}`);
        for (const r of rows)
          assert.ok(ids.has(String(r.DeviceId).toLowerCase()) || ids.has(String(r.DeviceName).toLowerCase()), `${cell.title}: a row of another device`);
      }
      if (cell.query.startsWith('AlertEvidence')) {
        const alertIds = new Set(inc.alerts.map(a => a.id));
        assert.ok(rows.length > 0 && rows.every(r => alertIds.has(String(r.AlertId))), "the incident's own alert evidence");
      }
    }
  }

  it("Graph: every cell of an incident runs, and device cells return that incident's devices only", async () => {
    const list = withDevices(await graphIncidents());
    assert.ok(list.length > 0);
    for (const inc of list) await checkIncident(inc);
  });

  it('Defender: the cells from entities and devices run too', async () => {
    const list = withDevices(mapDefenderList((await call(`${server.url}/api/incidents?$top=50`)).json).items);
    assert.ok(list.length > 0);
    for (const inc of list) await checkIncident(inc);
  });

  it('"Hunt for this" on each identifying value of an incident runs', async () => {
    const [inc] = withDevices(await graphIncidents());
    const window = incidentWindow(inc);
    const targets = incidentEvidence(inc.alerts)
      .items.flatMap(e => e.targets)
      .slice(0, 12);
    assert.ok(targets.length > 0);
    for (const t of targets) for (const cell of huntCellsForValue(t.kind, t.value, window)) await run(cell);
  });

  it('hostile seed: attacker text in evidence values never breaks or widens a query', async () => {
    assert.equal((await call(`${server.url}/__mock/reset`, { method: 'POST', json: { hostile: true } })).status, 200);
    try {
      const list = withDevices(await graphIncidents());
      const values = list.flatMap(i => incidentEvidence(i.alerts).items.flatMap(e => e.targets.map(t => t.value)));
      assert.ok(
        values.some(v => /["\\|<\u202E]/.test(v)),
        'the hostile seed puts metacharacters in hunted values',
      );
      for (const inc of list) await checkIncident(inc);
    } finally {
      await call(`${server.url}/__mock/reset`, { method: 'POST', json: {} });
    }
  });
});
