// Issue 5, the management pane: open an unassigned incident, assign it to me, classify it True
// positive / Malware, resolve it with a comment (the pane's resolve form), add a comment (it shows in
// "Comments and history" at once, then confirmed), reopen it, and check that the timeline lists every
// change: owner, classification, determination, status -> Resolved, status -> Active, both comments.
// Screenshot: docs/screenshots/pane-timeline.png.
'use strict';
const ME = 'analyst@contoso.com';

module.exports = async function paneJourney(ctx) {
  const { page, helpers: h, log } = ctx;
  await h.openQueue({ width: 520 });

  const candidates = h.treeRow().filter({ has: page.locator('.label-description', { hasText: ' · Active · Unassigned · ' }) });
  await h.waitUntil(() => candidates.count(), 'no unassigned Active incident in the queue');
  const incident = await h.rowInfo(candidates.last());
  log(`opening #${incident.id} "${incident.name}"`);
  await h.incidentRow(incident.id).click();
  const pane = h.paneFrame();
  await h.waitForText(pane.locator('#incident-id'), `#${incident.id}`, { timeout: 30000, what: 'pane incident id' });
  const notice = pane.locator('#status-area');

  // Assign to me.
  await pane.locator('#assign-me').click();
  await h.waitForText(pane.locator('#owner'), ME, { what: 'owner after "Assign to me"' });
  log('assigned to me');

  // Classify: True positive / Malware.
  await pane.locator('#classification').selectOption('TruePositive');
  await pane.locator('#determination').selectOption('Malware');
  await pane.locator('#classify-save').click();
  await h.waitForText(notice, 'Classification saved', { what: 'classification confirmation' });
  await h.waitForText(pane.locator('#incident-classification'), 'True positive', { what: 'header classification' });
  await h.waitForText(pane.locator('#incident-determination'), 'Malware', { what: 'header determination' });
  log('classified True positive / Malware');

  // Resolve with a comment through the resolve form.
  const resolveText = `Resolved from the pane: malware quarantined on the host (${Date.now().toString(36)}).`;
  await pane.locator('#status').selectOption('Resolved');
  await pane.locator('#resolve-form').waitFor({ state: 'visible', timeout: 5000 });
  const formClass = await pane.locator('#resolve-classification').inputValue();
  const formDet = await pane.locator('#resolve-determination').inputValue();
  if (formClass !== 'TruePositive' || formDet !== 'Malware') {
    throw new Error(`the resolve form should start from the saved classification (TruePositive/Malware), it shows ${formClass}/${formDet}`);
  }
  await pane.locator('#resolve-comment').fill(resolveText);
  await pane.locator('#resolve-submit').click();
  await h.waitForText(pane.locator('#incident-status'), 'Resolved', { timeout: 30000, what: 'header status after resolving' });
  await pane.locator('#reopen').waitFor({ state: 'visible', timeout: 5000 });
  await pane.locator('#resolve-form').waitFor({ state: 'hidden', timeout: 5000 });
  log('resolved with a comment');

  // Add a comment: it must show in the timeline at once (Sending..., then confirmed).
  const commentText = `Follow-up from the UI journey: reimaged the host, password reset (${Date.now().toString(36)}).`;
  await pane.locator('#comment').fill(commentText);
  const clicked = Date.now();
  await pane.locator('#add-comment').click();
  const entry = pane.locator('#timeline li.entry.kind-comment').filter({ hasText: commentText });
  await entry
    .first()
    .waitFor({ state: 'attached', timeout: 3000 })
    .catch(() => {
      throw new Error(`the new comment did not show in "Comments and history" within 3 s of "Add comment"`);
    });
  const firstState = await entry.first().getAttribute('class');
  log(`comment shown after ${Date.now() - clicked} ms (${/state-(\w+)/.exec(firstState)[1]})`);
  await h.waitUntil(
    async () => /state-confirmed/.test(await entry.first().getAttribute('class')),
    async () => `the comment stayed "${await entry.first().getAttribute('class')}" instead of confirmed`,
  );
  if ((await entry.count()) !== 1) throw new Error(`the comment shows ${await entry.count()} times in the timeline`);
  await h.waitUntil(async () => (await pane.locator('#comment').inputValue()) === '', 'the comment box was not cleared after the comment was confirmed');

  // Reopen. Nobody else touched the incident, so no "changed on the server" conflict may appear
  // (our own comment moved the server's lastUpdateTime; that alone is no conflict).
  await pane.locator('#reopen').click();
  const conflict = pane.locator('#conflict');
  const outcome = await Promise.race([
    h.waitForText(pane.locator('#incident-status'), 'Active', { timeout: 30000, what: 'header status after reopening' }).then(() => 'reopened'),
    conflict.waitFor({ state: 'visible', timeout: 30000 }).then(() => 'conflict'),
  ]);
  if (outcome === 'conflict') {
    const text = ((await conflict.textContent()) || '').replace(/\s+/g, ' ').trim();
    throw new Error(`Reopen showed a conflict although only this pane changed the incident: "${text}"`);
  }
  await h.waitForText(pane.locator('#incident-status'), 'Active', { timeout: 30000, what: 'header status after reopening' });
  await pane.locator('#reopen').waitFor({ state: 'hidden', timeout: 5000 });
  log('reopened');

  // The timeline lists every change and both comments, each once.
  const expectations = [
    ['owner change', 'li.entry.kind-change', `owner: — → ${ME}`],
    // One label table in the model: the extension and the pane both say "Not set".
    ['classification change', 'li.entry.kind-change', 'classification: Not set → True positive'],
    ['determination change', 'li.entry.kind-change', 'determination: Not set → Malware'],
    ['status → Resolved', 'li.entry.kind-change', 'status: Active → Resolved'],
    ['status → Active', 'li.entry.kind-change', 'status: Resolved → Active'],
    ['resolving comment', 'li.entry.kind-comment.state-confirmed', resolveText],
    ['comment', 'li.entry.kind-comment.state-confirmed', commentText],
  ];
  const rows = async () => (await pane.locator('#timeline li.entry').allTextContents()).map(t => t.replace(/\s+/g, ' ').trim());
  for (const [what, selector, text] of expectations) {
    const found = pane.locator(`#timeline ${selector}`).filter({ hasText: text });
    await h.waitUntil(
      async () => (await found.count()) === 1,
      async () =>
        `timeline: expected one ${what} row with ${typeof text === 'string' ? `"${text}"` : text}, found ${await found.count()}; rows:\n    ${(await rows()).join('\n    ')}`,
      { timeout: 10000 },
    );
  }
  if (await pane.locator('#timeline li.entry.state-failed, #timeline li.entry.state-pending').count()) {
    throw new Error(`timeline has unsent entries: ${(await rows()).join(' | ')}`);
  }
  log(`timeline has ${(await rows()).length} rows with all ${expectations.length} expected`);

  // Picture: the timeline at the top of the pane.
  // Below the sticky notice bar, so the section heading shows.
  await pane.locator('#comments').evaluate(el => {
    el.scrollIntoView({ block: 'start' });
    window.scrollBy(0, -60);
  });
  await h.screenshot('pane-timeline');
};

module.exports.options = { freshProfile: true, viewport: { width: 1920, height: 1080 } };
