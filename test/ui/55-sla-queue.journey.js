// Issue 12, SLA clocks on the queue, as a shift lead sees them: group the queue by SLA state; the
// "Overdue" group comes first and its rows say how late they are ("overdue 1 h 12 m"); the view's badge
// counts the overdue incidents and so does the status bar item, whose click filters to them.
// Screenshot: queue-overdue.png (the README's picture of an overdue queue).
'use strict';

module.exports = async function slaQueue(ctx) {
  const { page, helpers: h, log } = ctx;
  await h.openQueue({ width: 700 });

  await h.runCommand('Defender Incidents: Group By...');
  await h.quickPick('SLA state');
  const groups = page.locator('.part.sidebar .monaco-list-row[role=treeitem][aria-level="1"]');
  await h.waitUntil(
    async () => /^Overdue/.test(((await groups.first().textContent()) || '').trim()),
    async () => `the first group should be "Overdue"; the view shows ${JSON.stringify(await groups.allTextContents())}`,
    { timeout: 30000 },
  );
  const firstGroup = ((await groups.first().textContent()) || '').replace(/\s+/g, ' ').trim();
  log(`groups: ${(await groups.allTextContents()).map(t => t.replace(/\s+/g, ' ').trim()).join(' | ')}`);

  // Rows of the Overdue group say how late they are.
  const overdueRows = page.locator('.part.sidebar .monaco-list-row[role=treeitem][aria-level="2"]', { hasText: /overdue \d/ });
  await overdueRows
    .first()
    .waitFor({ timeout: 15000 })
    .catch(() => {
      throw new Error('no row says "overdue N ..."');
    });
  log(`first overdue row: ${((await overdueRows.first().locator('.label-description').textContent()) || '').trim()}`);

  // The status bar counts them; its click filters to them.
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: /overdue/ }).first();
  await item.waitFor({ timeout: 15000 });
  const itemText = ((await item.textContent()) || '').trim();
  const count = Number(/(\d+)\s+overdue/.exec(itemText)?.[1]);
  if (!(count > 0)) throw new Error(`the status bar should count overdue incidents; it reads "${itemText}"`);
  const badge = (
    (await page
      .locator('.part.activitybar .action-item', { has: page.locator('a[aria-label^="Defender Incidents"]') })
      .locator('.badge-content')
      .textContent()
      .catch(() => '')) || ''
  ).trim();
  log(`status bar "${itemText}", badge "${badge}", first group "${firstGroup}"`);
  if (badge && Number(badge) !== count) throw new Error(`badge ${badge} and status bar ${count} should both count the overdue incidents`);
  await h.screenshot('queue-overdue');

  await item.click();
  await h.waitForText(page.locator('.part.sidebar .pane-body'), /Overdue/, { timeout: 15000, what: 'the view filtered to overdue incidents' });
  log('the status bar item filtered the queue to overdue incidents');
};

module.exports.options = { freshProfile: true, viewport: { width: 1600, height: 900 } };
