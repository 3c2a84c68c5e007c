/**
 * Incident text is attacker-controlled (alert titles, entity names, comments and tags can all be set by
 * whoever triggers the alert). Every payload goes into every text field the pane shows; nothing may run,
 * no element may appear, and the text must show exactly as sent.
 */
import * as assert from 'assert';
import type { Browser } from 'playwright-core';
import type { PaneState } from '../../src/shared/protocol';
import { PaneHarness, PaneServer, launch } from './harness';
import { alert, paneState } from './data';

const MB = 1024 * 1024;
/** webview/dom.ts DISPLAY_LIMIT (that module needs the DOM lib, so it is not imported here). */
const DISPLAY_LIMIT = 32_000;
const bigUnit = '<img src=x onerror=alert(1)>\u202E[x](command:workbench.action.terminal.new)<script>alert(2)</script>';

export const HOSTILE: Record<string, string> = {
  script: '<script>alert(1)</script>',
  img: '<img src=x onerror=alert(1)>',
  javascriptLink: 'javascript:alert(document.domain)',
  commandLink: 'command:workbench.action.terminal.new',
  markdownLink: '[x](command:workbench.action.terminal.new)',
  svgBreakout: '"><svg onload=alert(1)>',
  attrBreakout: "' autofocus onfocus=alert(1) x='",
  bidiZeroWidth: 'invoice\u202Efdp.exe \u2066isolated\u2069 z\u200Be\u200Cr\u200Do\u2060w\uFEFFidth',
  entitiesAndTemplates: '&lt;b&gt;&amp;&#60;script&#62; ${alert(1)} {{constructor.constructor("alert(1)")()}}',
  scriptClose: '</script><script>alert(1)</script><!--\u2028\u2029',
  controlChars: 'nul\u0000bell\u0007 tab\t newline\n end',
  oneMegabyte: bigUnit.repeat(Math.ceil(MB / bigUnit.length)).slice(0, MB),
};

interface Expected {
  /** Exact textContent of some element with class "v" (a backend value). */
  values: string[];
  /** Exact textContent of some ".k" label (fields, detail keys). */
  keys: string[];
}

/** A state with `p` (plus a field marker, so each field's text is distinct) in every text field. */
function hostileState(p: string, withDrafts: boolean): { state: PaneState; expected: Expected } {
  const f = (field: string) => `${p} ⟦${field}⟧`;
  const values: string[] = [];
  const keys: string[] = [];
  const v = (field: string) => { const s = f(field); values.push(s); return s; };
  const k = (field: string) => { const s = f(field); keys.push(s); return s; };
  const state = paneState({
    me: f('me'),
    knownOwners: [f('knownOwner')],
    capabilities: { backendName: f('backendName'), canRename: false, canUpdateAlerts: true },
    drafts: withDrafts ? { comment: f('draftComment'), name: f('draftName'), assignTo: f('draftAssign'), tags: f('draftTags') } : {},
    timeline: [
      { key: 'c1', kind: 'comment', time: v('commentTime'), author: v('commentAuthor'), text: v('commentText'), state: 'confirmed' },
      { key: 'c2', kind: 'comment', time: new Date().toISOString(), author: v('failedAuthor'), text: v('failedText'), state: 'failed', error: v('failedError') },
      { key: 'j1', kind: 'change', time: new Date().toISOString(), author: v('changeAuthor'), text: 'x', field: k('changeField'), from: v('changeFrom'), to: v('changeTo'), state: 'confirmed' },
    ],
  }, {
    id: f('id'),
    name: v('name'),
    description: v('description'),
    severity: v('severity'),
    status: v('status'),
    assignedTo: v('owner'),
    classification: v('classification'),
    determination: v('determination'),
    createdTime: v('createdTime'),
    lastUpdateTime: v('lastUpdateTime'),
    tags: [v('tag1'), v('tag2')],
    systemTags: [v('systemTag')],
    detectionSource: v('detectionSource'),
    resolvingComment: v('resolvingComment'),
    comments: [{ text: f('rawComment'), createdBy: f('rawCommentBy'), createdTime: f('rawCommentTime') }],
    alerts: [alert({
      id: f('alertId'),
      title: v('alertTitle'),
      description: v('alertDescription'),
      severity: v('alertSeverity'),
      status: v('alertStatus'),
      category: v('alertCategory'),
      serviceSource: v('alertServiceSource'),
      detectionSource: v('alertDetectionSource'),
      firstActivity: v('alertFirstActivity'),
      lastActivity: v('alertLastActivity'),
      mitreTechniques: [v('mitre')],
      devices: [{ id: v('deviceId'), dnsName: v('deviceName'), osPlatform: f('os'), osBuild: null, healthStatus: v('health'), riskScore: v('risk'), firstSeen: f('firstSeen') }],
      entities: [
        { type: 'User', label: v('userName'), details: { [k('userDetailKey')]: v('userDetailValue') } },
        { type: 'MailBox', label: v('mailbox'), details: {} },
        { type: 'Ip', label: v('ip'), details: {} },
        { type: 'File', label: v('file'), details: { sha256: v('fileHash') } },
        { type: 'Url', label: v('url'), details: {} },
        { type: v('entityType'), label: v('otherEntity'), details: {} },
      ],
    })],
  });
  values.push(f('os')); // the OS detail is shown as "os" alone when there is no build
  return { state, expected: { values, keys } };
}

describe('hostile strings in every field', function () {
  let browser: Browser;
  const server = new PaneServer();

  before(async () => {
    await server.start();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await server.stop();
  });

  for (const [name, payload] of Object.entries(HOSTILE)) {
    it(`${name}: nothing runs, nothing is injected, text is shown exactly`, async function () {
      // Laying out ~45 megabytes of text takes Chromium most of a minute; the point is safety, not speed.
      const huge = payload.length >= MB;
      if (huge) this.timeout(300_000);
      const { state, expected } = hostileState(payload, !huge);
      const p = await PaneHarness.open(browser, server, state, { timeoutMs: huge ? 240_000 : 30_000 });
      p.timeoutMs = huge ? 240_000 : 5000;
      try {
        const page = p.page;
        // Also through the message path (the small payloads; the huge one would only double the time).
        if (!huge) await p.deliver({ type: 'state', state });
        await p.deliver({ type: 'progress', message: `${payload} ⟦progress⟧` });
        await page.click('#assign-me');
        const req = await p.waitForRequest('assignToMe');
        await p.deliver({ type: 'response', id: req.id, ok: false, error: {
          kind: 'conflict', message: `${payload} ⟦conflictMessage⟧`,
          changes: [{ field: `${payload} ⟦conflictField⟧`, from: `${payload} ⟦conflictFrom⟧`, to: `${payload} ⟦conflictTo⟧` }],
        } });
        expected.values.push(`${payload} ⟦conflictTo⟧`);
        expected.keys.push(`${payload} ⟦conflictField⟧`);

        if (!huge) {
          const texts = new Set(await page.evaluate('Array.from(document.querySelectorAll(".v"), e => e.textContent)') as string[]);
          const missing = expected.values.filter(s => !texts.has(s)).map(s => s.slice(s.lastIndexOf('⟦')));
          assert.deepStrictEqual(missing, [], 'values not shown exactly as sent');
          const keyTexts = new Set(await page.evaluate('Array.from(document.querySelectorAll(".k"), e => e.textContent)') as string[]);
          assert.deepStrictEqual(expected.keys.filter(s => !keyTexts.has(s)).map(s => s.slice(s.lastIndexOf('⟦'))), [], 'keys not shown exactly');
          assert.strictEqual(await page.locator('.show-all').count(), 0);

          assert.strictEqual(await p.text('#incident-name'), `${payload} ⟦name⟧`);
          assert.strictEqual(await p.text('#incident-id'), `#${payload} ⟦id⟧`);
          assert.strictEqual(await p.text('#progress'), `${payload} ⟦progress⟧`);
          assert.strictEqual(await p.text('#rename-reason'), `The ${payload} ⟦backendName⟧ cannot rename incidents.`);
          assert.strictEqual(await page.inputValue('#comment'), `${payload} ⟦draftComment⟧`);
          // Single-line inputs drop line breaks by the HTML spec's value sanitization; nothing else changes.
          const oneLine = (s: string) => s.replace(/[\r\n]/g, '');
          assert.strictEqual(await page.inputValue('#assign-to'), oneLine(`${payload} ⟦draftAssign⟧`));
          assert.strictEqual(await page.inputValue('#tag-input'), oneLine(`${payload} ⟦draftTags⟧`));
          // document.title reads back with ASCII whitespace collapsed, per the HTML spec.
          const collapsed = `#${payload} ⟦id⟧ ${payload} ⟦name⟧`.slice(0, 200).replace(/[\t\n\f\r ]+/g, ' ').trim();
          assert.strictEqual(await page.evaluate('document.title'), collapsed);
        } else {
          // Every value and key is cut to the same prefix, and says how long it really is.
          const cut = await page.evaluate('Array.from(document.querySelectorAll(".v[data-elided], .k[data-elided]"), e => [e.textContent, Number(e.dataset.elided)])') as [string, number][];
          assert.ok(cut.length >= expected.values.length + expected.keys.length, `${cut.length} cut values`);
          const prefix = payload.slice(0, DISPLAY_LIMIT);
          assert.ok(cut.every(([t, n]) => t === prefix && n > MB), 'cut text is an exact prefix');
          // "Show all" gives back exactly what was sent.
          for (const [sel, field] of [['#incident-name', 'name'], ['#owner', 'owner'], ['.entry[data-key="c1"] .entry-text', 'commentText'],
            ['.alert-title', 'alertTitle'], ['[aria-labelledby="assets-users"] .asset-label', 'userName'], ['#progress', 'progress']] as const) {
            const scope = page.locator(sel).first();
            const isValue = await scope.evaluate(e => (e as unknown as { classList: { contains(c: string): boolean } }).classList.contains('v'));
            const value = isValue ? scope : scope.locator('.v').first();
            await value.locator('xpath=following-sibling::button[1]').click();
            assert.strictEqual(await value.textContent(), `${payload} ⟦${field}⟧`, field);
          }
        }
        assert.strictEqual(await page.locator('#known-owners option').first().getAttribute('value'), `${payload} ⟦knownOwner⟧`);
        assert.strictEqual(await page.locator('.chip-remove').first().getAttribute('aria-label'), `Remove tag ${payload} ⟦tag1⟧`);

        // Nothing ran and nothing became markup.
        assert.deepStrictEqual(await p.alerts(), []);
        const injected = await page.evaluate(`({
          scripts: document.querySelectorAll('script').length,
          active: document.querySelectorAll('img, svg, a, iframe, object, embed, form, frame, base, meta[http-equiv="refresh"], link:not([rel="stylesheet"])').length,
          handlers: Array.from(document.querySelectorAll('*')).flatMap(e => Array.from(e.attributes).filter(a => /^on/i.test(a.name)).map(a => e.tagName + ' ' + a.name)),
          autofocus: document.querySelectorAll('[autofocus]').length,
          titles: document.querySelectorAll('title').length,
        })`);
        assert.deepStrictEqual(injected, { scripts: 2, active: 0, handlers: [], autofocus: 0, titles: 1 });
        assert.deepStrictEqual(await p.cspViolations(), []);
        assert.deepStrictEqual(p.consoleErrors, []);

        // What the pane posts back (drafts, requests) still passes the extension's validator.
        await page.click('#conflict-take');
        await p.waitForRequest('refresh');
        await p.posted();
      } finally {
        await p.close();
      }
    });
  }
});
