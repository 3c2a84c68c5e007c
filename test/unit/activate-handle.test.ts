/**
 * Issue 16, item 4: activate() hands nothing to other extensions. The composition root reaches the stored
 * client secret and signs requests; outside a test run (DEFENDER_INCIDENTS_TEST=1) what `activate()`
 * returns, which any installed extension can read through `getExtension(...).exports`, is undefined.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { testHandle } from '../../src/testHandle';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('activate() returns nothing outside tests (issue 16 item 4)', () => {
  it('gives the parts only to a test run', () => {
    const parts = { secrets: 'reachable' };
    let calls = 0;
    const make = () => (calls++, parts);
    assert.equal(testHandle(make, {}), undefined);
    assert.equal(testHandle(make, { DEFENDER_INCIDENTS_TEST: '0' }), undefined);
    assert.equal(testHandle(make, { DEFENDER_INCIDENTS_TEST: 'true' }), undefined);
    assert.equal(calls, 0, 'outside a test run the parts are not even made');
    assert.equal(testHandle(make, { DEFENDER_INCIDENTS_TEST: '1' }), parts);
  });

  it('activate() returns only through testHandle, and the harnesses that read it set the variable', () => {
    const src = fs.readFileSync(path.join(ROOT, 'src/extension.ts'), 'utf8');
    const body = src.slice(src.indexOf('export function activate('), src.indexOf('export function deactivate('));
    const returns = [...body.matchAll(/^\s{2}return\b(.*)$/gm)].map(m => m[1].trim());
    assert.ok(returns.length >= 1);
    for (const r of returns) assert.match(r, /^testHandle</, `activate() returns ${r.slice(0, 40)}`);
    for (const harness of ['scripts/host/run-integration.js', 'scripts/host/run-ui.js', 'scripts/bench/host.js']) {
      assert.match(fs.readFileSync(path.join(ROOT, harness), 'utf8'), /DEFENDER_INCIDENTS_TEST: '1'/, harness);
    }
  });
});
