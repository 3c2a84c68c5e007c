/**
 * What the split into sections promises: a section whose slice did not change does not touch the DOM; a
 * huge name takes a few lines with a keyboard-operable "Show full name"; the pane keeps the incident it
 * shows (a preview pane's too) for the extension's serializer.
 */
import * as assert from 'assert';
import type { PaneState } from '../../src/shared/protocol';
import { PaneHarness, usePane } from './harness';
import { paneState } from './data';

interface MutWindow {
  __mutations: string[];
  document: { getElementById(id: string): unknown };
  MutationObserver: new (cb: (records: { target: { parentElement: unknown } & object }[]) => void) => { observe(n: unknown, o: object): void };
}
declare const window: MutWindow;

describe('pane sections', function () {
  const { open: openPane } = usePane();
  const open = async (state: PaneState = paneState(), viewport?: { width: number; height: number }) => openPane(state, { viewport });

  /** Records which regions (by the id of their nearest region element) the next states mutate. */
  const watch = (p: PaneHarness) =>
    p.page.evaluate(() => {
      window.__mutations = [];
      const regions = [
        'incident-name',
        'tag-list',
        'owner',
        'known-owners',
        'timeline',
        'alerts',
        'evidence',
        'status',
        'classification',
        'determination',
        'severity',
        'rename-reason',
      ];
      const facts = (window.document.getElementById('incident-id') as { parentElement: { parentElement: unknown } }).parentElement.parentElement;
      const targets: [string, unknown][] = [...regions.map(id => [id, window.document.getElementById(id)] as [string, unknown]), ['facts', facts]];
      for (const [id, el] of targets) {
        new window.MutationObserver(rs => {
          if (rs.length) window.__mutations.push(id);
        }).observe(el, { childList: true, subtree: true, characterData: true, attributes: true });
      }
    });
  const mutated = async (p: PaneHarness) => {
    await p.page.waitForTimeout(50);
    return [...new Set(await p.page.evaluate(() => window.__mutations))].sort();
  };

  it('the same state again touches no section; a change of tags touches only the header facts and the tag list', async () => {
    const base = paneState();
    const p = await open(base);
    await watch(p);
    await p.deliver({ type: 'state', state: base });
    assert.deepStrictEqual(await mutated(p), [], 'an identical state changes nothing in the DOM');
    await p.deliver({ type: 'state', state: { ...base, incident: { ...base.incident, tags: ['Ransomware', 'Finance', 'Escalated'] } } });
    assert.deepStrictEqual(await mutated(p), ['facts', 'tag-list']);
    assert.deepStrictEqual(await p.page.locator('#tag-list .chip').allTextContents(), ['Ransomware×', 'Finance×', 'Escalated×']);
  });

  it('a new timeline entry touches only the timeline; a changed alert only alerts and evidence', async () => {
    const base = paneState();
    const p = await open(base);
    await watch(p);
    const withEntry: PaneState = {
      ...base,
      timeline: [
        ...base.timeline,
        { key: 'c-9', kind: 'comment', time: new Date().toISOString(), author: 'analyst@contoso.com', text: 'New', state: 'confirmed' },
      ],
    };
    await p.deliver({ type: 'state', state: withEntry });
    assert.deepStrictEqual(await mutated(p), ['timeline']);
    assert.strictEqual(await p.page.locator('.entry').first().getAttribute('data-key'), 'c-9');
    await watch(p);
    const alerts = base.incident.alerts.map((a, i) =>
      i === 0 ? { ...a, title: 'Renamed alert', entities: [...a.entities, { type: 'Ip', label: '198.51.100.7', details: {} }] } : a,
    );
    await p.deliver({ type: 'state', state: { ...withEntry, incident: { ...withEntry.incident, alerts } } });
    assert.deepStrictEqual(await mutated(p), ['alerts', 'evidence']);
    assert.strictEqual(await p.page.locator('.alert-title').first().textContent(), 'Renamed alert');
  });

  it('a huge name takes a few lines; "Show full name" shows all of it and is operable by keyboard', async () => {
    const long = `Suspicious activity ${'on many devices and accounts across the tenant '.repeat(60)}end-of-name`;
    const p = await open(paneState({}, { name: long }), { width: 800, height: 900 });
    const page = p.page;
    const toggle = page.locator('#name-toggle');
    await toggle.waitFor({ state: 'visible' });
    assert.strictEqual(await toggle.textContent(), 'Show full name');
    assert.strictEqual(await toggle.getAttribute('aria-expanded'), 'false');
    assert.strictEqual(await toggle.getAttribute('aria-controls'), 'incident-name');
    const box = () =>
      page
        .locator('#incident-name')
        .evaluate(e => ({ h: (e as unknown as { clientHeight: number }).clientHeight, full: (e as unknown as { scrollHeight: number }).scrollHeight }));
    const lineHeight = (await page.evaluate('parseFloat(getComputedStyle(document.getElementById("incident-name")).lineHeight)')) as number;
    const clamped = await box();
    assert.ok(clamped.h <= lineHeight * 3 + 2, `at most three lines: ${clamped.h} px, line ${lineHeight} px`);
    assert.ok(clamped.full > clamped.h * 2, 'the rest is cut');
    assert.strictEqual(await p.text('#incident-name'), long, 'the text itself is all there (screen readers read it all)');
    // A name that fits has no toggle (the observer decides after layout).
    await p.deliver({ type: 'state', state: paneState({}, { name: 'Short name' }) });
    await toggle.waitFor({ state: 'hidden' });
    await p.deliver({ type: 'state', state: paneState({}, { name: long }) });
    await toggle.waitFor({ state: 'visible' });
    // Keyboard: Enter expands, Space collapses; focus stays on the toggle.
    await page.focus('#name-toggle');
    await page.keyboard.press('Enter');
    assert.strictEqual(await toggle.getAttribute('aria-expanded'), 'true');
    assert.strictEqual(await toggle.textContent(), 'Show less');
    assert.ok((await box()).h >= clamped.full - 1, 'the whole name shows');
    assert.strictEqual(await page.evaluate('document.activeElement.id'), 'name-toggle', 'focus stays on the toggle');
    await page.keyboard.press('Space');
    assert.strictEqual(await toggle.getAttribute('aria-expanded'), 'false');
    // Tab order: the toggle comes after the name and before "Open in Defender portal".
    await page.focus('#name-toggle');
    await page.keyboard.press('Tab');
    assert.strictEqual(await page.evaluate('document.activeElement.id'), 'open-portal');
    // A short name needs no toggle.
    await p.deliver({ type: 'state', state: paneState({}, { name: 'Short name' }) });
    await toggle.waitFor({ state: 'hidden' });
  });

  it("the pane keeps the incident it shows, also after a preview switch; another incident's saved drafts are not taken", async () => {
    const p = await open();
    await p.page.fill('#comment', 'note for 3921');
    assert.strictEqual(((await p.storedState()) as { incidentId: string }).incidentId, '3921');
    await p.deliver({ type: 'state', state: paneState({}, { id: '4077', name: 'Another incident' }) });
    const stored = (await p.storedState()) as { incidentId: string; state: PaneState; drafts: object };
    assert.strictEqual(stored.incidentId, '4077', 'the serializer restores the incident shown now');
    assert.strictEqual(stored.state.incident.id, '4077');
    assert.deepStrictEqual(stored.drafts, {});
    await p.page.fill('#comment', 'note for 4077');
    // The page reloads with the HTML of the incident it was opened for (3921), its saved state says 4077.
    await p.reload();
    assert.strictEqual(await p.text('#incident-name'), 'Multi-stage incident involving Execution & Lateral movement on one endpoint');
    assert.strictEqual(await p.page.inputValue('#comment'), '', "4077's draft is not put into 3921's page");
    // The extension then sends the incident the pane shows, whose own draft comes back with it.
    await p.deliver({ type: 'state', state: paneState({ drafts: { comment: 'note for 4077' } }, { id: '4077', name: 'Another incident' }) });
    assert.strictEqual(await p.page.inputValue('#comment'), 'note for 4077');
  });
});
