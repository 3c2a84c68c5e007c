// `npm run test:electron`: the integration suite (out/test/integration) through @vscode/test-electron,
// i.e. in a downloaded desktop VS Code. Machines that cannot reach Microsoft's update server skip it
// with one line and exit 0: scripts/host/run-integration.js runs the same suite in code-server there.
// Once VS Code is available, any failure (tests, launch) exits non-zero.
import * as fs from 'fs';
import * as https from 'https';
import * as path from 'path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const ROOT = path.resolve(__dirname, '../../..');
const UPDATE_URL = 'https://update.code.visualstudio.com/api/releases/stable';
const PROBE_TIMEOUT_MS = 5000;

/** Resolves to undefined when the update server answers, else to the reason it could not be reached. */
function probe(): Promise<string | undefined> {
  return new Promise(resolve => {
    // An overall deadline, not a socket idle timeout: a firewall that drops packets must not hang CI.
    const timer = setTimeout(() => {
      req.destroy();
      resolve(`no answer from ${new URL(UPDATE_URL).host} within ${PROBE_TIMEOUT_MS / 1000}s`);
    }, PROBE_TIMEOUT_MS);
    const req = https.get(UPDATE_URL, res => {
      clearTimeout(timer);
      res.resume();
      resolve(undefined);
    });
    req.on('error', err => {
      clearTimeout(timer);
      resolve(err.message);
    });
  });
}

function skip(reason: string): never {
  console.log(`test-electron: skipped — VS Code could not be downloaded (${reason}); the code-server launcher runs the same suite`);
  process.exit(0);
}

async function main(): Promise<number> {
  const unreachable = await probe();
  if (unreachable) skip(unreachable);

  let vscodeExecutablePath: string;
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version: 'stable', timeout: 30000 });
  } catch (err) {
    skip(err instanceof Error ? err.message.split('\n')[0] : String(err));
  }

  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log('test-electron: no display; run it under `xvfb-run -a npm run test:electron`');
    return 1;
  }

  const scratch = path.join(ROOT, '.vscode-test', 'electron');
  fs.rmSync(scratch, { recursive: true, force: true });
  const workspace = path.join(scratch, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  const exitCode = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(ROOT, 'out', 'test', 'integration', 'index.js'),
    launchArgs: [
      workspace,
      '--user-data-dir',
      path.join(scratch, 'user-data'),
      '--extensions-dir',
      path.join(scratch, 'extensions'),
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
    ],
    extensionTestsEnv: { DEFENDER_INCIDENTS_TEST: '1' },
  });
  console.log(`test-electron: ${exitCode === 0 ? 'passed' : `failed (exit code ${exitCode})`}`);
  return exitCode === 0 ? 0 : 1;
}

main().then(
  code => process.exit(code),
  err => {
    // runTests rejects when VS Code exits non-zero, which is what a failing suite does.
    console.error(`test-electron: failed — ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
