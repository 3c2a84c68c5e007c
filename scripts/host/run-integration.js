#!/usr/bin/env node
// `npm run test:integration`: runs the mocha suite (out/test/integration/index.js) inside the real
// Node extension host of code-server, with the project root as extensionDevelopmentPath. code-server
// rejects the --extensionDevelopmentPath/--extensionTestsPath CLI flags, so the smoke-test driver and
// the workbench's ?payload= URL parameter take their place; Chromium only hosts the workbench.
'use strict';
const fs = require('fs');
const path = require('path');
const util = require('util');
const lib = require('./lib');

const TIMEOUT_MS = Number(process.env.INTEGRATION_TIMEOUT_MS || 10 * 60 * 1000);
// Overridable only to debug the harness itself against another extension.
const EXT_PATH = path.resolve(process.env.EXTENSION_DEV_PATH || lib.ROOT);
const TESTS_INDEX = path.resolve(process.env.EXTENSION_TESTS_PATH || path.join(lib.ROOT, 'out/test/integration/index.js'));
const RESULT_PREFIX = 'DEFENDER_INCIDENTS_INTEGRATION_RESULT ';
const START_MARKER = 'DEFENDER_INCIDENTS_INTEGRATION_START';
// Workbench errors that are expected offline and say nothing about the extension under test.
// The workbench's own INFO lines that can interleave with mocha's (component tags like
// "[AccountPolicyGate] ..." and connection chatter).
const WORKBENCH_INFO = /^\[[\w:. -]+\] |^(Creating a socket|Resolving connection token|Resolved connection token|Updating additional builtin)/;
const NOISE =
  /integration test\(s\) failed|open-vsx\.org|ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|authentication provider 'github'|marketplace|telemetry/i;
async function main() {
  const t0 = Date.now();
  if (!fs.existsSync(TESTS_INDEX)) throw new Error(`${lib.rel(TESTS_INDEX)} is missing: run \`npm run compile-tests\` first`);
  if (!process.env.EXTENSION_DEV_PATH && !fs.existsSync(path.join(lib.ROOT, 'dist/extension.js'))) {
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  }
  lib.provision();

  const dir = lib.freshDir(path.join(lib.SCRATCH, 'integration'));
  const workspace = lib.mkdirp(path.join(dir, 'workspace'));
  const resultsFile = path.join(dir, 'results.json');
  // Chromium starts while code-server does: on two cores that saves a few seconds per run.
  const browserPromise = lib.launchChromium();
  browserPromise.catch(() => {});
  const server = await lib.startCodeServer({
    userDataDir: path.join(dir, 'user-data'),
    extensionsDir: path.join(dir, 'extensions'),
    workspace,
    smokeTestDriver: true,
    logFile: path.join(dir, 'code-server.log'),
    // Read by test/integration/index.ts (results file) and available to the extension under test.
    env: { DEFENDER_INCIDENTS_TEST: '1', DEFENDER_INCIDENTS_TEST_RESULTS: resultsFile },
  });
  let chromium;
  let outcome;
  let parsed;
  try {
    chromium = await browserPromise;
    const { page } = await chromium.newPage();
    let resolveExit;
    const exited = new Promise(r => (resolveExit = r));
    await page.exposeFunction('codeAutomationExit', code => resolveExit({ code }));
    // Mocha's lines reach the page as workbench INFO log calls, like the workbench's own chatter;
    // index.ts brackets the run with a start marker and the result line, so only what lies between
    // is relayed, plus errors (an activation failure matters even before the suite starts).
    let inSuite = false;
    // Formatting needs a round trip per message; a chain keeps mocha's lines in order, and is
    // awaited before the browser closes so the last lines (the summary) are not lost.
    let relay = Promise.resolve();
    const handle = async msg => {
      const { level, text } = await formatConsole(msg);
      if (process.env.VERBOSE) {
        console.log(`[${level}] ${text}`);
      }
      if (text.startsWith(START_MARKER)) {
        inSuite = true;
        return;
      }
      if (text.startsWith(RESULT_PREFIX)) {
        inSuite = false;
        try {
          parsed = JSON.parse(text.slice(RESULT_PREFIX.length));
        } catch {
          /* the file still has it */
        }
        return;
      }
      if (process.env.VERBOSE) return;
      if (inSuite && (level === 'INFO' || level === 'WARN') && !WORKBENCH_INFO.test(text)) console.log(text);
      else if (level === 'ERR' && !NOISE.test(text)) console.log(`[workbench error] ${text.split('\n').slice(0, 6).join('\n')}`);
    };
    page.on('console', msg => {
      relay = relay.then(() => handle(msg)).catch(() => {});
    });
    page.on('pageerror', e => {
      if (process.env.VERBOSE) console.log('[page error]', e.message);
    });

    const authority = `127.0.0.1:${server.port}`;
    const remote = p => `vscode-remote://${authority}${p}`;
    const payload = [
      ['extensionDevelopmentPath', remote(EXT_PATH)],
      ['extensionTestsPath', remote(TESTS_INDEX)],
    ];
    await page.goto(`${server.workspaceUrl}&payload=${encodeURIComponent(JSON.stringify(payload))}`, { timeout: 120000 });
    const timer = setTimeout(() => resolveExit({ timeout: true }), TIMEOUT_MS);
    const serverGone = server.exited.then(() => ({ serverExited: true }));
    outcome = await Promise.race([exited, serverGone]);
    clearTimeout(timer);
    await Promise.race([relay, lib.sleep(5000)]);
  } finally {
    await chromium?.close();
    await server.stop();
  }

  try {
    parsed = JSON.parse(fs.readFileSync(resultsFile, 'utf8'));
  } catch {
    /* fall back to the console line */
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (outcome.timeout) {
    console.log(`integration: timed out after ${TIMEOUT_MS / 60000} min without the test runner finishing (log: ${lib.rel(server.logFile)})`);
  } else if (outcome.serverExited) {
    console.log(`integration: code-server exited during the run; log ${lib.rel(server.logFile)}:\n${lib.tail(server.logFile)}`);
  } else if (!parsed) {
    console.log(
      `integration: the test runner exited with code ${outcome.code} before reporting results (did the extension fail to load? log: ${lib.rel(server.logFile)})`,
    );
  }
  const passed = parsed ? parsed.passed : 0;
  const failed = parsed ? parsed.failed : 0;
  const ok = outcome.code === 0 && parsed && failed === 0;
  console.log(`integration: finished in ${secs}s (code-server log: ${lib.rel(server.logFile)})`);
  console.log(`integration: ${passed} passed, ${failed} failed`);
  return ok ? 0 : 1;
}

/**
 * Workbench log calls arrive as ('%c LEVEL', css, format, ...args); extension-host console calls are
 * printf-style too. Returns the level (INFO, WARN, ERR, TRACE, DEBUG; BROWSER for the page's own
 * messages) and the text formatted like Node would.
 */
async function formatConsole(msg) {
  try {
    const args = await Promise.all(msg.args().map(a => a.jsonValue()));
    const m = typeof args[0] === 'string' && /^%c\s*(\w+)/.exec(args[0]);
    if (m) return { level: m[1], text: util.format(...args.slice(2)) };
    return { level: 'BROWSER', text: util.format(...args) };
  } catch {
    return { level: 'BROWSER', text: msg.text() };
  }
}

main().then(
  code => process.exit(code),
  err => {
    console.error(`integration: ${err.message}`);
    console.log('integration: 0 passed, 0 failed');
    process.exit(1);
  },
);
