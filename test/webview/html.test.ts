import * as assert from 'assert';
import { escapeHtml, makeNonce, renderPaneHtml, serializeStateForHtml } from '../../src/panel/html';
import { paneState } from './data';

describe('renderPaneHtml', () => {
  const base = {
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce: 'abcdefghijklmnopqrstuv==',
    scriptUri: 'https://x/dist/webview.js',
    styleUri: 'https://x/media/pane.css',
  };

  it('sets exactly the strict CSP', () => {
    const html = renderPaneHtml({ ...base, title: 't', initialState: paneState() });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1];
    assert.strictEqual(
      csp,
      'default-src &#39;none&#39;; script-src &#39;nonce-abcdefghijklmnopqrstuv==&#39;; style-src https://file+.vscode-resource.vscode-cdn.net; font-src https://file+.vscode-resource.vscode-cdn.net; img-src https://file+.vscode-resource.vscode-cdn.net data:; base-uri &#39;none&#39;; form-action &#39;none&#39;',
    );
    assert.ok(!/unsafe-inline|unsafe-eval/.test(html));
    // Both script elements carry the nonce; there is no other script.
    assert.strictEqual(html.match(/<script\b/g)?.length, 2);
    assert.strictEqual(html.match(/nonce="abcdefghijklmnopqrstuv=="/g)?.length, 2);
  });

  it('escapes the title and the initial state so neither can close its element', () => {
    const evil = '</title><script>alert(1)</script>\u2028\u2029&amp;<!--';
    const state = paneState({}, { name: evil, tags: ['</script><script>alert(2)</script>'] });
    const html = renderPaneHtml({ ...base, title: evil, initialState: state });
    assert.ok(html.includes('<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;\u2028\u2029&amp;amp;&lt;!--</title>'));
    const json = /<script type="application\/json" id="initial-state" nonce="[^"]+">([\s\S]*?)<\/script>/.exec(html)![1];
    assert.ok(!/[<>&\u2028\u2029]/.test(json), 'no raw <, >, &, U+2028, U+2029');
    assert.deepStrictEqual(JSON.parse(json), JSON.parse(JSON.stringify(state)));
    assert.strictEqual(serializeStateForHtml({ a: '<&>\u2028' }), '{"a":"\\u003c\\u0026\\u003e\\u2028"}');
  });

  it('escapes resource URIs and includes codicons only when given', () => {
    const html = renderPaneHtml({ ...base, scriptUri: 'https://x/a.js?"><script>', title: 't', initialState: paneState() });
    assert.ok(html.includes('src="https://x/a.js?&quot;&gt;&lt;script&gt;"'));
    assert.ok(!html.includes('vscode-codicon-stylesheet'));
    const withIcons = renderPaneHtml({ ...base, codiconsUri: 'https://x/codicon.css', title: 't', initialState: paneState() });
    assert.ok(withIcons.includes('<link rel="stylesheet" id="vscode-codicon-stylesheet" href="https://x/codicon.css">'));
  });

  it('refuses a nonce or CSP source that would rewrite the policy', () => {
    assert.throws(() => renderPaneHtml({ ...base, nonce: "x' 'unsafe-inline", title: 't', initialState: paneState() }));
    assert.throws(() => renderPaneHtml({ ...base, nonce: 'short', title: 't', initialState: paneState() }));
    assert.throws(() => renderPaneHtml({ ...base, cspSource: "https://a; script-src 'unsafe-inline'", title: 't', initialState: paneState() }));
  });

  it('makes a fresh, unguessable nonce each time', () => {
    const seen = new Set(Array.from({ length: 100 }, () => makeNonce()));
    assert.strictEqual(seen.size, 100);
    for (const n of seen) assert.match(n, /^[A-Za-z0-9+/]{22}==$/);
    assert.strictEqual(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });
});
