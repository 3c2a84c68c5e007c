/**
 * Every triage action, written once and used by the pane, the tree menus, the command palette and
 * bulk actions: it calls the backend, cascades to alerts where the portal would, journals the change
 * and puts the server's answer in the store. Pure; no `vscode` import.
 */
import type { Backend, CallOptions, CommentOptions } from '../backend/types';
import { CancelledError, ConflictError, UnsupportedError } from '../backend/errors';
import { checkSupported, countComments, hasResolvingComment, isAmbiguous } from '../backend/common';
import { normalizeStatus } from '../model/enums';
import type { Alert, AlertPatch, Classification, Comment, Determination, Incident, IncidentPatch, Status } from '../model/types';
import { diffIncidents, History, type FieldChange, type OutboxComment } from './history';
import type { IncidentStore } from './incidentStore';

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

export interface TriageDeps {
  backend: () => Promise<Backend>;
  store: IncidentStore;
  history: () => History;
  me: () => string;
  now?: () => Date;
}

const ACTIVE_ALERT = (a: Alert) => a.status.toLowerCase() !== 'resolved';

/** The journal's name for the resolving comment (shown as "Resolving comment: none → ..."). */
const RESOLVING_COMMENT_FIELD = 'resolving comment';

function emptyResult(incident: Incident): ActionResult {
  return { incident, alertsChanged: [], alertsFailed: [], alertsSkipped: [] };
}

function newClientId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export class Triage {
  constructor(private readonly d: TriageDeps) {}

  private async current(id: string, opts: ActionOptions): Promise<Incident> {
    const known = this.d.store.get(id);
    if (known) return known;
    const backend = await this.d.backend();
    const i = await backend.getIncident(id, opts);
    this.d.store.put(i);
    return i;
  }

  /** One incident update with conflict check, journal and store update. */
  async update(id: string, patch: IncidentPatch, opts: ActionOptions = {}): Promise<Incident> {
    return this.send(id, patch, opts, {});
  }

  private async send(id: string, patch: IncidentPatch, opts: ActionOptions, comment: Pick<CommentOptions, 'onSnapshot'>): Promise<Incident> {
    const backend = await this.d.backend();
    // The same words as the client's own check, before even the conflict-check read.
    checkSupported(patch, backend.capabilities);
    const before = await this.current(id, opts);
    let after: Incident;
    try {
      after = await backend.updateIncident(id, patch, {
        signal: opts.signal, onRetry: opts.onRetry, expected: opts.force ? undefined : before, author: this.d.me(), onSnapshot: comment.onSnapshot,
      });
    } catch (e) {
      // Show the server's version at once, so "apply mine on top" applies to what the user now sees.
      if (e instanceof ConflictError) await this.d.store.put(e.server, { observed: true });
      throw e;
    }
    const changes = diffIncidents(before, after);
    const text = patch.resolvingComment;
    // Where the resolving comment is a property of the incident (Graph), not one of its comments, the
    // journal shows it, so the timeline has it either way.
    if (text?.trim() && countComments(after.comments, text) <= countComments(before.comments, text)) {
      changes.push(resolvingCommentChange(before, after, text));
    }
    await this.d.history().record(id, changes, this.d.me(), 'change');
    await this.d.store.put(after);
    return after;
  }

  /**
   * Cascades a patch to the incident's alerts (the portal does; the APIs do not), then re-reads the
   * incident once so the store holds the alerts and the lastUpdateTime the server now has. A backend
   * that cannot update alerts leaves them as they were, and the result names them with the reason.
   */
  private async cascade(incident: Incident, pick: (a: Alert) => boolean, patch: AlertPatch, opts: ActionOptions): Promise<ActionResult> {
    const backend = await this.d.backend();
    const result = emptyResult(incident);
    const targets = incident.alerts.filter(pick);
    if (!targets.length) return result;
    if (!backend.capabilities.canUpdateAlerts) {
      const reason = `the ${backend.capabilities.displayName} cannot update alerts`;
      result.alertsSkipped = targets.map(alert => ({ alert, reason }));
      return result;
    }
    for (const a of targets) {
      try {
        result.alertsChanged.push(await backend.updateAlert(a.id, patch, opts));
      } catch (e) {
        result.alertsFailed.push({ alert: a, error: e instanceof Error ? e.message : String(e) });
      }
    }
    if (result.alertsChanged.length) {
      result.incident = await backend.getIncident(incident.id, opts);
      await this.d.store.put(result.incident);
    }
    return result;
  }

  /** Assign (or unassign with null). Assigning takes the incident's active alerts too, as the portal does. */
  async assign(id: string, to: string | null, opts: ActionOptions = {}): Promise<ActionResult> {
    const incident = await this.update(id, { assignedTo: to }, opts);
    if (to === null) return emptyResult(incident);
    return this.cascade(incident, a => ACTIVE_ALERT(a) && (a.assignedTo ?? '').toLowerCase() !== to.toLowerCase(), { assignedTo: to }, opts);
  }

  assignToMe(id: string, opts: ActionOptions = {}): Promise<ActionResult> {
    return this.assign(id, this.d.me(), opts);
  }

  /**
   * Sets the status. Resolving can carry a classification, a determination and a resolving comment,
   * all in one request (Defender: the PATCH's `comment`; Graph: `resolvingComment`), sent like a comment
   * (never twice) and kept in the outbox until confirmed; it resolves the incident's open alerts too, as
   * the portal does. `clientId` names the comment across retries (one logical comment, one id).
   */
  async setStatus(
    id: string, status: Status,
    extra: { classification?: Classification; determination?: Determination; comment?: string; clientId?: string } = {},
    opts: ActionOptions = {},
  ): Promise<ActionResult> {
    const patch: IncidentPatch = { status };
    if (extra.classification !== undefined) patch.classification = extra.classification;
    if (extra.determination !== undefined) patch.determination = extra.determination;
    const comment = extra.comment?.trim() ? extra.comment : undefined;
    const resolving = normalizeStatus(status) === 'Resolved';
    let incident: Incident;
    if (comment && resolving) {
      incident = await this.viaOutbox(id, comment, extra.clientId ?? newClientId('resolve'), opts,
        hooks => this.send(id, { ...patch, resolvingComment: comment }, opts, hooks),
        server => server);
    } else {
      incident = await this.update(id, patch, opts);
    }
    let result = emptyResult(incident);
    if (resolving) {
      const alertPatch: AlertPatch = { status: 'Resolved' };
      if (extra.classification && extra.classification !== 'Unknown') alertPatch.classification = extra.classification;
      if (extra.determination && extra.determination !== 'NotAvailable') alertPatch.determination = extra.determination;
      result = await this.cascade(incident, ACTIVE_ALERT, alertPatch, opts);
    }
    if (comment && !resolving) {
      await this.addComment(id, comment, extra.clientId ?? newClientId('status'), opts);
      result.incident = this.d.store.get(id) ?? result.incident;
    }
    return result;
  }

  async classify(id: string, classification: Classification, determination: Determination, opts: ActionOptions = {}): Promise<Incident> {
    return this.update(id, { classification, determination }, opts);
  }

  async rename(id: string, name: string, opts: ActionOptions = {}): Promise<Incident> {
    return this.update(id, { name }, opts);
  }

  async setTags(id: string, tags: string[], opts: ActionOptions = {}): Promise<Incident> {
    return this.update(id, { tags }, opts);
  }

  async addTag(id: string, tag: string, opts: ActionOptions = {}): Promise<Incident> {
    const i = await this.current(id, opts);
    if (i.tags.some(t => t.toLowerCase() === tag.toLowerCase())) return i;
    return this.update(id, { tags: [...i.tags, tag] }, opts);
  }

  /**
   * Adds a comment through the outbox: it is pending (and shown) at once, removed from the outbox
   * only when the backend confirms, and kept otherwise: 'failed' with the reason when it did not land,
   * 'unconfirmed' when the answer was lost and it may have. A retry (same clientId, or a failed entry
   * with the same text, as a bulk "Retry Failed" sends) reuses the entry and, when unconfirmed, reads
   * the incident first and sends nothing if the comment is already there.
   */
  async addComment(id: string, text: string, clientId: string, opts: ActionOptions = {}): Promise<Incident> {
    return this.viaOutbox(id, text, clientId, opts, async hooks => {
      const backend = await this.d.backend();
      const comments = await backend.addComment(id, text, { signal: opts.signal, onRetry: opts.onRetry, author: this.d.me(), onSnapshot: hooks.onSnapshot });
      const base = this.d.store.get(id);
      const updated = base ? { ...base, comments } : await backend.getIncident(id, opts);
      await this.d.store.put(updated);
      return updated;
    }, server => server);
  }

  async retryComment(id: string, clientId: string, opts: ActionOptions = {}): Promise<Incident> {
    const entry = this.d.history().outbox(id).find(o => o.clientId === clientId);
    if (!entry) throw new Error('That comment is no longer waiting to be sent.');
    return this.addComment(id, entry.text, clientId, opts);
  }

  async discardComment(id: string, clientId: string): Promise<void> {
    await this.d.history().removeOutbox(id, clientId);
    const base = this.d.store.get(id);
    if (base) this.d.store.put(base);
  }

  /** The outbox entry a send of `text` continues: the same clientId, else a failed or unconfirmed one with the same text. */
  private entryFor(history: History, id: string, text: string, clientId: string): OutboxComment | undefined {
    const all = history.outbox(id);
    return all.find(o => o.clientId === clientId)
      ?? all.find(o => o.state !== 'pending' && o.text.replace(/\r\n/g, '\n').trim() === text.replace(/\r\n/g, '\n').trim());
  }

  /**
   * Runs a write that carries a comment through the outbox (see addComment). `write` gets the hook that
   * records, before the first send, how many identical comments the incident had; `fromServer` makes
   * the result from a fresh read when an unconfirmed comment turns out to have landed.
   */
  private async viaOutbox<R>(
    id: string, text: string, clientId: string, opts: ActionOptions,
    write: (hooks: Pick<CommentOptions, 'onSnapshot'>) => Promise<R>,
    fromServer: (server: Incident) => R,
  ): Promise<R> {
    const history = this.d.history();
    const author = this.d.me();
    const existing = this.entryFor(history, id, text, clientId);
    const key = existing?.clientId ?? clientId;
    const time = existing?.time ?? (this.d.now?.() ?? new Date()).toISOString();
    let seen = existing?.seen;
    const entry = (state: OutboxComment['state'], error?: string): OutboxComment =>
      ({ clientId: key, text, time, author, state, ...(seen !== undefined ? { seen } : {}), ...(error !== undefined ? { error } : {}) });

    await history.putOutbox(id, entry('pending'));
    this.d.store.put(this.d.store.get(id) ?? await this.current(id, opts));
    try {
      const backend = await this.d.backend();
      if (existing?.state === 'unconfirmed' && seen !== undefined) {
        // The last send may have landed (its answer was lost, or VS Code closed meanwhile): look first.
        const server = await backend.getIncident(id, opts);
        if (countComments(server.comments, text, author) > seen || (hasResolvingComment(server, text) && normalizeStatus(server.status) === 'Resolved')) {
          await history.removeOutbox(id, key);
          await this.d.store.put(server);
          return fromServer(server);
        }
      }
      const result = await write({
        onSnapshot: async (comments: Comment[]) => {
          seen = countComments(comments, text, author);
          await history.putOutbox(id, entry('pending'));
        },
      });
      await history.removeOutbox(id, key);
      return result;
    } catch (e) {
      if (e instanceof ConflictError || e instanceof UnsupportedError) {
        // Nothing was sent and the action waits for the user's choice, which carries the text again.
        await history.removeOutbox(id, key);
      } else {
        // Once the comments were read for the send (seen), a cancel or a lost answer may have landed it.
        const unsure = seen !== undefined && (isAmbiguous(e) || e instanceof CancelledError);
        const reason = e instanceof Error ? e.message : String(e);
        await history.putOutbox(id, entry(unsure ? 'unconfirmed' : 'failed', unsure ? `${reason} It may have been posted: Retry checks the incident first.` : reason));
      }
      const base = this.d.store.get(id);
      if (base) this.d.store.put(base);
      throw e;
    }
  }
}

function resolvingCommentChange(before: Incident, after: Incident, text: string): FieldChange {
  return { field: RESOLVING_COMMENT_FIELD, from: before.resolvingComment, to: after.resolvingComment ?? text };
}
