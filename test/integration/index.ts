// Entry point loaded by VS Code's extension host as `extensionTestsPath`, both by the code-server
// launcher (scripts/host/run-integration.js) and by @vscode/test-electron (test/electron/runTest.ts).
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Prefix of the one machine-readable line the launchers parse for the counts. */
export const RESULT_PREFIX = 'DEFENDER_INCIDENTS_INTEGRATION_RESULT ';
/** Printed just before mocha starts, so a launcher can tell mocha's output from the host's. */
export const START_MARKER = 'DEFENDER_INCIDENTS_INTEGRATION_START';

function findTests(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findTests(full));
    else if (entry.name.endsWith('.test.js')) found.push(full);
  }
  return found.sort();
}

export function run(): Promise<void> {
  const grep = process.env.INTEGRATION_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 30000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of findTests(__dirname)) mocha.addFile(file);
  return new Promise((resolve, reject) => {
    try {
      console.log(START_MARKER);
      const runner = mocha.run(failures => {
        const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
        const result = { passed: stats.passes, failed: stats.failures, pending: stats.pending };
        // The extension host's console is what reaches the launcher (as browser console messages
        // under code-server, as stdout under Electron); a results file is more robust when offered.
        console.log(RESULT_PREFIX + JSON.stringify(result));
        const file = process.env.DEFENDER_INCIDENTS_TEST_RESULTS;
        if (file) fs.writeFileSync(file, JSON.stringify(result));
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed.`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
