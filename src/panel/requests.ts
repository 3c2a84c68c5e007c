/**
 * The pane host's rules for requests from the webview, apart from `vscode` so they are tested in plain
 * Node: which requests are refused before anything runs (wrong incident, too many). What an action may
 * do, the drafts it spends and its wording are the door's (src/store/triage.ts, src/store/summary.ts).
 */
import { MAX_REQUESTS_PER_SECOND, type ErrorInfo, type WebviewMessage } from '../shared/protocol';

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
export function refusal(
  request: Extract<WebviewMessage, { type: 'request' }>, currentIncidentId: string, limiter: RequestRateLimiter,
  staleConnection?: { was: string; now: string },
): ErrorInfo | undefined {
  if (staleConnection) {
    // Checked first, and never counted: nothing of this pane may reach the connection now in effect.
    return {
      kind: 'connectionChanged',
      message: `This pane belongs to the previous connection (${staleConnection.was}); the extension is now connected to ${staleConnection.now}. Nothing was sent. Reopen the incident to act on the current connection.`,
    };
  }
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
