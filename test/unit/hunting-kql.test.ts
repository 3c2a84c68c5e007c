import * as assert from 'assert/strict';
import * as path from 'path';
import { fork } from 'child_process';
import { createKqlService, type KqlService } from '../../src/hunting/kqlService';
import { HUNTING_TABLES } from '../../src/hunting/kqlSchema';

describe('hunting: KQL editing help from the Kusto language service', function () {
  // Loading 5 MB of JavaScript takes a moment on a busy machine.
  this.timeout(60_000);
  let svc: KqlService;
  before(() => {
    svc = createKqlService();
  });

  it('a valid query over the hunting schema has no diagnostics', () => {
    assert.deepEqual(
      svc.diagnostics(
        'DeviceProcessEvents\n| where Timestamp > ago(1d) and FileName =~ "powershell.exe"\n| project Timestamp, DeviceName, ProcessCommandLine\n| take 10',
      ),
      [],
    );
  });

  it('an unknown column and an unknown table are errors at their place', () => {
    const q = 'DeviceProcessEvents | where FileNam == "x"';
    const [d] = svc.diagnostics(q);
    assert.equal(d.severity, 'error');
    assert.equal(q.slice(d.start, d.start + d.length), 'FileNam');
    const [t] = svc.diagnostics('NoSuchTable | take 1');
    assert.match(t.message, /NoSuchTable/);
  });

  it('a syntax error is reported', () => {
    assert.ok(svc.diagnostics('DeviceProcessEvents | where ').some(d => d.severity === 'error'));
  });

  it('completes tables and the columns of the table in the pipe', () => {
    const tables = svc.completions('Dev', 3);
    assert.equal(tables.editStart, 0);
    assert.equal(tables.editLength, 3);
    for (const t of ['DeviceProcessEvents', 'DeviceNetworkEvents', 'DeviceFileEvents'])
      assert.ok(
        tables.items.some(i => i.label === t && i.kind === 'table'),
        t,
      );
    const q = 'DeviceNetworkEvents | project ';
    const cols = svc
      .completions(q, q.length)
      .items.filter(i => i.kind === 'column')
      .map(i => i.label);
    assert.ok(cols.includes('RemoteIP') && cols.includes('RemoteUrl') && cols.includes('DeviceName'), cols.join(','));
    assert.ok(!cols.includes('SHA256'), "only this table's columns");
  });

  it('every table of the schema parses (the schema strings are valid)', () => {
    for (const t of Object.keys(HUNTING_TABLES)) assert.deepEqual(svc.diagnostics(`${t} | take 1`), [], t);
  });

  it('runs in its own process and answers over IPC', async () => {
    const child = fork(path.join(__dirname, '../../src/hunting/kqlServer.js'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    try {
      const answer = await new Promise<unknown>((resolve, reject) => {
        child.on('message', resolve);
        child.on('exit', code => reject(new Error(`exited ${code}`)));
        child.send({ id: 7, op: 'diagnostics', text: 'DeviceFileEvents | where SHA25 == "x"' });
      });
      const a = answer as { id: number; result: { message: string }[] };
      assert.equal(a.id, 7);
      assert.match(a.result[0].message, /SHA25/);
      // Malformed requests are ignored, not crashed on: the next request (answered in order) still is.
      child.send({ id: 'x', op: 'eval', text: 1 });
      const next = await new Promise<unknown>(resolve => {
        child.once('message', resolve);
        child.send({ id: 8, op: 'diagnostics', text: 'DeviceFileEvents | take 1' });
      });
      assert.equal((next as { id: number }).id, 8, 'the malformed request got no answer');
      assert.equal(child.exitCode, null);
    } finally {
      child.kill();
    }
  });
});
