/**
 * `npm run bench`, inside a real extension host: loaded as `extensionTestsPath` (like the integration
 * suite) by scripts/bench/host.js, once per fresh workbench window, with the project as the
 * development extension (the production bundle). It opens the view the way a user's first click does,
 * then opens and switches management panes, and reports timings (performance.now() in the extension
 * host, plus Date.now() stamps the driver can line up with the browser's events) as one line
 * `DEFENDER_INCIDENTS_BENCH <json>`, also appended to $DEFENDER_INCIDENTS_BENCH_RESULTS.
 */
import * as fs from 'fs';
import * as net from 'net';
import { performance } from 'perf_hooks';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { IncidentPanel } from '../../src/panel/incidentPanel';

export const BENCH_PREFIX = 'DEFENDER_INCIDENTS_BENCH ';
const EXT_ID = 'defender-incidents.defender-incidents';
const SWITCHES = 5;

const tick = (ms: number) => new Promise(r => setTimeout(r, ms));

/** Polls cheaply (1 ms) so a timestamp lands within a few ms of the event. */
async function until<T>(what: string, f: () => T | undefined | false, ms = 30000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = f();
    if (v) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await tick(1);
  }
}

interface PaneTiming {
  id: string;
  /** Command start → the panel exists with its HTML set (extension work). */
  renderedMs: number;
  /** Command start → the webview's `ready` arrived and the first `state` was posted (interactive). */
  interactiveMs: number;
  /** Date.now() at command start and at `state`, for lining up with browser events. */
  wallStart: number;
  wallRendered: number;
  wallInteractive: number;
}

class PaneError extends Error {}

/**
 * Opens an incident's pane and times it to the first `state` message the extension posts to a ready
 * webview. With `reuse`, the click goes to the existing preview pane, which switches by message.
 */
async function openPane(api: ExtensionApi, id: string, opts: { preview: boolean; reuse?: IncidentPanel }): Promise<PaneTiming> {
  const s = api;
  const wallStart = Date.now();
  let tState = 0;
  let wallState = 0;
  const listen = (p: IncidentPanel) =>
    p.onPost.add(m => {
      if (m.type === 'state' && m.state.incident.id === id && !tState) {
        tState = performance.now();
        wallState = Date.now();
      }
    });
  if (opts.reuse) listen(opts.reuse);
  const t0 = performance.now();
  const command = vscode.commands.executeCommand('defenderIncidents.openIncident', id, { preview: opts.preview });
  const panel: IncidentPanel = await until(`the pane of #${id}`, () => s.panels.get(id));
  const tRendered = performance.now();
  const wallRendered = Date.now();
  if (panel !== opts.reuse) listen(panel);
  await command;
  if (!panel.panel.webview.html) throw new PaneError(`the pane of #${id} has no HTML (the open command failed; see the Defender Incidents log)`);
  await until(`the first state message of #${id}`, () => tState > 0);
  return { id, renderedMs: tRendered - t0, interactiveMs: tState - t0, wallStart, wallRendered, wallInteractive: wallState };
}

/**
 * Records every socket the process connects or listens on while the extension activates, with the
 * stack, to tell whether one was opened synchronously inside activate() (VS Code's activator frame,
 * `_callActivate...`, is then on the stack) or later (the first list, on a timer or the view's event).
 */
function watchSockets(): { during: () => string[]; stop: () => void } {
  const seen: string[] = [];
  const connect = net.Socket.prototype.connect;
  const listen = net.Server.prototype.listen;
  const note = (kind: string) => {
    const stack = new Error().stack ?? '';
    if (/_callActivate/.test(stack) && /dist[\\/]extension\.js/.test(stack)) seen.push(`${kind}: ${stack.split('\n').slice(2, 8).join(' | ')}`);
  };
  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    note('connect');
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;
  net.Server.prototype.listen = function (this: net.Server, ...args: unknown[]) {
    note('listen');
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof listen;
  return {
    during: () => seen,
    stop: () => {
      net.Socket.prototype.connect = connect;
      net.Server.prototype.listen = listen;
    },
  };
}

async function measure(): Promise<Record<string, unknown>> {
  const sockets = watchSockets();
  const ext = vscode.extensions.getExtension<ExtensionApi>(EXT_ID);
  if (!ext) throw new Error(`${EXT_ID} is not loaded`);
  const wasActive = ext.isActive;
  // The user's first command: open the Defender Incidents view (activates on onView).
  const t0 = performance.now();
  const wallStart = Date.now();
  const command = vscode.commands.executeCommand('workbench.view.extension.defenderIncidents');
  await until('activation', () => ext.isActive);
  const tActive = performance.now();
  const api = ext.exports;
  await command;
  const s = api;
  await until('the queue to load', () => (s.store.state === 'ready' || s.store.state === 'error' ? s.store.state : undefined));
  if (s.store.state !== 'ready') throw new Error(`the queue did not load: ${s.store.error?.message}`);
  const tLoaded = performance.now();
  // Populated: VS Code asked for the root's children and got rows (getChildren fills nodeFor).
  const first = s.tree.queue()[0]?.rows[0]?.incident.id;
  if (!first) throw new Error('the queue is empty');
  await until('the view to be populated', () => s.tree.nodeFor(first));
  const tPopulated = performance.now();
  const wallPopulated = Date.now();
  sockets.stop();
  const opening = {
    wasActive,
    socketsInActivate: sockets.during(),
    activationMs: api.activationMs,
    commandToActiveMs: tActive - t0,
    commandToLoadedMs: tLoaded - t0,
    commandToPopulatedMs: tPopulated - t0,
    wallStart,
    wallPopulated,
    incidents: s.store.size,
  };
  // `npm run bench -- --only=host`: activation and the first list only.
  if (process.env.DEFENDER_INCIDENTS_BENCH_NO_PANES === '1') return opening;

  const ids = s.store
    .visible()
    .slice(0, 2 * SWITCHES + 2)
    .map(i => i.id);
  // A click in the queue opens a preview pane; the next clicks switch it by message.
  const firstPane = await openPane(api, ids[0], { preview: true });
  const preview = s.panels.get(ids[0])!;
  const switches: PaneTiming[] = [];
  for (const id of ids.slice(1, SWITCHES + 1)) {
    await tick(200); // let the previous state settle, as a user would
    switches.push(await openPane(api, id, { preview: true, reuse: preview }));
  }
  // Opening from a command (pinned) builds a new webview each time.
  const newPanes: PaneTiming[] = [];
  for (const id of ids.slice(SWITCHES + 1, 2 * SWITCHES + 1)) {
    await tick(200);
    newPanes.push(await openPane(api, id, { preview: false }));
  }
  // Focusing a pane that is already open.
  const tr = performance.now();
  await vscode.commands.executeCommand('defenderIncidents.openIncident', ids[SWITCHES + 1]);
  const refocusMs = performance.now() - tr;
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  return {
    ...opening,
    firstPane,
    switches,
    newPanes,
    refocusMs,
  };
}

export async function run(): Promise<void> {
  let result: Record<string, unknown>;
  try {
    result = await measure();
  } catch (e) {
    result = { error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  const line = BENCH_PREFIX + JSON.stringify(result);
  console.log(line);
  const file = process.env.DEFENDER_INCIDENTS_BENCH_RESULTS;
  if (file) fs.appendFileSync(file, JSON.stringify(result) + '\n');
  if (result.error) throw new Error(String(result.error));
}
