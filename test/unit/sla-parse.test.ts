/**
 * Issue 16, item 3: no setting can stall the extension host or the settings editor. The SLA duration
 * parser reads in one pass (the old regular expression took 14 s on 64,000 characters), text longer than
 * MAX_DURATION_LENGTH is refused before it is read, and the package.json pattern for the same setting is
 * linear too (the old one took 7 s on 600 characters in the settings editor).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DURATION_PATTERN, MAX_DURATION_LENGTH, parseSlaDuration, parseSlaSetting } from '../../src/model/slaSetting';

const ROOT = path.join(__dirname, '..', '..', '..');
const N = 100_000;
/** Inputs built to make a backtracking matcher try every split. */
const HOSTILE = [
  '1'.repeat(N),
  ' '.repeat(N),
  `${'1 '.repeat(N / 2)}x`,
  `${'1.1'.repeat(N / 3)}`,
  `1d${' '.repeat(N)}1x`,
  `${'1d'.repeat(N / 2)}!`,
  `1${' '.repeat(N)}`,
  `${'9'.repeat(N / 2)}.${'9'.repeat(N / 2)}h!`,
];

function timed(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

describe('SLA durations in linear time (issue 16 item 3)', () => {
  it('the parser refuses each 100,000-character input in under 50 ms, naming the limit', () => {
    for (const s of HOSTILE) {
      let r: ReturnType<typeof parseSlaDuration> | undefined;
      const ms = timed(() => {
        r = parseSlaDuration(s);
      });
      assert.ok(ms < 50, `${ms.toFixed(1)} ms for ${JSON.stringify(s.slice(0, 12))}...`);
      assert.ok(r && 'error' in r && /too long/.test(r.error));
    }
    const ms = timed(() => parseSlaSetting({ High: { assign: '1'.repeat(N), resolve: ' '.repeat(N) } }));
    assert.ok(ms < 50, `the whole setting: ${ms.toFixed(1)} ms`);
  });

  it('the one-pass reading agrees with the documented forms', () => {
    const ok: [string, number | null][] = [
      ['30m', 30],
      ['4h', 240],
      ['1h30m', 90],
      ['1d 12h', 2160],
      ['1.5h', 90],
      [' 2D ', 2880],
      ['1d2h3m', 1563],
      ['off', null],
      ['OFF', null],
    ];
    for (const [s, m] of ok) assert.deepEqual(parseSlaDuration(s), { minutes: m }, s);
    for (const s of ['', '1', '1h1d', '1h 1h', '.5h', '1.h', '1x', 'h', '1 d x', '-', '1dd']) assert.ok('error' in parseSlaDuration(s), s);
    assert.match((parseSlaDuration('-30m') as { error: string }).error, /negative/);
    assert.ok('error' in parseSlaDuration(`${'1'.repeat(MAX_DURATION_LENGTH)}m`));
  });

  it('package.json uses the linear pattern and a length cap, and the pattern matches what the parser accepts', () => {
    const pkg = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const sla = JSON.parse(pkg).contributes.configuration.properties['defenderIncidents.sla'];
    let fields = 0;
    for (const sev of Object.values(sla.properties) as { properties: Record<string, { pattern: string; maxLength: number }> }[]) {
      for (const f of Object.values(sev.properties)) {
        assert.equal(f.pattern, DURATION_PATTERN);
        assert.equal(f.maxLength, MAX_DURATION_LENGTH);
        fields++;
      }
    }
    assert.ok(fields >= 8, "every severity's two clocks");
    const re = new RegExp(DURATION_PATTERN);
    for (const s of ['30m', '1h30m', '1d 12h', '1.5h', 'off', ' 2D ']) assert.ok(re.test(s), s);
    for (const s of ['', '1', '1h1d', '1x', '.5h']) assert.ok(!re.test(s), s);
    for (const s of HOSTILE) {
      const ms = timed(() => re.test(s));
      assert.ok(ms < 50, `the schema pattern: ${ms.toFixed(1)} ms for ${JSON.stringify(s.slice(0, 12))}...`);
    }
  });
});
