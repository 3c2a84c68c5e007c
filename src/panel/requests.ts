/**
 * The pane host's rules for requests from the webview, apart from `vscode` so they are tested in plain
 * Node: which requests are refused before anything runs (wrong incident, too many). What an action may
 * do, the drafts it spends and its wording are the door's (src/store/triage.ts, src/store/summary.ts).
 */
import { MAX_REQUESTS_PER_SECOND, type ErrorInfo, type WebviewMessage } from '../shared/protocol';
import { incidentEvidence } from '../model/evidence';
import type { HuntKind } from '../model/evidenceTypes';
import type { Incident } from '../model/types';

/** Most requests of one pane running at once: a pane cannot queue hundreds of slow writes behind the pacer. */
export const MAX_IN_FLIGHT = 20;
/**
 * Most `drafts` and `ready` messages a pane may send in a second: the pane debounces drafts (a few a
 * second while typing) and says ready once per page; more is not a person, and each costs a state write.
 */
export const MAX_HOUSEKEEPING_PER_SECOND = 20;

/** Sliding one-second window; a refused request does not count. */
export class RequestRateLimiter {
  private readonly times: number[] = [];

  constructor(
    private readonly max = MAX_REQUESTS_PER_SECOND,
    private readonly windowMs = 1000,
    private readonly now: () => number = () => Date.now(),
  ) {}

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
export function refusal(
  request: Extract<WebviewMessage, { type: 'request' }>,
  currentIncidentId: string,
  limiter: RequestRateLimiter,
  staleConnection?: { was: string; now: string },
  inFlight = 0,
  userActive = true,
): ErrorInfo | undefined {
  if (staleConnection) {
    // Checked first, and never counted: nothing of this pane may reach the connection now in effect.
    return {
      kind: 'connectionChanged',
      message: `This pane belongs to the previous connection (${staleConnection.was}); the extension is now connected to ${staleConnection.now}. Nothing was sent. Reopen the incident to act on the current connection.`,
    };
  }
  if (inFlight >= MAX_IN_FLIGHT) {
    return {
      kind: 'rateLimited',
      message: `The pane has ${MAX_IN_FLIGHT} requests under way; this one was refused and nothing was changed. Wait for them to finish.`,
    };
  }
  if (request.action.kind === 'copyText' && !userActive) {
    // The clipboard is written only while the user is in this pane (a click there), never in the background.
    return { kind: 'refused', message: 'Copying is only possible while this pane is the active editor; nothing was copied.' };
  }
  if (!limiter.take()) {
    return {
      kind: 'rateLimited',
      message: `The pane sent more than ${MAX_REQUESTS_PER_SECOND} requests in a second; this one was refused and nothing was changed. Try again.`,
    };
  }
  if (request.incidentId !== currentIncidentId) {
    return {
      kind: 'wrongIncident',
      message: `This action was meant for incident #${request.incidentId}, but the pane now shows #${currentIncidentId}; nothing was changed.`,
    };
  }
  return undefined;
}

/**
 * The hunting commands the pane's "Hunt for this" and "Hunt from this incident" run (src/hunting registers
 * them; the pane only knows their ids and arguments).
 */
export const HUNT_COMMANDS = { huntFor: 'defenderIncidents.huntFor', huntFromIncident: 'defenderIncidents.huntFromIncident' } as const;

/** Said when the hunting commands are not registered (a build without hunting, or it failed to load). */
export function huntUnavailable(command: string): string {
  return `Hunting is not available in this window: the command ${command} is not registered. Nothing was run.`;
}

const HUNT_KIND_WORDS: Record<HuntKind, string> = {
  device: 'a device',
  user: 'a user',
  ip: 'an IP address',
  fileHash: 'a file hash',
  url: 'a URL',
  mailbox: 'a mailbox',
};

/**
 * Why "Hunt for this" must not run, or undefined when it may: the value must be one the incident's own
 * evidence offers for that kind. A pane can only ask to hunt for what it shows.
 */
export function huntRefusal(incident: Pick<Incident, 'id' | 'alerts'> | undefined, target: { kind: HuntKind; value: string }): string | undefined {
  if (!incident) return 'This incident is not loaded any more; nothing was run.';
  const known = incidentEvidence(incident.alerts).items.some(e => e.targets.some(t => t.kind === target.kind && t.value === target.value));
  return known ? undefined : `That value is not ${HUNT_KIND_WORDS[target.kind]} in the evidence of incident #${incident.id}; nothing was run.`;
}
