/**
 * The triage rules, in one place: which statuses count as open, which values each surface may set, how
 * severities and statuses sort, which determinations go with which classification, and what resolving
 * still needs. The extension (tree, palette, pane host, store) and the webview both import this module,
 * so it is pure: no `vscode` import, no DOM. Every comparison goes through `enums.ts` normalisation, so
 * any spelling either API (or an old persisted value) uses is judged the same way.
 */
import { CLASSIFICATIONS, DETERMINATIONS_BY_CLASSIFICATION, type Incident, type KnownClassification, type KnownSeverity, type KnownStatus } from './types';
import {
  classificationLabel,
  determinationsFor,
  isValidDetermination,
  normalizeClassification,
  normalizeDetermination,
  normalizeSeverity,
  normalizeStatus,
} from './enums';

export { determinationsFor };

/** True when `determination` is one the portal allows for `classification` (any spelling of either). */
export function isValidPair(classification: string, determination: string): boolean {
  return isValidDetermination(classification, determination);
}

// ---- open / closed -------------------------------------------------------------------------------

const OPEN: ReadonlySet<string> = new Set<KnownStatus>(['Active', 'InProgress']);

/** Active or In progress, whatever the spelling ("inProgress", "ACTIVE"). */
export function isOpen(status: string | null | undefined): boolean {
  return !!status && OPEN.has(normalizeStatus(status));
}

// ---- what each surface may set -------------------------------------------------------------------

/** The statuses the pane (and the palette's Set Status) offers; Redirected and AwaitingAction are the service's. */
export const PANE_STATUSES: readonly KnownStatus[] = Object.freeze(['Active', 'InProgress', 'Resolved'] as const);

/** Every classification the pane and palette offer, "Not set" (Unknown, which clears) first. */
export const SETTABLE_CLASSIFICATIONS: readonly KnownClassification[] = Object.freeze([...CLASSIFICATIONS]);

/** Severities a user may choose where the backend can change severity (UnSpecified is the service's). */
export const SETTABLE_SEVERITIES: readonly KnownSeverity[] = Object.freeze(['High', 'Medium', 'Low', 'Informational'] as const);

/** The "not set" pair: sending it clears classification and determination. */
export const NOT_SET = Object.freeze({ classification: 'Unknown', determination: 'NotAvailable' } as const);

// ---- sorting -------------------------------------------------------------------------------------

const SEVERITY_ORDER: readonly KnownSeverity[] = ['High', 'Medium', 'Low', 'Informational', 'UnSpecified'];
const STATUS_ORDER: readonly KnownStatus[] = ['Active', 'InProgress', 'AwaitingAction', 'Resolved', 'Redirected'];

function rank(order: readonly string[], value: string): number {
  const i = order.indexOf(value);
  return i < 0 ? order.length : i;
}

/** 0 for High ... 4 for UnSpecified; a value nobody knows sorts last (5). */
export function severityRank(severity: string): number {
  return rank(SEVERITY_ORDER, normalizeSeverity(severity));
}

/** 0 for Active, then In progress, Awaiting action, Resolved, Redirected; unknown values last (5). */
export function statusRank(status: string): number {
  return rank(STATUS_ORDER, normalizeStatus(status));
}

// ---- resolving -----------------------------------------------------------------------------------

export interface ResolveInput {
  classification: string | null | undefined;
  determination: string | null | undefined;
  comment: string | null | undefined;
}

export const NEED_CLASSIFICATION = 'Choose a classification';
export const NEED_COMMENT = 'Add a comment';
export function needDetermination(classification: string): string {
  return `Choose a determination valid for ${classificationLabel(classification)}`;
}

function isSetClassification(c: string): c is Exclude<KnownClassification, 'Unknown'> {
  return c !== 'Unknown' && Object.prototype.hasOwnProperty.call(DETERMINATIONS_BY_CLASSIFICATION, c);
}

/**
 * What is still missing before an incident can be resolved with these values; empty when it can. With
 * `requireClassification` (the team setting) a classification, a determination valid for it and a comment
 * are all needed. Without it nothing is needed, but what is given must make sense: a classification needs
 * a determination valid for it, and a determination needs a classification. The "not set" pair
 * (Unknown/NotAvailable, or nothing) is always a consistent pair.
 */
export function resolveNeeds(input: ResolveInput, requireClassification: boolean): string[] {
  const needs: string[] = [];
  const c = input.classification ? normalizeClassification(input.classification) : '';
  const d = input.determination ? normalizeDetermination(input.determination) : '';
  const cleared = (c === '' || c === 'Unknown') && (d === '' || d === 'NotAvailable');
  if (isSetClassification(c)) {
    if (!isValidPair(c, d)) {
      needs.push(needDetermination(c));
    }
  } else if (requireClassification || !cleared) {
    // Nothing usable is chosen (or a determination without its classification, or a value no table knows).
    needs.push(NEED_CLASSIFICATION);
  }
  if (requireClassification && !(input.comment ?? '').trim()) {
    needs.push(NEED_COMMENT);
  }
  return needs;
}

/** The needs as one sentence for a message: "Choose a classification. Add a comment." */
export function resolveNeedsText(needs: readonly string[]): string {
  return needs.map(n => `${n}.`).join(' ');
}

/** The more recently updated of two copies of one incident (the list's copy when they tie or there is none). */
export function newer(known: Incident | undefined, listed: Incident): Incident {
  return known && known.lastUpdateTime > listed.lastUpdateTime ? known : listed;
}
