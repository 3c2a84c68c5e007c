// Issue 12, keyboard-only triage: from the queue, with the keyboard alone, triage three incidents:
// next incident needing attention (Alt+J), open its pane (Enter: focus lands on "Assign to me"),
// assign to me and start (Alt+Shift+T, Enter: the first choice of "Triage..."), classify, determine,
// comment and resolve in one step (Alt+Shift+T, the classification's initials "tp" / "fp" / "iea",
// Enter, the comment, Enter); after the resolve the tree's focus is already on the next incident
// needing attention. Every key press is counted (a chord such as Alt+Shift+T is one press; the
// comment's text is typed with insertText and counted as 0), the total is logged as
// "keyboard triage: N keys for 3 incidents (comment text aside)" and compared with the README's
// count, and each incident's state is read back from the mock over HTTP.
// Screenshot: keyboard-triage.png.
'use strict';
const http = require('http');

const ME = 'analyst@contoso.com';
/** The README's "Keyboard-only triage" table says this many: keep them in step. */
const README_KEYS = 26;

const TRIAGES = [
  { typed: 'tp', label: 'Resolve: True positive, Malware', classification: 'TruePositive', determinations: ['Malware'] },
  { typed: 'fp', label: 'Resolve: False positive, Not malicious', classification: 'FalsePositive', determinations: ['NotMalicious', 'Clean'] },
  { typed: 'iea', label: 'Resolve: Informational, Security testing', classification: 'InformationalExpectedActivity', determinations: ['SecurityTesting'] },
];

function getJson(endpoint, path) {
  return new Promise((resolve, reject) => {
    const req = http.request(`${endpoint.url}${path}`, { headers: { authorization: `Bearer ${endpoint.key}` }, timeout: 10000 }, res => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', c => {
        data += c;
      });
      res.on('end', () =>
        res.statusCode === 200 ? resolve(JSON.parse(data)) : reject(new Error(`GET ${path} answered ${res.statusCode}: ${data.slice(0, 200)}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

module.exports = async function keyboardJourney(ctx) {
  const { page, helpers: h, log } = ctx;
  await h.openQueue({ width: 560 });
  const endpoint = await ctx.mockReady();

  // The first focus of the view (setup, not counted): from here on, the keyboard alone.
  await ctx.runCommand('Focus on Incidents View');
  await h.waitUntil(() => page.locator('.part.sidebar .monaco-list:focus-within').count(), 'the incidents view did not take focus');

  let keys = 0;
  const steps = [];
  /** One key or chord ("Alt+Shift+T"): one press. */
  const press = async (key, why) => {
    keys++;
    steps.push(why ? `${key} (${why})` : key);
    await page.keyboard.press(key);
  };
  /** Typed to narrow a quick pick: one press per character. */
  const typeCounted = async (text, why) => {
    for (const ch of text) await press(ch, why);
  };
  /** The comment's text: not counted (the portal needs it typed too). */
  const typeComment = text => page.keyboard.insertText(text);

  const pane = h.paneFrame();
  const focusedRow = page.locator('.part.sidebar .monaco-list-row.focused[role=treeitem]');
  const focusedIncident = async () => {
    await focusedRow.first().waitFor({ timeout: 15000 });
    return h.rowInfo(focusedRow.first());
  };
  const quickInput = page.locator('.quick-input-widget');
  const done = [];

  for (const [n, t] of TRIAGES.entries()) {
    // 1. The next incident needing attention: only the first time; after a resolve focus is already there.
    if (n === 0) await press('Alt+J', 'next needing attention');
    const row = await h.waitUntil(async () => {
      const info = await focusedIncident();
      return info.id && !done.includes(info.id) ? info : undefined;
    }, 'the tree did not move to an incident needing attention');
    if (!['Active', 'In progress'].includes(row.status) || row.owner !== 'Unassigned') {
      throw new Error(`"next needing attention" should land on an unassigned open incident, it focused #${row.id} (${row.description})`);
    }
    log(`#${row.id} "${row.name}" (${row.description})`);

    // 2. Open its pane: focus lands on "Assign to me".
    await press('Enter', 'open the pane');
    await h.waitForText(pane.locator('#incident-id'), `#${row.id}`, { timeout: 30000, what: 'pane incident id' });
    await pane
      .locator('#assign-me:focus')
      .waitFor({ timeout: 10000 })
      .catch(async () => {
        // Where the keyboard is instead, to tell a pane that never got focus from one that focused something else.
        const inPane = await pane
          .locator('body')
          .evaluate(() => `pane has focus: ${document.hasFocus()}, active: ${document.activeElement?.tagName}#${document.activeElement?.id}`)
          .catch(e => `pane unreadable: ${e.message}`);
        const inWorkbench = await page
          .evaluate(() => `workbench active: ${document.activeElement?.tagName}.${document.activeElement?.className}`)
          .catch(() => '?');
        throw new Error(`the pane opened without keyboard focus on "Assign to me" (${inPane}; ${String(inWorkbench).slice(0, 200)})`);
      });

    // 3. Assign to me and start: Triage..., its first choice.
    await press('Alt+Shift+T', 'Triage...');
    await h.quickPickRow('Assign to me and start (In progress)').waitFor({ timeout: 10000 });
    await press('Enter', 'assign to me and start');
    await h.waitForText(pane.locator('#owner'), ME, { timeout: 30000, what: 'owner after "Assign to me and start"' });
    await h.waitForText(pane.locator('#incident-status'), 'In progress', { timeout: 30000, what: 'status after "Assign to me and start"' });
    await quickInput.waitFor({ state: 'hidden', timeout: 5000 });

    // 4. Classify, determine, comment and resolve: Triage..., the classification's initials, Enter, the comment, Enter.
    await press('Alt+Shift+T', 'Triage...');
    await h.quickPickRow(t.label).waitFor({ timeout: 10000 });
    await typeCounted(t.typed, 'narrow to the classification');
    await h.waitUntil(
      async () => {
        const active = page.locator('.quick-input-widget .monaco-list-row.focused .label-name').first();
        return ((await active.textContent().catch(() => '')) || '').trim() === t.label;
      },
      async () =>
        `typing "${t.typed}" should put "${t.label}" first; the focused choice is "${await page
          .locator('.quick-input-widget .monaco-list-row.focused')
          .first()
          .textContent()
          .catch(() => '?')}"`,
    );
    await press('Enter', t.label);
    await page.locator('.quick-input-widget .quick-input-title', { hasText: t.label }).waitFor({ timeout: 10000 });
    const comment = `Keyboard triage ${n + 1}: ${t.label.replace('Resolve: ', '')} (${Date.now().toString(36)}).`;
    await typeComment(comment);
    await press('Enter', 'resolve with the comment');
    await h.waitForText(pane.locator('#incident-status'), 'Resolved', { timeout: 30000, what: 'status after resolving' });
    t.id = row.id;
    t.comment = comment;
    done.push(row.id);
    log(`#${row.id}: resolved ${t.label.replace('Resolve: ', '')} with a comment; ${keys} keys so far`);
  }

  // Focus moved on once more, to a fourth incident needing attention, ready for the next keystroke.
  const after = await h.waitUntil(async () => {
    const info = await focusedIncident();
    return info.id && !done.includes(info.id) ? info : undefined;
  }, 'after the third resolve the tree should focus the next incident needing attention');
  log(`focus is on #${after.id} (${after.description}), ready for the next one`);
  await h.screenshot('keyboard-triage');

  // The backend's state of each incident.
  for (const t of TRIAGES) {
    const i = await getJson(endpoint, `/api/incidents/${encodeURIComponent(t.id)}`);
    const problems = [];
    if (i.status !== 'Resolved') problems.push(`status ${i.status}`);
    if ((i.assignedTo || '').toLowerCase() !== ME) problems.push(`assignedTo ${i.assignedTo}`);
    if (i.classification !== t.classification) problems.push(`classification ${i.classification}`);
    if (!t.determinations.includes(i.determination)) problems.push(`determination ${i.determination}`);
    if (!(i.comments || []).some(c => c.comment === t.comment)) problems.push('the resolving comment is missing');
    if (problems.length) throw new Error(`#${t.id} on the server: ${problems.join(', ')}`);
  }
  log(`server: ${TRIAGES.map(t => `#${t.id} Resolved, ${ME}, ${t.classification}`).join('; ')}`);
  log(`keys: ${steps.join(', ')}`);
  log(`keyboard triage: ${keys} keys for 3 incidents (comment text aside)`);
  if (keys !== README_KEYS) throw new Error(`the journey pressed ${keys} keys; the README's table says ${README_KEYS}: update one of them`);
};

module.exports.options = { freshProfile: true };
