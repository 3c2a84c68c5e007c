/**
 * Issue 16, item 10, the parts that are rules rather than behaviour: the pane's DOM builder refuses
 * every attribute that can load, navigate or ping (srcset, poster, ping, formtarget, background added),
 * and the pane's webview has forms off. (The mock CLI's secrets: mock-cli.test.ts; the Markdown
 * autolinks: markdown.test.ts; nextLink paths: graph-client.test.ts; Save Filter's target: the
 * settings integration suite.)
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { DANGEROUS_ATTR, DANGEROUS_TAG } from '../../src/shared/domRules';

const ROOT = path.join(__dirname, '..', '..', '..');

describe('smaller hardening items (issue 16 item 10)', () => {
  it('the DOM builder refuses every attribute that loads, navigates, pings or runs', () => {
    for (const a of [
      'onclick',
      'ONLOAD',
      'href',
      'src',
      'srcdoc',
      'srcset',
      'poster',
      'ping',
      'formtarget',
      'background',
      'action',
      'formaction',
      'xlink:href',
      'style',
    ]) {
      assert.ok(DANGEROUS_ATTR.test(a), a);
    }
    for (const a of ['aria-label', 'value', 'title', 'data-fk', 'role', 'for', 'id', 'class']) assert.ok(!DANGEROUS_ATTR.test(a), a);
    for (const t of ['form', 'a', 'iframe', 'base', 'object', 'embed', 'script', 'link', 'meta']) assert.ok(DANGEROUS_TAG.test(t), t);
    assert.match(fs.readFileSync(path.join(ROOT, 'webview/dom.ts'), 'utf8'), /from '\.\.\/src\/shared\/domRules'/, 'the builder uses these rules');
  });

  it('every pane webview is created and configured with forms off', () => {
    // The pane sets its options (incidentPanel.ts); the panes' registry creates it (panels.ts).
    const src = ['src/panel/incidentPanel.ts', 'src/panel/panels.ts'].map(f => fs.readFileSync(path.join(ROOT, f), 'utf8')).join('\n');
    const options = [...src.matchAll(/\{ enableScripts: true[^}]*\}/g)].map(m => m[0]);
    assert.ok(options.length >= 2, 'the panel options and createWebviewPanel');
    for (const o of options) assert.match(o, /enableForms: false/, o);
  });
});
