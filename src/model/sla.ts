/**
 * SLA clocks on the incident queue (issue #12): the policy (its setting is read in ./slaSetting.ts), the state of each open
 * incident's clocks at a given time, the short texts the tree shows, and the next time any state
 * changes (so a clock tick can be scheduled exactly then). Pure: no `vscode` import, no timers, no
 * `Date.now()`; every function takes `now` (ms since the epoch).
 *
 * Rules:
 * - Only open incidents (Active, InProgress, in any case) have clocks. Resolved, Redirected,
 *   AwaitingAction and unknown statuses have none, nor have severities without a policy (UnSpecified,
 *   unknown values), nor an unparseable createdTime. Nothing here throws on bad incident data.
 * - Both clocks start at createdTime. Time to assign runs while the incident is unassigned and no
 *   assignment time is known; time to resolve runs while it is open.
 * - A running clock is overdue from its due time on (exactly at the due time included), due soon from
 *   the moment its time left is at most 20% of its duration, and on time before that.
 * - The governing clock is the running clock with the least time left (assign on a tie); the
 *   incident's state is the worst of its running clocks (which is the governing clock's state, as both
 *   clocks start together). No running clock: state 'none' (the met assign clock is still described).
 */
import { normalizeSeverity, normalizeStatus } from './enums';
import type { Incident } from './types';

// ---- policy --------------------------------------------------------------------------------------

/** The severities a policy covers (the known ones). An unknown severity has no clocks. */
export const SLA_SEVERITIES = ['High', 'Medium', 'Low', 'Informational', 'UnSpecified'] as const;
export type SlaSeverity = (typeof SLA_SEVERITIES)[number];

/** One severity's clocks, in minutes from createdTime; `null` = that clock is off. */
export interface SeveritySla {
  assignWithinMinutes: number | null;
  resolveWithinMinutes: number | null;
}

export type SlaPolicy = Readonly<Record<SlaSeverity, Readonly<SeveritySla>>>;

const H = 60;
const D = 24 * H;

/** High 30 m / 4 h, Medium 2 h / 24 h, Low 8 h / 72 h, Informational and UnSpecified off. */
export const DEFAULT_SLA_POLICY: SlaPolicy = Object.freeze({
  High: Object.freeze({ assignWithinMinutes: 30, resolveWithinMinutes: 4 * H }),
  Medium: Object.freeze({ assignWithinMinutes: 2 * H, resolveWithinMinutes: 24 * H }),
  Low: Object.freeze({ assignWithinMinutes: 8 * H, resolveWithinMinutes: 72 * H }),
  Informational: Object.freeze({ assignWithinMinutes: null, resolveWithinMinutes: null }),
  UnSpecified: Object.freeze({ assignWithinMinutes: null, resolveWithinMinutes: null }),
});

/** A clock is due soon when its time left is at most this fraction of its duration. */
export const DUE_SOON_FRACTION = 0.2;

/** The longest duration the setting accepts: 365 days, in minutes. */
export const MAX_SLA_MINUTES = 365 * D;

export const SLA_SETTING = 'defenderIncidents.sla';

// ---- state ---------------------------------------------------------------------------------------

export type SlaStateName = 'overdue' | 'dueSoon' | 'onTime' | 'none';

/** The SLA states in words, the one table the queue's groups, the filter and its quick pick read. */
export const SLA_STATE_LABELS: Readonly<Record<SlaStateName, string>> = { overdue: 'Overdue', dueSoon: 'Due soon', onTime: 'On time', none: 'No SLA' };
export type SlaClockName = 'assign' | 'resolve';

export interface ClockInfo {
  /** The clock's duration (from createdTime to due). */
  durationMs: number;
  dueAt: number;
  /** dueAt - now: negative when past due. Kept for a met clock too, where it means nothing. */
  msLeft: number;
  /** The clock is stopped: the incident has been assigned (for time to assign). */
  met: boolean;
  /** When it was met, if known (the journal's assignment time). */
  metAt: number | null;
}

export interface SlaInfo {
  state: SlaStateName;
  /** The governing clock: the running clock with the least time left. */
  clock: SlaClockName | null;
  dueAt: number | null;
  msLeft: number | null;
  /** Time to assign, when the policy has it and the incident is open (met or running). */
  assign: ClockInfo | null;
  /** Time to resolve, when the policy has it and the incident is open. */
  resolve: ClockInfo | null;
}

/** The one 'none' answer (shared: treat SlaInfo as read-only). */
export const NO_SLA: SlaInfo = Object.freeze({ state: 'none', clock: null, dueAt: null, msLeft: null, assign: null, resolve: null }) as SlaInfo;

const MINUTE = 60_000;

function isOpen(status: unknown): boolean {
  // The canonical spellings first: the store holds normalised values, so this is nearly every call.
  if (status === 'Active' || status === 'InProgress') return true;
  if (status === 'Resolved' || status === 'Redirected' || typeof status !== 'string') return false;
  const s = normalizeStatus(status);
  return s === 'Active' || s === 'InProgress';
}

function policyFor(policy: SlaPolicy, severity: unknown): Readonly<SeveritySla> | undefined {
  if (typeof severity !== 'string') return undefined;
  const own = Object.prototype.hasOwnProperty.call(policy, severity) ? policy[severity as SlaSeverity] : undefined;
  if (own) return own;
  const s = normalizeSeverity(severity);
  return Object.prototype.hasOwnProperty.call(policy, s) ? policy[s as SlaSeverity] : undefined;
}

function clockState(c: ClockInfo): Exclude<SlaStateName, 'none'> {
  if (c.msLeft <= 0) return 'overdue';
  // msLeft <= 20% of the duration, in exact arithmetic for whole-ms values.
  return c.msLeft * 5 <= c.durationMs ? 'dueSoon' : 'onTime';
}

const RANK = { onTime: 0, dueSoon: 1, overdue: 2 } as const;

function validMs(v: number | null | undefined): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** The incident's clocks (or undefined when it has none), shared by slaState and nextTransition. */
function clocksOf(
  i: Incident,
  policy: SlaPolicy,
  assignedAt: number | null | undefined,
): { created: number; p: Readonly<SeveritySla>; assignMet: boolean } | undefined {
  if (!i || typeof i !== 'object' || !isOpen(i.status)) return undefined;
  const p = policyFor(policy, i.severity);
  if (!p || (p.assignWithinMinutes === null && p.resolveWithinMinutes === null)) return undefined;
  const created = typeof i.createdTime === 'string' ? Date.parse(i.createdTime) : NaN;
  if (!Number.isFinite(created)) return undefined;
  const assignMet = validMs(assignedAt) || (typeof i.assignedTo === 'string' && i.assignedTo.trim() !== '');
  return { created, p, assignMet };
}

function durationMs(minutes: number | null): number | null {
  return minutes === null || !(minutes > 0) ? null : Math.round(minutes * MINUTE);
}

/**
 * The SLA state of one incident at `now`. `assignedAt` (ms), when a local journal knows when the
 * incident was assigned, marks time to assign met (even if it was unassigned again since).
 */
export function slaState(i: Incident, policy: SlaPolicy, now: number, assignedAt?: number | null): SlaInfo {
  const c = clocksOf(i, policy, assignedAt);
  if (!c) return NO_SLA;
  const aDur = durationMs(c.p.assignWithinMinutes);
  const rDur = durationMs(c.p.resolveWithinMinutes);
  const assign: ClockInfo | null =
    aDur === null
      ? null
      : {
          durationMs: aDur,
          dueAt: c.created + aDur,
          msLeft: c.created + aDur - now,
          met: c.assignMet,
          metAt: validMs(assignedAt) ? assignedAt : null,
        };
  const resolve: ClockInfo | null =
    rDur === null
      ? null
      : {
          durationMs: rDur,
          dueAt: c.created + rDur,
          msLeft: c.created + rDur - now,
          met: false,
          metAt: null,
        };
  let clock: SlaClockName | null = null;
  let gov: ClockInfo | null = null;
  let state: SlaStateName = 'none';
  if (assign && !assign.met) {
    clock = 'assign';
    gov = assign;
    state = clockState(assign);
  }
  if (resolve) {
    const rs = clockState(resolve);
    if (!gov || resolve.msLeft < gov.msLeft) {
      clock = 'resolve';
      gov = resolve;
    }
    if (state === 'none' || RANK[rs] > RANK[state]) state = rs;
  }
  return { state, clock, dueAt: gov ? gov.dueAt : null, msLeft: gov ? gov.msLeft : null, assign, resolve };
}

/**
 * slaState for every incident, by id (every incident has an entry; NO_SLA when it has no clock).
 *
 * `into`: a Map to fill instead of a new one (e.g. the result before last, when a caller keeps two to
 * compare states): its entries are overwritten and those of incidents not given are deleted. For a
 * large queue most of the cost is growing a new Map, so reusing one makes a tick several times cheaper.
 */
export function computeSlaStates(
  incidents: Iterable<Incident>,
  policy: SlaPolicy,
  now: number,
  assignedAt?: (id: string) => number | null | undefined,
  into?: Map<string, SlaInfo>,
): Map<string, SlaInfo> {
  const out = into ?? new Map<string, SlaInfo>();
  // Ids written, kept only when old entries may have to go (`incidents` may be a one-shot iterator).
  const ids: string[] | undefined = into && into.size > 0 ? [] : undefined;
  let written = 0;
  for (const i of incidents) {
    out.set(i.id, slaState(i, policy, now, assignedAt ? assignedAt(i.id) : null));
    ids?.push(i.id);
    written++;
  }
  if (ids && out.size !== written) {
    // Entries of incidents not given now (or repeated ids): keep only what was written.
    const live = new Set(ids);
    for (const id of out.keys()) if (!live.has(id)) out.delete(id);
  }
  return out;
}

/**
 * The earliest time after `now` (ms, whole) at which any incident's state changes by time alone
 * (it becomes due soon or overdue), or null if none ever will. At that time slaState already gives
 * the new state; before it, every state is the one at `now`. Only the governing clock can change an
 * incident's state (both clocks start at createdTime, so the shorter one is always the more urgent),
 * so the other clock's marks are not transitions. Data changes (assignment, status) are not foreseen:
 * recompute after them.
 */
export function nextTransition(
  incidents: Iterable<Incident>,
  policy: SlaPolicy,
  now: number,
  assignedAt?: (id: string) => number | null | undefined,
): number | null {
  let next = Infinity;
  for (const i of incidents) {
    const c = clocksOf(i, policy, assignedAt ? assignedAt(i.id) : null);
    if (!c) continue;
    const a = c.assignMet ? null : durationMs(c.p.assignWithinMinutes);
    const r = durationMs(c.p.resolveWithinMinutes);
    const dur = a === null ? r : r === null ? a : Math.min(a, r);
    if (dur === null) continue;
    const due = c.created + dur;
    if (due <= now) continue; // overdue: no more changes by time
    // Due soon from the first whole ms with (due - t) * 5 <= dur, as in clockState.
    const soon = Math.ceil(due - dur / 5);
    const t = soon > now ? soon : due;
    if (t < next) next = t;
  }
  return next === Infinity ? null : next;
}

// ---- text ----------------------------------------------------------------------------------------

/**
 * A compact span: "9 m" under 1 h, "1 h 12 m" / "3 h" under 24 h, "2 d 5 h" / "2 d" from 1 d.
 * `up` rounds up (time left: "due in 1 m" until due), otherwise down (time past).
 */
export function formatSpan(ms: number, up: boolean): string {
  const round = up ? Math.ceil : Math.floor;
  const t = Math.max(0, ms);
  const minutes = round(t / MINUTE);
  if (minutes < 60) return `${minutes} m`;
  if (minutes < D) {
    const h = Math.floor(minutes / 60),
      m = minutes % 60;
    return m ? `${h} h ${m} m` : `${h} h`;
  }
  const hours = Math.max(24, round(t / (60 * MINUTE)));
  const d = Math.floor(hours / 24),
    h = hours % 24;
  return h ? `${d} d ${h} h` : `${d} d`;
}

/** A policy duration, exactly: "30 m", "4 h", "1 h 30 m", "3 d", "1 d 30 m". */
export function formatSlaMinutes(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  const total = Math.round(minutes);
  const d = Math.floor(total / D),
    h = Math.floor((total % D) / 60),
    m = total % 60;
  return [d ? `${d} d` : '', h ? `${h} h` : '', m ? `${m} m` : ''].filter(Boolean).join(' ');
}

/**
 * The tree row's text at `now` for its governing clock: "overdue 1 h 12 m" (just past due:
 * "overdue < 1 m"), "due in 9 m", "due in 3 h", "on time"; '' when there is no clock.
 */
export function formatSla(info: SlaInfo, now: number): string {
  if (info.state === 'none' || info.dueAt === null) return '';
  const left = info.dueAt - now;
  if (info.state === 'overdue' || left <= 0) {
    return left > -MINUTE ? 'overdue < 1 m' : `overdue ${formatSpan(-left, false)}`;
  }
  if (info.state === 'dueSoon') return `due in ${formatSpan(left, true)}`;
  return 'on time';
}

function describeClock(label: string, c: ClockInfo): string {
  const head = `${label}: ${formatSlaMinutes(c.durationMs / MINUTE)}`;
  if (c.met) {
    if (c.metAt !== null && c.metAt > c.dueAt) return `${head}, met ${c.metAt - c.dueAt < MINUTE ? '< 1 m' : formatSpan(c.metAt - c.dueAt, false)} late`;
    return `${head}, met`;
  }
  if (c.msLeft <= 0) return `${head}, overdue ${c.msLeft > -MINUTE ? '< 1 m' : formatSpan(-c.msLeft, false)}`;
  return `${head}, ${formatSpan(c.msLeft, true)} left`;
}

/**
 * The tooltip's lines, one per clock the policy has for this incident:
 * "Time to assign: 30 m, met" / "Time to resolve: 4 h, 1 h 12 m left" ("..., overdue 5 m").
 * Empty when the incident has no clocks.
 */
export function describeSlaClocks(info: SlaInfo): string[] {
  const lines: string[] = [];
  if (info.assign) lines.push(describeClock('Time to assign', info.assign));
  if (info.resolve) lines.push(describeClock('Time to resolve', info.resolve));
  return lines;
}
