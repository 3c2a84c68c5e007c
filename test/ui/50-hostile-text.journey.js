// Issue 10, hostile text stays text: a new High-severity incident arrives whose name is a Markdown
// command link (`[Open in portal](command:workbench.action.terminal.new "https://security...")`) and
// another whose name carries an unclosed right-to-left override. The automatic refresh notifies the
// first: the toast must show the incident's number and contain no link (VS Code renders
// `[label](command:...)` in notifications as a link that runs the command). Both rows in the queue
// show the names as text, without the override character that would reverse the rest of the row.
// Screenshot: hostile-notification.png.
'use strict';

const PHISHING = 'Phishing [Open in portal](command:workbench.action.terminal.new "https://security.microsoft.com")';
const RLO = 'Invoice \u202Egnp.exe paid';

async function post(endpoint, route, body) {
  const r = await fetch(`${endpoint.url}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${endpoint.key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (r.status !== 201) throw new Error(`POST ${route} answered ${r.status}: ${await r.text()}`);
  return r.json();
}

module.exports = async function hostileText(ctx) {
  const { page, helpers: h, log } = ctx;
  await h.openQueue({ width: 620 });

  const endpoint = await ctx.mockReady();
  const phishing = await post(endpoint, '/__mock/incidents', { severity: 'High', name: PHISHING });
  const rlo = await post(endpoint, '/__mock/incidents', { severity: 'Medium', name: RLO });
  log(`arrived: #${phishing.incidentId} (High, command-link name), #${rlo.incidentId} (Medium, U+202E name)`);

  // The automatic refresh (every 30 s here) notices it and notifies: by number, with no link in it.
  const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: `#${phishing.incidentId}` }).first();
  await toast.waitFor({ state: 'visible', timeout: 90000 }).catch(() => {
    throw new Error(`no notification for the new High-severity incident #${phishing.incidentId} within 90 s`);
  });
  const message = toast.locator('.notification-list-item-message');
  const text = ((await message.textContent()) || '').replace(/\s+/g, ' ').trim();
  const links = await message
    .locator('a')
    .evaluateAll(as => as.map(a => `${a.textContent} -> ${a.getAttribute('href') || a.getAttribute('data-href') || a.title}`));
  log(`notification: "${text}"`);
  if (links.length) throw new Error(`the notification contains ${links.length} link(s): ${links.join(', ')}`);
  if (/command:/i.test(await message.innerHTML())) throw new Error("the notification's markup mentions a command: URI");
  if (text.includes('Open in portal')) throw new Error(`the notification repeats the attacker's link text: "${text}"`);
  await h.screenshot('hostile-notification');

  // The queue shows both names as text. The override is gone from the row, so the row's own parts
  // (#id · status · owner · age) keep their order.
  await h.runCommand('Defender Incidents: Refresh Incidents');
  for (const [id, name] of [
    [phishing.incidentId, 'Phishing [Open in portal]'],
    [rlo.incidentId, 'gnp.exe paid'],
  ]) {
    const row = h.incidentRow(id).first();
    await row.waitFor({ timeout: 30000 }).catch(() => {
      throw new Error(`#${id} is not in the queue`);
    });
    const label = (await row.locator('.label-name').textContent()) || '';
    if (!label.includes(name)) throw new Error(`row #${id} should show "${name}" as text; its label is "${label}"`);
    if (/[\u202A-\u202E\u2066-\u2069]/.test(label.replace(/^\u2068|\u2069$/g, '').replace(/\u2068([^\u2066-\u2069]*)\u2069/g, '$1'))) {
      throw new Error(`row #${id}'s label keeps a direction control that is not a closed isolate: ${JSON.stringify(label)}`);
    }
    // (The row's inline action buttons are anchors of VS Code's own; the label and description are not.)
    if (await row.locator('.label-name a, .label-description a').count()) throw new Error(`row #${id}'s text contains a link`);
    const description = ((await row.locator('.label-description').textContent()) || '').replace(/[\u2066-\u2069]/g, '');
    if (!description.startsWith(`#${id} · `)) throw new Error(`row #${id}'s description should start with its id: "${description}"`);
  }
  log('both rows show their names as text; the override is neutralised');
};

// About 30 s of it is waiting for the automatic refresh (30 s is the shortest interval): `overlap` runs
// it alongside the other journeys, on its own code-server and profile.
module.exports.options = {
  freshProfile: true,
  overlap: true,
  settings: { 'defenderIncidents.refreshInterval': 30 },
  viewport: { width: 1600, height: 900 },
};
