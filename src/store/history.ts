/**
 * "Comments and history": neither API exposes the portal's activity log, so the extension keeps its
 * own journal of every change it makes and of changes it notices between refreshes, plus an outbox of
 * comments not yet confirmed and the user's unsent drafts. All of it lives in a key-value store (the
 * extension's globalState), so it survives closing the pane, reloading the window and a crash of the
 * extension host. Pure; no `vscode` import.
 */
import type { Incident } from '../model/types';
import type { Drafts, TimelineEntry } from '../shared/protocol';
import { classificationLabel, determinationLabel, severityLabel, statusLabel } from '../model/enums';
import { diffIncidents as diffFields } from '../backend/common';

/** The subset of vscode.Memento the history needs; tests pass a Map-backed double. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface FieldChange { field: string; from: string | null; to: string | null }

export interface JournalEntry {
  key: string;
  kind: 'change' | 'observed';
  time: string;
  author: string | null;
  field: string;
  from: string | null;
  to: string | null;
}

export interface OutboxComment {
  clientId: string;
  text: string;
  author?: string;
  time: string;
  state: 'pending' | 'failed';
  error?: string;
}

const MAX_JOURNAL = 300;

/** How a changed field reads in the timeline: its name there and its value as a label. */
const DISPLAY: Record<string, { name: string; show: (v: unknown) => string | null }> = {
  name: { name: 'name', show: v => (v as string) || null },
  assignedTo: { name: 'owner', show: v => (v as string | null) ?? null },
  status: { name: 'status', show: v => statusLabel(v as string) },
  severity: { name: 'severity', show: v => severityLabel(v as string) },
  classification: { name: 'classification', show: v => classificationLabel(v as string) },
  determination: { name: 'determination', show: v => determinationLabel(v as string) },
  tags: { name: 'tags', show: v => (v as string[]).join(', ') || null },
};

/**
 * Field-by-field differences between two versions of an incident, in display form: the fields the
 * conflict check compares (one list, in src/backend/common.ts), plus the alert count.
 */
export function diffIncidents(before: Incident, after: Incident): FieldChange[] {
  const out: FieldChange[] = diffFields(before, after).map(c => {
    const d = DISPLAY[c.field] ?? { name: c.field, show: (v: unknown) => (v === null || v === undefined ? null : String(v)) };
    return { field: d.name, from: d.show(c.from), to: d.show(c.to) };
  });
  if (before.alerts.length !== after.alerts.length) out.push({ field: 'alerts', from: String(before.alerts.length), to: String(after.alerts.length) });
  return out;
}

export function describeChange(c: FieldChange): string {
  if (c.field === 'alerts') return `Alerts: ${c.from ?? 0} → ${c.to ?? 0}`;
  const label = c.field.charAt(0).toUpperCase() + c.field.slice(1);
  return `${label}: ${c.from ?? 'none'} → ${c.to ?? 'none'}`;
}

export class History {
  private seq = 0;
  constructor(private readonly kv: KeyValueStore, private readonly scope: string, private readonly now: () => Date = () => new Date()) {}

  private k(kind: string, id: string): string { return `${kind}:${this.scope}:${id}`; }

  journal(id: string): JournalEntry[] { return this.kv.get<JournalEntry[]>(this.k('journal', id)) ?? []; }

  async record(id: string, changes: FieldChange[], author: string | null, kind: 'change' | 'observed'): Promise<void> {
    if (!changes.length) return;
    const time = this.now().toISOString();
    const added = changes.map(c => ({ key: `${kind}-${Date.now().toString(36)}-${(this.seq++).toString(36)}`, kind, time, author, ...c }));
    const all = [...this.journal(id), ...added];
    await this.kv.update(this.k('journal', id), all.length > MAX_JOURNAL ? all.slice(-MAX_JOURNAL) : all);
  }

  outbox(id: string): OutboxComment[] { return this.kv.get<OutboxComment[]>(this.k('outbox', id)) ?? []; }

  async putOutbox(id: string, c: OutboxComment): Promise<void> {
    const rest = this.outbox(id).filter(x => x.clientId !== c.clientId);
    await this.kv.update(this.k('outbox', id), [...rest, c]);
  }

  async removeOutbox(id: string, clientId: string): Promise<void> {
    const rest = this.outbox(id).filter(x => x.clientId !== clientId);
    await this.kv.update(this.k('outbox', id), rest.length ? rest : undefined);
  }

  drafts(id: string): Drafts { return this.kv.get<Drafts>(this.k('drafts', id)) ?? {}; }

  async setDrafts(id: string, d: Drafts): Promise<void> {
    const clean: Drafts = {};
    for (const [k, v] of Object.entries(d)) if (typeof v === 'string' && v !== '') clean[k as keyof Drafts] = v;
    await this.kv.update(this.k('drafts', id), Object.keys(clean).length ? clean : undefined);
  }

  async clearDraft(id: string, field: keyof Drafts): Promise<void> {
    const d = this.drafts(id);
    if (d[field] === undefined) return;
    delete d[field];
    await this.setDrafts(id, d);
  }

  /** The merged "Comments and history", newest first. */
  timeline(i: Incident): TimelineEntry[] {
    const rows: TimelineEntry[] = [];
    i.comments.forEach((c, n) => rows.push({
      key: `comment-${n}-${c.createdTime ?? ''}`, kind: 'comment', time: c.createdTime ?? i.createdTime, author: c.createdBy, text: c.text, state: 'confirmed',
    }));
    for (const j of this.journal(i.id)) {
      rows.push({ key: j.key, kind: j.kind, time: j.time, author: j.author, text: describeChange(j), field: j.field, from: j.from, to: j.to, state: 'confirmed' });
    }
    for (const o of this.outbox(i.id)) {
      rows.push({ key: o.clientId, kind: 'comment', time: o.time, author: o.author ?? null, text: o.text, state: o.state, error: o.error });
    }
    return rows.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  }
}
