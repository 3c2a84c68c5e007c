/**
 * Every triage action, written once and used by the pane, the tree menus, the command palette and
 * bulk actions: it calls the backend, cascades to alerts where the portal would, journals the change
 * and puts the server's answer in the store. Pure; no `vscode` import.
 */
import type { Backend, CallOptions } from '../backend/types';
import { ConflictError, UnsupportedError } from '../backend/errors';
import type { Alert, AlertPatch, Classification, Determination, Incident, IncidentPatch, Status } from '../model/types';
import { diffIncidents, History } from './history';
import type { IncidentStore } from './incidentStore';

export interface ActionOptions extends CallOptions {
  /** Apply on top of a change made elsewhere (the user chose "apply mine" after a conflict). */
  force?: boolean;
}

export interface ActionResult {
  incident: Incident;
  /** Alerts the cascade changed, and those it could not. */
  alertsChanged: Alert[];
  alertsFailed: { alert: Alert; error: string }[];
}

export interface TriageDeps {
  backend: () => Promise<Backend>;
  store: IncidentStore;
  history: () => History;
  me: () => string;
  now?: () => Date;
}

const ACTIVE_ALERT = (a: Alert) => a.status.toLowerCase() !== 'resolved';

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
    const backend = await this.d.backend();
    const caps = backend.capabilities;
    if (patch.name !== undefined && !caps.canRename) throw new UnsupportedError(`${caps.displayName} cannot rename incidents.`);
    if (patch.severity !== undefined && !caps.canChangeSeverity) throw new UnsupportedError(`${caps.displayName} cannot change an incident's severity.`);
    const before = await this.current(id, opts);
    let after: Incident;
    try {
      after = await backend.updateIncident(id, patch, { signal: opts.signal, onRetry: opts.onRetry, expected: opts.force ? undefined : before });
    } catch (e) {
      // Show the server's version at once, so "apply mine on top" applies to what the user now sees.
      if (e instanceof ConflictError) await this.d.store.put(e.server, { observed: true });
      throw e;
    }
    await this.d.history().record(id, diffIncidents(before, after), this.d.me(), 'change');
    await this.d.store.put(after);
    return after;
  }

  /**
   * Cascades a patch to the incident's alerts (the portal does; the APIs do not), then re-reads the
   * incident once so the store holds the alerts and the lastUpdateTime the server now has.
   */
  private async cascade(incident: Incident, pick: (a: Alert) => boolean, patch: AlertPatch, opts: ActionOptions): Promise<ActionResult> {
    const backend = await this.d.backend();
    const result: ActionResult = { incident, alertsChanged: [], alertsFailed: [] };
    if (!backend.capabilities.canUpdateAlerts) return result;
    const targets = incident.alerts.filter(pick);
    if (!targets.length) return result;
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
    if (to === null) return { incident, alertsChanged: [], alertsFailed: [] };
    return this.cascade(incident, a => ACTIVE_ALERT(a) && (a.assignedTo ?? '').toLowerCase() !== to.toLowerCase(), { assignedTo: to }, opts);
  }

  assignToMe(id: string, opts: ActionOptions = {}): Promise<ActionResult> {
    return this.assign(id, this.d.me(), opts);
  }

  /**
   * Sets the status. Resolving can carry a classification, a determination and a resolving comment;
   * it resolves the incident's open alerts too, as the portal does.
   */
  async setStatus(id: string, status: Status, extra: { classification?: Classification; determination?: Determination; comment?: string } = {}, opts: ActionOptions = {}): Promise<ActionResult> {
    const patch: IncidentPatch = { status };
    if (extra.classification !== undefined) patch.classification = extra.classification;
    if (extra.determination !== undefined) patch.determination = extra.determination;
    const incident = await this.update(id, patch, opts);
    let result: ActionResult = { incident, alertsChanged: [], alertsFailed: [] };
    if (status === 'Resolved') {
      const alertPatch: AlertPatch = { status: 'Resolved' };
      if (extra.classification && extra.classification !== 'Unknown') alertPatch.classification = extra.classification;
      if (extra.determination && extra.determination !== 'NotAvailable') alertPatch.determination = extra.determination;
      result = await this.cascade(incident, ACTIVE_ALERT, alertPatch, opts);
    }
    if (extra.comment?.trim()) {
      await this.addComment(id, extra.comment, `resolve-${Date.now().toString(36)}`, opts);
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
   * only when the backend confirms, and kept as failed with the reason otherwise, for Retry.
   */
  async addComment(id: string, text: string, clientId: string, opts: ActionOptions = {}): Promise<Incident> {
    const history = this.d.history();
    const time = (this.d.now?.() ?? new Date()).toISOString();
    const author = this.d.me();
    await history.putOutbox(id, { clientId, text, time, author, state: 'pending' });
    this.d.store.put(this.d.store.get(id) ?? await this.current(id, opts));
    try {
      const backend = await this.d.backend();
      const comments = await backend.addComment(id, text, opts);
      await history.removeOutbox(id, clientId);
      const base = this.d.store.get(id);
      const updated = base ? { ...base, comments } : await backend.getIncident(id, opts);
      await this.d.store.put(updated);
      return updated;
    } catch (e) {
      await history.putOutbox(id, { clientId, text, time, author, state: 'failed', error: e instanceof Error ? e.message : String(e) });
      const base = this.d.store.get(id);
      if (base) this.d.store.put(base);
      throw e;
    }
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
}
