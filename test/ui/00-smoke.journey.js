// The queue comes up: workbench, Defender Incidents container, at least one incident in the tree.
'use strict';
module.exports = async function smoke(ctx) {
  const { helpers, log } = ctx;
  const rows = await helpers.openQueue({ width: 620, minRows: 1 });
  log(`incidents view shows ${rows} row(s)`);
  await helpers.screenshot('queue');
};
