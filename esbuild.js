// Build after the official esbuild sample (microsoft/vscode-extension-samples/esbuild-sample):
// two entries, the extension (cjs, node, `vscode` external) and the management pane's webview (esm, browser).
// `--production` minifies without source maps; `--watch` rebuilds on change.
//
// LAZY CHUNKS, the one convention for code activate() does not need: write `await import('./feature/impl')`
// (a dynamic import of a module under src/) where the code is first needed, and keep the static imports of
// the eager side to what activation runs. Nothing else to declare: the extension is built with esbuild's
// code splitting, so every dynamic import becomes its own file in dist/ (`impl-<hash>.js`), code shared by
// two chunks goes to a shared `chunk-<hash>.js` (one copy: module state and `instanceof` hold across
// chunks), and `splitToCjs` turns the ESM output into CommonJS for the extension host (a dynamic import
// becomes a `require`, as tsc compiles it for the unit tests). Keep `import type` for types from a lazy
// module: a value import pulls it into the eager bundle. `npm run bench` reports dist/extension.js and
// everything it loads before activate() ("eager"), against their ceilings; test/unit/eager-bundle.test.ts
// names the modules that must stay out of it. The chunks so far: the backend clients and sign-in
// (backendHost.ts), the command handlers (commands/register.ts), the view's provider with its SLA
// decorations and the watcher (tree/lazyTree.ts), the panes and the triage door (extension.ts), hunting
// and the KQL editing help (hunting/register.ts), the agent's calls and @defender's chat loop
// (agent/vscode/); axios and the mock server are vendor chunks (below).
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format of the `$esbuild-watch` problem matcher. */
const esbuildProblemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => {
      if (watch) console.log('[watch] build started');
    });
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
    build.onResolve({ filter: /^\.\/(xhr|fetch)\.js$/ }, a =>
      /[\\/]axios[\\/]lib[\\/]adapters$/.test(a.resolveDir) ? { path: `axios-${a.path.slice(2, -3)}-adapter`, namespace: 'stub' } : undefined,
    );
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
      fs.mkdirSync(path.join(__dirname, 'dist', 'kusto'), { recursive: true });
      for (const f of KUSTO_FILES) fs.copyFileSync(require.resolve(`@kusto/language-service-next/${f}`), path.join(__dirname, 'dist', 'kusto', f));
    });
  },
};

/** dist/ files a split build wrote: an entry or a chunk, named `<name>-<8 hash chars>.js`. */
const SPLIT_CHUNK = /^[\w.-]+-[A-Z0-9]{8}\.js(\.map)?$/;

/**
 * Esbuild splits code only in ESM; the extension host loads CommonJS. Each output file is turned into
 * CommonJS (imports become `require`, dynamic imports a `require` in a promise; an input source map is
 * followed), written, and chunks of earlier builds are removed so the VSIX ships only current ones.
 */
const splitToCjsPlugin = {
  name: 'split-to-cjs',
  setup(build) {
    build.onEnd(async result => {
      if (result.errors.length || !result.outputFiles) return;
      const outdir = path.resolve(__dirname, build.initialOptions.outdir);
      const written = new Set();
      for (const f of result.outputFiles) {
        if (f.path.endsWith('.map')) continue;
        const name = path.basename(f.path);
        const out = await esbuild.transform(f.text, {
          format: 'cjs',
          loader: 'js',
          target: build.initialOptions.target,
          minify: !!build.initialOptions.minify,
          supported: { 'dynamic-import': false },
          sourcefile: name,
          legalComments: build.initialOptions.legalComments,
          sourcemap: build.initialOptions.sourcemap ? 'external' : false,
          sourcesContent: false,
        });
        fs.mkdirSync(path.dirname(f.path), { recursive: true });
        fs.writeFileSync(f.path, out.map ? `${out.code}//# sourceMappingURL=${name}.map\n` : out.code);
        written.add(name);
        if (out.map) {
          // The sources of the input map are relative to dist/ already.
          fs.writeFileSync(`${f.path}.map`, out.map);
          written.add(`${name}.map`);
        }
      }
      for (const name of fs.readdirSync(outdir)) {
        if (SPLIT_CHUNK.test(name) && !written.has(name)) fs.rmSync(path.join(outdir, name));
      }
      if (!build.initialOptions.sourcemap) {
        for (const name of fs.readdirSync(outdir)) if (name === 'extension.js.map') fs.rmSync(path.join(outdir, name));
      }
      // Which files load before activate() and which on demand, for `npm run bench` (not shipped).
      fs.writeFileSync(path.join(outdir, 'extension.chunks.json'), `${JSON.stringify(eagerFiles(result.metafile), null, 1)}\n`);
    });
  },
};

const common = {
  // Paths (and so the chunks' hashes) are the project's wherever the build is started from, e.g. the
  // folder of links the tests package the VSIX in (scripts/host/lib.js packageVsix).
  absWorkingDir: __dirname,
  bundle: true,
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  legalComments: production ? 'none' : 'inline',
  plugins: [esbuildProblemMatcherPlugin],
};

/** The extension's build: ESM with code splitting, then CommonJS (`splitToCjsPlugin`). */
function extensionOptions() {
  return {
    ...common,
    entryPoints: { extension: 'src/extension.ts' },
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node18',
    outdir: 'dist',
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    write: false,
    metafile: true,
    // The input map of each file, for `splitToCjsPlugin` to follow.
    sourcemap: production ? false : 'inline',
    external: ['vscode'],
    plugins: [...common.plugins, trimAxiosPlugin, lazyMockPlugin, lazyAxiosPlugin, splitToCjsPlugin],
    // axios picks its Node build through the "node" condition; keep only what Node needs.
    mainFields: ['module', 'main'],
    conditions: ['node'],
  };
}

/**
 * The files of dist/ that loading dist/extension.js loads before activate() (the entry and the chunks it
 * imports statically, transitively), from an esbuild metafile of `extensionOptions()`; the rest are lazy.
 */
function eagerFiles(metafile) {
  const eager = new Set();
  const visit = out => {
    if (eager.has(out) || !metafile.outputs[out]) return;
    eager.add(out);
    for (const i of metafile.outputs[out].imports) if (i.kind === 'import-statement') visit(i.path);
  };
  visit(Object.keys(metafile.outputs).find(o => metafile.outputs[o].entryPoint === 'src/extension.ts'));
  const all = Object.keys(metafile.outputs)
    .filter(o => o.endsWith('.js'))
    .map(o => path.basename(o));
  return { eager: all.filter(o => eager.has(`dist/${o}`)), lazy: all.filter(o => !eager.has(`dist/${o}`)) };
}

async function main() {
  const contexts = await Promise.all([
    // The extension and its lazy chunks (see the note at the top), CommonJS after `splitToCjsPlugin`.
    esbuild.context(extensionOptions()),
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

module.exports = { trimAxiosPlugin, lazyMockPlugin, lazyAxiosPlugin, splitToCjsPlugin, SPLIT_CHUNK, extensionOptions, eagerFiles };

if (require.main === module)
  main().catch(e => {
    console.error(e);
    process.exit(1);
  });
