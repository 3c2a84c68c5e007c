/**
 * The cells "Hunt from this incident" and "Hunt for this" open with: the incident read afresh (its
 * alerts and their evidence), then the evidence helper's query generator (src/model/huntQueries.ts),
 * which quotes every value as a KQL string literal. No `vscode` import.
 */
import type { IncidentStore } from '../store/incidentStore';
import { incidentEvidence } from '../model/evidence';
import { HUNT_KINDS, type HuntKind } from '../model/evidenceTypes';
import { huntCellsForIncident, huntCellsForValue, incidentWindow, type HuntCell } from '../model/huntQueries';

export async function cellsForIncident(store: Pick<IncidentStore, 'load'>, id: string): Promise<HuntCell[]> {
  const incident = await store.load(id, { fresh: true });
  return huntCellsForIncident(incident, incidentEvidence(incident.alerts).items);
}

function isHuntKind(k: string): k is HuntKind {
  return (HUNT_KINDS as readonly string[]).includes(k);
}

export async function cellsForValue(store: Pick<IncidentStore, 'load' | 'get'>, kind: string, value: string, incidentId?: string): Promise<HuntCell[]> {
  if (!isHuntKind(kind)) throw new Error(`Hunt for: "${kind.slice(0, 40)}" is not a kind of value to hunt for (${HUNT_KINDS.join(', ')}).`);
  // The incident's own window when the value came from one; the service's default (30 days) otherwise.
  const incident = incidentId ? (store.get(incidentId) ?? (await store.load(incidentId))) : undefined;
  return huntCellsForValue(kind, value, incident ? incidentWindow(incident) : undefined);
}
