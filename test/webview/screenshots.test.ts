/** Screenshots of the pane with realistic data in VS Code's default dark and light themes (test-results/screenshots; docs/screenshots under `npm run screenshots`). */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { PaneHarness, PaneServer, ROOT, launch } from './harness';
import { paneState, timeline } from './data';

export { THEMES, applyTheme } from './themes';
import { applyTheme } from './themes';

describe('screenshots', function () {
  this.timeout(120_000);
  let browser: Browser;
  const server = new PaneServer();
  // An ignored folder by default, so `npm test` leaves the checkout clean; `npm run screenshots` writes docs/screenshots.
  const outDir = path.resolve(ROOT, process.env.SCREENSHOTS_DIR || 'test-results/screenshots');

  before(async () => {
    await server.start();
    browser = await launch();
    fs.mkdirSync(outDir, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await server.stop();
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    it(`pane-${theme}.png`, async () => {
      const tl = timeline();
      tl.push({
        key: 'c-3',
        kind: 'comment',
        time: new Date(Date.now() - 20 * 60_000).toISOString(),
        author: 'analyst@contoso.com',
        text: 'Requested a full disk scan on fin-ws-042.',
        state: 'failed',
        error: 'The Defender API is throttling requests (429). Try again in a minute.',
      });
      const state = paneState({ timeline: tl }, { tags: ['Ransomware', 'Finance', 'Escalated'], systemTags: ['Defender Experts'] });
      const pane = await PaneHarness.open(browser, server, state, { viewport: { width: 1280, height: 1180 } });
      try {
        await applyTheme(pane, theme);
        await pane.deliver({ type: 'progress', message: 'Throttled by the Defender API, retrying in 5 s' });
        await pane.page.fill('#comment', 'Confirmed the payload hash on VirusTotal; blocking it tenant-wide.');
        await pane.page.waitForTimeout(200);
        const file = path.join(outDir, `pane-${theme}.png`);
        await pane.page.screenshot({ path: file });
        assert.ok(fs.statSync(file).size > 10_000);
        assert.deepStrictEqual(await pane.cspViolations(), []);
      } finally {
        await pane.close();
      }
    });
  }
});
