// The queue comes up: workbench, Defender Incidents container, at least one incident in the tree.
'use strict';
module.exports = async function smoke(ctx) {
  const { helpers, log } = ctx;
  await helpers.openWorkbench();
  log('workbench loaded');
  await helpers.openContainer();
  const rows = await helpers.waitForTreeRows(1, 60000);
  await helpers.setSidebarWidth(620);
  log(`incidents view shows ${rows} row(s)`);
  // Rows render their text a frame after they exist; a short settle keeps the screenshot stable.
  await ctx.page.waitForTimeout(500);
  await helpers.screenshot('queue');
};
