// `npm run bench`, the hunting result renderer: dist/huntRenderer.js (the production build bench.js made)
// in Debian's Chromium, rendering a 10,000-row result: the first paint (render call to two frames later)
// and each scroll step's repaint (scroll to the next frame, 200 rows a step). See
// test/webview/hunt-render-bench.ts. `node scripts/bench/hunt-render.js` prints the figures as JSON.
'use strict';
const path = require('path');
const lib = require('../host/lib');

const ROOT = path.resolve(__dirname, '../..');

async function benchHuntRender({ runs = 5, log = () => {} } = {}) {
  const esbuild = require('esbuild');
  const outfile = path.join(lib.mkdirp(path.join(lib.SCRATCH, 'bench-hunt')), 'hunt-render.js');
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
      contents: ["export { benchHuntRender } from './test/webview/hunt-render-bench';", "export { launch } from './test/webview/harness';"].join('\n'),
      resolveDir: ROOT,
      loader: 'ts',
    },
    define: { 'process.env.PANE_ROOT': JSON.stringify(ROOT) },
    nodePaths: [path.join(ROOT, 'node_modules')],
  });
  const m = require(outfile);
  const browser = await m.launch();
  try {
    log(`hunting renderer: ${runs} fresh pages, 10,000 rows each, 30 scroll steps each`);
    return await m.benchHuntRender(browser, runs);
  } finally {
    await browser.close();
  }
}

module.exports = { benchHuntRender };

if (require.main === module) {
  benchHuntRender({ log: m => process.stderr.write(`[bench] ${m}\n`) })
    .then(r => console.log(JSON.stringify(r, null, 2)))
    .catch(e => {
      console.error(e);
      process.exit(1);
    });
}
