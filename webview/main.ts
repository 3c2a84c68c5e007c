/**
 * Entry of the management pane's webview bundle (dist/webview.js). Only the vscode-elements components the
 * pane uses are imported, one by one, to stay within the bundle budget. Selects, text fields and the comment
 * box are native elements styled with the theme variables: they work with <label for>, <datalist> and
 * browser autofill of the field, and keep the bundle small (vscode-single-select alone is ~21 KB gzip).
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import type { ExtensionMessage, PaneState } from '../src/shared/protocol';
import { Pane, type Persisted } from './pane';

/** The state the extension rendered into the page (see src/panel/html.ts), so the first paint needs no round trip. */
function readInitialState(): PaneState | undefined {
  const el = document.getElementById('initial-state');
  if (!el?.textContent) return undefined;
  try {
    const s = JSON.parse(el.textContent) as PaneState;
    return s && typeof s === 'object' && s.incident ? s : undefined;
  } catch {
    return undefined;
  }
}

const api = acquireVsCodeApi<Persisted>();
const pane = new Pane(api, document.getElementById('app') ?? document.body, readInitialState());

window.addEventListener('message', (e: MessageEvent<ExtensionMessage>) => pane.onMessage(e.data));
// The pane has no forms; should one ever appear, it submits nowhere (the CSP also says form-action 'none').
document.addEventListener('submit', e => e.preventDefault(), true);
// The panel may be disposed without warning; get the last keystrokes out first.
window.addEventListener('pagehide', () => pane.flushDrafts());
// Focus left the pane: Enter in the queue replaces a preview pane (IncidentPanels.open), so send what is typed now.
window.addEventListener('blur', () => pane.flushPendingDrafts());
// The pane opened (or switched) without focus gets it later (VS Code focuses the frame): the first useful control takes it.
window.addEventListener('focus', () => pane.focusFirstControl());
setInterval(() => pane.tick(), 60_000);
api.postMessage({ type: 'ready' });
