// `npm run bench`, the extension-host part: starts code-server (a real VS Code with a Node extension
// host, through scripts/host/lib.js) once, then opens `runs` fresh workbench windows (a fresh browser
// context each, so a fresh extension host each) whose smoke-test-driver payload runs the bench entry
// (test/bench/index.ts, bundled to .vscode-test/bench/host-entry.js) with the project as the
// development extension. Each window reports one result line; the browser side records when VS Code
// creates each webview's frames and when the pane's script is fetched, to separate VS Code's own part.
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const lib = require('../host/lib');

const PREFIX = 'DEFENDER_INCIDENTS_BENCH ';

async function bundleEntry(outDir) {
  const esbuild = require('esbuild');
  const outfile = path.join(outDir, 'host-entry.js');
  await esbuild.build({
    absWorkingDir: lib.ROOT,
    entryPoints: ['test/bench/index.ts'],
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node18',
    outfile,
    external: ['vscode'],
    logLevel: 'warning',
  });
  return outfile;
}

async function textOf(msg) {
  try {
    const args = await Promise.all(msg.args().map(a => a.jsonValue()));
    const m = typeof args[0] === 'string' && /^%c\s*(\w+)/.exec(args[0]);
    return m ? util.format(...args.slice(2)) : util.format(...args);
  } catch {
    return msg.text();
  }
}

/**
 * Runs the bench entry in `runs` fresh windows. Returns { runs: [result...], errors: [...] } where each
 * result is what test/bench/index.ts measured plus `browser` (frame and script-fetch times, Date.now()).
 */
async function benchHost({ runs = 5, timeoutMs = 120000, log = () => {}, panes = true } = {}) {
  lib.provision();
  const dir = lib.freshDir(path.join(lib.SCRATCH, 'bench'));
  const entry = await bundleEntry(dir);
  const resultsFile = path.join(dir, 'results.jsonl');
  const browserPromise = lib.launchChromium();
  browserPromise.catch(() => {});
  const server = await lib.startCodeServer({
    userDataDir: path.join(dir, 'user-data'),
    extensionsDir: path.join(dir, 'extensions'),
    workspace: lib.mkdirp(path.join(dir, 'workspace')),
    smokeTestDriver: true,
    logFile: path.join(dir, 'code-server.log'),
    // DEFENDER_INCIDENTS_TEST=1: activate() hands its parts only to a test run (issue 16 item 4).
    env: { DEFENDER_INCIDENTS_TEST: '1', DEFENDER_INCIDENTS_BENCH_RESULTS: resultsFile, ...(panes ? {} : { DEFENDER_INCIDENTS_BENCH_NO_PANES: '1' }) },
  });
  const results = [];
  const errors = [];
  let chromium;
  try {
    chromium = await browserPromise;
    const remote = p => `vscode-remote://127.0.0.1:${server.port}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(lib.ROOT)],
      ['extensionTestsPath', remote(entry)],
    ];
    const url = `${server.workspaceUrl}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    for (let i = 0; i < runs; i++) {
      const { context, page } = await chromium.newPage();
      const browser = { frames: [], scripts: [] };
      let parsed;
      try {
        let resolveExit;
        const exited = new Promise(r => (resolveExit = r));
        await page.exposeFunction('codeAutomationExit', code => resolveExit({ code }));
        page.on('console', msg => {
          if (process.env.VERBOSE) void textOf(msg).then(t => console.log(`[console ${msg.type()}] ${t.slice(0, 300)}`));
          if (!msg.text().includes('DEFENDER_INCIDENTS_BENCH')) return;
          void textOf(msg).then(t => {
            const at = t.indexOf(PREFIX);
            if (at >= 0) {
              try {
                parsed = JSON.parse(t.slice(at + PREFIX.length));
              } catch {
                /* the file has it */
              }
            }
          });
        });
        // Webview frames: VS Code's outer frame (index.html) and the inner one with the pane's HTML.
        page.on('frameattached', f => browser.frames.push({ event: 'attached', t: Date.now(), url: f.url() }));
        page.on('framenavigated', f => {
          if (f !== page.mainFrame()) browser.frames.push({ event: 'navigated', t: Date.now(), url: f.url() });
        });
        context.on('request', r => {
          if (/webview\.js(\?|$)/.test(r.url())) browser.scripts.push({ t: Date.now(), url: r.url() });
        });
        const before = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean).length : 0;
        const t0 = Date.now();
        await page.goto(url, { timeout: 120000 });
        const timer = setTimeout(() => resolveExit({ timeout: true }), timeoutMs);
        const outcome = await Promise.race([exited, server.exited.then(() => ({ serverExited: true }))]);
        clearTimeout(timer);
        const lines = fs.existsSync(resultsFile) ? fs.readFileSync(resultsFile, 'utf8').split('\n').filter(Boolean) : [];
        if (lines.length > before) parsed = JSON.parse(lines[lines.length - 1]);
        if (!parsed) throw new Error(`run ${i + 1}: no result (${JSON.stringify(outcome)}); log ${lib.rel(server.logFile)}`);
        if (parsed.error) throw new Error(`run ${i + 1}: ${parsed.error.split('\n')[0]}`);
        parsed.browser = browser;
        parsed.pageLoadToExitMs = Date.now() - t0;
        results.push(parsed);
        log(
          `host run ${i + 1}/${runs}: activate() ${parsed.activationMs.toFixed(1)} ms, view populated ${parsed.commandToPopulatedMs.toFixed(0)} ms${parsed.firstPane ? `, pane ${parsed.firstPane.interactiveMs.toFixed(0)} ms` : ''}`,
        );
        if (outcome.serverExited) break;
      } catch (e) {
        errors.push(e.message);
        if (process.env.VERBOSE) console.log(JSON.stringify(browser, null, 1));
        log(`host run ${i + 1}/${runs} failed: ${e.message}`);
      } finally {
        await context.close().catch(() => {});
      }
    }
  } finally {
    await chromium?.close();
    await server.stop();
  }
  return { runs: results, errors, logFile: lib.rel(server.logFile) };
}

module.exports = { benchHost };
