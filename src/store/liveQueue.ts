/**
 * The queue the tree shows, kept up to date one incident at a time: each group holds all its incidents in
 * sort order, so a changed, added or removed incident is moved with two splices (a binary search finds
 * its place) instead of a rebuild, and the update says what to repaint: the row alone (same group, same
 * place), its group (its count or the order of its rows changed), or the root (a row changed group, a
 * group appeared or went; without grouping, the root is the one group). The grouping, order and row text
 * are ./queue's. Pure; no `vscode` import.
 */
import type { Incident } from '../model/types';
import { comparator, groupKey, groupLabel, groupOrder, rowDescription, type QueueGroup, type QueueOptions } from './queue';

/** Builds the queue from incidents that already passed the filter (the tree keeps it live: LiveQueue). */
export function buildQueue(incidents: Iterable<Incident>, o: QueueOptions): QueueGroup[] {
  return new LiveQueue(incidents, o).groups;
}

/** What an update changed: rows to repaint alone, groups whose count or rows changed, or the root. */
export interface QueueDelta {
  rows: string[];
  groups: string[];
  root: boolean;
  /** Rows whose description was computed again (the changed ones only). */
  described: number;
}

interface Bucket {
  group: QueueGroup;
  all: Incident[];
}

export class LiveQueue {
  groups: QueueGroup[] = [];
  private readonly buckets = new Map<string, Bucket>();
  /** The group each queued incident is in. */
  private readonly keyOf = new Map<string, string>();
  private readonly descriptions = new Map<string, string>();
  private readonly cmp: (a: Incident, b: Incident) => number;
  private readonly order: (a: string, b: string) => number;

  constructor(
    incidents: Iterable<Incident>,
    private readonly o: QueueOptions,
  ) {
    const sla = o.sla ?? (() => undefined);
    this.cmp = comparator(o.sortBy, sla);
    this.order = groupOrder(o.groupBy);
    for (const i of incidents) {
      const k = groupKey(i, o.groupBy, sla);
      this.bucket(k).all.push(i);
      this.keyOf.set(i.id, k);
    }
    for (const b of this.buckets.values()) {
      b.all.sort(this.cmp);
      this.shape(b);
    }
    this.sortGroups();
  }

  private bucket(key: string): Bucket {
    let b = this.buckets.get(key);
    if (!b) {
      b = { group: { key, label: groupLabel(key, this.o.groupBy), count: 0, rows: [], hidden: 0 }, all: [] };
      this.buckets.set(key, b);
    }
    return b;
  }

  private limit(key: string): number {
    return Math.max(1, this.o.groupLimits?.get(key) ?? this.o.maxGroupSize);
  }

  private describe(i: Incident, now = this.o.now): string {
    const d = rowDescription(i, now, this.o.sla?.(i.id));
    this.descriptions.set(i.id, d);
    return d;
  }

  /** The group's shown rows, count and hidden count from its incidents (descriptions kept unless missing). */
  private shape(b: Bucket): void {
    const limit = this.limit(b.group.key);
    const shown = b.all.length > limit ? b.all.slice(0, limit) : b.all;
    b.group.count = b.all.length;
    b.group.hidden = b.all.length - shown.length;
    b.group.rows = shown.map(incident => ({ incident, description: this.descriptions.get(incident.id) ?? this.describe(incident) }));
  }

  private sortGroups(): void {
    this.groups = [...this.buckets.values()].map(b => b.group).sort((a, b) => this.order(a.key, b.key));
  }

  /** Where `i` goes in sorted `all` (after equal ones). */
  private insertAt(all: Incident[], i: Incident): number {
    let lo = 0,
      hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cmp(all[mid], i) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(id: string): boolean {
    return this.keyOf.has(id);
  }

  /** The row text of a queued incident, as last computed. */
  description(id: string): string | undefined {
    return this.descriptions.get(id);
  }

  /** Computes a row's text again at `now` (a clock tick): the group keeps it for its next repaint. */
  redescribe(i: Incident, now: number): string {
    const d = this.describe(i, now);
    const b = this.buckets.get(this.keyOf.get(i.id) ?? '');
    const row = b?.group.rows.find(r => r.incident.id === i.id);
    if (row) row.description = d;
    return d;
  }

  /**
   * Incidents changed, added (a background page) or gone from the queue (`undefined`: deleted or no longer
   * passing the filter). `now` dates the changed rows' descriptions; the SLA states come from `o.sla`,
   * which the caller updated first. Returns what to repaint.
   */
  apply(changes: readonly { id: string; incident: Incident | undefined }[], now: number): QueueDelta {
    const delta: QueueDelta = { rows: [], groups: [], root: false, described: 0 };
    const groups = new Set<string>();
    const sla = this.o.sla ?? (() => undefined);
    for (const { id, incident } of changes) {
      const oldKey = this.keyOf.get(id);
      let oldAt = -1;
      if (oldKey !== undefined) {
        const all = this.buckets.get(oldKey)!.all;
        oldAt = all.findIndex(x => x.id === id);
        all.splice(oldAt, 1);
        this.keyOf.delete(id);
      }
      if (!incident) {
        this.descriptions.delete(id);
        if (oldKey !== undefined) groups.add(oldKey);
        continue;
      }
      const key = groupKey(incident, this.o.groupBy, sla);
      const b = this.bucket(key);
      const at = this.insertAt(b.all, incident);
      b.all.splice(at, 0, incident);
      this.keyOf.set(id, key);
      const description = this.describe(incident, now);
      delta.described++;
      const limit = this.limit(key);
      if (oldKey === key && oldAt === at) {
        if (at < limit) {
          b.group.rows[at] = { incident, description };
          delta.rows.push(id);
        }
      } else if (oldKey === key && oldAt >= limit && at >= limit) {
        // Moved among the hidden rows: nothing shown changes.
      } else {
        groups.add(key);
        // A row that changes group is repainted from the root: VS Code must not see its id under two parents.
        if (oldKey !== undefined && oldKey !== key) {
          groups.add(oldKey);
          delta.root = true;
        }
      }
    }
    for (const key of groups) {
      const b = this.buckets.get(key)!;
      if (!b.all.length) {
        this.buckets.delete(key);
        delta.root = true;
        continue;
      }
      const hadRows = b.group.rows.length > 0;
      this.shape(b);
      if (!hadRows) delta.root = true;
    }
    if (delta.root || this.groups.length !== this.buckets.size) {
      delta.root = true;
      this.sortGroups();
    }
    // Without grouping the root is the one group.
    if (this.o.groupBy === 'none' && groups.size) delta.root = true;
    delta.groups = delta.root && this.o.groupBy === 'none' ? [] : [...groups].filter(k => this.buckets.has(k));
    if (delta.root && this.o.groupBy !== 'none') delta.groups = [];
    const inGroups = new Set(delta.groups);
    delta.rows = delta.rows.filter(id => !inGroups.has(this.keyOf.get(id)!) && !delta.root);
    return delta;
  }
}
