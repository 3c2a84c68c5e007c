/**
 * Issue 16, item 2: no setting or server answer can make a timer loop. A delay above 2^31-1 ms (or NaN)
 * becomes 1 ms in Node; `safeDelay` clamps every delay the extension sets, `refreshSeconds` the
 * refreshInterval setting (the schema's maximum is the code's), and a scan of the sources finds no timer
 * armed with a delay that did not go through it.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { MAX_REFRESH_SECONDS, MAX_TIMER_MS, MIN_REFRESH_SECONDS, refreshSeconds, safeDelay } from '../../src/shared/timer';
import { refreshDelayMs } from '../../src/store/queueLimits';
import { sleep } from '../../src/backend/clock';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('timers that cannot loop (issue 16 item 2)', () => {
  it('clamps delays into what a timer honours', () => {
    assert.equal(safeDelay(2 ** 40), MAX_TIMER_MS);
    assert.equal(safeDelay(Number.POSITIVE_INFINITY), MAX_TIMER_MS);
    assert.equal(safeDelay(Number.NaN, 5), 5);
    assert.equal(safeDelay(-10), 0);
    assert.equal(safeDelay(250), 250);
  });

  it('refreshInterval: 30 s to one day whatever the setting holds, and the schema says the same', () => {
    assert.equal(refreshSeconds(3e9), MAX_REFRESH_SECONDS, 'above 24.8 days: one day, not 1 ms');
    assert.equal(refreshSeconds(1), MIN_REFRESH_SECONDS);
    assert.equal(refreshSeconds('600'), 120);
    assert.equal(refreshSeconds(Number.NaN), 120);
    // The longest wait after failures stays a delay a timer keeps.
    assert.ok(safeDelay(refreshDelayMs(refreshSeconds(3e9) * 1000, 20)) <= MAX_TIMER_MS);
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const schema = pkg.contributes.configuration.properties['defenderIncidents.refreshInterval'];
    assert.equal(schema.maximum, MAX_REFRESH_SECONDS);
    assert.equal(schema.minimum, MIN_REFRESH_SECONDS);
  });

  it('a sleep of 30 days does not fire at once (unguarded, Node fires it after 1 ms)', async () => {
    const ctl = new AbortController();
    let fired = false;
    const p = sleep(30 * 86_400_000, ctl.signal).then(
      () => {
        fired = true;
      },
      () => undefined,
    );
    await new Promise(r => setTimeout(r, 30));
    assert.equal(fired, false);
    ctl.abort();
    await p;
  });

  it('every timer in src/ and webview/ is armed with a literal, a constant or safeDelay(...)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (e.name.endsWith('.ts')) {
          const text = fs.readFileSync(full, 'utf8');
          // The delay is the last argument before the closing parenthesis of the call on that line.
          for (const m of text.matchAll(/\bset(?:Timeout|Interval)\((.*)\);?\s*(?:}|$)/gm)) {
            const delay = m[1]
              .slice(m[1].lastIndexOf(',') + 1)
              .trim()
              .replace(/\)+;?$/, '');
            if (!/^(\d[\d_]*|[A-Z][A-Z0-9_]*|safeDelay\(.*)$/.test(delay) && !m[1].includes('safeDelay('))
              offenders.push(`${path.relative(ROOT, full)}: ${m[0].trim()}`);
          }
        }
      }
    };
    walk(path.join(ROOT, 'src'));
    walk(path.join(ROOT, 'webview'));
    assert.deepEqual(offenders, []);
  });
});
