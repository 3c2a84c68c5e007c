/**
 * The management pane's HTML shell. No `vscode` import, so it is tested in plain Node and in a real browser
 * (test/webview) with the same CSP the extension uses.
 *
 * This is the only place the pane builds HTML from strings, and every value that goes in is escaped for the
 * context it lands in (attribute, text, or JSON inside a script element). Everything else in the pane is
 * built as DOM nodes by webview/main.ts.
 */
import { randomBytes } from 'crypto';
import type { PaneState } from '../shared/protocol';

export interface PaneHtmlOptions {
  /** `webview.cspSource`: the origin the pane's style, font and image resources come from. */
  cspSource: string;
  /** A fresh value from `makeNonce()` for every render. */
  nonce: string;
  /** `webview.asWebviewUri(dist/webview.js)` as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(media/pane.css)` as a string. */
  styleUri: string;
  /** codicon.css; when given it is linked with the id @vscode-elements looks for. */
  codiconsUri?: string;
  title: string;
  /** Rides in the page so the pane paints before any message arrives. */
  initialState: PaneState;
}

/** 128 random bits, base64: a CSP nonce that cannot be guessed. */
export function makeNonce(): string {
  return randomBytes(16).toString('base64');
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, c => HTML_ESCAPES[c]);
}

/**
 * JSON that is safe inside `<script type="application/json">`: `<` and `>` cannot close the element or
 * open a comment, `&` cannot start a reference, and U+2028/2029 cannot break older JS parsers that might
 * see the text. All of these only ever occur inside JSON strings, where `\uXXXX` means the same character.
 */
export function serializeStateForHtml(state: unknown): string {
  return JSON.stringify(state).replace(/[<>&\u2028\u2029]/g, c => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

// A nonce or a CSP source with a quote, semicolon or space would rewrite the policy; refuse rather than escape.
const NONCE_RE = /^[A-Za-z0-9+/_=-]{16,}$/;
// VS Code's cspSource is a space-separated list such as `'self' https://*.vscode-cdn.net`; no `;` or `,` may sneak in.
const CSP_SOURCE_RE = /^(?:'self'|[^\s;,'"]+)(?: (?:'self'|[^\s;,'"]+))*$/;

export function renderPaneHtml(o: PaneHtmlOptions): string {
  if (!NONCE_RE.test(o.nonce)) throw new Error('renderPaneHtml: invalid nonce');
  if (!CSP_SOURCE_RE.test(o.cspSource)) throw new Error('renderPaneHtml: invalid cspSource');
  const csp = [
    "default-src 'none'",
    `script-src 'nonce-${o.nonce}'`,
    `style-src ${o.cspSource}`,
    `font-src ${o.cspSource}`,
    `img-src ${o.cspSource} data:`,
    // Defence in depth: no <base> may redirect relative URLs, and no form may submit anywhere.
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const nonce = escapeHtml(o.nonce);
  const codicons = o.codiconsUri ? `\n  <link rel="stylesheet" id="vscode-codicon-stylesheet" href="${escapeHtml(o.codiconsUri)}">` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${escapeHtml(o.title)}</title>
  <link rel="stylesheet" href="${escapeHtml(o.styleUri)}">${codicons}
</head>
<body>
  <div id="app" aria-busy="true"></div>
  <script type="application/json" id="initial-state" nonce="${nonce}">${serializeStateForHtml(o.initialState)}</script>
  <script type="module" nonce="${nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}
