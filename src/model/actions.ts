/**
 * The actions a user can take on an incident, their limits and their checks: one union for every front
 * door (the pane, the palette, the tree menus, bulk runs, and tools), checked once by the door
 * (src/store/triage.ts `run`). The pane protocol wraps this union; nothing here knows the pane.
 * Pure; imports nothing outside the model.
 */
import type { HuntKind } from './evidenceTypes';
import { normalizeStatus, statusLabel } from './enums';
import { PANE_STATUSES, resolveNeeds, resolveNeedsText } from './rules';
import type { Classification, Determination, Severity, Status } from './types';

/** A comment, as the portal allows ("up to 30,000 characters"); also a resolving comment. */
export const COMMENT_MAX_LENGTH = 30000;
/** An incident name: neither API documents a limit; the mock refuses longer (src/mock/limits.ts). */
export const NAME_MAX_LENGTH = 1000;
/**
 * One tag, and tags on one incident. Neither API documents a limit (/work/shared/reference is silent);
 * the mock's stricter limits (src/mock/limits.ts) are kept, and the extension matches them, so what
 * the extension lets through, the mock accepts.
 */
export const TAG_MAX_LENGTH = 128;
export const MAX_TAGS = 50;
/** An email address is at most 320 characters (RFC 5321). */
export const EMAIL_MAX_LENGTH = 320;

/** The actions that change an incident (or its comments), whichever door they come through. */
export type TriageAction =
  | { kind: 'assignToMe' }
  | { kind: 'assign'; to: string | null }
  | { kind: 'setStatus'; status: Status; classification?: Classification; determination?: Determination; comment?: string }
  | { kind: 'classify'; classification: Classification; determination: Determination }
  | { kind: 'rename'; name: string }
  | { kind: 'setSeverity'; severity: Severity }
  | { kind: 'setTags'; tags: string[] }
  /** One tag added to the incident's own list (a bulk run adds a tag to each incident). */
  | { kind: 'addTag'; tag: string }
  | { kind: 'addComment'; text: string; clientId: string }
  | { kind: 'retryComment'; clientId: string }
  | { kind: 'discardComment'; clientId: string };

/** Actions a front door handles itself, without the backend's incident triage. */
export type UiAction =
  | { kind: 'openPortal' }
  | { kind: 'copyText'; text: string }
  | { kind: 'refresh' }
  /** "Hunt for this": an identifying evidence value of this incident (the host checks it is one). */
  | { kind: 'huntFor'; target: { kind: HuntKind; value: string } }
  | { kind: 'huntFromIncident' };

const UI_KINDS: ReadonlySet<string> = new Set<UiAction['kind']>(['openPortal', 'copyText', 'refresh', 'huntFor', 'huntFromIncident']);

export function isTriageAction<A extends { kind: string }>(a: A): a is Exclude<A, UiAction> {
  return !UI_KINDS.has(a.kind);
}

/** Unsaved input typed for an action, kept per incident until the backend confirms it. */
export interface Drafts {
  comment?: string;
  /** The resolve form's comment. */
  resolveComment?: string;
  name?: string;
  assignTo?: string;
  tags?: string;
}

/** The team's settings the rules depend on (the extension reads them from VS Code; tests pass their own). */
export interface TriageSettings {
  /** Resolving needs a classification, a determination valid for it and a comment. */
  requireClassificationToResolve: boolean;
}

function tooLong(what: string, max: number): string {
  return `${what} may have at most ${max.toLocaleString('en-US')} characters.`;
}

/** What is wrong with an incident's tag list, or undefined. */
export function tagsProblem(tags: readonly string[]): string | undefined {
  if (tags.some(t => !t.trim() || t.length > TAG_MAX_LENGTH)) return `Tags must not be empty or longer than ${TAG_MAX_LENGTH} characters.`;
  if (tags.length > MAX_TAGS) return `An incident can have at most ${MAX_TAGS} tags.`;
  return undefined;
}

/**
 * What the rules refuse in an action, in one sentence, or undefined when it may be sent. Each front door
 * may check earlier (as the user types); the door checks every action here, so none exceeds a limit.
 */
export function actionProblem(a: TriageAction, settings: TriageSettings): string | undefined {
  switch (a.kind) {
    case 'assign':
      if (a.to !== null && !a.to.trim()) return 'Enter the user principal name to assign it to, e.g. alice@contoso.com.';
      if (a.to !== null && a.to.trim().length > EMAIL_MAX_LENGTH) return tooLong('A user principal name', EMAIL_MAX_LENGTH);
      return undefined;
    case 'setStatus': {
      const status = normalizeStatus(a.status);
      if (!(PANE_STATUSES as readonly string[]).includes(status)) return `${statusLabel(status)} is set by the service, not by an analyst.`;
      const needs = resolveNeeds(
        { classification: a.classification, determination: a.determination, comment: a.comment },
        status === 'Resolved' && settings.requireClassificationToResolve,
      );
      if (needs.length) return resolveNeedsText(needs);
      if (a.comment !== undefined && a.comment.length > COMMENT_MAX_LENGTH) return tooLong('A comment', COMMENT_MAX_LENGTH);
      return undefined;
    }
    case 'classify': {
      const needs = resolveNeeds({ classification: a.classification, determination: a.determination, comment: null }, false);
      return needs.length ? resolveNeedsText(needs) : undefined;
    }
    case 'rename':
      if (!a.name.trim()) return 'Enter a name.';
      if (a.name.length > NAME_MAX_LENGTH) return tooLong('A name', NAME_MAX_LENGTH);
      return undefined;
    case 'addTag':
      if (!a.tag.trim()) return 'Enter a tag.';
      if (a.tag.length > TAG_MAX_LENGTH) return tooLong('A tag', TAG_MAX_LENGTH);
      return undefined;
    case 'setTags':
      return tagsProblem(a.tags);
    case 'addComment':
      if (!a.text.trim()) return 'Enter a comment.';
      if (a.text.length > COMMENT_MAX_LENGTH) return tooLong('A comment', COMMENT_MAX_LENGTH);
      return undefined;
    default:
      return undefined;
  }
}

// ---- tags: one normaliser, case-insensitive as the portal --------------------------------------

/** How two tags compare: the portal treats "VPN" and "vpn" as one tag. */
export function tagKey(tag: string): string {
  return tag.trim().toLowerCase();
}

/** Trimmed, without empty ones, each tag once (the first spelling kept), in order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.trim();
    const k = t.toLowerCase();
    if (t && !seen.has(k)) {
      seen.add(k);
      out.push(t);
    }
  }
  return out;
}

/** The tags typed in a comma-separated field. */
export function splitTags(typed: string): string[] {
  return normalizeTags(typed.split(','));
}

export function hasTag(tags: readonly string[], tag: string): boolean {
  const k = tagKey(tag);
  return tags.some(t => tagKey(t) === k);
}
