#!/usr/bin/env node
// `npm run test:ui [-- name ...]`: UI journeys against the packaged extension. Packages the VSIX,
// installs it into a fresh code-server profile started WITHOUT the smoke-test driver (which would
// hide notification toasts), then runs test/ui/*.journey.js in name order, each in a fresh browser
// context. Screenshots go to docs/screenshots/ (committed, shown in the README); a failing journey
// leaves test-results/fail-<journey>.png. Arguments select journeys whose name contains them.
'use strict';
const fs = require('fs');
const path = require('path');
const lib = require('./lib');
const ui = require('../../test/ui/lib');

const JOURNEY_DIR = path.join(lib.ROOT, 'test/ui');
const SHOTS = path.join(lib.ROOT, 'docs/screenshots');
const FAILS = path.join(lib.ROOT, 'test-results');
const JOURNEY_TIMEOUT_MS = Number(process.env.JOURNEY_TIMEOUT_MS || 5 * 60 * 1000);
// Expected offline, and not the extension's doing.
const NOISE = /status of 404|open-vsx\.org|ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|authentication provider 'github'|marketplace|telemetry/i;

async function main() {
  const t0 = Date.now();
  const filters = process.argv.slice(2);
  const journeys = fs.readdirSync(JOURNEY_DIR).filter(f => f.endsWith('.journey.js')).sort()
    .map(f => ({ name: f.replace(/\.journey\.js$/, ''), file: path.join(JOURNEY_DIR, f) }))
    .filter(j => !filters.length || filters.some(f => j.name.includes(f)));
  if (!journeys.length) throw new Error(`no journeys in ${lib.rel(JOURNEY_DIR)}${filters.length ? ` matching ${filters.join(', ')}` : ''}`);

  lib.provision();
  // Overridable only to debug the harness itself against another extension folder.
  const extDir = process.env.EXTENSION_DEV_PATH ? path.resolve(process.env.EXTENSION_DEV_PATH) : lib.ROOT;
  const vsix = lib.packageVsix({ cwd: extDir });
  console.log(`ui: packaged ${lib.rel(vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);

  // A fresh profile each run: the mock backend keeps its data in the extension's global storage.
  const dir = lib.freshDir(path.join(lib.SCRATCH, 'ui'));
  const profile = { userDataDir: path.join(dir, 'user-data'), extensionsDir: path.join(dir, 'extensions') };
  lib.installVsix(profile, vsix);
  const workspace = lib.mkdirp(path.join(dir, 'workspace'));
  const browserPromise = lib.launchChromium();
  browserPromise.catch(() => {});
  const server = await lib.startCodeServer({ ...profile, workspace, logFile: path.join(dir, 'code-server.log') });
  lib.mkdirp(SHOTS);

  let passed = 0;
  let failed = 0;
  let chromium;
  try {
    chromium = await browserPromise;
    for (const journey of journeys) {
      if (await runJourney(chromium, server, journey)) passed++;
      else failed++;
    }
  } finally {
    await chromium?.close();
    await server.stop();
  }
  console.log(`ui: finished in ${((Date.now() - t0) / 1000).toFixed(1)}s (code-server log: ${lib.rel(server.logFile)})`);
  console.log(`ui: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

async function runJourney(chromium, server, { name, file }) {
  const started = Date.now();
  const secs = () => ((Date.now() - started) / 1000).toFixed(1);
  const log = (...a) => console.log(`  [${name} ${secs()}s]`, ...a);
  const { context, page } = await chromium.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(`page error: ${e.message}`));
  page.on('console', m => { if (m.type() === 'error' && !NOISE.test(m.text())) errors.push(m.text().split('\n')[0].slice(0, 300)); });
  const helpers = ui.bind(page, { url: server.workspaceUrl, shots: SHOTS });
  const ctx = { page, url: server.workspaceUrl, shots: SHOTS, log, runCommand: helpers.runCommand, helpers };
  let timer;
  try {
    delete require.cache[require.resolve(file)];
    const journey = require(file);
    if (typeof journey !== 'function') throw new Error(`${lib.rel(file)} must export an async function (ctx)`);
    await Promise.race([
      journey(ctx),
      new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${JOURNEY_TIMEOUT_MS / 1000}s`)), JOURNEY_TIMEOUT_MS); }),
    ]);
    console.log(`ui: ✓ ${name} (${secs()}s)`);
    return true;
  } catch (err) {
    lib.mkdirp(FAILS);
    const shot = path.join(FAILS, `fail-${name}.png`);
    await page.screenshot({ path: shot }).catch(() => {});
    console.log(`ui: ✗ ${name} (${secs()}s): ${(err && err.stack) || err}`);
    if (errors.length) console.log(`  workbench errors (last ${Math.min(errors.length, 10)}):\n    ${errors.slice(-10).join('\n    ')}`);
    console.log(`  screenshot: ${lib.rel(shot)}`);
    return false;
  } finally {
    clearTimeout(timer);
    await context.close().catch(() => {});
  }
}

main().then(code => process.exit(code), err => {
  console.error(`ui: ${err.message}`);
  console.log('ui: 0 passed, 1 failed');
  process.exit(1);
});
