#!/usr/bin/env node
// Fails when a dependency brings an install script that allowScripts does not cover (allowed or denied),
// so a new one is reviewed before it runs (npm 12 skips unreviewed ones, which would leave esbuild
// without its binary). Checks the root project; `--dir DIR` checks another (the code-server host).
// Run by `npm run lint` and .ci/run; `npm ci --strict-allow-scripts` in CI fails on the same thing.
'use strict';
const { execFileSync } = require('child_process');
const path = require('path');

const i = process.argv.indexOf('--dir');
const dir = path.resolve(i > 0 ? process.argv[i + 1] : path.join(__dirname, '..'));
let out;
try {
  out = execFileSync('npm', ['install-scripts', 'ls', '--json'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
} catch (e) {
  process.stderr.write(
    `check-install-scripts: "npm install-scripts ls" failed in ${dir} (npm 11.10 or later is needed): ${String(e.stderr || e.message).trim()}\n`,
  );
  process.exit(2);
}
const pending = (JSON.parse(out).allowScripts || []).filter(p => (p.changes || []).some(c => c.change === 'pending'));
if (pending.length) {
  process.stderr.write(
    `check-install-scripts: ${pending.length} dependenc${pending.length === 1 ? 'y has' : 'ies have'} an install script that allowScripts in ${path.join(dir, 'package.json')} does not cover:\n`,
  );
  for (const p of pending) process.stderr.write(`  ${p.changes.map(c => c.key).join(', ')}\n`);
  process.stderr.write('Review each script, then "npm install-scripts approve <name>" (needed to work) or "npm install-scripts deny <name>".\n');
  process.exit(1);
}
process.stdout.write(`check-install-scripts: every install script in ${dir} is reviewed.\n`);
