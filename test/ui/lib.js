// Helpers for UI journeys (test/ui/*.journey.js), run by scripts/host/run-ui.js against code-server
// (VS Code 1.139) with the packaged VSIX installed. Selectors are the ones that held on that version.
//
// A journey is `module.exports = async function (ctx) { ... }` with
//   ctx.page        a fresh Playwright page (own browser context, 1400x900) not yet navigated
//   ctx.url         the workbench URL with the scratch workspace open; `await ctx.helpers.openWorkbench()`
//   ctx.shots       the screenshot directory (test-results/screenshots; docs/screenshots under `npm run screenshots`)
//   ctx.log(...)    timestamped progress line
//   ctx.runCommand(title)      runs a command through the F1 palette
//   ctx.helpers     every helper below with `page` (and the shots dir) already bound, e.g.
//                   `await ctx.helpers.treeRow('Suspicious').click()`, `await ctx.helpers.screenshot('queue')`
//   ctx.userDataDir, ctx.workspace, ctx.serverUrl   the code-server profile the journey runs on
//   ctx.mockEndpoint()  {url, key} of the extension's built-in mock (written once it started; control routes on)
//   await ctx.mockReady()  the same, waiting up to 30 s for the extension to start it
//   ctx.readUserSettings() / ctx.writeUserSettings(patch)   User/settings.json of that profile (note:
//                   code-server does not notice a file written while it runs; edit it through the UI,
//                   or use `options.settings` below)
//   ctx.cleanup(fn) runs fn after the journey, passed or failed: kill the processes you started
// `module.exports.options = { freshProfile, settings, viewport }` gives a journey its own code-server
// and profile (own mock data, secrets, settings) and a page size; see scripts/host/run-ui.js.
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
  // A palette closed under us (an editor taking focus as it opens) is opened again the same way, within
  // the deadline, instead of waiting out Playwright's 30 s default on the input that went away.
  for (;;) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 15000 });
      await input.fill('>' + title, { timeout: 5000 });
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

const escapeRe = t => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A row of the open quick pick whose label is exactly `label` (codicons such as `$(check)` are
 * ignored), or matches it when `label` is a RegExp. Safer than `quickPick` when one label is a
 * substring of another row's label or description.
 */
function quickPickRow(page, label) {
  const re = label instanceof RegExp ? label : new RegExp(`^\\s*${escapeRe(label)}\\s*$`);
  return page
    .locator('.quick-input-widget .monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: re }) })
    .first();
}

/** Clicks the quick pick row labelled exactly `label` (see quickPickRow). */
async function pickItem(page, label, { timeout = 15000 } = {}) {
  const row = quickPickRow(page, label);
  await row.waitFor({ timeout });
  await row.click();
}

/**
 * In an open multi-select quick pick, checks exactly the rows labelled in `labels` (others are
 * unchecked), then accepts with the OK button (Enter would accept too).
 */
async function pickMany(page, labels, { timeout = 15000, title } = {}) {
  const rows = page.locator('.quick-input-widget .monaco-list-row');
  if (title) await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout });
  await rows.first().waitFor({ timeout });
  const n = await rows.count();
  for (let i = 0; i < n; i++) {
    const row = rows.nth(i);
    const label = ((await row.locator('.label-name').first().textContent()) || '').trim();
    const box = row.locator('input[type=checkbox], .monaco-custom-toggle, [role=checkbox]').first();
    const checked =
      (await row.getAttribute('aria-checked')) === 'true' ||
      (await box.getAttribute('aria-checked')) === 'true' ||
      (await box.evaluate(el => el.checked === true).catch(() => false));
    if (checked !== labels.includes(label)) await box.click();
  }
  for (const label of labels) {
    const row = rows.filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${escapeRe(label)}\\s*$`) }) }).first();
    if (!(await row.count())) throw new Error(`no quick pick row "${label}"`);
  }
  await page.locator('.quick-input-widget .quick-input-action a, .quick-input-widget .monaco-button', { hasText: 'OK' }).first().click();
}

/**
 * Opens the context menu of `target` (a locator, e.g. a tree row) and clicks the entry labelled
 * exactly `label`. Fails with the entries that were there when `label` is not among them.
 */
async function contextMenu(page, target, label, { timeout = 10000 } = {}) {
  await target.click({ button: 'right' });
  const items = page.locator('.monaco-menu .action-menu-item');
  await items.first().waitFor({ timeout });
  const item = items.filter({ has: page.locator('.action-label', { hasText: new RegExp(`^\\s*${escapeRe(label)}\\s*$`) }) }).first();
  try {
    await item.waitFor({ timeout: 3000 });
  } catch {
    const have = (await page.locator('.monaco-menu .action-menu-item .action-label').allTextContents()).map(t => t.trim()).filter(Boolean);
    await page.keyboard.press('Escape');
    throw new Error(`context menu has no "${label}"; it has: ${have.join(' | ')}`);
  }
  // The menu ignores a click that lands while it is still opening; hover first, then click.
  await item.hover();
  await settle(page);
  await item.click();
  try {
    await page.locator('.monaco-menu').waitFor({ state: 'hidden', timeout: 2000 });
  } catch {
    throw new Error(`clicking "${label}" in the context menu did not close the menu`);
  }
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

/**
 * What an incident row shows: { id, name, description, status, owner, severity } read from its label,
 * its description (`#id · Status · owner · age`) and its accessibility label (`High severity incident 12: ...`).
 */
async function rowInfo(row) {
  const name = ((await row.locator('.label-name').first().textContent()) || '').trim();
  const description = ((await row.locator('.label-description').first().textContent()) || '').trim();
  const aria = (await row.getAttribute('aria-label')) || '';
  const [idPart, status, owner] = description.split(' · ');
  return { id: (idPart || '').replace(/^#/, ''), name, description, status, owner, severity: (/^(\w+) severity/.exec(aria) || [])[1] };
}

/** The tree row of incident `id` (matched on `#id · ` in its description). */
function incidentRow(page, id) {
  return page.locator(TREE_ROW).filter({ has: page.locator('.label-description', { hasText: `#${id} · ` }) });
}

/** Waits for at least `min` tree rows and returns their count. */
async function waitForTreeRows(page, min = 1, timeout = 30000) {
  await page
    .locator(TREE_ROW)
    .nth(min - 1)
    .waitFor({ timeout });
  return page.locator(TREE_ROW).count();
}

/**
 * The management pane's document: webviews are an outer iframe (class "webview ready") around
 * iframe#active-frame. Hidden webviews keep their iframes, so pick the visible one.
 */
function paneFrame(page) {
  return page.locator('iframe.webview.ready').filter({ visible: true }).first().contentFrame().frameLocator('iframe#active-frame');
}

/**
 * Waits until `locator`'s text (textContent, whitespace collapsed) contains `expected` (string) or
 * matches it (RegExp); throws `what: expected ... but it showed "..."` otherwise. Returns the text.
 */
async function waitForText(page, locator, expected, { timeout = 15000, what = 'element' } = {}) {
  const deadline = Date.now() + timeout;
  let last = '(not found)';
  for (;;) {
    const n = await locator.count().catch(() => 0);
    if (n) {
      last = (
        (await locator
          .first()
          .textContent({ timeout: 2000 })
          .catch(() => null)) ?? '(unreadable)'
      )
        .replace(/\s+/g, ' ')
        .trim();
      if (typeof expected === 'string' ? last.includes(expected) : expected.test(last)) return last;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${what}: expected ${typeof expected === 'string' ? `"${expected}"` : expected} within ${timeout / 1000}s, but it showed "${last.slice(0, 300)}"`,
      );
    }
    await page.waitForTimeout(150);
  }
}

/** Polls `fn` (async, returns truthy when done) until it holds; throws `message()` after `timeout`. */
async function waitUntil(page, fn, message, { timeout = 15000, interval = 200 } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(typeof message === 'function' ? await message() : message);
    await page.waitForTimeout(interval);
  }
}

/**
 * Waits until the page is still: no CSS animation or transition running (toasts fade in, menus open,
 * hovers fade) and two frames painted since. Used instead of fixed "let it settle" sleeps.
 */
async function settle(page, timeout = 5000) {
  await page.waitForFunction(() => document.getAnimations().every(a => a.playState !== 'running'), undefined, { timeout, polling: 50 }).catch(() => {});
  await page.evaluate(() => new Promise(r => window.requestAnimationFrame(() => window.requestAnimationFrame(() => r(undefined)))));
}

/** Waits for a notification toast containing `text` and for its fade-in, then returns its locator. */
async function waitForToast(page, text, timeout = 15000) {
  const toast = page.locator('.notifications-toasts .notification-toast', text === undefined ? {} : { hasText: text }).first();
  await toast.waitFor({ timeout });
  await settle(page);
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
  }
  await settle(page);
  await page.screenshot({ path: file, ...opts });
  return file;
}

/**
 * The opening every journey shares: the workbench, the Defender Incidents container, at least `minRows`
 * queue rows, and the side bar dragged to `width` px. Returns the number of rows shown.
 */
async function openQueue(page, url, { width, minRows = 3, timeout = 60000 } = {}) {
  await openWorkbench(page, url);
  await openContainer(page);
  const rows = await waitForTreeRows(page, minRows, timeout);
  if (width) await setSidebarWidth(page, width);
  return rows;
}

/** All helpers with `page` (and the screenshot dir) bound, as handed to journeys in ctx.helpers. */
function bind(page, { url, shots }) {
  return {
    openWorkbench: (u = url) => openWorkbench(page, u),
    openQueue: opts => openQueue(page, url, opts),
    runCommand: (title, opts) => runCommand(page, title, opts),
    quickPick: (text, opts) => quickPick(page, text, opts),
    openContainer: () => openContainer(page),
    setSidebarWidth: width => setSidebarWidth(page, width),
    treeRow: text => treeRow(page, text),
    incidentRow: id => incidentRow(page, id),
    rowInfo,
    waitForTreeRows: (min, timeout) => waitForTreeRows(page, min, timeout),
    paneFrame: () => paneFrame(page),
    quickPickRow: label => quickPickRow(page, label),
    pickItem: (label, opts) => pickItem(page, label, opts),
    pickMany: (labels, opts) => pickMany(page, labels, opts),
    contextMenu: (target, label, opts) => contextMenu(page, target, label, opts),
    waitForToast: (text, timeout) => waitForToast(page, text, timeout),
    waitForText: (locator, expected, opts) => waitForText(page, locator, expected, opts),
    waitUntil: (fn, message, opts) => waitUntil(page, fn, message, opts),
    clearToasts: () => clearToasts(page),
    screenshot: (name, opts) => screenshot(page, shots, name, opts),
    settle: () => settle(page),
  };
}

module.exports = {
  TREE_ROW,
  ACTIVITY_ITEM,
  openWorkbench,
  openQueue,
  runCommand,
  quickPick,
  openContainer,
  setSidebarWidth,
  treeRow,
  waitForTreeRows,
  paneFrame,
  waitForToast,
  clearToasts,
  screenshot,
  bind,
  quickPickRow,
  pickItem,
  pickMany,
  contextMenu,
  rowInfo,
  incidentRow,
  waitForText,
  waitUntil,
  settle,
};
