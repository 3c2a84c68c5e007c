/**
 * The pane host's rules for requests from the webview, apart from `vscode` so they are tested in plain
 * Node: which requests are refused before anything runs (wrong incident, too many), when a draft may be
 * cleared, and the pane's wording of what an action did and could not do.
 */
import { MAX_REQUESTS_PER_SECOND, type Drafts, type ErrorInfo, type WebviewMessage } from '../shared/protocol';

/** Sliding one-second window; a refused request does not count. */
export class RequestRateLimiter {
  private readonly times: number[] = [];

  constructor(private readonly max = MAX_REQUESTS_PER_SECOND, private readonly windowMs = 1000, private readonly now: () => number = () => Date.now()) {}

  /** True when one more request may run now. */
  take(): boolean {
    const t = this.now();
    while (this.times.length && t - this.times[0] >= this.windowMs) this.times.shift();
    if (this.times.length >= this.max) return false;
    this.times.push(t);
    return true;
  }
}

/**
 * Why a validated request must not run, or undefined when it may. A request names the incident it was
 * made for; a preview pane may have switched to another since, and nothing may land on the wrong one.
 */
export function refusal(request: Extract<WebviewMessage, { type: 'request' }>, currentIncidentId: string, limiter: RequestRateLimiter): ErrorInfo | undefined {
  if (!limiter.take()) {
    return { kind: 'rateLimited', message: `The pane sent more than ${MAX_REQUESTS_PER_SECOND} requests in a second; this one was refused and nothing was changed. Try again.` };
  }
  if (request.incidentId !== currentIncidentId) {
    return {
      kind: 'wrongIncident',
      message: `This action was meant for incident #${request.incidentId}, but the pane now shows #${currentIncidentId}; nothing was changed.`,
    };
  }
  return undefined;
}

/** The part of the history the draft rule needs (src/store/history.ts `History`). */
export interface DraftStore {
  drafts(id: string): Drafts;
  clearDraft(id: string, field: keyof Drafts): Promise<void>;
}

/**
 * Clears a draft once what was sent from it is confirmed, but only while the draft still holds that text:
 * the user may have started the next comment while the first was on its way. `trim` for fields whose
 * value is sent trimmed (names, owners). True when it was cleared.
 */
export async function clearDraftIfSent(store: DraftStore, id: string, field: keyof Drafts, sent: string, o: { trim?: boolean } = {}): Promise<boolean> {
  const current = store.drafts(id)[field];
  if (current === undefined || (o.trim ? current.trim() !== sent.trim() : current !== sent)) return false;
  await store.clearDraft(id, field);
  return true;
}

// ---- wording --------------------------------------------------------------------------------------

/** What an action did to the incident's alerts (src/store/triage.ts `ActionResult`). */
export interface AlertOutcome {
  alertsChanged: readonly { title: string }[];
  alertsFailed: readonly { alert: { title: string }; error: string }[];
  /** Alerts the backend left alone, and why (Defender cannot update alerts). */
  alertsSkipped?: readonly { alert: { title: string }; reason: string }[];
}

const MAX_LISTED = 3;

function titles(list: readonly { title: string }[]): string {
  const shown = list.slice(0, MAX_LISTED).map(a => `"${a.title}"`).join(', ');
  return list.length > MAX_LISTED ? `${shown} and ${list.length - MAX_LISTED} more` : shown;
}

function count(n: number): string {
  return n === 1 ? '1 alert' : `${n.toLocaleString('en-US')} alerts`;
}

/** Groups alerts by the reason given for them, in first-seen order. */
function byReason(list: readonly { alert: { title: string }; reason: string }[]): [string, { title: string }[]][] {
  const groups = new Map<string, { title: string }[]>();
  for (const { alert, reason } of list) {
    const g = groups.get(reason) ?? [];
    g.push(alert);
    groups.set(reason, g);
  }
  return [...groups];
}

export interface Described {
  message: string;
  /** What the backend could not do; undefined when everything was done. */
  warning?: string;
}

/** How the alerts an action did not reach were left: "is not assigned to you" / "are not assigned to you". */
export interface LeftAs { one: string; many: string }

function reasonText(reason: string): string {
  return reason.trim().replace(/[.!?]+$/, '');
}

/**
 * The pane's message after Assign to me / Resolve: what was done, which alerts followed, and, as a
 * warning that stays, which alerts were left as they were and why.
 */
export function describeOutcome(r: AlertOutcome, done: string, left: LeftAs): Described {
  let message = done;
  const n = r.alertsChanged.length;
  if (n) message += `; ${n === 1 ? 'its alert' : `its ${n} alerts`} too: ${titles(r.alertsChanged)}`;
  const verb = (k: number) => (k === 1 ? left.one : left.many);
  const parts: string[] = [];
  for (const [reason, alerts] of byReason(r.alertsSkipped ?? [])) {
    parts.push(`${count(alerts.length)} ${verb(alerts.length)} because ${reasonText(reason)}: ${titles(alerts)}.`);
  }
  for (const [reason, alerts] of byReason(r.alertsFailed.map(f => ({ alert: f.alert, reason: f.error })))) {
    parts.push(`${count(alerts.length)} could not be updated and ${verb(alerts.length)}: ${titles(alerts)} (${reasonText(reason)}).`);
  }
  return parts.length ? { message, warning: parts.join(' ') } : { message };
}

export const LEFT_UNASSIGNED = (who: string): LeftAs => ({ one: `is not assigned to ${who}`, many: `are not assigned to ${who}` });
export const LEFT_OPEN: LeftAs = { one: 'stays open', many: 'stay open' };
