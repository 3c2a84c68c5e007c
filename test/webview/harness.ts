/**
 * Runs the real pane (dist/webview.js + media/pane.css inside the HTML of renderPaneHtml, so the real CSP
 * applies) in headless Chromium, with a fake `acquireVsCodeApi` that records what the pane posts.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { makeNonce, renderPaneHtml } from '../../src/panel/html';
import { parseWebviewMessage, type ExtensionMessage, type PaneState, type WebviewMessage } from '../../src/shared/protocol';

/** The project: out/test/webview/../../.. when compiled by tsc; PANE_ROOT when bundled elsewhere (the bench). */
export const ROOT = process.env.PANE_ROOT ?? path.resolve(__dirname, '../../..');

/** What the fake VS Code API and the page hooks keep on `window` (see FAKE_API). */
export interface PageWindow {
  __posted: unknown[];
  __csp: string[];
  __alerts: string[];
  __deliver(m: unknown): void;
  __storedState(): unknown;
}
declare const window: PageWindow;

// Runs before any page script. The state store mimics VS Code's: it survives a reload of the same tab.
const FAKE_API = `(() => {
  const KEY = '__fakeVsCodeState';
  let memory;
  window.__posted = [];
  window.__csp = [];
  window.__alerts = [];
  document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || '')));
  for (const name of ['alert', 'confirm', 'prompt', 'print']) window[name] = (m) => { window.__alerts.push(name + ':' + String(m)); };
  window.__deliver = (m) => window.dispatchEvent(new MessageEvent('message', { data: m }));
  window.__storedState = () => JSON.parse(memory !== undefined ? memory : sessionStorage.getItem(KEY) || 'null');
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may only be called once');
    acquired = true;
    return Object.freeze({
      // VS Code clones what is posted; JSON round-trip catches anything that would not survive.
      postMessage: (m) => { window.__posted.push(JSON.parse(JSON.stringify(m))); },
      getState: () => window.__storedState() ?? undefined,
      // Serialized like VS Code does; too big for sessionStorage (the multi-megabyte tests) stays in memory.
      setState: (s) => {
        const json = JSON.stringify(s);
        memory = undefined;
        if (json.length > 2000000) memory = json;
        else sessionStorage.setItem(KEY, json);
        return s;
      },
    });
  };
})();`;

export class PaneServer {
  private server!: http.Server;
  private pages = new Map<string, string>();
  private n = 0;
  origin = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', this.origin);
      const send = (status: number, type: string, body: string | Buffer) => {
        res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
        res.end(body);
      };
      if (url.pathname === '/dist/webview.js') return send(200, 'text/javascript', fs.readFileSync(path.join(ROOT, 'dist/webview.js')));
      if (url.pathname === '/media/pane.css') return send(200, 'text/css', fs.readFileSync(path.join(ROOT, 'media/pane.css')));
      // Chromium asks for it on its own; a 404 would show up as a console error.
      if (url.pathname === '/favicon.ico') return send(204, 'image/x-icon', '');
      const page = this.pages.get(url.pathname);
      if (page !== undefined) return send(200, 'text/html; charset=utf-8', page);
      send(404, 'text/plain', 'not found');
    });
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Serves the pane's HTML for `state` at a fresh path and returns its URL. */
  addPage(state: PaneState, title = state.incident.name): string {
    const p = `/pane/${++this.n}`;
    this.pages.set(
      p,
      renderPaneHtml({
        cspSource: this.origin,
        nonce: makeNonce(),
        title,
        initialState: state,
        scriptUri: `${this.origin}/dist/webview.js`,
        styleUri: `${this.origin}/media/pane.css`,
      }),
    );
    return this.origin + p;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }
}

/**
 * One pane server and one Chromium for a suite (mocha's before/after): `browser()` is the running browser.
 */
export function useChromium(): { server: PaneServer; browser: () => Browser } {
  const server = new PaneServer();
  let running: Browser | undefined;
  before(async () => {
    await server.start();
    running = await launch();
  });
  after(async () => {
    await running?.close();
    await server.stop();
  });
  return {
    server,
    browser: () => {
      if (!running) throw new Error('Chromium is not started (use the browser inside a test).');
      return running;
    },
  };
}

/**
 * The one setup of a pane suite: one Chromium and pane server (`useChromium`), and `open()` for panes that
 * are checked after every test, whether the test closed them or not: no CSP violation, no console error,
 * and (for panes still open) every message they posted is one the extension would accept.
 */
export function usePane(defaults: { viewport?: { width: number; height: number } } = {}): {
  server: PaneServer;
  browser: () => Browser;
  open: (state: PaneState, o?: { viewport?: { width: number; height: number }; timeoutMs?: number }) => Promise<PaneHarness>;
} {
  const { server, browser } = useChromium();
  let opened: PaneHarness[] = [];
  afterEach(async () => {
    const panes = opened;
    opened = [];
    const problems: string[] = [];
    for (const pane of panes) {
      // A pane the test closed itself can only be judged by its console (CSP reports show there too).
      const stillOpen = !pane.closed;
      if (stillOpen) {
        problems.push(...(await pane.cspViolations()).map(v => `CSP violation: ${v}`));
        await pane.posted();
        await pane.close();
      }
      problems.push(...pane.consoleErrors.filter(e => !stillOpen || !/Content.Security.Policy/i.test(e)).map(e => `console error: ${e}`));
    }
    assert.deepStrictEqual(problems, [], 'the pane reported problems');
  });
  return {
    server,
    browser,
    open: async (state, o = {}) => {
      const pane = await PaneHarness.open(browser(), server, state, { ...defaults, ...o });
      opened.push(pane);
      return pane;
    },
  };
}

export async function launch(): Promise<Browser> {
  const dist = path.join(ROOT, 'dist/webview.js');
  if (!fs.existsSync(dist)) throw new Error('dist/webview.js is missing: build it first (node esbuild.js)');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** One pane in one browser tab, plus what it posted and what the console said. */
export class PaneHarness {
  readonly consoleErrors: string[] = [];
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly url: string,
  ) {}

  static async open(
    browser: Browser,
    server: PaneServer,
    state: PaneState,
    o: { viewport?: { width: number; height: number }; timeoutMs?: number } = {},
  ): Promise<PaneHarness> {
    const context = await browser.newContext({ locale: 'en-US', timezoneId: 'UTC', viewport: o.viewport ?? { width: 1280, height: 900 } });
    await context.addInitScript(FAKE_API);
    const page = await context.newPage();
    if (o.timeoutMs) page.setDefaultTimeout(o.timeoutMs);
    const pane = new PaneHarness(context, page, server.addPage(state));
    page.on('console', m => {
      if (m.type() === 'error' || /Content.Security.Policy/i.test(m.text())) pane.consoleErrors.push(m.text());
    });
    page.on('pageerror', e => pane.consoleErrors.push(`pageerror: ${e.message}`));
    await pane.goto();
    return pane;
  }

  async goto(): Promise<void> {
    await this.page.goto(this.url);
    await this.waitForPosted(m => m.type === 'ready');
  }

  /** Extra time for pages carrying megabytes of text. */
  timeoutMs = 5000;

  async reload(): Promise<void> {
    await this.page.reload();
    await this.waitForPosted(m => m.type === 'ready');
  }

  closed = false;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.context.close();
  }

  /** Every message the pane posted since load, each checked by the extension's own validator. */
  async posted(): Promise<WebviewMessage[]> {
    const raw = await this.page.evaluate(() => window.__posted);
    return raw.map(m => {
      const parsed = parseWebviewMessage(m);
      assert.ok(parsed, `the extension would drop this message: ${JSON.stringify(m).slice(0, 300)}`);
      return m as WebviewMessage;
    });
  }

  async requests(): Promise<Extract<WebviewMessage, { type: 'request' }>[]> {
    return (await this.posted()).filter((m): m is Extract<WebviewMessage, { type: 'request' }> => m.type === 'request');
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => {
      window.__posted.length = 0;
    });
  }

  async waitForPosted(pred: (m: WebviewMessage) => boolean, timeoutMs = this.timeoutMs): Promise<WebviewMessage> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = (await this.posted()).find(pred);
      if (found) return found;
      if (Date.now() > end) throw new Error(`no matching message posted; got ${JSON.stringify(await this.page.evaluate(() => window.__posted)).slice(0, 600)}`);
      await new Promise(r => setTimeout(r, 25));
    }
  }

  /** The next request with this action kind, after clearing earlier messages via `clearPosted`. */
  async waitForRequest<K extends string>(kind: K): Promise<Extract<WebviewMessage, { type: 'request' }>> {
    return (await this.waitForPosted(m => m.type === 'request' && m.action.kind === kind)) as Extract<WebviewMessage, { type: 'request' }>;
  }

  async deliver(m: ExtensionMessage): Promise<void> {
    await this.page.evaluate(msg => window.__deliver(msg), m as unknown);
  }

  /**
   * Delivers `m` with every occurrence of `placeholder` (in values and keys) replaced by `unit` repeated to
   * `length` characters. The expansion happens in the page: sending tens of megabytes through the DevTools
   * protocol takes minutes, while the pane still receives exactly what a real message would carry.
   */
  async deliverExpanded(m: ExtensionMessage, placeholder: string, unit: string, length: number): Promise<void> {
    await this.page.evaluate(
      ([msg, ph, u, n]) => {
        const big = u.repeat(Math.ceil(n / u.length)).slice(0, n);
        const fix = (s: string) => s.split(ph).join(big);
        const walk = (v: unknown): unknown => {
          if (typeof v === 'string') return fix(v);
          if (Array.isArray(v)) return v.map(walk);
          if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [fix(k), walk(x)]));
          return v;
        };
        window.__deliver(walk(msg));
      },
      [m as unknown, placeholder, unit, length] as const,
    );
  }

  async storedState(): Promise<unknown> {
    return this.page.evaluate(() => window.__storedState());
  }

  async cspViolations(): Promise<string[]> {
    const fromEvents = await this.page.evaluate(() => window.__csp);
    return [...fromEvents, ...this.consoleErrors.filter(e => /Content.Security.Policy/i.test(e))];
  }

  async alerts(): Promise<string[]> {
    return this.page.evaluate(() => window.__alerts);
  }

  text(selector: string): Promise<string | null> {
    return this.page.locator(selector).first().textContent();
  }
}
