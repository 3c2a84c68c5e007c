/**
 * Measures how long the real pane (dist/webview.js in Chromium) takes from a `state` message to its DOM
 * being updated, as the pane itself reports it in `rendered` messages: a preview switch and one action's
 * update, for a typical incident (data.ts) and for the 1 MB hostile incident (hostile-data.ts). Used by
 * render-timing.test.ts and by `npm run bench` (scripts/bench/pane-render.js).
 */
import type { Browser } from 'playwright-core';
import type { PaneState, WebviewMessage } from '../../src/shared/protocol';
import { PaneHarness, type PaneServer } from './harness';
import { alert, paneState } from './data';
import { parseGraphEvidence } from '../../src/model/evidence';
import { BIG_PLACEHOLDER, BIG_UNIT, MB, hostileState } from './hostile-data';

type Rendered = Extract<WebviewMessage, { type: 'rendered' }>;

export interface RenderFigures {
  /** Every sample, in ms, as the pane reported it. */
  switchMs: number[];
  actionMs: number[];
  /** The first paint from the page's own state. */
  initialMs: number[];
}

export interface RenderBench {
  typical: RenderFigures;
  hostile1MB: RenderFigures;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function rendered(p: PaneHarness): Promise<Rendered[]> {
  return (await p.posted()).filter((m): m is Rendered => m.type === 'rendered');
}

/** Waits for the next `rendered` message after `before` of them, and returns it. */
async function nextRendered(p: PaneHarness, before: number): Promise<Rendered> {
  const end = Date.now() + p.timeoutMs;
  for (;;) {
    const all = await rendered(p);
    if (all.length > before) return all[before];
    if (Date.now() > end) throw new Error('the pane reported no render time');
    await new Promise(r => setTimeout(r, 10));
  }
}

/**
 * Switches a preview pane back and forth between two incidents `switches` times, then runs `actions` action
 * round trips (request → response → the state it changed) on one of them.
 */
async function measure(
  browser: Browser,
  server: PaneServer,
  o: {
    a: PaneState;
    b: PaneState;
    switches: number;
    actions: number;
    huge: boolean;
  },
): Promise<RenderFigures> {
  const p = await PaneHarness.open(browser, server, paneState(), { timeoutMs: o.huge ? 240_000 : 30_000 });
  p.timeoutMs = o.huge ? 240_000 : 10_000;
  const out: RenderFigures = { switchMs: [], actionMs: [], initialMs: [] };
  try {
    out.initialMs.push(...(await rendered(p)).filter(m => m.reason === 'initial').map(m => m.ms));
    const deliver = async (state: PaneState) => {
      if (o.huge) await p.deliverExpanded({ type: 'state', state }, BIG_PLACEHOLDER, BIG_UNIT, MB);
      else await p.deliver({ type: 'state', state });
    };
    // Past the page's own incident first, so every sample below is between the two.
    await deliver(o.b);
    for (let i = 0; i < o.switches; i++) {
      const before = (await rendered(p)).length;
      await deliver(i % 2 ? o.b : o.a);
      const m = await nextRendered(p, before);
      if (m.reason !== 'switch') throw new Error(`expected a switch, got ${JSON.stringify(m)}`);
      out.switchMs.push(m.ms);
    }
    // Settled on `a` (switches is even) or `b`: act on the incident shown now.
    const shown = o.switches % 2 ? o.a : o.b;
    for (let i = 0; i < o.actions; i++) {
      await p.clearPosted();
      // Assign to me, then Unassign, and so on (each is enabled by the state the previous one left).
      await p.page.click(i % 2 ? '#unassign' : '#assign-me');
      const req = await p.waitForRequest(i % 2 ? 'assign' : 'assignToMe');
      await p.deliver({ type: 'response', id: req.id, ok: true, message: i % 2 ? 'Unassigned' : 'Assigned to you' });
      // The state the action changed: a new owner and a new timeline row.
      const next: PaneState = {
        ...shown,
        incident: { ...shown.incident, assignedTo: i % 2 ? null : shown.me },
        timeline: [
          ...shown.timeline,
          {
            key: `bench-${i}`,
            kind: 'change',
            source: 'editor',
            time: new Date().toISOString(),
            author: shown.me,
            text: 'Owner',
            field: 'owner',
            from: null,
            to: shown.me,
            state: 'confirmed',
          },
        ],
      };
      const before = (await rendered(p)).length;
      await deliver(next);
      const m = await nextRendered(p, before);
      if (m.reason !== 'action') throw new Error(`expected an action's update, got ${JSON.stringify(m)}`);
      out.actionMs.push(m.ms);
    }
  } finally {
    await p.close();
  }
  return out;
}

export async function benchRender(
  browser: Browser,
  server: PaneServer,
  o: { switches?: number; actions?: number; hugeSwitches?: number; hugeActions?: number } = {},
): Promise<RenderBench> {
  const typical = await measure(browser, server, {
    a: paneState({}, { id: '4001' }),
    b: paneState({}, { id: '4002', name: 'Another incident', assignedTo: null }),
    switches: o.switches ?? 20,
    actions: o.actions ?? 20,
    huge: false,
  });
  const big = (id: string) => {
    const { state } = hostileState(BIG_PLACEHOLDER, false);
    state.incident.id = id;
    return state;
  };
  const hostile1MB = await measure(browser, server, { a: big('4242'), b: big('4243'), switches: o.hugeSwitches ?? 4, actions: o.hugeActions ?? 4, huge: true });
  return { typical, hostile1MB };
}

const EVIDENCE_KINDS = ['device', 'user', 'ip', 'file', 'process', 'url', 'mailbox', 'kubernetesPod'] as const;

/**
 * An incident whose five alerts name `rows` distinct entities of eight kinds (every fifth one named by two
 * alerts), each with its roles, verdict, status and a few fields: the Evidence section's heavy case.
 */
export function evidenceIncident(id: string, rows = 500): PaneState {
  const raw = (i: number): Record<string, unknown> => {
    const base = {
      roles: i % 3 ? ['contextual'] : ['attacker', 'source'],
      verdict: i % 2 ? 'suspicious' : 'malicious',
      remediationStatus: 'none',
      createdDateTime: '2026-11-20T10:00:00Z',
      tags: [],
    };
    const hex = (n: number) =>
      i
        .toString(16)
        .padStart(8, '0')
        .repeat(n / 8);
    switch (EVIDENCE_KINDS[i % EVIDENCE_KINDS.length]) {
      case 'device':
        return {
          '@odata.type': '#microsoft.graph.security.deviceEvidence',
          ...base,
          deviceDnsName: `ws-${i}.contoso.local`,
          mdeDeviceId: hex(40),
          osPlatform: 'Windows11',
          loggedOnUsers: [{ accountName: `u${i}`, domainName: 'CONTOSO' }],
        };
      case 'user':
        return {
          '@odata.type': '#microsoft.graph.security.userEvidence',
          ...base,
          userAccount: {
            userPrincipalName: `user${i}@contoso.com`,
            accountName: `user${i}`,
            domainName: 'CONTOSO',
            azureAdUserId: `${hex(8)}-0000-0000-0000-000000000000`,
          },
        };
      case 'ip':
        return { '@odata.type': '#microsoft.graph.security.ipEvidence', ...base, ipAddress: `10.${(i >> 8) & 255}.${i & 255}.7`, countryLetterCode: 'NL' };
      case 'file':
        return {
          '@odata.type': '#microsoft.graph.security.fileEvidence',
          ...base,
          fileDetails: { fileName: `payload-${i}.exe`, filePath: 'C:\\Users\\Public', sha256: hex(64), sha1: hex(40), fileSize: 1000 + i },
        };
      case 'process':
        return {
          '@odata.type': '#microsoft.graph.security.processEvidence',
          ...base,
          processId: i,
          processCommandLine: `powershell.exe -nop -w hidden -enc ${hex(64)}`,
          imageFile: { fileName: 'powershell.exe', sha256: hex(64) },
          mdeDeviceId: hex(40),
        };
      case 'url':
        return { '@odata.type': '#microsoft.graph.security.urlEvidence', ...base, url: `https://c2-${i}.malicious.example/beacon?id=${i}` };
      case 'mailbox':
        return { '@odata.type': '#microsoft.graph.security.mailboxEvidence', ...base, primaryAddress: `box${i}@contoso.com`, displayName: `Mailbox ${i}` };
      default:
        return { '@odata.type': '#microsoft.graph.security.kubernetesPodEvidence', ...base, name: `pod-${i}`, namespace: { name: 'prod' } };
    }
  };
  const alerts = Array.from({ length: 5 }, (_, a) => {
    const items = Array.from({ length: rows }, (_, i) => i)
      .filter(i => i % 5 === a || (i % 5 === 0 && a === 1))
      .map(raw);
    return alert({ id: `da-${id}-${a}`, title: `Alert ${a} of incident ${id}`, evidence: parseGraphEvidence(items, `da-${id}-${a}`).items });
  });
  return paneState({}, { id, name: `Incident ${id} with ${rows} evidence entities`, alerts });
}

/**
 * Preview switches between two incidents of `rows` evidence entities each: the whole pane, state → DOM (the
 * Evidence section merges and groups all of them and lays out the first rows of each group).
 */
export async function benchEvidenceRender(browser: Browser, server: PaneServer, o: { switches?: number; rows?: number } = {}): Promise<number[]> {
  const a = evidenceIncident('5001', o.rows);
  const b = evidenceIncident('5002', o.rows);
  const p = await PaneHarness.open(browser, server, paneState(), { timeoutMs: 30_000 });
  p.timeoutMs = 30_000;
  const out: number[] = [];
  try {
    await p.deliver({ type: 'state', state: b });
    for (let i = 0; i < (o.switches ?? 20); i++) {
      const before = (await rendered(p)).length;
      await p.deliver({ type: 'state', state: i % 2 ? b : a });
      const m = await nextRendered(p, before);
      if (m.reason !== 'switch') throw new Error(`expected a switch, got ${JSON.stringify(m)}`);
      out.push(m.ms);
    }
    const count = await p.text('#evidence-count');
    if (count !== String(o.rows ?? 500)) throw new Error(`the Evidence section counts ${count} entities, expected ${o.rows ?? 500}`);
  } finally {
    await p.close();
  }
  return out;
}
