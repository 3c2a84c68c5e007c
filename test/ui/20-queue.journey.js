// Issue 4, the queue, through the UI only: filter to unassigned High incidents with the filter quick
// pick, multi-select three rows (click, Ctrl+click), "Assign to Me" from the context menu, see the
// bulk summary; then find them under "assigned to me", resolve the three from the context menu
// (classification, determination, resolving comment) and check the tree: they show Resolved while
// the filter includes Resolved, and are gone from the default queue.
// Screenshots: docs/screenshots/queue-filtered.png, docs/screenshots/queue-bulk.png.
'use strict';
const ME = 'analyst@contoso.com';

module.exports = async function queue(ctx) {
  const { page, helpers: h, log } = ctx;
  await h.openQueue({ width: 660 });

  /** The view's message line, e.g. "5 incidents · Active, In progress · High · unassigned". */
  const message = page
    .locator('.part.sidebar .pane-body')
    .getByText(/^(Mock: )?\d+ incidents? /)
    .first();

  /** All rows the tree shows, checked against the count in the view message (the list is virtual). */
  async function allRows() {
    const text = (await message.textContent()) || '';
    const expected = Number(/^(?:Mock: )?(\d+)/.exec(text)[1]);
    const rows = h.treeRow();
    await h.waitUntil(
      async () => (await rows.count()) === expected,
      async () => `the view says "${text}" but shows ${await rows.count()} rows`,
      { timeout: 10000 },
    );
    const out = [];
    for (let i = 0; i < expected; i++) out.push(await h.rowInfo(rows.nth(i)));
    return out;
  }

  async function editFilter(steps) {
    await h.runCommand('Defender Incidents: Filter Incidents...');
    for (const [field, answer] of steps) {
      await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Filter incidents' }).waitFor({ timeout: 15000 });
      await h.pickItem(field);
      if (Array.isArray(answer)) await h.pickMany(answer, { title: field });
      else {
        await page.locator('.quick-input-widget .quick-input-title', { hasText: field }).waitFor({ timeout: 15000 });
        await h.pickItem(answer);
      }
    }
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Filter incidents' }).waitFor({ timeout: 15000 });
    await h.pickItem('Apply');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10000 });
  }

  // 1. Unassigned High incidents.
  await editFilter([
    ['Owner', 'Unassigned'],
    ['Severity', ['High']],
  ]);
  await h.waitForText(message, /^Mock: \d+ incidents? · Active, In progress · High · unassigned$/, { what: 'view message after filtering' });
  const filtered = await allRows();
  log(`filtered: ${(await message.textContent()).trim()}`);
  const wrong = filtered.filter(r => r.owner !== 'Unassigned' || r.severity !== 'High' || !['Active', 'In progress'].includes(r.status));
  if (wrong.length) throw new Error(`rows outside the filter: ${wrong.map(r => r.description).join('; ')}`);
  if (filtered.length < 3) throw new Error(`need 3 unassigned High incidents, the filter shows ${filtered.length}`);
  await h.screenshot('queue-filtered');

  // 2. Multi-select three rows, Assign to Me from the context menu.
  const picked = filtered.slice(0, 3);
  await h.incidentRow(picked[0].id).click();
  await h.incidentRow(picked[1].id).click({ modifiers: ['Control'] });
  await h.incidentRow(picked[2].id).click({ modifiers: ['Control'] });
  const selected = h.treeRow().and(page.locator('[aria-selected=true]'));
  await h.waitUntil(
    async () => (await selected.count()) === 3,
    async () => `expected 3 selected rows, ${await selected.count()} are selected`,
  );
  log(`selected ${picked.map(r => `#${r.id}`).join(', ')}`);
  await h.contextMenu(h.incidentRow(picked[2].id), 'Assign to Me');
  const assigned = await h.waitForToast('Assign to me: 3 of 3 succeeded', 30000);
  log(`toast: ${(await assigned.locator('.notification-list-item-message').textContent()).trim()}`);
  // Now assigned, they no longer match "unassigned".
  for (const r of picked) {
    await h.waitUntil(async () => (await h.incidentRow(r.id).count()) === 0, `#${r.id} still shows under "unassigned" after assigning it`);
  }
  await h.clearToasts();

  // 3. The three, now mine, with Resolved included in the filter; select them again by name.
  await editFilter([
    ['Owner', 'Me'],
    ['Status', ['Active', 'In progress', 'Resolved']],
  ]);
  await h.waitForText(message, /· Active, In progress, Resolved · High · assigned to me$/, { what: 'view message after filtering on me' });
  for (const r of picked) {
    await h.waitForText(h.incidentRow(r.id).locator('.label-description'), ` · ${ME} · `, { what: `row #${r.id} owner` });
  }
  await h
    .treeRow(picked[0].name)
    .filter({ has: page.locator('.label-description', { hasText: `#${picked[0].id} · ` }) })
    .click();
  await h.incidentRow(picked[1].id).click({ modifiers: ['Control'] });
  await h.incidentRow(picked[2].id).click({ modifiers: ['Control'] });
  await h.waitUntil(
    async () => (await selected.count()) === 3,
    async () => `expected 3 selected rows, ${await selected.count()} are selected`,
  );
  await h.contextMenu(h.incidentRow(picked[0].id), 'Resolve Incident...');
  await h.pickItem('True positive');
  await h.pickItem('Malware');
  const box = page.locator('.quick-input-widget', { hasText: 'Resolving comment' });
  await box.waitFor({ timeout: 15000 });
  await h.quickPick('Contained by the UI journey: hosts isolated, malware removed.', { type: true });
  const resolved = await h.waitForToast('Resolve: 3 of 3 succeeded', 60000);
  log(`toast: ${(await resolved.locator('.notification-list-item-message').textContent()).trim()}`);
  for (const r of picked) {
    await h.waitForText(h.incidentRow(r.id).locator('.label-description'), ` · Resolved · ${ME} · `, { what: `row #${r.id} after resolving` });
  }
  // The first click opened #id's pane, which follows the store: it shows the resolution too.
  await h.waitForText(h.paneFrame().locator('#incident-status'), 'Resolved', { what: `pane of #${picked[0].id}` });
  await h.waitForText(h.paneFrame().locator('#incident-determination'), 'Malware', { what: `pane of #${picked[0].id}` });
  await h.screenshot('queue-bulk');
  await h.clearToasts();

  // 4. The default queue (Active, In progress) no longer lists them.
  await h.runCommand('Defender Incidents: Filter Incidents...');
  await h.pickItem('Reset to the default queue');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Filter incidents' }).waitFor({ timeout: 15000 });
  await h.pickItem('Apply');
  await h.waitForText(message, /^Mock: \d+ incidents? · Active, In progress · High, Medium, Low$/, { what: 'view message in the default queue' });
  const queueRows = await allRows();
  const still = queueRows.filter(r => picked.some(p => p.id === r.id));
  if (still.length) throw new Error(`resolved incidents still in the default queue: ${still.map(r => r.description).join('; ')}`);
  log(`default queue: ${queueRows.length} incidents, none of ${picked.map(r => `#${r.id}`).join(', ')}`);
};

module.exports.options = { freshProfile: true, viewport: { width: 1920, height: 1080 } };
