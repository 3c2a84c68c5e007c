/**
 * What "Triage..." offers and where "Next Incident Needing Attention" goes, without a `vscode` import so
 * both are unit-tested in plain Node (the commands that show them are in ./triageFlow).
 *
 * The resolve choices are built from the model's valid pairs (src/model/types.ts
 * DETERMINATIONS_BY_CLASSIFICATION through `determinationsFor`) and worded with its label table, so a pair
 * the API refuses is never offered and the words are the pane's and the portal's.
 */
import type { Classification, Determination, Incident } from '../model/types';
import { classificationLabel, determinationLabel, isDeprecated } from '../model/enums';
import { determinationsFor, isOpen, NOT_SET, SETTABLE_CLASSIFICATIONS } from '../model/rules';
import { normalizeStatus } from '../model/enums';
import type { SlaStateName } from '../model/sla';
import { isMine } from '../model/identity';

export type TriageChoice =
  | { kind: 'assignAndStart' }
  | { kind: 'assignToMe' }
  | { kind: 'start' }
  | { kind: 'resolve'; classification: Classification; determination: Determination }
  | { kind: 'comment' }
  | { kind: 'classify' }
  | { kind: 'setStatus' }
  | { kind: 'reopen' };

export interface TriageItem {
  label: string;
  /** What typing matches besides the label: the classification's initials ("tp", "fp", "iea"). */
  description?: string;
  choice: TriageChoice;
}

/**
 * The pairs analysts close most with, first (an ordering, not data: the portal keeps no such statistics
 * for us). Every other valid pair follows in the portal's order.
 */
const COMMON_PAIRS: readonly (readonly [Classification, Determination])[] = [
  ['TruePositive', 'Malware'],
  ['FalsePositive', 'NotMalicious'],
  ['TruePositive', 'Phishing'],
  ['InformationalExpectedActivity', 'SecurityTesting'],
  ['TruePositive', 'CompromisedAccount'],
  ['TruePositive', 'MaliciousUserActivity'],
  ['InformationalExpectedActivity', 'LineOfBusinessApplication'],
  ['InformationalExpectedActivity', 'ConfirmedActivity'],
  ['FalsePositive', 'NoEnoughDataToValidate'],
  ['TruePositive', 'MultiStagedAttack'],
  ['TruePositive', 'UnwantedSoftware'],
];

/** "Informational, expected activity" reads "Informational" in a one-line choice; the description keeps its initials. */
function shortClassification(c: Classification): string {
  return classificationLabel(c).split(',')[0];
}

/** "tp", "fp", "iea": the initials of the classification's words, typed to narrow the list. */
export function classificationInitials(c: Classification): string {
  return classificationLabel(c)
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(w => w[0].toLowerCase())
    .join('');
}

/** Every pair that resolving may carry (the "Not set" pair aside), most common first. */
export function resolvePairs(): [Classification, Determination][] {
  const valid: [Classification, Determination][] = [];
  for (const c of SETTABLE_CLASSIFICATIONS) {
    if (c === NOT_SET.classification) continue;
    for (const d of determinationsFor(c)) if (!isDeprecated('determination', d)) valid.push([c, d]);
  }
  const key = (p: readonly [string, string]) => `${p[0]}/${p[1]}`;
  const have = new Set(valid.map(key));
  const common = COMMON_PAIRS.filter(p => have.has(key(p))).map(p => [p[0], p[1]] as [Classification, Determination]);
  const first = new Set(common.map(key));
  return [...common, ...valid.filter(p => !first.has(key(p)))];
}

export function resolveLabel(c: Classification, d: Determination): string {
  return `Resolve: ${shortClassification(c)}, ${determinationLabel(d)}`;
}

/**
 * The choices for one incident, in the order the next keystroke most likely wants: an open incident that
 * is not yours starts with "Assign to me and start"; yours and Active with "Start"; yours and In progress
 * with the resolve choices; a closed one with "Reopen".
 */
export function triageItems(i: Pick<Incident, 'status' | 'assignedTo'>, me: string): TriageItem[] {
  const open = isOpen(i.status);
  const mine = isMine(i, me);
  const resolves: TriageItem[] = resolvePairs().map(([c, d]) => ({
    label: resolveLabel(c, d),
    description: classificationInitials(c),
    choice: { kind: 'resolve', classification: c, determination: d },
  }));
  const tail: TriageItem[] = [
    { label: 'Comment...', choice: { kind: 'comment' } },
    { label: 'Classify...', choice: { kind: 'classify' } },
    { label: 'Set status...', choice: { kind: 'setStatus' } },
  ];
  if (!open) return [{ label: 'Reopen', choice: { kind: 'reopen' } }, ...tail];
  const head: TriageItem[] = [];
  if (!mine) {
    head.push({ label: 'Assign to me and start (In progress)', choice: { kind: 'assignAndStart' } }, { label: 'Assign to me', choice: { kind: 'assignToMe' } });
  } else if (normalizeStatus(i.status) !== 'InProgress') {
    head.push({ label: 'Start (In progress)', choice: { kind: 'start' } });
  }
  return [...head, ...resolves, ...tail];
}

/**
 * The choice typed text means: the first, in the list's order, whose initials start with it ("tp", "fp",
 * "iea"), else whose label contains it (any case). VS Code sorts a filtered quick pick by its own score
 * (which puts "Compromised account" above "Malware" for "tp"); the command makes this one active instead.
 */
export function preferredFor<T extends TriageItem>(items: readonly T[], typed: string): T | undefined {
  const t = typed.trim().toLowerCase();
  if (!t) return items[0];
  return items.find(i => !!i.description && i.description.startsWith(t)) ?? items.find(i => i.label.toLowerCase().includes(t));
}

/** Whether an incident needs someone now: open, and unassigned or past its SLA. */
export function needsAttention(i: Pick<Incident, 'status' | 'assignedTo'>, sla: SlaStateName | undefined): boolean {
  if (!isOpen(i.status)) return false;
  return !i.assignedTo?.trim() || sla === 'overdue';
}

/**
 * The next id after `current` in `order` (the tree's order) for which `needs` holds, going `dir` and
 * wrapping around; never `current` itself. Without a current (or one no longer listed) it starts at the
 * top (or the bottom going back).
 */
export function nextNeeding(order: readonly string[], current: string | undefined, needs: (id: string) => boolean, dir: 1 | -1 = 1): string | undefined {
  const n = order.length;
  if (!n) return undefined;
  const at = current === undefined ? -1 : order.indexOf(current);
  const start = at < 0 ? (dir === 1 ? -1 : n) : at;
  for (let step = 1; step <= n; step++) {
    const idx = (((start + dir * step) % n) + n) % n;
    const id = order[idx];
    if (id !== current && needs(id)) return id;
  }
  return undefined;
}
