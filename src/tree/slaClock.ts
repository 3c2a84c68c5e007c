/**
 * The queue's SLA clock: each queued incident's SLA state at the time of the last look, the counts the
 * badge and the status bar show, and the tick that finds which rows a moment later read differently.
 * The tree asks it on every rebuild (`update`) and on every tick (`tick`), and schedules the next tick
 * with `nextChange` and `tickAt`. Pure: no `vscode` import, no timers; every call takes `now`, so the
 * tick logic is unit-tested and benchmarked in plain Node (src/model/sla.ts has the rules).
 */
import type { Incident } from '../model/types';
import { computeSlaStates, formatSla, nextTransition, slaState, type SlaInfo, type SlaPolicy, type SlaStateName } from '../model/sla';

export interface SlaClockDeps {
  policy(): SlaPolicy;
  /** When the local journal first saw the incident assigned (epoch ms), or null. */
  assignedAt(id: string): number | null;
}

export type SlaCounts = Record<SlaStateName, number>;

export interface SlaTick {
  /** Ids among the rows shown whose SLA state or SLA text changed: the rows to redraw. */
  changed: string[];
  /** Whether any queued incident (shown or not) changed state: groups, filters and counts may move. */
  stateChanged: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Ticks are at least this far apart, however many clocks change in between. */
export const MIN_TICK_MS = 30_000;
/** And at most this far apart, so the texts never lag far behind even when no state changes. */
export const MAX_TICK_MS = 10 * MINUTE;

const zero = (): SlaCounts => ({ overdue: 0, dueSoon: 0, onTime: 0, none: 0 });

/**
 * The next time (ms, after `now`) at which `formatSla(info, t)` may read differently from now, or
 * Infinity. It follows formatSpan's units: minutes under a day, hours from a day; "due in" rounds up,
 * "overdue" rounds down. A state change (on time → due soon → overdue) is nextTransition's business.
 */
export function nextTextChange(info: SlaInfo, now: number): number {
  if (info.dueAt === null || info.state === 'none' || info.state === 'onTime') return Infinity;
  const left = info.dueAt - now;
  if (left > 0) {
    // "due in N": constant while ceil(left / unit) is; minutes below 1,440 of them, hours above.
    const minutes = Math.ceil(left / MINUTE);
    if (minutes < 24 * 60) return info.dueAt - (minutes - 1) * MINUTE;
    const hours = Math.ceil(left / HOUR);
    return info.dueAt - Math.max((hours - 1) * HOUR, (24 * 60 - 1) * MINUTE);
  }
  // "overdue N": constant while floor(past / unit) is (and "< 1 m" for the first minute).
  const past = -left;
  const unit = past < 24 * HOUR ? MINUTE : HOUR;
  return info.dueAt + (Math.floor(past / unit) + 1) * unit;
}

/**
 * When to run the next tick: at `next` (the next change, or null for none), but not sooner than
 * MIN_TICK_MS after the last tick nor later than MAX_TICK_MS from now.
 */
export function tickAt(next: number | null, now: number, lastTick: number): number {
  const earliest = lastTick + MIN_TICK_MS;
  const at = Math.max(next ?? Infinity, earliest);
  return Math.max(now, Math.min(at, now + MAX_TICK_MS));
}

export class SlaClock {
  private states = new Map<string, SlaInfo>();
  /** The previous result, reused as the next one's Map (a tick compares the two). */
  private spare = new Map<string, SlaInfo>();
  private incidents = new Map<string, Incident>();
  /** When the states were computed (epoch ms); the rows' texts are as of this time. */
  at = 0;
  counts: SlaCounts = zero();

  constructor(private readonly deps: SlaClockDeps) {}

  private compute(now: number): Map<string, SlaInfo> {
    const into = this.spare;
    this.spare = this.states;
    this.states = computeSlaStates(this.incidents.values(), this.deps.policy(), now, id => this.deps.assignedAt(id), into);
    this.at = now;
    return this.spare;
  }

  private count(): SlaCounts {
    const c = zero();
    for (const info of this.states.values()) c[info.state]++;
    return c;
  }

  /** After the queue changed: the incidents it holds (the filtered queue), at `now`. */
  update(incidents: readonly Incident[], now: number): void {
    this.incidents = new Map(incidents.map(i => [i.id, i]));
    this.compute(now);
    this.counts = this.count();
  }

  /**
   * One incident changed, joined the queue, or left it (`undefined`): its state as of `at` (the other rows'
   * time), the counts adjusted. Returns whether a count changed.
   */
  put(id: string, incident: Incident | undefined): boolean {
    const old = this.states.get(id);
    if (incident) {
      this.incidents.set(id, incident);
      const info = slaState(incident, this.deps.policy(), this.at, this.deps.assignedAt(id));
      this.states.set(id, info);
      if (old?.state === info.state) return false;
      this.counts = { ...this.counts, [info.state]: this.counts[info.state] + 1 };
      if (old) this.counts[old.state]--;
      return true;
    }
    this.incidents.delete(id);
    if (!old) return false;
    this.states.delete(id);
    this.counts = { ...this.counts, [old.state]: this.counts[old.state] - 1 };
    return true;
  }

  /** An incident's state as of `at`; undefined for one not in the queue. */
  info(id: string): SlaInfo | undefined {
    return this.states.get(id);
  }

  /**
   * A clock tick at `now`: the same incidents, a later time. Returns the shown rows whose SLA state or
   * SLA text changed, and whether any state changed at all (then the counts were updated too).
   */
  tick(shown: Iterable<string>, now: number): SlaTick {
    const before = this.at;
    const old = this.compute(now);
    let stateChanged = false;
    for (const [id, info] of this.states) {
      if (old.get(id)?.state !== info.state) {
        stateChanged = true;
        break;
      }
    }
    const changed: string[] = [];
    for (const id of shown) {
      const a = old.get(id),
        b = this.states.get(id);
      if (!a || !b) continue;
      if (a.state !== b.state || formatSla(a, before) !== formatSla(b, now)) changed.push(id);
    }
    if (stateChanged) this.counts = this.count();
    return { changed, stateChanged };
  }

  /** The next time any queued incident changes state, or any shown row's SLA text changes; null if never. */
  nextChange(shown: Iterable<string>, now: number): number | null {
    let next = nextTransition(this.incidents.values(), this.deps.policy(), now, id => this.deps.assignedAt(id)) ?? Infinity;
    for (const id of shown) {
      const info = this.states.get(id);
      if (info) next = Math.min(next, nextTextChange(info, now));
    }
    return next === Infinity ? null : next;
  }
}
