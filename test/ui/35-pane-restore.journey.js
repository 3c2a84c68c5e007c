// Issue 15 item 12: a management pane open when the window reloads comes back with its incident. The
// panes' serializer registers on the turn after activate() (VS Code holds a pane it restores until a
// serializer for its type registers); with the side bar closed, the pane is what activates the extension.
'use strict';

module.exports = async function paneRestoreJourney(ctx) {
  const { page, helpers: h, log } = ctx;
  await h.openQueue({ width: 520 });
  const incident = await h.rowInfo(h.treeRow().first());
  await h.incidentRow(incident.id).click();
  await h.waitForText(h.paneFrame().locator('#incident-id'), `#${incident.id}`, { timeout: 30000, what: 'pane incident id' });
  log(`pane of #${incident.id} open`);
  await ctx.runCommand('View: Close Primary Side Bar');
  // Let the workbench keep the pane's state before the reload.
  await page.waitForTimeout(2000);
  await page.reload({ timeout: 120000 });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 60000 });
  await h.waitForText(h.paneFrame().locator('#incident-id'), `#${incident.id}`, { timeout: 60000, what: 'restored pane incident id' });
  log(`pane of #${incident.id} restored after the reload`);
};

module.exports.options = { freshProfile: true, viewport: { width: 1600, height: 900 } };
