/** The pane's Evidence section in Chromium: grouping and counts, one row per entity, copy, hunt requests. */
import * as assert from 'assert';
import type { PaneState } from '../../src/shared/protocol';
import { parseDefenderEntities, parseGraphEvidence } from '../../src/model/evidence';
import { PaneHarness, useChromium } from './harness';
import { alert, paneState } from './data';
import { evidenceIncident } from './render-bench';

/** webview/sections/evidence.ts GROUP_ROWS and MORE_ROWS (that module needs the DOM lib, so it is not imported here). */
const GROUP_ROWS = 10;
const MORE_ROWS = 50;

const T = (t: string) => `#microsoft.graph.security.${t}`;
const SHA = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

/** Three alerts naming overlapping evidence, as the Graph mapping reads it. */
export function evidenceState(): PaneState {
  const a1 = parseGraphEvidence(
    [
      {
        '@odata.type': T('deviceEvidence'),
        deviceDnsName: 'fin-ws-042.contoso.local',
        mdeDeviceId: 'ab'.repeat(20),
        roles: ['compromised'],
        verdict: 'suspicious',
        remediationStatus: 'none',
      },
      { '@odata.type': T('userEvidence'), userAccount: { userPrincipalName: 'megan.bowen@contoso.com', accountName: 'meganb' }, roles: ['compromised'] },
      {
        '@odata.type': T('processEvidence'),
        processCommandLine: 'powershell.exe -enc SQBFAFgA',
        processId: 7788,
        imageFile: { fileName: 'powershell.exe', sha256: SHA },
      },
      { '@odata.type': T('ipEvidence'), ipAddress: '203.0.113.45', roles: ['attacker'], verdict: 'suspicious', remediationStatus: 'none' },
    ],
    'da637',
  ).items;
  const a2 = parseGraphEvidence(
    [
      { '@odata.type': T('ipEvidence'), ipAddress: '203.0.113.45', roles: ['commandAndControl'], verdict: 'malicious', remediationStatus: 'blocked' },
      { '@odata.type': T('fileEvidence'), fileDetails: { fileName: 'invoice_0423.pdf.exe', sha256: SHA, filePath: 'C:\\Users\\meganb\\Downloads' } },
      { '@odata.type': T('urlEvidence'), url: 'http://malicious.example/payload' },
      { '@odata.type': T('kubernetesPodEvidence'), name: 'web-7f9' },
      { '@odata.type': T('dnsEvidence'), domainName: 'c2.malicious.example' },
    ],
    'da638',
  ).items;
  const a3 = parseGraphEvidence(
    [
      { '@odata.type': T('mailboxEvidence'), primaryAddress: 'megan.bowen@contoso.com', displayName: 'Megan Bowen' },
      { '@odata.type': T('analyzedMessageEvidence'), subject: 'Invoice 0423', networkMessageId: 'nm-1', recipientEmailAddress: 'megan.bowen@contoso.com' },
      { '@odata.type': T('ipEvidence'), ipAddress: '203.0.113.45' },
    ],
    'da639',
  ).items;
  const s = paneState();
  const [x, y, z] = s.incident.alerts;
  s.incident.alerts = [
    { ...x, evidence: a1 },
    { ...y, evidence: a2 },
    { ...z, evidence: a3, evidenceProblems: ['Graph API answer: alerts[2] (alert da639): evidence[3] is a string, expected an object'] },
  ];
  return s;
}

describe('evidence section in Chromium', function () {
  const { server, browser } = useChromium();
  let pane: PaneHarness | undefined;
  afterEach(async function () {
    if (pane) {
      const csp = await pane.cspViolations();
      const errors = pane.consoleErrors.filter(e => !/Content.Security.Policy/i.test(e));
      await pane.posted();
      await pane.close();
      pane = undefined;
      assert.deepStrictEqual(csp, [], 'CSP violations');
      assert.deepStrictEqual(errors, [], 'console errors');
    }
  });
  const open = async (state: PaneState = evidenceState()) => (pane = await PaneHarness.open(browser(), server, state));

  it('groups one row per entity by kind, with counts that add up to the total', async () => {
    const p = await open();
    const page = p.page;
    const headings = await page.locator('#evidence .evidence-group h3').allTextContents();
    assert.deepStrictEqual(headings, [
      'Devices (1)',
      'Users (1)',
      'IP addresses (1)',
      'Files (1)',
      'Processes (1)',
      'Mailboxes (1)',
      'Email messages (1)',
      'URLs (1)',
      'Cloud resources (1)',
      'Other (1)',
    ]);
    const total = Number(await p.text('#evidence-count'));
    assert.strictEqual(total, 10);
    assert.strictEqual(
      headings.reduce((n, h) => n + Number(/\((\d+)\)$/.exec(h)![1]), 0),
      total,
    );
    assert.strictEqual(await page.locator('#evidence .evidence-row').count(), total);
    assert.match((await p.text('#evidence-total'))!, /^10 entities in 10 groups: Devices 1, Users 1, /);
    // The IP named by all three alerts is one row with every role, verdict, status and alert.
    const ip = page.locator('.evidence-row[data-kind="ip"]');
    assert.strictEqual(await ip.locator('.evidence-label').textContent(), '203.0.113.45');
    assert.strictEqual(
      await ip.locator('.evidence-facts').textContent(),
      'Roles: attacker, commandAndControl · Verdict: suspicious / malicious · Remediation: none / blocked',
    );
    assert.strictEqual(await ip.locator('.evidence-roles').textContent(), 'attacker, commandAndControl');
    assert.strictEqual(
      await ip.locator('.evidence-alerts').textContent(),
      'Named by 3 alerts: Suspicious PowerShell command line; Ransomware-linked emerging threat activity group detected; Phishing email delivered to mailbox',
    );
    // An unknown type is shown by its @odata.type; a cloud resource by its type.
    assert.strictEqual(await page.locator('.evidence-row[data-kind="other"] .evidence-type').textContent(), T('dnsEvidence'));
    assert.strictEqual(await page.locator('.evidence-row[data-kind="other"] .evidence-label').textContent(), 'c2.malicious.example');
    assert.strictEqual(await page.locator('.evidence-row[data-kind="cloud"] .evidence-type').textContent(), 'kubernetesPodEvidence');
    // What could not be read is said, not dropped silently.
    assert.match((await p.text('#evidence-problems'))!, /1 evidence item could not be read.*evidence\[3\] is a string/s);
    assert.strictEqual(await page.locator('#evidence-gaps').count(), 0);
  });

  it('copies any value through the capped copy request', async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    await page.locator('.evidence-row[data-kind="process"] .evidence-head button').click();
    assert.deepStrictEqual((await p.waitForRequest('copyText')).action, { kind: 'copyText', text: 'powershell.exe -enc SQBFAFgA' });
    await p.clearPosted();
    const fields = page.locator('.evidence-row[data-kind="file"] .evidence-fields');
    await fields.locator('summary').click();
    const row = fields.locator('.detail', { hasText: 'fileDetails.filePath' });
    assert.strictEqual(await row.locator('dd .v').textContent(), 'C:\\Users\\meganb\\Downloads');
    await row.locator('button').click();
    assert.deepStrictEqual((await p.waitForRequest('copyText')).action, { kind: 'copyText', text: 'C:\\Users\\meganb\\Downloads' });
  });

  it('offers "Hunt for this" on identifying values and "Hunt from this incident"', async () => {
    const p = await open();
    const page = p.page;
    const hunts = await page.locator('#evidence button.hunt').evaluateAll(bs => bs.map(b => b.getAttribute('aria-label')));
    // Device (name and id), user, IP, file hash (file and process image, one value each), mailbox (twice: mailbox, recipient), URL.
    assert.deepStrictEqual(hunts, [
      'Hunt for this device',
      'Hunt for this device',
      'Hunt for this user',
      'Hunt for this IP address',
      'Hunt for this file hash',
      'Hunt for this file hash',
      'Hunt for this mailbox',
      'Hunt for this mailbox',
      'Hunt for this URL',
    ]);
    assert.strictEqual(await page.locator('.evidence-row[data-kind="cloud"] button.hunt').count(), 0);
    await p.clearPosted();
    await page.locator('.evidence-row[data-kind="device"] button.hunt').nth(1).click();
    assert.deepStrictEqual((await p.waitForRequest('huntFor')).action, { kind: 'huntFor', target: { kind: 'device', value: 'ab'.repeat(20) } });
    await p.clearPosted();
    await page.locator('.evidence-row[data-kind="file"] button.hunt').click();
    const req = await p.waitForRequest('huntFor');
    assert.deepStrictEqual(req.action, { kind: 'huntFor', target: { kind: 'fileHash', value: SHA } });
    assert.strictEqual(req.incidentId, '3921');
    // The host's refusal (hunting not installed, or not this incident's value) is shown as it came.
    await p.deliver({
      type: 'response',
      id: req.id,
      ok: false,
      error: { kind: 'error', message: 'Hunting is not available in this window: the command defenderIncidents.huntFor is not registered. Nothing was run.' },
    });
    assert.match((await p.text('#status-area'))!, /Hunting is not available/);
    await p.clearPosted();
    await page.click('#hunt-incident');
    assert.deepStrictEqual((await p.waitForRequest('huntFromIncident')).action, { kind: 'huntFromIncident' });
  });

  it('on the Defender API: what it gives, and which fields it does not carry', async () => {
    const s = paneState({
      capabilities: { backendName: 'Microsoft Defender XDR API', backendKind: 'defender', canRename: false, canChangeSeverity: false, canUpdateAlerts: true },
    });
    const d = parseDefenderEntities(
      [
        { entityType: 'User', userPrincipalName: 'megan.bowen@contoso.com', verdict: 'Suspicious' },
        { entityType: 'Ip', ipAddress: '203.0.113.45' },
      ],
      [{ mdatpDeviceId: 'cd'.repeat(20), deviceDnsName: 'fin-ws-042.contoso.local' }],
      'da637',
    ).items;
    s.incident.alerts = [alert({ evidence: d })];
    const p = await open(s);
    assert.match(
      (await p.text('#evidence-gaps'))!,
      /^The Defender API does not carry roles .*detailed roles; evidence tags; verdict and remediation status of devices/,
    );
    assert.strictEqual(await p.text('.evidence-row[data-kind="user"] .evidence-facts'), 'Roles: not given by this API · Verdict: suspicious · Remediation: —');
    assert.deepStrictEqual(await p.page.locator('#evidence .evidence-group h3').allTextContents(), ['Devices (1)', 'Users (1)', 'IP addresses (1)']);
  });

  it('alerts without evidence: says so, and a later state with evidence renders it', async () => {
    const empty = paneState();
    empty.incident.alerts = empty.incident.alerts.map(a => ({ ...a, evidence: [] }));
    const p = await open(empty);
    assert.strictEqual(await p.text('#evidence-count'), '0');
    assert.match((await p.text('#evidence'))!, /No evidence reported for these alerts\./);
    await p.deliver({ type: 'state', state: evidenceState() });
    await p.page.waitForFunction('document.querySelectorAll("#evidence .evidence-row").length === 10');
  });

  it('500 entities: ten rows a group at first, "Show more" adds the rest in steps; the counts still add up', async () => {
    const p = await open(evidenceIncident('5001', 500));
    const page = p.page;
    assert.strictEqual(await p.text('#evidence-count'), '500');
    const headings = await page.locator('#evidence .evidence-group h3').allTextContents();
    assert.strictEqual(
      headings.reduce((n, h) => n + Number(/\((\d+)\)$/.exec(h)![1]), 0),
      500,
    );
    assert.strictEqual(await page.locator('#evidence .evidence-row').count(), headings.length * GROUP_ROWS);
    const devices = page.locator('.evidence-group[data-kind="device"]');
    const more = devices.locator('button.show-more');
    assert.strictEqual(await more.textContent(), `Show ${MORE_ROWS} more (${GROUP_ROWS} of 63 shown)`);
    await more.click();
    assert.strictEqual(await devices.locator('.evidence-row').count(), GROUP_ROWS + MORE_ROWS);
    assert.strictEqual(await more.textContent(), `Show 3 more (${GROUP_ROWS + MORE_ROWS} of 63 shown)`);
    await more.click();
    assert.strictEqual(await devices.locator('.evidence-row').count(), 63);
    assert.strictEqual(await devices.locator('button.show-more').count(), 0);
    // Focus went to the first row it added, not to the page.
    assert.strictEqual(
      await page.evaluate(
        'document.activeElement?.closest(".evidence-row") === document.querySelectorAll(\'.evidence-group[data-kind="device"] .evidence-row\')[60]',
      ),
      true,
    );
  });
});
