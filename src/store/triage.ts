/**
 * Triage: the one door every action goes through, from the pane, the command palette, the tree menus and
 * bulk runs. `run(id, action)` checks the action against the rules once (src/model/rules.ts; the team's
 * settings are injected, never read from VS Code here), before anything is sent; calls the backend;
 * cascades to alerts where the portal would; journals the change; puts the server's answer in the store;
 * spends the draft the action was typed in (only while it still holds what was sent); and returns what
 * happened in one wording for every surface (./summary). Pure; no `vscode` import.
 */
import type { Backend, CommentOptions } from '../backend/types';
import { CancelledError, ConflictError, UnsupportedError } from '../backend/errors';
import { checkSupported, countComments, hasResolvingComment, isAmbiguous } from '../backend/common';
import { normalizeStatus } from '../model/enums';
import { isMine } from '../model/identity';
import type { Alert, AlertPatch, Classification, Comment, Determination, Incident, IncidentPatch, Status } from '../model/types';
import { clearDraftIfSent, diffIncidents, History, type FieldChange, type OutboxComment } from './history';
import type { IncidentStore } from './incidentStore';
import { hasTag, MAX_TAGS, splitTags, type TriageAction, type TriageSettings } from '../model/actions';
import {
  checkAction,
  ConnectionChangedError,
  RuleError,
  type ActionOptions,
  type ActionResult,
  type BoundOptions,
  type RunOptions,
  type RunResult,
} from './triageRules';

export * from './triageRules';
import { describeOutcome, Done, LEFT_OPEN, LEFT_UNASSIGNED, type Described } from './summary';
import { ACTIVE_ALERT, cascadeToAlerts, emptyResult } from './alertCascade';

export interface TriageDeps {
  backend: () => Promise<Backend>;
  store: IncidentStore;
  history: () => History;
  me: () => string;
  /** The settings in effect now; absent: none of the team's rules apply. */
  settings?: () => TriageSettings;
  /**
   * The connection a backend was built for (its `historyScope`), and the one in effect now. With these,
   * an action bound to a connection (`RunOptions.connection`) runs only on a backend of that connection.
   */
  connectionOf?: (backend: Backend) => string;
  connection?: () => string;
  now?: () => Date;
}

/** What one run carries through the door: its options and the connection it is bound to. */
type Opts = ActionOptions & BoundOptions;

/** The journal's name for the resolving comment (shown as "Resolving comment: none → ..."). */
const RESOLVING_COMMENT_FIELD = 'resolving comment';

function newClientId(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export class Triage {
  constructor(private readonly d: TriageDeps) {}

  private settings(): TriageSettings {
    return this.d.settings?.() ?? { requireClassificationToResolve: false };
  }

  /**
   * The one entry for every action. Throws a RuleError (nothing sent) when the rules refuse it, an
   * UnsupportedError (nothing sent) when the backend cannot do it, a ConflictError when the incident
   * changed elsewhere (the store then holds the server's copy; `force` applies on top), or the backend's
   * error.
   */
  async run(id: string, action: TriageAction, opts: RunOptions & BoundOptions = {}): Promise<RunResult> {
    checkAction(action, this.settings());
    // Refused before any request (the conflict check's read included) when the connection changed.
    await this.backend(opts);
    const history = this.history(opts);
    switch (action.kind) {
      case 'assignToMe': {
        const me = this.d.me();
        const r = await this.assign(id, me, opts);
        return this.done(id, r, describeOutcome(r, Done.assignedToMe(me), LEFT_UNASSIGNED('you')));
      }
      case 'assign': {
        if (action.to === null) return this.done(id, await this.assign(id, null, opts), plain(Done.unassigned));
        const to = action.to.trim();
        const r = await this.assign(id, to, opts);
        await clearDraftIfSent(history, id, 'assignTo', to, { trim: true });
        return this.done(id, r, describeOutcome(r, Done.assignedTo(to), LEFT_UNASSIGNED(to)));
      }
      case 'setStatus': {
        const { status, classification, determination, comment } = action;
        const r = await this.setStatus(id, status, { classification, determination, comment, clientId: opts.clientId }, opts);
        if (comment?.trim()) await clearDraftIfSent(history, id, normalizeStatus(status) === 'Resolved' ? 'resolveComment' : 'comment', comment);
        return this.done(id, r, describeOutcome(r, Done.status(status), LEFT_OPEN));
      }
      case 'classify':
        return this.done(
          id,
          emptyResult(await this.update(id, { classification: action.classification, determination: action.determination }, opts)),
          plain(Done.classified),
        );
      case 'rename': {
        const name = action.name.trim();
        const incident = await this.update(id, { name }, opts);
        await clearDraftIfSent(history, id, 'name', name, { trim: true });
        return this.done(id, emptyResult(incident), plain(Done.renamed));
      }
      case 'setSeverity':
        return this.done(id, emptyResult(await this.update(id, { severity: action.severity }, opts)), plain(Done.severity(action.severity)));
      case 'setTags': {
        const incident = await this.update(id, { tags: action.tags }, opts);
        // The tags draft is what was typed ("a, b"): spent when it lists exactly the tags sent.
        const typed = history.drafts(id).tags;
        if (typed !== undefined && sameList(splitTags(typed), action.tags)) await history.clearDraft(id, 'tags');
        return this.done(id, emptyResult(incident), plain(Done.tags));
      }
      case 'addTag': {
        const tag = action.tag.trim();
        const i = await this.d.store.load(id, opts);
        if (hasTag(i.tags, tag)) return this.done(id, emptyResult(i), plain(Done.tagAdded(tag)));
        // The count limit needs the incident's own list: checked here, for every front door.
        if (i.tags.length >= MAX_TAGS) throw new RuleError(`An incident can have at most ${MAX_TAGS} tags; #${id} has ${i.tags.length}.`);
        const incident = await this.update(id, { tags: [...i.tags, tag] }, opts);
        return this.done(id, emptyResult(incident), plain(Done.tagAdded(tag)));
      }
      case 'addComment': {
        const incident = await this.addComment(id, action.text, action.clientId, opts);
        // A comment is its own record; one an agent wrote is journaled too, with who confirmed it.
        if (opts.via) await history.record(id, [{ field: 'comment', from: null, to: action.text }], this.d.me(), 'change', opts.via);
        await clearDraftIfSent(history, id, 'comment', action.text);
        return this.done(id, emptyResult(incident), plain(Done.commentAdded));
      }
      case 'retryComment': {
        const entry = history.outbox(id).find(o => o.clientId === action.clientId);
        if (!entry) throw new RuleError('That comment is no longer waiting to be sent.');
        const incident = await this.addComment(id, entry.text, action.clientId, opts);
        await clearDraftIfSent(history, id, 'comment', entry.text);
        return this.done(id, emptyResult(incident), plain(Done.commentAdded));
      }
      case 'discardComment': {
        await history.removeOutbox(id, action.clientId);
        return this.done(id, emptyResult(await this.d.store.load(id, opts)), plain(Done.commentDiscarded));
      }
    }
  }

  /**
   * Throws the UnsupportedError the door would (nothing sent) when the backend cannot do this kind of
   * action at all, so the palette can say so before asking for a value.
   */
  async supports(kind: 'rename' | 'setSeverity'): Promise<void> {
    const backend = await this.d.backend();
    checkSupported(kind === 'rename' ? { name: '' } : { severity: 'Medium' }, backend.capabilities);
  }

  /** The connection in effect now, for a caller to bind its run or flow to (undefined: nothing to bind to). */
  connection(): string | undefined {
    return this.d.connection?.();
  }

  /** The backend for an action, when it is one of the connection the action is bound to. */
  private async backend(opts: BoundOptions): Promise<Backend> {
    const backend = await this.d.backend();
    if (opts.connection !== undefined && this.d.connectionOf) {
      const now = this.d.connectionOf(backend);
      if (now !== opts.connection) throw new ConnectionChangedError(opts.connection, now);
    }
    return backend;
  }

  /** The history of the connection the action is bound to (or of the settings in effect). */
  private history(opts: BoundOptions): History {
    const h = this.d.history();
    return opts.connection !== undefined ? h.at(opts.connection) : h;
  }

  private done(id: string, result: ActionResult, d: Described): RunResult {
    const incident = this.d.store.get(id) ?? result.incident;
    return { incident, summary: d.summary, warnings: d.warnings, result: { ...result, incident } };
  }

  /** One incident update with conflict check, journal and store update. */
  private update(id: string, patch: IncidentPatch, opts: Opts): Promise<Incident> {
    return this.send(id, patch, opts, {});
  }

  private async send(id: string, patch: IncidentPatch, opts: Opts, comment: Pick<CommentOptions, 'onSnapshot'>): Promise<Incident> {
    const backend = await this.backend(opts);
    // The same words as the client's own check, before even the conflict-check read.
    checkSupported(patch, backend.capabilities);
    const before = await this.d.store.load(id, opts);
    let after: Incident;
    try {
      after = await backend.updateIncident(id, patch, {
        signal: opts.signal,
        onRetry: opts.onRetry,
        expected: opts.force ? undefined : before,
        author: this.d.me(),
        onSnapshot: comment.onSnapshot,
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
    await this.history(opts).record(id, changes, this.d.me(), 'change', opts.via);
    await this.d.store.put(after);
    return after;
  }

  /** Cascades a patch to the alerts `pick` takes (./alertCascade.ts), on the backend the action is bound to. */
  private async cascade(incident: Incident, pick: (a: Alert) => boolean, patch: AlertPatch, opts: Opts): Promise<ActionResult> {
    return cascadeToAlerts(await this.backend(opts), this.d.store, incident, pick, patch, opts);
  }

  /** Assign (or unassign with null). Assigning takes the incident's active alerts too, as the portal does. */
  private async assign(id: string, to: string | null, opts: Opts): Promise<ActionResult> {
    const incident = await this.update(id, { assignedTo: to }, opts);
    if (to === null) return emptyResult(incident);
    return this.cascade(incident, a => ACTIVE_ALERT(a) && !isMine(a, to), { assignedTo: to }, opts);
  }

  /**
   * Sets the status. Resolving can carry a classification, a determination and a resolving comment,
   * all in one request (Defender: the PATCH's `comment`; Graph: `resolvingComment`), sent like a comment
   * (never twice) and kept in the outbox until confirmed; it resolves the incident's open alerts too, as
   * the portal does. `clientId` names the comment across retries (one logical comment, one id).
   */
  private async setStatus(
    id: string,
    status: Status,
    extra: { classification?: Classification; determination?: Determination; comment?: string; clientId?: string },
    opts: Opts,
  ): Promise<ActionResult> {
    const patch: IncidentPatch = { status };
    if (extra.classification !== undefined) patch.classification = extra.classification;
    if (extra.determination !== undefined) patch.determination = extra.determination;
    const comment = extra.comment?.trim() ? extra.comment : undefined;
    const resolving = normalizeStatus(status) === 'Resolved';
    let incident: Incident;
    if (comment && resolving) {
      incident = await this.viaOutbox(
        id,
        comment,
        extra.clientId ?? newClientId('resolve'),
        opts,
        hooks => this.send(id, { ...patch, resolvingComment: comment }, opts, hooks),
        server => server,
      );
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

  /**
   * Adds a comment through the outbox: it is pending (and shown) at once, removed from the outbox
   * only when the backend confirms, and kept otherwise: 'failed' with the reason when it did not land,
   * 'unconfirmed' when the answer was lost and it may have. A retry (same clientId, or a failed entry
   * with the same text, as a bulk "Retry Failed" sends) reuses the entry and, when unconfirmed, reads
   * the incident first and sends nothing if the comment is already there.
   */
  private async addComment(id: string, text: string, clientId: string, opts: Opts): Promise<Incident> {
    return this.viaOutbox(
      id,
      text,
      clientId,
      opts,
      async hooks => {
        const backend = await this.backend(opts);
        const comments = await backend.addComment(id, text, { signal: opts.signal, onRetry: opts.onRetry, author: this.d.me(), onSnapshot: hooks.onSnapshot });
        const base = this.d.store.get(id);
        const updated = base ? { ...base, comments } : await backend.getIncident(id, opts);
        await this.d.store.put(updated);
        return updated;
      },
      server => server,
    );
  }

  /** The outbox entry a send of `text` continues: the same clientId, else a failed or unconfirmed one with the same text. */
  private entryFor(history: History, id: string, text: string, clientId: string): OutboxComment | undefined {
    const all = history.outbox(id);
    return (
      all.find(o => o.clientId === clientId) ??
      all.find(o => o.state !== 'pending' && o.text.replace(/\r\n/g, '\n').trim() === text.replace(/\r\n/g, '\n').trim())
    );
  }

  /**
   * Runs a write that carries a comment through the outbox (see addComment). `write` gets the hook that
   * records, before the first send, how many identical comments the incident had; `fromServer` makes
   * the result from a fresh read when an unconfirmed comment turns out to have landed.
   */
  private async viaOutbox<R>(
    id: string,
    text: string,
    clientId: string,
    opts: Opts,
    write: (hooks: Pick<CommentOptions, 'onSnapshot'>) => Promise<R>,
    fromServer: (server: Incident) => R,
  ): Promise<R> {
    const history = this.history(opts);
    const author = this.d.me();
    const existing = this.entryFor(history, id, text, clientId);
    // A second send of a comment this session is sending (a double click, two front doors) would post it twice.
    if (existing?.state === 'pending') throw new RuleError('That comment is already being sent.');
    const key = existing?.clientId ?? clientId;
    const time = existing?.time ?? (this.d.now?.() ?? new Date()).toISOString();
    let seen = existing?.seen;
    const entry = (state: OutboxComment['state'], error?: string): OutboxComment => ({
      clientId: key,
      text,
      time,
      author,
      state,
      ...(seen !== undefined ? { seen } : {}),
      ...(error !== undefined ? { error } : {}),
    });

    await history.putOutbox(id, entry('pending'));
    // The history's change event shows the pending comment; the incident must be known for the send.
    await this.d.store.load(id, opts);
    try {
      const backend = await this.backend(opts);
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
        await history.putOutbox(
          id,
          entry(unsure ? 'unconfirmed' : 'failed', unsure ? `${reason} It may have been posted: Retry checks the incident first.` : reason),
        );
      }
      throw e;
    }
  }
}

function resolvingCommentChange(before: Incident, after: Incident, text: string): FieldChange {
  return { field: RESOLVING_COMMENT_FIELD, from: before.resolvingComment, to: after.resolvingComment ?? text };
}

function plain(summary: string): Described {
  return { summary, warnings: [] };
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
