// Build after the official esbuild sample (microsoft/vscode-extension-samples/esbuild-sample):
// two entries, the extension (cjs, node, `vscode` external) and the management pane's webview (esm, browser).
// `--production` minifies without source maps; `--watch` rebuilds on change.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format of the `$esbuild-watch` problem matcher. */
const esbuildProblemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd(result => {
      result.errors.forEach(({ text, location }) => {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      });
      if (watch) console.log('[watch] build finished');
    });
  },
};

const common = {
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  legalComments: production ? 'none' : 'inline',
  plugins: [esbuildProblemMatcherPlugin],
};

async function main() {
  const contexts = await Promise.all([
    esbuild.context({
      ...common,
      entryPoints: ['src/extension.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/extension.js',
      external: ['vscode'],
      // axios picks its Node build through the "node" condition; keep only what Node needs.
      mainFields: ['module', 'main'],
      conditions: ['node'],
    }),
    // The standalone mock server (`npm run mock-server`); not shipped in the VSIX.
    esbuild.context({
      ...common,
      entryPoints: ['src/mock/cli.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/mock-server.js',
      mainFields: ['module', 'main'],
      conditions: ['node'],
    }),
    esbuild.context({
      ...common,
      entryPoints: ['webview/main.ts'],
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: 'dist/webview.js',
    }),
  ]);
  if (watch) {
    await Promise.all(contexts.map(c => c.watch()));
  } else {
    await Promise.all(contexts.map(c => c.rebuild()));
    await Promise.all(contexts.map(c => c.dispose()));
  }
}

main().catch(e => { console.error(e); process.exit(1); });
