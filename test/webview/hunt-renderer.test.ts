/**
 * The hunting result renderer (dist/huntRenderer.js) in real Chromium under a strict CSP: hostile cell
 * values stay text, the table sorts, the buttons post what the host expects, and a 10,000-row result
 * paints fast because only the rows in view exist (the bench figure is logged; the machine is shared,
 * so the assertion allows headroom over the 100 ms target).
 */
import * as assert from 'assert';
import type { Browser, Page } from 'playwright-core';
import { launch } from './harness';
import type { HuntOutput } from '../../src/shared/huntTable';
import { benchHuntRender, rendererPage } from './hunt-render-bench';

interface W {
  __render(d: unknown): Promise<{ built: number; painted: number }>;
  __posted: { type: string; [k: string]: unknown }[];
  __alerts: string[];
}
declare const window: W;
declare const document: {
  querySelectorAll(s: string): ArrayLike<{ textContent: string | null; getAttribute(n: string): string | null; click(): void }>;
  querySelector(s: string): { scrollTop: number; dispatchEvent(e: unknown): void; click(): void } | null;
};

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(2)</script>',
  '=HYPERLINK("http://evil")',
  '\u202Egnp.exe',
  'javascript:alert(3)',
  '"><svg onload=alert(4)>',
];

function result(rows: HuntOutput['rows'], over: Partial<HuntOutput> = {}): HuntOutput {
  return {
    v: 1,
    query: 'DeviceProcessEvents | take 10',
    columns: [
      { name: 'Name', type: 'String' },
      { name: 'N', type: 'Int64' },
    ],
    rows,
    truncated: false,
    rowLimit: 100_000,
    ranAt: '2026-01-05T10:00:00.000Z',
    elapsedMs: 3,
    ...over,
  };
}

describe('hunting result renderer', function () {
  this.timeout(60_000);
  let browser: Browser;
  let page: Page;
  const violations: string[] = [];
  before(async () => {
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    violations.length = 0;
    page = await rendererPage(browser, t => violations.push(t));
  });
  afterEach(async () => {
    await page?.close();
  });

  it('shows hostile values as text only', async () => {
    await page.evaluate(d => window.__render(d), result(HOSTILE.map((h, i) => [h, i])) as unknown);
    const cells = await page.evaluate(() =>
      Array.from(document.querySelectorAll('tbody tr:not(.dih-spacer):not([hidden]) td'))
        .filter((_, i) => i % 2 === 0)
        .map(td => td.textContent),
    );
    assert.deepStrictEqual(cells, HOSTILE);
    assert.strictEqual(await page.evaluate(() => document.querySelectorAll('img, script:not([nonce]), svg, a').length), 0);
    await page.waitForTimeout(100);
    assert.deepStrictEqual(await page.evaluate(() => window.__alerts), []);
    assert.deepStrictEqual(violations, []);
  });

  it('sorts by a column (numbers by value) and says the row count and truncation', async () => {
    await page.evaluate(
      d => window.__render(d),
      result(
        [
          ['b', 10],
          ['a', 9],
          ['c', 100],
        ],
        { truncated: true },
      ) as unknown,
    );
    assert.match(await page.evaluate(() => document.querySelectorAll('.dih-count')[0].textContent ?? ''), /^3 rows \(truncated at 100,000 rows/);
    assert.match(await page.evaluate(() => document.querySelectorAll('.dih-warn')[0].textContent ?? ''), /Truncated at 100,000 rows/);
    await page.evaluate(() => document.querySelectorAll('th')[1].click());
    const col = () =>
      page.evaluate(() =>
        Array.from(document.querySelectorAll('tbody tr:not(.dih-spacer):not([hidden]) td'))
          .filter((_, i) => i % 2 === 1)
          .map(td => td.textContent),
      );
    assert.deepStrictEqual(await col(), ['9', '10', '100']);
    await page.evaluate(() => document.querySelectorAll('th')[1].click());
    assert.deepStrictEqual(await col(), ['100', '10', '9']);
    assert.strictEqual(await page.evaluate(() => document.querySelectorAll('th')[1].getAttribute('aria-sort')), 'descending');
  });

  it('Copy, Export CSV and Add to incident post to the host (CSV in the sorted order, formulas defused)', async () => {
    await page.evaluate(
      d => window.__render(d),
      result([
        ['=1+1', 2],
        ['a', 1],
      ]) as unknown,
    );
    await page.evaluate(() => document.querySelectorAll('th')[1].click());
    for (const i of [0, 1, 2]) await page.evaluate(n => document.querySelectorAll('.dih-button')[n].click(), i);
    const posted = await page.evaluate(() => window.__posted);
    assert.deepStrictEqual(
      posted.map(p => p.type),
      ['copy', 'exportCsv', 'addToIncident'],
    );
    assert.strictEqual(posted[0].text, 'Name\tN\na\t1\n=1+1\t2');
    assert.strictEqual(posted[1].csv, "Name,N\r\na,1\r\n'=1+1,2\r\n");
    assert.deepStrictEqual({ ranAt: posted[2].ranAt, query: posted[2].query }, { ranAt: '2026-01-05T10:00:00.000Z', query: 'DeviceProcessEvents | take 10' });
  });

  it('refuses an output that is not a hunting result', async () => {
    await page.evaluate(() => window.__render({ v: 1, query: 'x', columns: [], rows: [[{ html: '<b>x</b>' }]] }));
    assert.match(await page.evaluate(() => document.querySelectorAll('.dih-empty')[0].textContent ?? ''), /not a hunting result/);
  });

  it('10,000 rows: first paint within budget, only the rows in view in the DOM, scrolling repaints', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => [`process-${i} --flag "value" ${'x'.repeat(i % 50)}`, i]);
    const t = await page.evaluate(d => window.__render(d), result(rows) as unknown);
    console.log(`      10,000-row result: built in ${t.built.toFixed(1)} ms, first paint ${t.painted.toFixed(1)} ms (target 100 ms; shared machine)`);
    assert.ok(t.painted < 1000, `first paint took ${t.painted} ms (the bench holds the 100 ms target; this bound only catches a non-virtualised table)`);
    const inDom = await page.evaluate(() => document.querySelectorAll('tbody tr:not(.dih-spacer):not([hidden])').length);
    assert.ok(inDom > 0 && inDom <= 80, `${inDom} rows in the DOM`);
    await page.evaluate(() => {
      const s = document.querySelector('.dih-scroll')!;
      s.scrollTop = 22 * 5000;
    });
    // Row 50 is also in the first window ("process-50" would match before the repaint): wait for row 5,000's own text.
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll('tbody tr:not(.dih-spacer):not([hidden]) td')).some(td => (td.textContent ?? '').startsWith('process-5000 ')),
    );
    const first = await page.evaluate(() => Number(document.querySelectorAll('tbody tr:not(.dih-spacer):not([hidden])')[0].getAttribute('aria-rowindex')));
    assert.ok(first > 4900 && first < 5100, `first rendered row ${first}`);
  });

  it('bench figures: 10,000 rows, first paint and scroll steps', async () => {
    const f = await benchHuntRender(browser, 1);
    const max = Math.max(...f.scrollStepMs);
    console.log(`      first paint ${f.firstPaintMs.map(x => x.toFixed(1)).join(', ')} ms; scroll step max ${max.toFixed(1)} ms over ${f.scrollStepMs.length}`);
    assert.equal(f.firstPaintMs.length, 1);
    assert.equal(f.scrollStepMs.length, 30);
  });
});
