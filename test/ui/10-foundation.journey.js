// Issue 2, the foundation: the queue shows incidents; clicking an unassigned one opens its management
// pane; "Assign to me" in the pane changes the owner in the pane and in the tree row's description.
// Screenshot: docs/screenshots/journey-pane.png (tree and pane side by side).
'use strict';
const ME = 'analyst@contoso.com';

module.exports = async function foundation(ctx) {
  const { page, helpers: h, log } = ctx;
  const count = await h.openQueue({ width: 660 });
  log(`queue shows ${count} row(s)`);

  // An unassigned Active High-severity incident (the seed has 5); any unassigned one will do otherwise.
  const unassignedHigh = h.treeRow().filter({ has: page.locator('.label-description', { hasText: ' · Active · Unassigned · ' }) });
  await h.waitUntil(() => unassignedHigh.count(), 'no unassigned Active incident in the queue');
  let row = unassignedHigh.first();
  const n = await unassignedHigh.count();
  for (let i = 0; i < n; i++) {
    if ((await h.rowInfo(unassignedHigh.nth(i))).severity === 'High') {
      row = unassignedHigh.nth(i);
      break;
    }
  }
  const incident = await h.rowInfo(row);
  log(`opening #${incident.id} "${incident.name}" (${incident.severity}, ${incident.owner})`);
  if (incident.owner !== 'Unassigned') throw new Error(`row #${incident.id} should be unassigned, its description is "${incident.description}"`);

  await row.click();
  const pane = h.paneFrame();
  await h.waitForText(pane.locator('#incident-name'), incident.name, { timeout: 30000, what: 'pane title' });
  await h.waitForText(pane.locator('#incident-id'), `#${incident.id}`, { what: 'pane incident id' });
  await h.waitForText(pane.locator('#owner'), 'Unassigned', { what: 'pane owner before assigning' });
  log('pane open, owner Unassigned');

  await pane.locator('#assign-me').click();
  await h.waitForText(pane.locator('#owner'), ME, { what: 'pane owner after "Assign to me"' });
  await h.waitForText(pane.locator('#header-owner'), ME, { what: 'pane header owner' });
  await h.waitForText(pane.locator('#status-area'), 'Assigned to you', { what: 'pane confirmation' });
  const assignMeDisabled = await pane.locator('#assign-me').evaluate(b => b.disabled === true);
  if (!assignMeDisabled) throw new Error('"Assign to me" should be disabled once the incident is mine');
  log('pane shows the new owner');

  await h.waitForText(h.incidentRow(incident.id).locator('.label-description'), ` · ${ME} · `, { what: `tree row #${incident.id} description` });
  log(`tree row: ${(await h.rowInfo(h.incidentRow(incident.id).first())).description}`);

  // Select the row so the picture shows which incident the pane belongs to.
  await h.screenshot('journey-pane');
};

module.exports.options = { freshProfile: true, viewport: { width: 1920, height: 1080 } };
