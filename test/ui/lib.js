// Helpers for UI journeys (test/ui/*.journey.js), run by scripts/host/run-ui.js against code-server
// (VS Code 1.139) with the packaged VSIX installed. Selectors are the ones that held on that version.
//
// A journey is `module.exports = async function (ctx) { ... }` with
//   ctx.page        a fresh Playwright page (own browser context, 1400x900) not yet navigated
//   ctx.url         the workbench URL with the scratch workspace open; `await ctx.helpers.openWorkbench()`
//   ctx.shots       the screenshot directory (docs/screenshots, committed, shown in the README)
//   ctx.log(...)    timestamped progress line
//   ctx.runCommand(title)      runs a command through the F1 palette
//   ctx.helpers     every helper below with `page` (and the shots dir) already bound, e.g.
//                   `await ctx.helpers.treeRow('Suspicious').click()`, `await ctx.helpers.screenshot('queue')`
// Throwing fails the journey; run-ui.js then saves test-results/fail-<journey>.png.
'use strict';
const path = require('path');

const TREE_ROW = '.part.sidebar .monaco-list-row[role=treeitem]';

const ACTIVITY_ITEM = '.part.activitybar .action-item a.action-label[aria-label^="Defender Incidents"]';

/**
 * Opens the workbench and waits until it has rendered and the extension's contributions are in
 * (its activity-bar entry): the remote extension host comes up seconds after the workbench, and
 * until then the palette does not list the extension's commands.
 */
async function openWorkbench(page, url) {
  await page.goto(url, { timeout: 120000 });
  await page.locator('.monaco-workbench .part.activitybar').waitFor({ timeout: 60000 });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60000 });
  await page.locator(ACTIVITY_ITEM).waitFor({ timeout: 60000 });
}

/** Runs a command by its palette title ("Defender Incidents: Refresh Incidents" or just the title). */
async function runCommand(page, title, { timeout = 30000 } = {}) {
  const input = page.locator('.quick-input-widget input.input');
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  const deadline = Date.now() + timeout;
  // The palette filters once, when typed into; a command registered a moment later needs a retype.
  for (;;) {
    await page.keyboard.press('F1');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill('>' + title);
    try {
      await row.waitFor({ timeout: Math.min(5000, Math.max(1000, deadline - Date.now())) });
      break;
    } catch (err) {
      await page.keyboard.press('Escape');
      if (Date.now() >= deadline) throw new Error(`command "${title}" not found in the palette: ${err.message.split('\n')[0]}`);
    }
  }
  await page.keyboard.press('Enter');
}

/** Answers an open quick pick / input box: picks the row with `text`, or types `text` and accepts. */
async function quickPick(page, text, { type = false } = {}) {
  const input = page.locator('.quick-input-widget input.input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  if (type) {
    await input.fill(text);
    await page.keyboard.press('Enter');
    return;
  }
  await page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first().click();
}

/** Opens the Defender Incidents container from the activity bar (no-op when it is already open). */
async function openContainer(page) {
  const item = page.locator(ACTIVITY_ITEM);
  await item.waitFor({ timeout: 30000 });
  // Clicking the active entry would collapse the side bar; the active entry's item is `.checked`.
  const active = page.locator('.part.activitybar .action-item.checked a.action-label[aria-label^="Defender Incidents"]');
  if (!(await active.count())) await item.click();
  await page.locator('.part.sidebar').waitFor({ state: 'visible', timeout: 15000 });
}

/**
 * Drags the sash between the side bar and the editor so the side bar is `width` px wide: the
 * default (~300 px) truncates incident names and descriptions in screenshots.
 */
async function setSidebarWidth(page, width) {
  const box = await page.locator('.part.sidebar').boundingBox();
  if (!box) throw new Error('the side bar is not visible');
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + box.width + 1, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/** A tree row of the incidents view whose text contains `text` (string or RegExp). */
function treeRow(page, text) {
  return text === undefined ? page.locator(TREE_ROW) : page.locator(TREE_ROW, { hasText: text });
}

/** Waits for at least `min` tree rows and returns their count. */
async function waitForTreeRows(page, min = 1, timeout = 30000) {
  await page.locator(TREE_ROW).nth(min - 1).waitFor({ timeout });
  return page.locator(TREE_ROW).count();
}

/**
 * The management pane's document: webviews are an outer iframe (class "webview ready") around
 * iframe#active-frame. Hidden webviews keep their iframes, so pick the visible one.
 */
function paneFrame(page) {
  return page.locator('iframe.webview.ready').filter({ visible: true }).first()
    .contentFrame().frameLocator('iframe#active-frame');
}

/** Waits for a notification toast containing `text` and for its fade-in, then returns its locator. */
async function waitForToast(page, text, timeout = 15000) {
  const toast = page.locator('.notifications-toasts .notification-toast', text === undefined ? {} : { hasText: text }).first();
  await toast.waitFor({ timeout });
  await page.waitForTimeout(800);
  return toast;
}

/** Closes every notification toast (they would cover the pane in later screenshots). */
async function clearToasts(page) {
  await runCommand(page, 'Notifications: Clear All Notifications').catch(() => {});
}

/**
 * Saves `<dir>/<name>.png` (name without extension) and returns its path. The mouse is parked in
 * the status bar first so that no hover tooltip lands in the picture; `{ keepMouse: true }` keeps it.
 */
async function screenshot(page, dir, name, { keepMouse = false, ...opts } = {}) {
  const file = path.join(dir, name.endsWith('.png') ? name : `${name}.png`);
  if (!keepMouse) {
    const vp = page.viewportSize() || { width: 1400, height: 900 };
    await page.mouse.move(vp.width / 2, vp.height - 4);
    await page.waitForTimeout(300);
  }
  await page.screenshot({ path: file, ...opts });
  return file;
}

/** All helpers with `page` (and the screenshot dir) bound, as handed to journeys in ctx.helpers. */
function bind(page, { url, shots }) {
  return {
    openWorkbench: (u = url) => openWorkbench(page, u),
    runCommand: (title, opts) => runCommand(page, title, opts),
    quickPick: (text, opts) => quickPick(page, text, opts),
    openContainer: () => openContainer(page),
    setSidebarWidth: width => setSidebarWidth(page, width),
    treeRow: text => treeRow(page, text),
    waitForTreeRows: (min, timeout) => waitForTreeRows(page, min, timeout),
    paneFrame: () => paneFrame(page),
    waitForToast: (text, timeout) => waitForToast(page, text, timeout),
    clearToasts: () => clearToasts(page),
    screenshot: (name, opts) => screenshot(page, shots, name, opts),
  };
}

module.exports = {
  TREE_ROW, ACTIVITY_ITEM, openWorkbench, runCommand, quickPick, openContainer, setSidebarWidth, treeRow, waitForTreeRows,
  paneFrame, waitForToast, clearToasts, screenshot, bind,
};
