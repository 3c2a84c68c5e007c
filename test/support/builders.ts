/** Builders for domain objects in tests (after vscode-pull-request-github's test builders). */
import type { Alert, Incident } from '../../src/model/types';

let seq = 1000;

export function alert(p: Partial<Alert> = {}): Alert {
  const id = p.id ?? `da${seq++}`;
  return {
    id,
    incidentId: p.incidentId ?? '1',
    title: 'Suspicious PowerShell command line',
    description: null,
    severity: 'Medium',
    status: 'New',
    category: 'Execution',
    serviceSource: 'MicrosoftDefenderForEndpoint',
    detectionSource: 'EDR',
    assignedTo: null,
    classification: null,
    determination: null,
    createdTime: '2026-11-20T10:00:00Z',
    lastUpdateTime: '2026-11-20T10:00:00Z',
    resolvedTime: null,
    firstActivity: '2026-11-20T09:55:00Z',
    lastActivity: '2026-11-20T09:59:00Z',
    mitreTechniques: ['T1059.001'],
    devices: [],
    entities: [],
    ...p,
  };
}

export function incident(p: Partial<Incident> = {}): Incident {
  const id = p.id ?? String(seq++);
  return {
    id,
    name: `Incident ${id}`,
    severity: 'Medium',
    status: 'Active',
    assignedTo: null,
    classification: 'Unknown',
    determination: 'NotAvailable',
    createdTime: '2026-11-20T10:00:00Z',
    lastUpdateTime: '2026-11-20T10:00:00Z',
    tags: [],
    systemTags: [],
    comments: [],
    alerts: [],
    redirectIncidentId: null,
    webUrl: null,
    description: null,
    resolvingComment: null,
    detectionSource: null,
    lastModifiedBy: null,
    priorityScore: null,
    ...p,
  };
}

/** A Map-backed stand-in for vscode.Memento. */
export class MemoryKv {
  readonly map = new Map<string, unknown>();
  get<T>(k: string): T | undefined {
    return this.map.get(k) as T | undefined;
  }
  update(k: string, v: unknown): Promise<void> {
    if (v === undefined) this.map.delete(k);
    else this.map.set(k, JSON.parse(JSON.stringify(v)));
    return Promise.resolve();
  }
}
