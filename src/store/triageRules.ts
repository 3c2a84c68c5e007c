/**
 * What Triage's door returns and how it refuses: the results of an action and `checkAction`, which
 * throws the model's verdict (src/model/actions.ts: the union, its limits and checks) as a RuleError.
 * Pure; no `vscode` import.
 */
import type { CallOptions } from '../backend/types';
import { BackendError } from '../backend/errors';
import { actionProblem, type TriageAction, type TriageSettings } from '../model/actions';
import type { Alert, Incident } from '../model/types';

export interface ActionOptions extends CallOptions {
  /** Apply on top of a change made elsewhere (the user chose "apply mine" after a conflict). */
  force?: boolean;
  /** Set when an agent asked for the change (a language-model tool, the MCP server): the journal says so. */
  via?: AgentOrigin;
}

/** Who asked for a change on the user's behalf, and how the user confirmed it (kept in the journal). */
export interface AgentOrigin {
  /** "VS Code chat (tool defender_assign_incidents)", "MCP client Copilot CLI (tool ...)". */
  agent: string;
  /** Who confirmed it: the signed-in user. */
  confirmedBy: string;
  /** How: "the chat's tool confirmation", "the extension's dialog". */
  confirmation: string;
}

/** An alert the action left as it was, and why (e.g. the backend cannot update alerts). */
export interface SkippedAlert {
  alert: Alert;
  reason: string;
}

export interface ActionResult {
  incident: Incident;
  /** Alerts the cascade changed, and those it could not. */
  alertsChanged: Alert[];
  alertsFailed: { alert: Alert; error: string }[];
  /**
   * Alerts the portal would have taken along but this backend cannot update (Defender XDR API): they
   * stay unassigned / open, with the reason, so the pane and the palette can say so. Always set by
   * Triage (empty when none); optional only so results built elsewhere need not carry it.
   */
  alertsSkipped?: SkippedAlert[];
}

export interface RunOptions extends ActionOptions {
  /** The outbox id of a resolving comment (one logical comment keeps one id across retries). */
  clientId?: string;
}

/**
 * The connection (backend kind + API host + tenant, as `historyScope` spells it) an action was bound to
 * when its pane, bulk run or flow began. The door refuses it, before any request, on any other.
 */
export interface BoundOptions {
  connection?: string;
}

export interface RunResult {
  /** The incident as the store now holds it. */
  incident: Incident;
  /** What was done, in the words every surface shows (raw text: the palette passes it through safeText). */
  summary: string;
  /** What the backend could not do although the action succeeded, one sentence each. */
  warnings: string[];
  result: ActionResult;
}

/** An action the rules refuse: nothing was sent. */
export class RuleError extends BackendError {
  constructor(message: string) {
    super('badRequest', message);
    this.name = 'RuleError';
  }
}

/**
 * The connection changed (Switch Backend, another tenant, API host or sign-in method) since the pane,
 * bulk run or flow this action comes from was opened: it is refused and nothing is sent, so an incident
 * number of one tenant never acts on the same number in another.
 */
export class ConnectionChangedError extends RuleError {
  constructor(
    readonly was: string,
    readonly now: string,
  ) {
    super(
      `This was opened on another connection (${was}); the extension is now connected to ${now}. Nothing was sent: reopen the incident to act on the current connection.`,
    );
    this.name = 'ConnectionChangedError';
  }
}

/**
 * The rules, each checked once, before anything is sent (src/model/actions.ts decides; the team's
 * settings are passed in). The pane's messages were validated by the protocol already; the palette's
 * input boxes check as the user types; this is where they are decided, for every front door.
 */
export function checkAction(a: TriageAction, settings: TriageSettings): void {
  const problem = actionProblem(a, settings);
  if (problem !== undefined) throw new RuleError(problem);
}
