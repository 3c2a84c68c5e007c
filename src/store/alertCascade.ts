/**
 * The cascade of an incident write to its alerts, as the portal does and the APIs do not (Triage's
 * assign and resolve, ./triage.ts): the alerts it picks are written side by side, each outcome reported,
 * and the incident read once more so the store holds what the server now has. Pure; no `vscode` import.
 */
import type { Backend } from '../backend/types';
import type { Alert, AlertPatch, Incident } from '../model/types';
import type { IncidentStore } from './incidentStore';
import type { ActionResult, BoundOptions, ActionOptions } from './triageRules';

/** Alert writes of one cascade in flight at once (as a browser's connections per host). */
export const ALERT_WRITES_IN_FLIGHT = 6;

/** An alert still open (the ones a cascade takes). */
export const ACTIVE_ALERT = (a: Alert) => a.status.toLowerCase() !== 'resolved';

/** Runs `f` over `items` with at most `limit` running at once; the outcomes in the items' order. */
export async function eachConcurrently<T, R>(
  items: readonly T[],
  limit: number,
  f: (item: T) => Promise<R>,
): Promise<({ ok: true; value: R } | { ok: false; error: unknown })[]> {
  const out: ({ ok: true; value: R } | { ok: false; error: unknown })[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const k = next++;
      try {
        out[k] = { ok: true, value: await f(items[k]) };
      } catch (error) {
        out[k] = { ok: false, error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** What an action did when it wrote the incident only. */
export function emptyResult(incident: Incident): ActionResult {
  return { incident, alertsChanged: [], alertsFailed: [], alertsSkipped: [] };
}

/**
 * Cascades a patch to the incident's alerts `pick` takes, then re-reads the incident once so the store
 * holds the alerts and the lastUpdateTime the server now has. A backend that cannot update alerts leaves
 * them as they were, and the result names them with the reason.
 */
export async function cascadeToAlerts(
  backend: Backend,
  store: IncidentStore,
  incident: Incident,
  pick: (a: Alert) => boolean,
  patch: AlertPatch,
  opts: ActionOptions & BoundOptions,
): Promise<ActionResult> {
  const result = emptyResult(incident);
  const targets = incident.alerts.filter(pick);
  if (!targets.length) return result;
  if (!backend.capabilities.canUpdateAlerts) {
    const reason = `the ${backend.capabilities.displayName} cannot update alerts`;
    result.alertsSkipped = targets.map(alert => ({ alert, reason }));
    return result;
  }
  // Side by side, at most ALERT_WRITES_IN_FLIGHT at once; each request still takes its grant from the
  // backend's pacer, so a burst never exceeds the API's budget. Reported per alert, in the incident's order.
  const outcomes = await eachConcurrently(targets, ALERT_WRITES_IN_FLIGHT, a => backend.updateAlert(a.id, patch, opts));
  outcomes.forEach((o, k) => {
    if (o.ok) result.alertsChanged.push(o.value);
    else result.alertsFailed.push({ alert: targets[k], error: o.error instanceof Error ? o.error.message : String(o.error) });
  });
  if (result.alertsChanged.length) {
    result.incident = await backend.getIncident(incident.id, opts);
    await store.put(result.incident);
  }
  return result;
}
