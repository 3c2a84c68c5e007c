/**
 * The hunting result renderer (dist/huntRenderer.js) in Chromium under a strict CSP, for its tests and for
 * `npm run bench` (scripts/bench/hunt-render.js): a page that loads the renderer as the notebook would and
 * renders outputs on request, and the 10,000-row figures (first paint; one scroll step's repaint).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import type { HuntOutput } from '../../src/shared/huntTable';
import { ROOT } from './harness';

const ORIGIN = 'http://renderer.test';
const NONCE = 'n0nce';
const HTML = `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-${NONCE}' ${ORIGIN}; style-src 'unsafe-inline';">
</head><body><div id="out"></div>
<script type="module" nonce="${NONCE}">
  import { activate } from '${ORIGIN}/huntRenderer.js';
  window.__posted = [];
  window.__alerts = [];
  for (const n of ['alert', 'confirm', 'prompt']) window[n] = m => window.__alerts.push(String(m));
  const api = activate({ postMessage: m => window.__posted.push(m) });
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  window.__render = async (data) => {
    const t0 = performance.now();
    api.renderOutputItem({ id: 'o1', mime: 'x', json: () => data }, document.getElementById('out'));
    const built = performance.now() - t0;
    await frame(); await frame();
    return { built, painted: performance.now() - t0 };
  };
  // One scroll step per frame: the length of the frame that repaints (frame start to the next frame's
  // start). At 60 Hz a frame is 16.7 ms; a step whose repaint does not fit shows as a longer frame.
  window.__scrollSteps = async (steps, rowsPerStep) => {
    const s = document.querySelector('.dih-scroll');
    const out = [];
    for (let i = 1; i <= steps; i++) {
      await frame();
      const t0 = performance.now();
      s.scrollTop = i * rowsPerStep * 22;
      s.dispatchEvent(new Event('scroll'));
      await frame();
      await frame();
      out.push((performance.now() - t0) / 2);
    }
    return out;
  };
  window.__ready = true;
</script></body></html>`;

interface W {
  __render(d: unknown): Promise<{ built: number; painted: number }>;
  __scrollSteps(n: number, rows: number): Promise<number[]>;
  __ready: boolean;
}
declare const window: W;

/** A page with the renderer loaded; `render` returns the build and first-paint times in ms. */
export async function rendererPage(browser: Browser, onError?: (text: string) => void): Promise<Page> {
  const page = await browser.newPage();
  const js = fs.readFileSync(path.join(ROOT, 'dist/huntRenderer.js'));
  await page.route(`${ORIGIN}/**`, route =>
    route.request().url().endsWith('/huntRenderer.js')
      ? route.fulfill({ status: 200, contentType: 'text/javascript', body: js })
      : route.fulfill({ status: 200, contentType: 'text/html', body: HTML }),
  );
  if (onError)
    page.on('console', m => {
      if (m.type() === 'error') onError(m.text());
    });
  await page.goto(`${ORIGIN}/index.html`);
  await page.waitForFunction(() => window.__ready === true);
  return page;
}

export function render(page: Page, out: unknown): Promise<{ built: number; painted: number }> {
  return page.evaluate(d => window.__render(d), out);
}

export function bigResult(n: number): HuntOutput {
  const rows = Array.from({ length: n }, (_, i) => [
    new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    `device-${i % 97}.contoso.com`,
    `powershell.exe -enc ${'A'.repeat(i % 60)}`,
    i,
  ]);
  return {
    v: 1,
    query: 'DeviceProcessEvents | take 10000',
    rows,
    truncated: false,
    rowLimit: 100_000,
    ranAt: '2026-01-05T10:00:00.000Z',
    elapsedMs: 1,
    columns: [
      { name: 'Timestamp', type: 'DateTime' },
      { name: 'DeviceName', type: 'String' },
      { name: 'ProcessCommandLine', type: 'String' },
      { name: 'N', type: 'Int64' },
    ],
  };
}

export interface HuntRenderFigures {
  firstPaintMs: number[];
  scrollStepMs: number[];
}

/** `runs` fresh pages, each rendering 10,000 rows, then 30 scroll steps of 200 rows. */
export async function benchHuntRender(browser: Browser, runs = 5): Promise<HuntRenderFigures> {
  const data = bigResult(10_000);
  const figures: HuntRenderFigures = { firstPaintMs: [], scrollStepMs: [] };
  for (let i = 0; i < runs; i++) {
    const page = await rendererPage(browser);
    try {
      figures.firstPaintMs.push((await render(page, data)).painted);
      figures.scrollStepMs.push(...(await page.evaluate(() => window.__scrollSteps(30, 200))));
    } finally {
      await page.close();
    }
  }
  return figures;
}
