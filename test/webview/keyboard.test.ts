/**
 * Keyboard-only triage in the pane (issue 12): where focus lands when the pane opens or switches, the tab
 * order, what Enter and Escape do, the focus ring in every theme, and the names screen readers read.
 */
import * as assert from 'assert';
import type { PaneState } from '../../src/shared/protocol';
import { PaneHarness, usePane } from './harness';
import { paneState } from './data';
import { applyTheme, THEMES } from './themes';

interface DomWindow {
  document: {
    activeElement: { id: string; tagName: string } | null;
    querySelectorAll(sel: string): ArrayLike<DomEl>;
    getElementById(id: string): DomEl | null;
  };
  getComputedStyle(el: unknown): { outlineStyle: string; outlineWidth: string; outlineColor: string };
}
interface DomEl {
  id: string;
  tagName: string;
  textContent: string | null;
  hidden: boolean;
  getAttribute(n: string): string | null;
  closest(s: string): unknown;
}
declare const window: DomWindow;

const ME = 'analyst@contoso.com';

describe('pane keyboard', function () {
  const { open: openPane } = usePane();
  const open = async (state: PaneState = paneState({}, { assignedTo: null }), viewport?: { width: number; height: number }) => openPane(state, { viewport });
  const focused = (p: PaneHarness) => p.page.evaluate(() => window.document.activeElement?.id ?? '');
  const waitFocus = async (p: PaneHarness, id: string) => {
    const deadline = Date.now() + 3000;
    while ((await focused(p)) !== id) {
      if (Date.now() > deadline) assert.fail(`focus should be on #${id}, it is on "${await focused(p)}"`);
      await p.page.waitForTimeout(30);
    }
  };

  it('opening puts focus on the first useful control: Assign to me, else the status, else Reopen', async () => {
    const p = await open();
    await waitFocus(p, 'assign-me');
    await p.close();
    const mine = await open(paneState({}, { assignedTo: ME, status: 'Active' }));
    await waitFocus(mine, 'status');
    await mine.close();
    const closed = await open(paneState({}, { assignedTo: ME, status: 'Resolved' }));
    await waitFocus(closed, 'reopen');
  });

  it('a preview switch to another incident puts focus on its first useful control again', async () => {
    const p = await open(paneState({}, { assignedTo: ME }));
    await waitFocus(p, 'status');
    await p.page.locator('#comment').focus();
    await p.deliver({ type: 'state', state: paneState({}, { id: '3922', assignedTo: null }) });
    await waitFocus(p, 'assign-me');
  });

  it('does not take focus the user already put somewhere, when the same incident updates', async () => {
    const p = await open();
    await waitFocus(p, 'assign-me');
    await p.page.locator('#tag-input').focus();
    await p.deliver({ type: 'state', state: paneState({}, { assignedTo: ME }) });
    await p.page.waitForTimeout(100);
    assert.strictEqual(await focused(p), 'tag-input');
  });

  it('Tab goes header, assignment, status, classification, name, tags, comment, timeline, alerts', async () => {
    const p = await open();
    await waitFocus(p, 'assign-me');
    await p.page.locator('#open-portal').focus();
    const seen: string[] = [];
    for (let i = 0; i < 40; i++) {
      await p.page.keyboard.press('Tab');
      const id = await focused(p);
      if (id && !seen.includes(id)) seen.push(id);
      if (id === 'add-comment') break;
    }
    const expected = ['assign-me', 'assign-to', 'status', 'classification', 'determination', 'rename', 'severity', 'tag-input', 'comment', 'add-comment'];
    const order = expected.map(id => seen.indexOf(id));
    assert.ok(
      order.every(i => i >= 0),
      `every control is reachable by Tab: ${seen.join(', ')}`,
    );
    assert.deepStrictEqual(
      [...order].sort((a, b) => a - b),
      order,
      `in order: ${seen.join(', ')}`,
    );
  });

  it('Enter on the status applies it; with Resolved it moves into the resolve form, and Escape cancels back to the status', async () => {
    const p = await open(paneState({}, { assignedTo: ME, status: 'Active' }));
    await waitFocus(p, 'status');
    await p.page.keyboard.press('ArrowDown');
    assert.strictEqual(await p.page.locator('#status').inputValue(), 'InProgress');
    await p.clearPosted();
    await p.page.keyboard.press('Enter');
    const r = await p.waitForRequest('setStatus');
    assert.deepStrictEqual(r.action, { kind: 'setStatus', status: 'InProgress' });

    await p.page.locator('#status').selectOption('Resolved');
    await p.page.locator('#status').focus();
    await p.page.keyboard.press('Enter');
    await waitFocus(p, 'resolve-classification');
    assert.strictEqual(await p.page.locator('#resolve-form').isVisible(), true);
    await p.page.locator('#resolve-comment').focus();
    await p.page.keyboard.type('not sent');
    await p.page.keyboard.press('Escape');
    await waitFocus(p, 'status');
    assert.strictEqual(await p.page.locator('#resolve-form').isVisible(), false, 'the form is closed');
    assert.strictEqual(await p.page.locator('#status').inputValue(), 'Active', "the status is the incident's again");
    assert.strictEqual((await p.requests()).filter(q => q.action.kind === 'setStatus' && q.action.status === 'Resolved').length, 0, 'Escape sent nothing');
  });

  it('Enter on a resolve-form select resolves with that pair and the comment', async () => {
    const p = await open(paneState({}, { assignedTo: ME, status: 'InProgress', classification: 'Unknown', determination: 'NotAvailable' }));
    await p.page.locator('#status').selectOption('Resolved');
    await p.page.locator('#resolve-classification').selectOption('FalsePositive');
    await p.page.locator('#resolve-determination').selectOption('NotMalicious');
    await p.page.locator('#resolve-comment').fill('benign admin script');
    await p.clearPosted();
    await p.page.locator('#resolve-determination').focus();
    await p.page.keyboard.press('Enter');
    const r = await p.waitForRequest('setStatus');
    assert.deepStrictEqual(r.action, {
      kind: 'setStatus',
      status: 'Resolved',
      classification: 'FalsePositive',
      determination: 'NotMalicious',
      comment: 'benign admin script',
    });
  });

  it('Enter on the classification selects saves the pair (only when it changed)', async () => {
    const p = await open(paneState({}, { classification: 'Unknown', determination: 'NotAvailable' }));
    await p.clearPosted();
    await p.page.locator('#classification').focus();
    await p.page.keyboard.press('Enter');
    await p.page.waitForTimeout(100);
    assert.strictEqual((await p.requests()).length, 0, 'nothing changed: nothing sent');
    await p.page.locator('#classification').selectOption('TruePositive');
    await p.page.locator('#determination').selectOption('Phishing');
    await p.page.locator('#determination').focus();
    await p.page.keyboard.press('Enter');
    const r = await p.waitForRequest('classify');
    assert.deepStrictEqual(r.action, { kind: 'classify', classification: 'TruePositive', determination: 'Phishing' });
  });

  it('Escape closes "Show full name" and gives focus back to the toggle', async () => {
    const long = `Suspicious activity ${'on many devices and accounts across the tenant '.repeat(60)}end-of-name`;
    const p = await open(paneState({}, { name: long, assignedTo: null }), { width: 800, height: 900 });
    const toggle = p.page.locator('#name-toggle');
    await toggle.waitFor({ state: 'visible' });
    await toggle.focus();
    await p.page.keyboard.press('Enter');
    assert.strictEqual(await toggle.getAttribute('aria-expanded'), 'true');
    await p.page.keyboard.press('Escape');
    assert.strictEqual(await toggle.getAttribute('aria-expanded'), 'false');
    assert.strictEqual(await focused(p), 'name-toggle');
  });

  for (const theme of Object.keys(THEMES) as (keyof typeof THEMES)[]) {
    it(`a visible focus ring on buttons and fields in the ${theme} theme, in the theme's focus colour`, async () => {
      const p = await open();
      await applyTheme(p, theme);
      const want = THEMES[theme].vars['--vscode-focusBorder'] ?? '';
      for (const id of ['assign-me', 'status', 'comment']) {
        // Through the keyboard, so :focus-visible applies as it does for a user.
        await p.page.locator('#open-portal').focus();
        while ((await focused(p)) !== id) await p.page.keyboard.press('Tab');
        const ring = await p.page.evaluate(i => {
          const s = window.getComputedStyle(window.document.getElementById(i));
          return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), color: s.outlineColor };
        }, id);
        assert.notStrictEqual(ring.style, 'none', `#${id} has a focus ring`);
        assert.ok(ring.width >= (theme === 'high-contrast' ? 2 : 1), `#${id} ring width ${ring.width}`);
        const hex = want.replace('#', '');
        const rgb = `rgb(${parseInt(hex.slice(0, 2), 16)}, ${parseInt(hex.slice(2, 4), 16)}, ${parseInt(hex.slice(4, 6), 16)})`;
        assert.strictEqual(ring.color, rgb, `#${id} ring colour`);
      }
    });
  }

  it('every control and region has a name for screen readers', async () => {
    const p = await open(paneState({}, { assignedTo: null, tags: ['Ransomware'] }));
    const unnamed = await p.page.evaluate(() => {
      const out: string[] = [];
      const doc = window.document;
      const labelled = (el: DomEl) => {
        const by = el.getAttribute('aria-labelledby');
        if (by) return by.split(' ').every(id => (doc.getElementById(id)?.textContent ?? '').trim() !== '');
        if ((el.getAttribute('aria-label') ?? '').trim()) return true;
        if (el.id && doc.querySelectorAll(`label[for="${el.id}"]`).length) return true;
        return (el.textContent ?? '').trim() !== '';
      };
      const all = doc.querySelectorAll('vscode-button, button, select, input, textarea, section, [role=group], header, ol, ul#tag-list');
      for (let i = 0; i < all.length; i++) {
        const el = all[i];
        if (el.closest('[hidden]')) continue;
        if (!labelled(el)) out.push(`${el.tagName.toLowerCase()}#${el.id}`);
      }
      // Icon-only buttons (×) must say what they do.
      const icons = doc.querySelectorAll('button.chip-remove');
      for (let i = 0; i < icons.length; i++) if (!(icons[i].getAttribute('aria-label') ?? '').trim()) out.push('chip-remove without aria-label');
      return out;
    });
    assert.deepStrictEqual(unnamed, []);
    assert.strictEqual(await p.page.locator('#comment').getAttribute('aria-keyshortcuts'), 'Control+Enter Meta+Enter');
    assert.strictEqual(await p.page.locator('#resolve-cancel').getAttribute('aria-label'), 'Cancel resolving (Escape)');
  });
});
