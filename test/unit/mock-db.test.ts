import * as assert from 'assert/strict';
import { spawn } from 'child_process';
import { promises as fsp } from 'fs';
import * as path from 'path';
import { MockDb, MOCK_DATA_VERSION, parseDataFile } from '../../src/mock/db';
import { NOW, sleep, tempDir } from '../fixtures/mock-helpers';

const WRITER = path.join(__dirname, '..', 'fixtures', 'mock-writer.js');

async function tempFiles(dir: string): Promise<string[]> {
  return (await fsp.readdir(dir)).filter(n => n.endsWith('.tmp'));
}

describe('mock db', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir('mockdb');
  });
  afterEach(async () => {
    await fsp.rm(dir, { recursive: true, force: true });
  });

  it('seeds and saves when the file is missing (creating its folder)', async () => {
    const file = path.join(dir, 'nested', 'incidents.json');
    const db = await MockDb.open({ file, count: 12, seed: 2, now: () => NOW });
    assert.equal(db.loadResult.seeded, true);
    assert.equal(db.loadResult.recovered, undefined);
    const saved: unknown = JSON.parse(await fsp.readFile(file, 'utf8'));
    const parsed = parseDataFile(JSON.stringify(saved));
    assert.ok(parsed.ok);
    assert.equal(parsed.incidents.length, 12);
    const top = saved as { version: number; savedAt: string };
    assert.equal(top.version, MOCK_DATA_VERSION);
    assert.ok(!Number.isNaN(Date.parse(top.savedAt)));
    await db.close();
  });

  it('round-trips changes through the file', async () => {
    const file = path.join(dir, 'incidents.json');
    const db = await MockDb.open({ file, count: 20, now: () => NOW });
    const id = db.list()[3].incidentId;
    db.update(id, 'bob@contoso.com', i => {
      i.tags = ['persisted'];
      i.assignedTo = 'bob@contoso.com';
    });
    await db.close();
    const again = await MockDb.open({ file, count: 999, now: () => NOW });
    assert.equal(again.loadResult.seeded, false);
    assert.equal(again.size, 20, 'the file wins over the count option');
    assert.deepEqual(again.get(id)?.tags, ['persisted']);
    assert.equal(again.get(id)?.assignedTo, 'bob@contoso.com');
    await again.close();
  });

  it('coalesces a burst of changes into few writes and leaves no temp files', async () => {
    const file = path.join(dir, 'incidents.json');
    const db = await MockDb.open({ file, count: 50, now: () => NOW, writeDelayMs: 20 });
    const before = db.writeCount;
    const ids = db.list().map(i => i.incidentId);
    for (let n = 0; n < 200; n++)
      db.update(ids[n % ids.length], 'x', i => {
        i.tags = [`burst-${n}`];
      });
    await db.flush();
    assert.ok(db.writeCount - before <= 2, `${db.writeCount - before} writes for one burst`);
    const reread = await MockDb.open({ file });
    assert.deepEqual(reread.get(ids[199 % ids.length])?.tags, ['burst-199']);
    assert.deepEqual(await tempFiles(dir), []);
    await db.close();
  });

  it('serializes writes: changes made during a write are saved by the next one', async () => {
    const file = path.join(dir, 'incidents.json');
    const db = await MockDb.open({ file, count: 400, now: () => NOW, writeDelayMs: 0 });
    const id = db.list()[0].incidentId;
    for (let n = 0; n < 30; n++) {
      db.update(id, 'x', i => {
        i.tags = [`v${n}`];
      });
      await sleep(1);
    }
    await db.flush();
    const onDisk = parseDataFile(await fsp.readFile(file, 'utf8'));
    assert.ok(onDisk.ok);
    assert.deepEqual(onDisk.incidents.find(i => i.incidentId === id)?.tags, ['v29']);
    assert.deepEqual(await tempFiles(dir), []);
    await db.close();
  });

  it('keeps a corrupt file aside, reseeds, and reports it', async () => {
    const file = path.join(dir, 'incidents.json');
    await fsp.writeFile(file, '{"version": 1, "incidents": [ {"incidentId": 1,');
    const reports: [string, string][] = [];
    const db = await MockDb.open({ file, count: 5, onRecovered: (reason, movedTo) => reports.push([reason, movedTo]) });
    const rec = db.loadResult.recovered;
    assert.ok(rec);
    assert.match(rec.reason, /invalid JSON/);
    assert.match(path.basename(rec.movedTo), /^incidents\.json\.corrupt-\d{4}-\d{2}-\d{2}T[\d-]+Z$/);
    assert.equal(await fsp.readFile(rec.movedTo, 'utf8'), '{"version": 1, "incidents": [ {"incidentId": 1,', 'the bad file is kept byte for byte');
    assert.deepEqual(reports, [[rec.reason, rec.movedTo]]);
    assert.equal(db.size, 5);
    assert.ok(parseDataFile(await fsp.readFile(file, 'utf8')).ok, 'a fresh file was written');
    await db.close();
  });

  it('treats valid JSON of the wrong shape as corrupt, and never overwrites an earlier copy', async () => {
    const file = path.join(dir, 'incidents.json');
    const moved: string[] = [];
    for (const bad of ['[1,2,3]', '{"version":1,"incidents":[{"foo":1}]}', '{"version":1,"incidents":"x"}', '']) {
      await fsp.writeFile(file, bad);
      const db = await MockDb.open({ file, count: 2 });
      assert.ok(db.loadResult.recovered, `recovered from ${JSON.stringify(bad)}`);
      moved.push(db.loadResult.recovered.movedTo);
      assert.equal(await fsp.readFile(db.loadResult.recovered.movedTo, 'utf8'), bad);
      await db.close();
    }
    assert.equal(new Set(moved).size, 4, 'each recovery has its own file');
  });

  it('keeps a file of another version aside as <file>.v<N>-<timestamp>', async () => {
    const file = path.join(dir, 'incidents.json');
    await fsp.writeFile(file, JSON.stringify({ version: 2, savedAt: NOW.toISOString(), incidents: [] }));
    const db = await MockDb.open({ file, count: 3 });
    const rec = db.loadResult.recovered;
    assert.ok(rec);
    assert.match(rec.reason, /version 2/);
    assert.match(path.basename(rec.movedTo), /^incidents\.json\.v2-\d{4}-/);
    assert.ok(JSON.parse(await fsp.readFile(rec.movedTo, 'utf8')).version === 2);
    await db.close();
  });

  it('works in memory when no file is given', async () => {
    const db = await MockDb.open({ count: 4, now: () => NOW });
    assert.equal(db.file, undefined);
    db.update(db.list()[0].incidentId, 'x', i => {
      i.tags = ['m'];
    });
    await db.flush();
    assert.equal(db.writeCount, 0);
    await db.close();
  });

  it('lists newest lastUpdateTime first and finds alerts by id', async () => {
    const db = await MockDb.open({ count: 60, now: () => NOW });
    const list = db.list();
    for (let i = 1; i < list.length; i++) assert.ok(Date.parse(list[i - 1].lastUpdateTime) >= Date.parse(list[i].lastUpdateTime));
    const a = list[10].alerts[0];
    assert.equal(db.findAlert(a.alertId)?.incident.incidentId, list[10].incidentId);
    assert.equal(db.findAlert('nope'), undefined);
    db.update(list[59].incidentId, 'x', i => {
      i.lastUpdateTime = '2030-01-01T00:00:00.0000000Z';
    });
    assert.equal(db.list()[0].incidentId, list[59].incidentId, 'the order follows updates');
    await db.close();
  });

  it('survives being killed at random moments: the file always parses, stale temp files are cleaned', async function () {
    this.timeout(120_000);
    const file = path.join(dir, 'incidents.json');
    let sawTemp = 0;
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, [WRITER, file, 'loop'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => {
        err += c.toString();
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          if (c.toString().includes('ready')) resolve();
        });
        child.once('exit', code => reject(new Error(`writer exited early (${code}): ${err}`)));
      });
      await sleep(40 + Math.floor(Math.random() * 300));
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const text = await fsp.readFile(file, 'utf8');
      const parsed = parseDataFile(text);
      assert.ok(parsed.ok, `round ${round}: the data file does not parse after SIGKILL`);
      assert.equal(parsed.incidents.length, 600);
      if ((await tempFiles(dir)).length > 0) sawTemp++;
    }
    // Re-opening must use the file (not recover) and remove the dead writer's temp files.
    const db = await MockDb.open({ file });
    assert.equal(db.loadResult.recovered, undefined);
    assert.equal(db.loadResult.seeded, false);
    await db.close();
    assert.deepEqual(await tempFiles(dir), []);
    console.log(`      (temp files left by ${sawTemp} of 6 kills, all cleaned on open)`);

    // A clean run leaves nothing behind.
    const child = spawn(process.execPath, [WRITER, file, 'rounds', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const code = await new Promise(resolve => child.once('exit', resolve));
    assert.equal(code, 0);
    assert.match(out, /done \d+/);
    assert.deepEqual(await tempFiles(dir), []);
    const final = parseDataFile(await fsp.readFile(file, 'utf8'));
    assert.ok(final.ok);
    assert.ok(
      final.incidents.some(i => i.tags.includes('round-19')),
      'the last round was saved',
    );
    assert.deepEqual((await fsp.readdir(dir)).sort(), ['incidents.json']);
  });

  it('reset reseeds and saves', async () => {
    const file = path.join(dir, 'incidents.json');
    const db = await MockDb.open({ file, count: 5, now: () => NOW });
    await db.reset({ count: 9, seed: 4 });
    assert.equal(db.size, 9);
    const onDisk = parseDataFile(await fsp.readFile(file, 'utf8'));
    assert.ok(onDisk.ok && onDisk.incidents.length === 9);
    await db.close();
  });
});
