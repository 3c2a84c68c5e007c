/**
 * What Triage's door accepts and the rules it checks before anything is sent: the action union (the
 * pane's, plus adding one tag), its results, and `checkAction` (src/model/rules.ts decides; the team's
 * settings are passed in). Pure; no `vscode` import.
 */
import type { CallOptions } from '../backend/types';
import { BackendError } from '../backend/errors';
import { normalizeStatus, statusLabel } from '../model/enums';
import { PANE_STATUSES, resolveNeeds, resolveNeedsText } from '../model/rules';
import type { Alert, Incident } from '../model/types';
import { COMMENT_MAX_LENGTH, NAME_MAX_LENGTH, TAG_MAX_LENGTH, type PaneAction } from '../shared/protocol';

export interface ActionOptions extends CallOptions {
  /** Apply on top of a change made elsewhere (the user chose "apply mine" after a conflict). */
  force?: boolean;
}

/** An alert the action left as it was, and why (e.g. the backend cannot update alerts). */
export interface SkippedAlert { alert: Alert; reason: string }

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

/** The team's settings the rules depend on (the extension reads them from VS Code; tests pass their own). */
export interface TriageSettings {
  /** Resolving needs a classification, a determination valid for it and a comment. */
  requireClassificationToResolve: boolean;
}

/** Actions the pane handles itself, without the backend's incident triage: they never come through here. */
export type UiOnlyAction = Extract<PaneAction, { kind: 'openPortal' | 'copyText' | 'refresh' }>;

/**
 * What `run` does: the actions the pane sends (the same union, src/shared/protocol.ts), and adding one
 * tag (a bulk run adds a tag to each incident's own list).
 */
export type TriageAction = Exclude<PaneAction, UiOnlyAction> | { kind: 'addTag'; tag: string };

export function isTriageAction(a: PaneAction): a is Exclude<PaneAction, UiOnlyAction> {
  return a.kind !== 'openPortal' && a.kind !== 'copyText' && a.kind !== 'refresh';
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
  constructor(readonly was: string, readonly now: string) {
    super(`This was opened on another connection (${was}); the extension is now connected to ${now}. Nothing was sent: reopen the incident to act on the current connection.`);
    this.name = 'ConnectionChangedError';
  }
}

/**
 * The rules, each checked once, before anything is sent. The pane's messages were validated by the
 * protocol already; the palette's input boxes check as the user types; this is where they are decided.
 */
export function checkAction(a: TriageAction, settings: TriageSettings): void {
  switch (a.kind) {
    case 'assign':
      if (a.to !== null && !a.to.trim()) throw new RuleError('Enter the user principal name to assign it to, e.g. alice@contoso.com.');
      return;
    case 'setStatus': {
      const status = normalizeStatus(a.status);
      if (!(PANE_STATUSES as readonly string[]).includes(status)) throw new RuleError(`${statusLabel(status)} is set by the service, not by an analyst.`);
      const resolving = status === 'Resolved';
      const needs = resolveNeeds({ classification: a.classification, determination: a.determination, comment: a.comment }, resolving && settings.requireClassificationToResolve);
      if (needs.length) throw new RuleError(resolveNeedsText(needs));
      if (a.comment !== undefined && a.comment.length > COMMENT_MAX_LENGTH) throw new RuleError(tooLong('A comment', COMMENT_MAX_LENGTH));
      return;
    }
    case 'classify': {
      const needs = resolveNeeds({ classification: a.classification, determination: a.determination, comment: null }, false);
      if (needs.length) throw new RuleError(resolveNeedsText(needs));
      return;
    }
    case 'rename':
      if (!a.name.trim()) throw new RuleError('Enter a name.');
      if (a.name.length > NAME_MAX_LENGTH) throw new RuleError(tooLong('A name', NAME_MAX_LENGTH));
      return;
    case 'addTag':
      if (!a.tag.trim()) throw new RuleError('Enter a tag.');
      if (a.tag.length > TAG_MAX_LENGTH) throw new RuleError(tooLong('A tag', TAG_MAX_LENGTH));
      return;
    case 'setTags':
      if (a.tags.some(t => !t.trim() || t.length > TAG_MAX_LENGTH)) throw new RuleError(`Tags must not be empty or longer than ${TAG_MAX_LENGTH} characters.`);
      return;
    case 'addComment':
      if (!a.text.trim()) throw new RuleError('Enter a comment.');
      if (a.text.length > COMMENT_MAX_LENGTH) throw new RuleError(tooLong('A comment', COMMENT_MAX_LENGTH));
      return;
    default:
      return;
  }
}

function tooLong(what: string, max: number): string {
  return `${what} may have at most ${max.toLocaleString('en-US')} characters.`;
}

/** The tags typed in a comma-separated field. */
export function splitTags(typed: string): string[] {
  return [...new Set(typed.split(',').map(t => t.trim()).filter(Boolean))];
}
