/**
 * "Comments and history": neither API exposes the portal's activity log, so the extension keeps its
 * own journal of every change it makes and of changes it notices between refreshes, plus an outbox of
 * comments not yet confirmed and the user's unsent drafts. All of it lives in a key-value store (the
 * extension's globalState), so it survives closing the pane, reloading the window and a crash of the
 * extension host. Everything is kept under a scope (backend kind + API host + tenant, or `mock`), so
 * one tenant's incident #123 never shows another's. Pure; no `vscode` import.
 */
import type { Incident } from '../model/types';
import type { Drafts } from '../model/actions';
import type { TimelineEntry } from '../model/timeline';
import { fieldFor, fieldWords } from '../model/fields';
import { diffIncidents as diffFields } from '../backend/common';

/** The subset of vscode.Memento the history needs; tests pass a Map-backed double. */
export interface KeyValueStore {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): PromiseLike<void>;
}

export interface FieldChange {
  field: string;
  from: string | null;
  to: string | null;
}

export interface JournalEntry {
  key: string;
  kind: 'change' | 'observed';
  /** 'editor': made from this editor; 'server': seen on the server between refreshes. */
  source: 'editor' | 'server';
  time: string;
  /** Who made it: the user for 'editor'; for 'server', whom the server names (Graph's lastModifiedBy), or null. */
  author: string | null;
  field: string;
  from: string | null;
  to: string | null;
  /** Set when an agent asked for the change (see AgentOrigin in ./triageRules). */
  via?: { agent: string; confirmedBy: string; confirmation: string };
}

export interface OutboxComment {
  clientId: string;
  text: string;
  author?: string;
  time: string;
  /**
   * 'pending' while this session sends it; 'unconfirmed' when an earlier session (a crash, a reload)
   * left it pending, so it may or may not have reached the server; 'failed' with the reason.
   */
  state: 'pending' | 'failed' | 'unconfirmed';
  error?: string;
  /** The session that wrote a pending entry (set by `putOutbox`). */
  session?: string;
  /**
   * How many comments with this text (and author) the incident had before the first send (set by
   * Triage): after a lost answer or a crash, one more than this means the comment landed.
   */
  seen?: number;
}

/** This extension host's session: a pending comment from another one is unconfirmed. */
const PROCESS_SESSION = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

const UNCONFIRMED_REASON = 'VS Code closed while this comment was being sent: it may or may not have been posted. Retry checks the incident first.';

const MAX_JOURNAL = 300;
/**
 * Most incidents a scope keeps a journal for: background loads of 2,000-incident queues journal what
 * they observe, and without a bound global state grows with every incident ever seen. The incidents
 * written to longest ago lose their journal first.
 */
export const MAX_JOURNAL_INCIDENTS = 1000;

/**
 * Field-by-field differences between two versions of an incident, in display form: the fields the
 * conflict check compares (the field table's, src/model/fields.ts), plus the alert count.
 */
export function diffIncidents(before: Incident, after: Incident): FieldChange[] {
  const out: FieldChange[] = diffFields(before, after).map(c => {
    // The journal's name and words for the field (src/model/fields.ts).
    const f = fieldFor(c.field);
    return { field: f?.history ?? c.field, from: fieldWords(f, c.from), to: fieldWords(f, c.to) };
  });
  if (before.alerts.length !== after.alerts.length) out.push({ field: 'alerts', from: String(before.alerts.length), to: String(after.alerts.length) });
  return out;
}

export function describeChange(c: FieldChange & Pick<JournalEntry, 'via'>): string {
  const by = c.via ? ` (asked by ${c.via.agent}, confirmed by ${c.via.confirmedBy} in ${c.via.confirmation})` : '';
  if (c.field === 'alerts') return `Alerts: ${c.from ?? 0} → ${c.to ?? 0}${by}`;
  const label = c.field.charAt(0).toUpperCase() + c.field.slice(1);
  return `${label}: ${c.from ?? 'none'} → ${c.to ?? 'none'}${by}`;
}

let seq = 0;

/** The part of the history the draft rule needs. */
export interface DraftStore {
  drafts(id: string): Drafts;
  clearDraft(id: string, field: keyof Drafts): Promise<void>;
}

/**
 * Clears a draft once what was sent from it is confirmed, but only while the draft still holds that text:
 * the user may have started the next comment while the first was on its way. `trim` for fields whose
 * value is sent trimmed (names, owners). True when it was cleared.
 */
export async function clearDraftIfSent(store: DraftStore, id: string, field: keyof Drafts, sent: string, o: { trim?: boolean } = {}): Promise<boolean> {
  const current = store.drafts(id)[field];
  if (current === undefined || (o.trim ? current.trim() !== sent.trim() : current !== sent)) return false;
  await store.clearDraft(id, field);
  return true;
}

export class History implements DraftStore {
  private listeners = new Set<(id: string) => void>();
  private readonly scopeOf: () => string;

  /**
   * @param scope what the entries are kept under: `historyScope()` of the backend config, or a function
   *   giving it (the extension keeps one History whose scope follows the settings in effect).
   * @param session this session's id (default: one per extension host); tests pass their own.
   */
  constructor(
    private readonly kv: KeyValueStore,
    scope: string | (() => string),
    private readonly now: () => Date = () => new Date(),
    private readonly session: string = PROCESS_SESSION,
  ) {
    this.scopeOf = typeof scope === 'string' ? () => scope : scope;
  }

  private k(kind: string, id: string): string {
    return `${kind}:${this.scopeOf()}:${id}`;
  }

  /** The scope entries are kept under now. */
  scope(): string {
    return this.scopeOf();
  }

  /**
   * The same history fixed to one scope (a connection): a pane, a bulk run or a Triage... flow keeps
   * its journal, outbox and drafts under the connection it was opened on, whatever the settings say by
   * the time it writes. Listeners are shared.
   */
  at(scope: string): History {
    const fixed = new History(this.kv, scope, this.now, this.session);
    fixed.listeners = this.listeners;
    return fixed;
  }

  /**
   * Fires with an incident's id when its journal, outbox or drafts changed here (a draft the pane saves
   * itself does not fire: that pane already shows it). The pane listens, so nobody needs to re-put an
   * unchanged incident in the store to wake it.
   */
  onDidChange(l: (id: string) => void): { dispose(): void } {
    this.listeners.add(l);
    return { dispose: () => this.listeners.delete(l) };
  }

  private fire(id: string): void {
    for (const l of [...this.listeners]) l(id);
  }

  journal(id: string): JournalEntry[] {
    // Entries written before `source` existed: a change was always this editor's.
    return (this.kv.get<JournalEntry[]>(this.k('journal', id)) ?? []).map(j => (j.source ? j : { ...j, source: j.kind === 'change' ? 'editor' : 'server' }));
  }

  /**
   * Adds changes to the journal. 'change': made from this editor, `author` the user. 'observed': seen
   * on the server between refreshes, `author` whom the server names as the last modifier, or null.
   */
  async record(id: string, changes: FieldChange[], author: string | null, kind: 'change' | 'observed', via?: JournalEntry['via']): Promise<void> {
    if (!changes.length) return;
    const time = this.now().toISOString();
    const source = kind === 'change' ? 'editor' : 'server';
    const added: JournalEntry[] = changes.map(c => ({
      key: `${kind}-${Date.now().toString(36)}-${(seq++).toString(36)}`,
      kind,
      source,
      time,
      author,
      ...c,
      ...(via ? { via: { ...via } } : {}),
    }));
    const all = [...this.journal(id), ...added];
    await this.kv.update(this.k('journal', id), all.length > MAX_JOURNAL ? all.slice(-MAX_JOURNAL) : all);
    await this.evictJournals(id);
    this.fire(id);
  }

  /** Keeps `id` as the newest journal of the scope and drops the oldest beyond MAX_JOURNAL_INCIDENTS. */
  private async evictJournals(id: string): Promise<void> {
    const indexKey = `journalIndex:${this.scopeOf()}`;
    const index = (this.kv.get<string[]>(indexKey) ?? []).filter(x => x !== id);
    index.push(id);
    const gone = index.length > MAX_JOURNAL_INCIDENTS ? index.splice(0, index.length - MAX_JOURNAL_INCIDENTS) : [];
    for (const old of gone) await this.kv.update(this.k('journal', old), undefined);
    await this.kv.update(indexKey, index);
  }

  /** The comments not yet confirmed; a pending one left by another session reads as 'unconfirmed'. */
  outbox(id: string): OutboxComment[] {
    return this.stored(id).map(o => (o.state === 'pending' && o.session !== this.session ? { ...o, state: 'unconfirmed' } : o));
  }

  private stored(id: string): OutboxComment[] {
    return this.kv.get<OutboxComment[]>(this.k('outbox', id)) ?? [];
  }

  /** Keeps a comment in the outbox; a pending one is stamped with this session. */
  async putOutbox(id: string, c: OutboxComment): Promise<void> {
    const rest = this.stored(id).filter(x => x.clientId !== c.clientId);
    const { session: _ignored, ...entry } = c;
    await this.kv.update(this.k('outbox', id), [...rest, c.state === 'pending' ? { ...entry, session: this.session } : entry]);
    this.fire(id);
  }

  async removeOutbox(id: string, clientId: string): Promise<void> {
    const all = this.stored(id);
    const rest = all.filter(x => x.clientId !== clientId);
    if (rest.length === all.length) return;
    await this.kv.update(this.k('outbox', id), rest.length ? rest : undefined);
    this.fire(id);
  }

  drafts(id: string): Drafts {
    return this.kv.get<Drafts>(this.k('drafts', id)) ?? {};
  }

  async setDrafts(id: string, d: Drafts): Promise<void> {
    const clean: Drafts = {};
    for (const [k, v] of Object.entries(d)) if (typeof v === 'string' && v !== '') clean[k as keyof Drafts] = v;
    await this.kv.update(this.k('drafts', id), Object.keys(clean).length ? clean : undefined);
  }

  /** Clears one draft (what was typed was sent and confirmed); fires, so an open pane empties the field. */
  async clearDraft(id: string, field: keyof Drafts): Promise<void> {
    const d = this.drafts(id);
    if (d[field] === undefined) return;
    delete d[field];
    await this.setDrafts(id, d);
    this.fire(id);
  }

  /** The merged "Comments and history", newest first. */
  timeline(i: Incident): TimelineEntry[] {
    const rows: TimelineEntry[] = [];
    i.comments.forEach((c, n) =>
      rows.push({
        key: `comment-${n}-${c.createdTime ?? ''}`,
        kind: 'comment',
        time: c.createdTime ?? i.createdTime,
        author: c.createdBy,
        text: c.text,
        state: 'confirmed',
      }),
    );
    for (const j of this.journal(i.id)) {
      rows.push({
        key: j.key,
        kind: j.kind,
        time: j.time,
        author: j.author,
        text: describeChange(j),
        field: j.field,
        from: j.from,
        to: j.to,
        state: 'confirmed',
        source: j.source,
        ...(j.via ? { via: `asked by ${j.via.agent}, confirmed in ${j.via.confirmation}` } : {}),
      });
    }
    for (const o of this.outbox(i.id)) {
      const error = o.state === 'unconfirmed' ? (o.error ?? UNCONFIRMED_REASON) : o.error;
      rows.push({ key: o.clientId, kind: 'comment', time: o.time, author: o.author ?? null, text: o.text, state: o.state, error });
    }
    return rows.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
  }
}
