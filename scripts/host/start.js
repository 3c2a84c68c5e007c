#!/usr/bin/env node
// `npm start [-- --port N]`: Defender Incidents in a real VS Code in your browser, with no account
// (mock backend). Builds and packages the extension, installs the VSIX into a persistent
// code-server profile under .vscode-test/start/ (so your settings and the mock data survive
// restarts), provisions code-server on first use (~2 minutes) and serves it on 127.0.0.1 until
// Ctrl+C. Needs no browser automation, so Chromium is not required.
'use strict';
const fs = require('fs');
const path = require('path');
const lib = require('./lib');

function requestedPort() {
  const i = process.argv.findIndex(a => a === '--port' || a.startsWith('--port='));
  const raw = i < 0 ? process.env.PORT : process.argv[i].includes('=') ? process.argv[i].split('=')[1] : process.argv[i + 1];
  if (raw === undefined || raw === '') return 8080;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port: ${raw}`);
  return port;
}

const SAMPLE_README = `# Defender Incidents sample workspace

Open **Defender Incidents** (the shield) in the activity bar. The extension starts on its built-in
mock backend, a local server with realistic sample incidents, so no tenant or account is needed.
"Defender Incidents: Reset Mock Data" restores the sample data; "Defender Incidents: Switch Backend..."
connects to Microsoft Defender XDR or Microsoft Graph.

Shared saved filters live in this folder's \`.vscode/settings.json\` (\`defenderIncidents.savedFilters\`).
`;

async function main() {
  let port = requestedPort();
  const step = msg => console.log(`[start] ${msg}`);

  step('building (node esbuild.js)');
  lib.build();
  step('packaging the VSIX');
  const vsix = lib.packageVsix();
  lib.provision();

  const dir = lib.mkdirp(path.join(lib.SCRATCH, 'start'));
  const profile = { userDataDir: path.join(dir, 'user-data'), extensionsDir: path.join(dir, 'extensions') };
  step(`installing ${lib.rel(vsix)} into ${lib.rel(profile.extensionsDir)}`);
  lib.installVsix(profile, vsix);
  const workspace = lib.mkdirp(path.join(dir, 'workspace'));
  const readme = path.join(workspace, 'README.md');
  if (!fs.existsSync(readme)) fs.writeFileSync(readme, SAMPLE_README);

  if (!(await lib.portIsFree(port))) {
    const busy = port;
    port = await lib.freePort();
    step(`port ${busy} is busy; using ${port} instead`);
  }
  const server = await lib.startCodeServer({
    ...profile,
    port,
    workspace,
    logFile: path.join(dir, 'code-server.log'),
    settings: { 'defenderIncidents.backend': 'mock' },
  });

  let stopping = false;
  const shutdown = async signal => {
    if (stopping) return;
    stopping = true;
    step(`${signal}: stopping code-server`);
    await server.stop();
    step('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => shutdown('Ctrl+C'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGHUP', () => shutdown('SIGHUP'));
  server.exited.then(({ code, signal }) => {
    if (stopping) return;
    console.error(`[start] code-server exited unexpectedly (${signal || `code ${code}`}); log ${lib.rel(server.logFile)}:\n${lib.tail(server.logFile)}`);
    process.exit(1);
  });

  console.log(`Defender Incidents is running in VS Code at ${server.workspaceUrl}`);
  console.log(`[start] press Ctrl+C to stop (log: ${lib.rel(server.logFile)})`);
}

main().catch(err => {
  console.error(`[start] ${err.message}`);
  process.exit(1);
});
