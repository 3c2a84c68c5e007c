#!/usr/bin/env node
// `npm run test:ui [-- name ...]`: UI journeys against the packaged extension. Packages the VSIX,
// installs it into a fresh code-server profile started WITHOUT the smoke-test driver (which would
// hide notification toasts), then runs test/ui/*.journey.js in name order, UI_LANES at a time (default 2),
// each in a fresh browser context. Screenshots go to test-results/screenshots/ (or $SCREENSHOTS_DIR: `npm run screenshots`
// writes docs/screenshots/, shown in the README); a failing journey
// leaves test-results/fail-<journey>.png. Arguments select journeys whose name contains them.
//
// A journey module may also export `options` (module.exports.options = {...}):
//   freshProfile: true   run it on its own code-server with a fresh user-data-dir (same installed
//                        VSIX): own mock data, secrets, global state and settings; stopped afterwards
//   settings: {...}      extra User/settings.json entries for that fresh profile
//   viewport: {w, h}     the browser page size (default 1400x900), as { width, height }
//   overlap: true        (with freshProfile) the journey mostly waits, e.g. for the 30 s automatic
//                        refresh: it starts first and runs alongside the others instead of after them
//                        (its own server, profile and browser context, so nothing is shared but CPU)
// UI_SCRATCH_DIR (default .vscode-test/ui) moves the scratch profile, e.g. for a second run at once.
'use strict';
const fs = require('fs');
const path = require('path');
const lib = require('./lib');
const ui = require('../../test/ui/lib');

const JOURNEY_DIR = path.join(lib.ROOT, 'test/ui');
// Screenshots go to an ignored folder, so `npm test` leaves a checkout clean; `npm run screenshots`
// sets SCREENSHOTS_DIR=docs/screenshots to refresh the README's pictures on purpose.
const SHOTS = path.resolve(lib.ROOT, process.env.SCREENSHOTS_DIR || 'test-results/screenshots');
const FAILS = path.join(lib.ROOT, 'test-results');
const TEST_ENV = { DEFENDER_INCIDENTS_TEST: '1' };
const JOURNEY_TIMEOUT_MS = Number(process.env.JOURNEY_TIMEOUT_MS || 5 * 60 * 1000);
// How many journeys run at once (default 2). Each waits part of its time (for its workbench, timers, key
// spacing); two at once keep both cores of the CI machine busy (the journeys took 240 s one by one, 165 s two at once).
const LANES = Number(process.env.UI_LANES || 2);
if (!Number.isInteger(LANES) || LANES < 1) throw new Error(`UI_LANES must be a whole number from 1 up, not "${process.env.UI_LANES}"`);
// Expected offline, and not the extension's doing.
const NOISE = /status of 404|open-vsx\.org|ENOTFOUND|ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED|authentication provider 'github'|marketplace|telemetry/i;

async function main() {
  const t0 = Date.now();
  const filters = process.argv.slice(2);
  const journeys = fs
    .readdirSync(JOURNEY_DIR)
    .filter(f => f.endsWith('.journey.js'))
    .sort()
    .map(f => ({ name: f.replace(/\.journey\.js$/, ''), file: path.join(JOURNEY_DIR, f) }))
    .filter(j => !filters.length || filters.some(f => j.name.includes(f)));
  if (!journeys.length) throw new Error(`no journeys in ${lib.rel(JOURNEY_DIR)}${filters.length ? ` matching ${filters.join(', ')}` : ''}`);

  lib.provision();
  const scratch = process.env.UI_SCRATCH_DIR ? path.resolve(process.env.UI_SCRATCH_DIR) : path.join(lib.SCRATCH, 'ui');
  // Overridable only to debug the harness itself against another extension folder.
  const extDir = process.env.EXTENSION_DEV_PATH ? path.resolve(process.env.EXTENSION_DEV_PATH) : lib.ROOT;
  const vsix = lib.packageVsix({ cwd: extDir, ...(process.env.UI_SCRATCH_DIR ? { out: `${scratch}.vsix` } : {}) });
  console.log(`ui: packaged ${lib.rel(vsix)} (${(fs.statSync(vsix).size / 1024).toFixed(0)} KiB)`);

  // A fresh profile each run: the mock backend keeps its data in the extension's global storage.
  const dir = lib.freshDir(scratch);
  const profile = { userDataDir: path.join(dir, 'user-data'), extensionsDir: path.join(dir, 'extensions') };
  lib.installVsix(profile, vsix);
  const workspace = lib.mkdirp(path.join(dir, 'workspace'));
  const browserPromise = lib.launchChromium();
  browserPromise.catch(() => {});
  // DEFENDER_INCIDENTS_TEST=1: the built-in mock serves its /__mock control routes to the journeys.
  profile.mockInfo = path.join(dir, 'mock.json');
  const server = await lib.startCodeServer({
    ...profile,
    workspace,
    logFile: path.join(dir, 'code-server.log'),
    env: { ...TEST_ENV, DEFENDER_INCIDENTS_MOCK_INFO: profile.mockInfo },
  });
  lib.mkdirp(SHOTS);

  let passed = 0;
  let failed = 0;
  let chromium;
  const tally = ok => (ok ? passed++ : failed++);
  try {
    chromium = await browserPromise;
    const shared = { server, profile, workspace, dir };
    // Journeys that mostly wait run alongside the rest (see `overlap` above).
    const overlapping = journeys.filter(j => overlaps(j.file));
    const background = overlapping.map(j => runJourney(chromium, shared, j));
    // The rest in name order, UI_LANES at a time (each on its own code-server and browser context).
    const queue = journeys.filter(j => !overlapping.includes(j));
    const lane = async () => {
      for (let j = queue.shift(); j; j = queue.shift()) tally(await runJourney(chromium, shared, j));
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    for (const ok of await Promise.all(background)) tally(ok);
  } finally {
    await chromium?.close();
    await server.stop();
  }
  console.log(`ui: finished in ${((Date.now() - t0) / 1000).toFixed(1)}s (code-server log: ${lib.rel(server.logFile)})`);
  console.log(`ui: ${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

/** Whether a journey file asks to run alongside the others (`options.overlap` on a fresh profile). */
function overlaps(file) {
  try {
    const options = require(file).options || {};
    return Boolean(options.overlap && options.freshProfile);
  } catch {
    return false; // runJourney reports the load error
  }
}

/** Merges `patch` into a profile's User/settings.json (keys set to undefined are removed). */
function writeUserSettings(userDataDir, patch) {
  const file = path.join(lib.mkdirp(path.join(userDataDir, 'User')), 'settings.json');
  let current = {};
  try {
    current = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    /* none yet */
  }
  const next = { ...current, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete next[k];
  fs.writeFileSync(file, JSON.stringify(next, null, 2) + '\n');
  return file;
}

function readUserSettings(userDataDir) {
  try {
    return JSON.parse(fs.readFileSync(path.join(userDataDir, 'User', 'settings.json'), 'utf8'));
  } catch {
    return {};
  }
}

async function runJourney(chromium, shared, { name, file }) {
  const started = Date.now();
  const secs = () => ((Date.now() - started) / 1000).toFixed(1);
  const log = (...a) => console.log(`  [${name} ${secs()}s]`, ...a);
  const cleanups = [];
  let timer;
  let context;
  let page;
  const errors = [];
  try {
    delete require.cache[require.resolve(file)];
    const journey = require(file);
    if (typeof journey !== 'function') throw new Error(`${lib.rel(file)} must export an async function (ctx)`);
    const options = journey.options || {};
    let { server, profile, workspace } = shared;
    if (options.freshProfile) {
      // Own code-server and user-data-dir; the extensions dir (the installed VSIX) is shared.
      const own = lib.freshDir(path.join(shared.dir, 'profiles', name));
      profile = { userDataDir: path.join(own, 'user-data'), extensionsDir: shared.profile.extensionsDir };
      workspace = lib.mkdirp(path.join(own, 'workspace'));
      server = await lib.startCodeServer({
        ...profile,
        workspace,
        settings: options.settings || {},
        logFile: path.join(own, 'code-server.log'),
        env: { ...TEST_ENV, DEFENDER_INCIDENTS_MOCK_INFO: path.join(own, 'mock.json') },
      });
      profile.mockInfo = path.join(own, 'mock.json');
      cleanups.push(() => server.stop());
      log(`own profile: code-server on ${server.url} (log ${lib.rel(server.logFile)})`);
    }
    ({ context, page } = await chromium.newPage(options.viewport ? { viewport: options.viewport } : {}));
    page.on('pageerror', e => errors.push(`page error: ${e.message}`));
    page.on('console', m => {
      if (m.type() === 'error' && !NOISE.test(m.text())) errors.push(m.text().split('\n')[0].slice(0, 300));
    });
    const helpers = ui.bind(page, { url: server.workspaceUrl, shots: SHOTS });
    const ctx = {
      page,
      url: server.workspaceUrl,
      shots: SHOTS,
      log,
      runCommand: helpers.runCommand,
      helpers,
      userDataDir: profile.userDataDir,
      workspace,
      serverUrl: server.url,
      /** The extension's built-in mock ({url, key}; control routes on), once the extension started it. */
      mockEndpoint: () => JSON.parse(fs.readFileSync(profile.mockInfo, 'utf8')),
      /** The built-in mock's endpoint once the extension has written it (waits up to 30 s). */
      mockReady: async () => {
        const read = () => {
          try {
            return ctx.mockEndpoint();
          } catch {
            return undefined;
          }
        };
        await helpers.waitUntil(() => Boolean(read()?.key), 'the extension did not write its mock endpoint (DEFENDER_INCIDENTS_MOCK_INFO)', {
          timeout: 30000,
        });
        return ctx.mockEndpoint();
      },
      writeUserSettings: patch => writeUserSettings(profile.userDataDir, patch),
      readUserSettings: () => readUserSettings(profile.userDataDir),
      /** Runs `fn` after the journey, passed or failed (newest first): kill what you started here. */
      cleanup: fn => {
        cleanups.push(fn);
      },
    };
    await Promise.race([
      journey(ctx),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${JOURNEY_TIMEOUT_MS / 1000}s`)), JOURNEY_TIMEOUT_MS);
      }),
    ]);
    console.log(`ui: ✓ ${name} (${secs()}s)`);
    return true;
  } catch (err) {
    lib.mkdirp(FAILS);
    const shot = path.join(FAILS, `fail-${name}.png`);
    if (page) await page.screenshot({ path: shot }).catch(() => {});
    console.log(`ui: ✗ ${name} (${secs()}s): ${(err && err.stack) || err}`);
    if (errors.length) console.log(`  workbench errors (last ${Math.min(errors.length, 10)}):\n    ${errors.slice(-10).join('\n    ')}`);
    console.log(`  screenshot: ${lib.rel(shot)}`);
    return false;
  } finally {
    clearTimeout(timer);
    await context?.close().catch(() => {});
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (e) {
        console.log(`  [${name}] cleanup failed: ${e && e.message}`);
      }
    }
  }
}

main().then(
  code => process.exit(code),
  err => {
    console.error(`ui: ${err.message}`);
    console.log('ui: 0 passed, 1 failed');
    process.exit(1);
  },
);
