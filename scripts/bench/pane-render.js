// `npm run bench`, the pane's render times: the real pane (dist/webview.js, the production build bench.js
// made) in Debian's Chromium through the webview test harness, from a `state` message to the DOM updated,
// as the pane reports it to the extension (`rendered`). A preview switch and one action's update, for a
// typical incident (test/webview/data.ts) and the 1 MB hostile one (test/webview/hostile-data.ts); and a switch to an
// incident of 500 evidence entities (the Evidence section's heavy case, render-bench.ts evidenceIncident).
// `node scripts/bench/pane-render.js` prints the figures as JSON on its own.
'use strict';
const path = require('path');
const lib = require('../host/lib');

const ROOT = path.resolve(__dirname, '../..');

async function benchPaneRender({ switches = 30, actions = 30, hugeSwitches = 5, hugeActions = 5, evidenceSwitches = 20, log = () => {} } = {}) {
  const esbuild = require('esbuild');
  const outfile = path.join(lib.mkdirp(path.join(lib.SCRATCH, 'bench-pane')), 'pane-render.js');
  await esbuild.build({
    absWorkingDir: ROOT,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    outfile,
    logLevel: 'warning',
    external: ['playwright-core'],
    stdin: {
      contents: [
        "export { benchRender, benchEvidenceRender, median } from './test/webview/render-bench';",
        "export { PaneServer, launch } from './test/webview/harness';",
      ].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    // The harness finds dist/ and media/ from here.
    define: { 'process.env.PANE_ROOT': JSON.stringify(ROOT) },
    nodePaths: [path.join(ROOT, 'node_modules')],
  });
  const { benchRender, benchEvidenceRender, median, PaneServer, launch } = require(outfile);
  const server = new PaneServer();
  await server.start();
  const browser = await launch();
  try {
    log(`pane render: ${switches} switches and ${actions} actions (typical), ${hugeSwitches} and ${hugeActions} (1 MB hostile)`);
    const r = await benchRender(browser, server, { switches, actions, hugeSwitches, hugeActions });
    const sum = f => ({ switchMs: median(f.switchMs), actionMs: median(f.actionMs), initialMs: median(f.initialMs), samples: f });
    log(`pane render: ${evidenceSwitches} switches between incidents of 500 evidence entities`);
    const ev = await benchEvidenceRender(browser, server, { switches: evidenceSwitches, rows: 500 });
    return { typical: sum(r.typical), hostile1MB: sum(r.hostile1MB), evidence500: { switchMs: median(ev), samples: ev } };
  } finally {
    await browser.close();
    await server.stop();
  }
}

module.exports = { benchPaneRender };

if (require.main === module) {
  benchPaneRender({ log: m => process.stderr.write(`[bench] ${m}\n`) })
    .then(r =>
      console.log(
        JSON.stringify(
          {
            typical: { ...r.typical, samples: undefined },
            hostile1MB: { ...r.hostile1MB, samples: undefined },
            evidence500: { ...r.evidence500, samples: undefined },
          },
          null,
          2,
        ),
      ),
    )
    .catch(e => {
      console.error(e);
      process.exit(1);
    });
}
