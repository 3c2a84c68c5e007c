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

/**
 * Keeps code the extension never runs out of dist/extension.js (it was 464 KB, mostly axios's
 * optional dependencies). Each stub is limited to a path the extension's axios instances cannot take:
 * - `form-data` (137 KB of it is mime-db): axios needs a FormData class only to send multipart bodies,
 *   which the extension never does. Node 18+ has a global FormData, which axios itself prefers
 *   (axios/lib/env/classes/FormData.js) and can stream (formDataToStream).
 * - `follow-redirects` (+ debug, ms, supports-color): axios uses it only when maxRedirects > 0; both
 *   of the extension's axios instances set maxRedirects: 0 (a bearer token must never follow a
 *   redirect), so axios takes Node's http/https directly. The stub throws if that ever changes.
 * - axios's xhr and fetch adapters: in Node the default adapter list picks `http` (no XMLHttpRequest;
 *   fetch is used only when asked for by name, which the extension never does). The stubs report
 *   "not supported", which is what axios already concludes for xhr in Node.
 * - `debug` (+ ms, supports-color, has-flag): https-proxy-agent's diagnostics, printed only with
 *   DEBUG=https-proxy-agent set; the stub logs nothing (proxy support itself is unchanged).
 * The mock server, needed only in mock mode, is a second bundle (dist/mock.js) that
 * `import('./mock/server')` in src/backendHost.ts loads at run time (see `lazyMockPlugin`).
 */
const trimAxiosPlugin = {
  name: 'trim-axios',
  setup(build) {
    const stubs = {
      'form-data': 'module.exports = globalThis.FormData;',
      'follow-redirects': [
        "const fail = () => { throw new Error('HTTP redirects are disabled in this build (maxRedirects must be 0).'); };",
        'module.exports = { http: { request: fail, get: fail }, https: { request: fail, get: fail } };',
      ].join('\n'),
      debug: 'module.exports = () => Object.assign(() => undefined, { enabled: false, extend() { return module.exports(); } });',
      'axios-xhr-adapter': 'export default false;',
      'axios-fetch-adapter': 'export const getFetch = () => false; export default false;',
    };
    build.onResolve({ filter: /^(form-data|follow-redirects|debug)$/ }, a => ({ path: a.path, namespace: 'stub' }));
    build.onResolve({ filter: /^\.\/(xhr|fetch)\.js$/ }, a => (/[\\/]axios[\\/]lib[\\/]adapters$/.test(a.resolveDir)
      ? { path: `axios-${a.path.slice(2, -3)}-adapter`, namespace: 'stub' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'stub' }, a => ({ contents: stubs[a.path], loader: 'js' }));
  },
};

/** dist/extension.js requires dist/mock.js (built from src/mock/server.ts) only when mock mode starts. */
const lazyMockPlugin = {
  name: 'lazy-mock',
  setup(build) {
    build.onResolve({ filter: /^\.\/mock\/server$/ }, a => (/[\\/]src$/.test(a.resolveDir) ? { path: './mock.js', external: true } : undefined));
  },
};

/**
 * axios (70 KB after trimming) is the largest part of the extension and no activate() path needs it:
 * it is first used when a backend client is built (the first list or command). `import axios from
 * 'axios'` in the extension resolves to a small proxy that requires the vendor chunk dist/axios.js on
 * first use (any property or call is forwarded, so it behaves as axios itself).
 */
const lazyAxiosPlugin = {
  name: 'lazy-axios',
  setup(build) {
    build.onResolve({ filter: /^axios$/ }, a => (/[\\/]src[\\/]/.test(a.importer) ? { path: 'axios', namespace: 'lazy-axios' } : undefined));
    build.onResolve({ filter: /^\.\/axios\.js$/, namespace: 'lazy-axios' }, a => ({ path: a.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-axios' }, () => ({
      loader: 'js',
      contents: [
        'let real;',
        "const load = () => (real ??= require('./axios.js').default);",
        // A function target so that `axios(config)` works too; __esModule is answered without loading.
        'module.exports = new Proxy(function axios() {}, {',
        "  get: (_, k) => (k === '__esModule' ? undefined : Reflect.get(load(), k)),",
        '  has: (_, k) => Reflect.has(load(), k),',
        '  apply: (_, self, args) => Reflect.apply(load(), self, args),',
        '});',
      ].join('\n'),
    }));
  },
};

/**
 * The agent's tools (#18) load on first use, from src/agent/vscode/: their handlers ('../runner') become
 * `require('./agent.js')` and the MCP server with the MCP SDK ('../mcpServer') `require('./mcp.js')`,
 * chunks of their own. The handlers get what must be one class across chunks (the bulk loop that knows
 * the HTTP layer's ThrottledError) passed in, not imported.
 */
const lazyAgentPlugin = {
  name: 'lazy-agent',
  setup(build) {
    const chunks = { '../runner': './agent.js', '../mcpServer': './mcp.js' };
    build.onResolve({ filter: /^\.\.\/(runner|mcpServer)$/ }, a => (/[\\/]src[\\/]agent[\\/]vscode$/.test(a.resolveDir) ? { path: chunks[a.path], external: true } : undefined));
  },
};

/**
 * The KQL language service's process (dist/kql.js, forked when a hunting file opens): the Kusto files
 * (about 5 MB minified, they define globals) are not bundled but copied to dist/kusto/ and required from
 * there at run time, in that process only.
 */
const KUSTO_FILES = ['bridge.min.js', 'Kusto.Language.Bridge.min.js'];
const kustoExternalPlugin = {
  name: 'kusto-external',
  setup(build) {
    build.onResolve({ filter: /^@kusto\/language-service-next\// }, a => ({ path: `./kusto/${a.path.split('/').pop()}`, external: true }));
    build.onEnd(() => {
      const fs = require('fs');
      const path = require('path');
      fs.mkdirSync(path.join(__dirname, 'dist', 'kusto'), { recursive: true });
      for (const f of KUSTO_FILES) fs.copyFileSync(require.resolve(`@kusto/language-service-next/${f}`), path.join(__dirname, 'dist', 'kusto', f));
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
      plugins: [...common.plugins, trimAxiosPlugin, lazyMockPlugin, lazyAxiosPlugin, lazyAgentPlugin],
      // `import('./mock/server')` becomes a plain `require('./mock.js')`, as tsc compiles it for the tests.
      supported: { 'dynamic-import': false },
      // axios picks its Node build through the "node" condition; keep only what Node needs.
      mainFields: ['module', 'main'],
      conditions: ['node'],
    }),
    // axios, trimmed as above, loaded by dist/extension.js on first use; shipped in the VSIX.
    esbuild.context({
      ...common,
      stdin: { contents: "export { default } from 'axios';", resolveDir: __dirname, loader: 'js' },
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/axios.js',
      mainFields: ['module', 'main'],
      conditions: ['node'],
      plugins: [...common.plugins, trimAxiosPlugin],
    }),
    // The built-in mock server, loaded by dist/extension.js only in mock mode; shipped in the VSIX.
    esbuild.context({
      ...common,
      entryPoints: ['src/mock/server.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/mock.js',
      mainFields: ['module', 'main'],
      conditions: ['node'],
    }),
    // The agent's tool handlers, loaded by dist/extension.js on the first tool call; shipped in the VSIX.
    esbuild.context({
      ...common,
      entryPoints: ['src/agent/runner.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/agent.js',
    }),
    // The agent's MCP server with the MCP SDK, loaded by dist/extension.js when the server starts; shipped in the VSIX.
    esbuild.context({
      ...common,
      entryPoints: ['src/agent/mcpServer.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/mcp.js',
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
    // Hunting: the KQL language service process and the notebook's result renderer (browser, esm).
    esbuild.context({
      ...common,
      entryPoints: ['src/hunting/kqlServer.ts'],
      format: 'cjs',
      platform: 'node',
      target: 'node18',
      outfile: 'dist/kql.js',
      plugins: [...common.plugins, kustoExternalPlugin],
    }),
    esbuild.context({
      ...common,
      entryPoints: ['webview/hunting/renderer.ts'],
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outfile: 'dist/huntRenderer.js',
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

module.exports = { trimAxiosPlugin, lazyMockPlugin, lazyAxiosPlugin, lazyAgentPlugin };

if (require.main === module) main().catch(e => { console.error(e); process.exit(1); });
