// Issue 5, nothing lost: against a standalone mock of the Defender XDR API with required sign-in
// (client secret), type a comment in the pane, kill the backend, press "Add comment": the comment
// shows as failed with the reason and a Retry button, and the text stays in the box. Bring the
// backend back on the same port and data file, press Retry, and check over HTTP that the incident
// has the comment exactly once. Runs on its own profile, so its settings and secret go with it.
// Screenshot: docs/screenshots/pane-comment-failed.png.
'use strict';
const { spawn } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const lib = require('../../scripts/host/lib');

const ME = 'analyst@contoso.com';
const MOCK_CLI = path.join(lib.ROOT, 'dist/mock-server.js');

function request(method, url, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, timeout: 10000 }, res => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', c => {
        data += c;
      });
      res.on('end', () => resolve({ status: res.statusCode, text: data }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url}: no answer in 10 s`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

module.exports = async function nothingLost(ctx) {
  const { page, helpers: h, log } = ctx;
  if (!fs.existsSync(MOCK_CLI)) throw new Error(`${lib.rel(MOCK_CLI)} is missing: run "node esbuild.js" first`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'di-ui-nothing-lost-'));
  ctx.cleanup(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const dataFile = path.join(tmp, 'incidents.json');
  const port = await lib.freePort();
  const base = `http://127.0.0.1:${port}`;
  const tenant = crypto.randomUUID();
  const clientId = crypto.randomUUID();
  const secret = `ui-${crypto.randomBytes(12).toString('base64url')}`;
  // The mock's key, fixed so the restarted mock keeps it; its control routes (--control) need it.
  const key = crypto.randomBytes(32).toString('base64url');
  const control = { Authorization: `Bearer ${key}` };

  // The standalone mock, as a separate process we can kill.
  let mock;
  const startMock = async () => {
    const out = fs.openSync(path.join(tmp, 'mock.log'), 'a');
    // The key and the secret go through the environment, never the command line (issue 16 item 10).
    const child = spawn(
      process.execPath,
      [MOCK_CLI, '--port', String(port), '--data', dataFile, '--quiet', '--control', '--require-auth', '--tenant', tenant, '--client-id', clientId],
      { stdio: ['ignore', out, out], env: { ...process.env, MOCK_KEY: key, MOCK_CLIENT_SECRET: secret } },
    );
    fs.closeSync(out);
    const exited = new Promise(resolve => child.once('exit', (code, signal) => resolve({ code, signal })));
    let gone = false;
    exited.then(() => {
      gone = true;
    });
    const deadline = Date.now() + 20000;
    for (;;) {
      const ok = await request('GET', `${base}/__mock/health`, { headers: control }).then(
        r => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (gone || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`the mock did not come up on ${base} (${gone ? 'it exited' : 'timed out'}):\n${lib.tail(path.join(tmp, 'mock.log'))}`);
      }
      await page.waitForTimeout(200);
    }
    mock = {
      child,
      exited,
      get running() {
        return !gone;
      },
    };
    return mock;
  };
  const killMock = async () => {
    if (!mock || !mock.running) return;
    mock.child.kill('SIGKILL');
    await mock.exited;
  };
  ctx.cleanup(killMock);
  await startMock();
  log(`standalone mock on ${base} (pid ${mock.child.pid}), data ${dataFile}`);
  await h.waitUntil(() => fs.existsSync(dataFile), `the mock did not write ${dataFile}`, { timeout: 15000 });

  // The workbench on the built-in mock first; then the user points it at the standalone one.
  await h.openQueue({ width: 520, minRows: 1 });
  // As a user would, in the settings of the machine VS Code runs on. code-server is a remote window,
  // and the backend settings are machine-scoped (a repository's workspace settings cannot point them
  // at a listener of its choosing), so they go in "Open Remote Settings (JSON)": that file is
  // <user-data>/Machine/settings.json. (code-server does not notice a settings file written behind
  // its back, so writing the file is not enough.)
  const settings = {
    'defenderIncidents.backend': 'defender',
    'defenderIncidents.apiBaseUrl': base,
    'defenderIncidents.authorityHost': base,
    'defenderIncidents.tenantId': tenant,
    'defenderIncidents.clientId': clientId,
    'defenderIncidents.authMethod': 'clientSecret',
    'defenderIncidents.userPrincipalName': ME,
  };
  const machineFile = path.join(ctx.userDataDir, 'Machine', 'settings.json');
  const readMachine = () => {
    try {
      return JSON.parse(fs.readFileSync(machineFile, 'utf8'));
    } catch {
      return {};
    }
  };
  await h.runCommand('Preferences: Open Remote Settings (JSON)');
  const editor = page
    .locator('.monaco-editor')
    .filter({ visible: true })
    .filter({ has: page.locator('.view-lines') })
    .last();
  await editor.waitFor({ timeout: 30000 });
  await editor.locator('.view-lines').click();
  // Replace whatever the file holds with our settings, one entry a line (the editor closes brackets
  // itself, so type the entries between the braces it keeps).
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText('{');
  const settingEntries = Object.entries(settings);
  for (const [n, [k, v]] of settingEntries.entries()) {
    await page.keyboard.press('Enter');
    await page.keyboard.insertText(`${JSON.stringify(k)}: ${JSON.stringify(v)}${n < settingEntries.length - 1 ? ',' : ''}`);
  }
  await page.keyboard.press('Control+S');
  await h.waitUntil(
    () => Object.entries(settings).every(([k, v]) => readMachine()[k] === v),
    async () =>
      `Machine/settings.json was not saved with the new settings; it has ${fs.existsSync(machineFile) ? fs.readFileSync(machineFile, 'utf8') : '(no file)'}`,
    { timeout: 15000 },
  );
  // Close the (modal) settings editor: Escape, else its close button.
  await page.keyboard.press('Escape');
  if (
    !(await editor.waitFor({ state: 'hidden', timeout: 3000 }).then(
      () => true,
      () => false,
    ))
  ) {
    await page.locator('.monaco-action-bar .action-label.codicon-close').filter({ visible: true }).last().click();
    await editor.waitFor({ state: 'hidden', timeout: 10000 });
  }
  // No secret yet: the view says so and offers the fix as a row.
  await h.waitForText(page.locator('.part.sidebar .pane-body'), 'No client secret is set', {
    timeout: 30000,
    what: 'incidents view after switching to the Defender backend',
  });
  await page.locator('.part.sidebar .monaco-list-row[role=treeitem][aria-label="Set Client Secret"]').waitFor({ timeout: 10000 });
  log('settings point at the standalone mock; the view asks for the client secret and offers "Set Client Secret"');

  await h.runCommand('Defender Incidents: Set Client Secret');
  await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Client Secret' }).waitFor({ timeout: 15000 });
  const secretBox = page.locator('.quick-input-widget input.input').filter({ visible: true }).first();
  await h.waitUntil(
    async () => (await secretBox.getAttribute('type')) === 'password',
    async () => `the client secret box is not a password field (type "${await secretBox.getAttribute('type')}")`,
    { timeout: 5000 },
  );
  await secretBox.fill(secret);
  await page.keyboard.press('Enter');
  // Incident rows (not the state rows) carry "#<id> · <status>" in their description.
  await page
    .locator('.part.sidebar .monaco-list-row[role=treeitem]', { hasText: /#\d+ · / })
    .first()
    .waitFor({ timeout: 30000 });
  // Entering the secret costs one list call (of Defender's 50 a minute), not one per listener.
  await page.waitForTimeout(2000);
  const requests = JSON.parse((await request('GET', `${base}/__mock/requests`, { headers: control })).text);
  const lists = (requests.value || []).filter(r => r.method === 'GET' && /^\/api\/incidents(\?|$)/.test(r.path));
  if (lists.length !== 1)
    throw new Error(
      `entering the client secret should start exactly one list call; the standalone mock saw ${lists.length}: ${lists.map(r => `${r.path} ${r.status}`).join(', ')}`,
    );
  log('signed in with the client secret; tree loaded from the standalone mock with 1 list call');

  // Open an incident and type a comment.
  const row = h
    .treeRow()
    .filter({ has: page.locator('.label-description', { hasText: ' · Active · ' }) })
    .first();
  const incident = await h.rowInfo(row);
  await row.click();
  const pane = h.paneFrame();
  await h.waitForText(pane.locator('#incident-id'), `#${incident.id}`, { timeout: 30000, what: 'pane incident id' });
  const text = `Nothing lost: isolated the device, collecting the investigation package (${crypto.randomBytes(4).toString('hex')}).`;
  await pane.locator('#comment').click();
  await pane.locator('#comment').pressSequentially(text, { delay: 5 });
  log(`opened #${incident.id}, typed the comment`);

  // The backend dies; Add comment fails visibly and keeps the text.
  await killMock();
  log('killed the mock');
  await pane.locator('#add-comment').click();
  const entries = pane.locator('#timeline li.entry.kind-comment').filter({ hasText: text });
  await entries.first().waitFor({ state: 'attached', timeout: 5000 });
  const failed = entries.and(pane.locator('.state-failed'));
  await failed
    .first()
    .waitFor({ state: 'attached', timeout: 60000 })
    .catch(async () => {
      throw new Error(`the comment did not fail while the backend was down; it is "${await entries.first().getAttribute('class')}"`);
    });
  const reason = await h.waitForText(failed.first().locator('.entry-error'), /^Failed: .+/, { what: 'failure reason' });
  if (!/reach|refused|ECONNREFUSED|network/i.test(reason)) throw new Error(`the failure reason does not say the backend was unreachable: "${reason}"`);
  await h.waitForText(failed.first().locator('.entry-state'), 'Not sent', { what: 'failed entry state' });
  const retry = failed.first().locator('vscode-button', { hasText: 'Retry' });
  await retry.waitFor({ state: 'visible', timeout: 5000 });
  const kept = await pane.locator('#comment').inputValue();
  if (kept !== text) throw new Error(`the comment box should keep the text after the failure; it has "${kept}"`);
  await h.waitForText(pane.locator('#status-area'), /reach|refused|network/i, { what: 'pane error notice' });
  log(`failed as expected: ${reason}`);
  await failed.first().evaluate(el => {
    el.scrollIntoView({ block: 'center' });
  });
  await h.screenshot('pane-comment-failed');

  // The backend comes back on the same port and data; Retry sends it once.
  await startMock();
  log(`mock restarted (pid ${mock.child.pid})`);
  await retry.click();
  const confirmed = entries.and(pane.locator('.state-confirmed'));
  await h.waitUntil(
    async () => (await confirmed.count()) >= 1 && !(await pane.locator('#timeline li.entry.state-failed, #timeline li.entry.state-pending').count()),
    async () =>
      `after Retry the comment did not get confirmed; timeline: ${(await pane.locator('#timeline li.entry').allTextContents()).map(t => t.replace(/\s+/g, ' ').trim()).join(' | ')}`,
    { timeout: 30000 },
  );
  if ((await entries.count()) !== 1) throw new Error(`the pane shows the comment ${await entries.count()} times`);
  log('Retry confirmed the comment in the pane');

  // Over HTTP, with a token of our own: the comment is on the incident exactly once.
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
    scope: 'https://api.security.microsoft.com/.default',
  }).toString();
  const tok = await request('POST', `${base}/${tenant}/oauth2/v2.0/token`, { body: form, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  if (tok.status !== 200) throw new Error(`token endpoint answered ${tok.status}: ${tok.text.slice(0, 200)}`);
  const token = JSON.parse(tok.text).access_token;
  const got = await request('GET', `${base}/api/incidents/${encodeURIComponent(incident.id)}`, { headers: { Authorization: `Bearer ${token}` } });
  if (got.status !== 200) throw new Error(`GET /api/incidents/${incident.id} answered ${got.status}: ${got.text.slice(0, 200)}`);
  const comments = JSON.parse(got.text).comments || [];
  const ours = comments.filter(c => c.comment === text);
  if (ours.length !== 1) throw new Error(`incident #${incident.id} has the comment ${ours.length} times on the server (of ${comments.length} comments)`);
  log(`server has the comment exactly once (by ${ours[0].createdBy} at ${ours[0].createdTime})`);
};

module.exports.options = { freshProfile: true, viewport: { width: 1920, height: 1080 } };
