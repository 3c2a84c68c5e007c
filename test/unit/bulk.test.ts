/** The bulk runner's loop: per-item results, cancellation, and a pause while the service throttles. */
import { strict as assert } from 'assert';
import { abortableSleep, runBulkLoop, throttleWait } from '../../src/commands/bulk';
import { clockTime } from '../../src/shared/text';
import { BackendError, ThrottledError } from '../../src/backend/errors';

const T0 = new Date(2026, 10, 29, 14, 0).getTime();

/** A fake clock the sleeps advance. */
function clock() {
  let now = T0;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('bulk runner', () => {
  it('runs every item in order and keeps per-item results', async () => {
    const c = clock();
    const seen: string[] = [];
    const reported: string[] = [];
    const r = await runBulkLoop(
      'Assign to me',
      ['1', '2', '3'],
      async id => {
        seen.push(id);
        if (id === '2') throw new BackendError('forbidden', 'Missing Incident.ReadWrite');
      },
      {
        signal: new AbortController().signal,
        report: m => reported.push(m),
        log: () => undefined,
        now: c.now,
        sleep: c.sleep,
      },
    );
    assert.deepEqual(seen, ['1', '2', '3']);
    assert.deepEqual(r, { ok: ['1', '3'], failed: [{ id: '2', error: 'Missing Incident.ReadWrite' }], cancelled: [], warned: [] });
    assert.deepEqual(reported, ['1 of 3: #1', '2 of 3: #2', '3 of 3: #3']);
  });

  it('a throttled item pauses the run until the time the service named ("Throttled until HH:MM"), then continues with it', async () => {
    const c = clock();
    const until = T0 + 5 * 60_000 + 30_000;
    let calls = 0;
    const reported: string[] = [];
    const logged: string[] = [];
    const r = await runBulkLoop(
      'Resolve',
      ['10', '11', '12'],
      async id => {
        calls++;
        if (id === '11' && c.now() < until) throw new ThrottledError('Throttled: the API asks to wait 330 s', 330_000, until);
      },
      { signal: new AbortController().signal, report: m => reported.push(m), log: l => logged.push(l), now: c.now, sleep: c.sleep },
    );
    assert.deepEqual(r, { ok: ['10', '11', '12'], failed: [], cancelled: [], warned: [] }, 'nothing failed');
    assert.equal(calls, 4, 'the throttled item was tried again after the pause');
    assert.deepEqual(c.sleeps, [330_000]);
    assert.ok(reported.includes(`Throttled until ${clockTime(until)}: paused before #11 (1 of 3 done); cancel to stop`), reported.join('\n'));
    assert.equal(clockTime(until), '14:05');
    assert.deepEqual(reported.slice(-2), ['2 of 3: #11', '3 of 3: #12'], 'then the progress goes on');
    assert.match(logged.join('\n'), /throttled at #11.*paused until/);
  });

  it('without an absolute time, the pause is retryAfterMs', async () => {
    assert.equal(throttleWait(new ThrottledError('x', 90_000), T0), 90_000);
    assert.equal(throttleWait(new ThrottledError('x', 90_000, T0 + 30_000), T0), 30_000, 'until wins');
    assert.equal(throttleWait(new ThrottledError('x', undefined, T0 - 1000), T0), 0);
    assert.equal(throttleWait(new ThrottledError('x'), T0), undefined, 'nobody said how long: the item fails');
    assert.equal(throttleWait(new BackendError('server', 'x'), T0), undefined);
  });

  it('cancelling during the pause stops the run: the rest are cancelled, not failed', async () => {
    const ctl = new AbortController();
    const reported: string[] = [];
    const r = await runBulkLoop(
      'Classify',
      ['1', '2', '3'],
      async id => {
        if (id === '2') throw new ThrottledError('Throttled', 600_000, Date.now() + 600_000);
      },
      {
        signal: ctl.signal,
        report: m => {
          reported.push(m);
          if (m.startsWith('Throttled until')) setTimeout(() => ctl.abort(), 5);
        },
        log: () => undefined,
      },
    );
    assert.deepEqual(r, { ok: ['1'], failed: [], cancelled: ['2', '3'], warned: [] });
  });

  it('a service that never lets up: after the most pauses the item fails and the run goes on', async () => {
    const c = clock();
    const r = await runBulkLoop(
      'Tag',
      ['1', '2'],
      async id => {
        if (id === '1') throw new ThrottledError('Still throttled', 1000, c.now() + 1000);
      },
      { signal: new AbortController().signal, report: () => undefined, log: () => undefined, now: c.now, sleep: c.sleep, maxPauses: 3 },
    );
    assert.deepEqual(c.sleeps, [1000, 1000, 1000]);
    assert.deepEqual(r, { ok: ['2'], failed: [{ id: '1', error: 'Still throttled' }], cancelled: [], warned: [] });
  });

  it("the HTTP layer's own retries show in the progress", async () => {
    const reported: string[] = [];
    await runBulkLoop(
      'Assign to me',
      ['7'],
      async (_id, o) => {
        o.onRetry?.({ attempt: 1, delayMs: 2500, reason: 'throttled (429)' });
      },
      {
        signal: new AbortController().signal,
        report: m => reported.push(m),
        log: () => undefined,
      },
    );
    assert.deepEqual(reported, ['1 of 1: #7', '#7: throttled (429), retrying in 3 s']);
  });

  it('abortableSleep ends early on abort', async () => {
    const ctl = new AbortController();
    const t = Date.now();
    setTimeout(() => ctl.abort(), 10);
    await abortableSleep(60_000, ctl.signal);
    assert.ok(Date.now() - t < 5000);
  });

  it("keeps what each item warned about (the door's warnings), apart from the failures", async () => {
    const r = await runBulkLoop(
      'Assign to me',
      ['1', '2', '3'],
      async id => (id === '2' ? { warnings: ['1 alert is not assigned to you because the API cannot update alerts: "X".'] } : { warnings: [] }),
      {
        signal: new AbortController().signal,
        report: () => undefined,
        log: () => undefined,
      },
    );
    assert.deepEqual(r, {
      ok: ['1', '2', '3'],
      failed: [],
      cancelled: [],
      warned: [{ id: '2', warnings: ['1 alert is not assigned to you because the API cannot update alerts: "X".'] }],
    });
  });
});
