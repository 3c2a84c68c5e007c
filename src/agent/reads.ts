/**
 * The read tools: the queue (answered from the loaded store when it covers the question, so a model's
 * "what is overdue?" costs no request) and one incident. Pure; no `vscode` import.
 */
import type { Backend } from '../backend/types';
import type { Incident } from '../model/types';
import type { SlaStateName } from '../model/sla';
import { compileFilter, type IncidentFilter, type OwnerFilter } from '../model/query';
import { toServerQuery } from '../model/serverQuery';
import { describeFilter } from '../store/filter';
import type { History } from '../store/history';
import type { IncidentStore } from '../store/incidentStore';
import { type SortBy } from '../store/queue';
import { buildQueue } from '../store/liveQueue';
import { capResult, idText, incidentText, listLine } from './render';
import type { Spotlight } from './spotlight';

export interface ReadDeps {
  store: IncidentStore;
  backend: () => Promise<Backend>;
  history: () => History;
  me: () => string;
}

export interface ListInput {
  statuses?: string[];
  severities?: string[];
  owner?: string;
  slaStates?: SlaStateName[];
  search?: string;
  sortBy?: SortBy;
  limit?: number;
}

export const DEFAULT_LIST_LIMIT = 50;

function ownerFilter(owner: string): OwnerFilter {
  const o = owner.trim();
  if (/^me$/i.test(o)) return { kind: 'me' };
  if (/^unassigned$/i.test(o)) return { kind: 'unassigned' };
  return { kind: 'person', upn: o };
}

/** The filter a list call asks for; undefined when it sets none (then the queue's own filter answers). */
export function requestedFilter(input: ListInput): IncidentFilter | undefined {
  const f: IncidentFilter = {};
  if (input.statuses?.length) f.statuses = [...input.statuses];
  if (input.severities?.length) f.severities = [...input.severities];
  if (input.owner?.trim()) f.owner = ownerFilter(input.owner);
  if (input.slaStates?.length) f.sla = [...input.slaStates];
  if (input.search?.trim()) f.text = input.search.trim();
  return Object.keys(f).length ? f : undefined;
}

const LIST_FIELDS = ['statuses', 'severities', 'classifications'] as const;

/**
 * Whether the incidents loaded for `loaded` include every incident `wanted` matches: each list field of
 * `wanted` asks for a subset of what was loaded, and every other field the loaded filter sets is asked
 * for the same. The rest of `wanted` is then matched in memory.
 */
export function covers(loaded: IncidentFilter, wanted: IncidentFilter): boolean {
  for (const k of LIST_FIELDS) {
    const have = loaded[k];
    if (!have?.length) continue;
    const want = wanted[k];
    if (!want?.length || !want.every(v => have.includes(v))) return false;
  }
  for (const k of Object.keys(loaded) as (keyof IncidentFilter)[]) {
    if ((LIST_FIELDS as readonly string[]).includes(k) || loaded[k] === undefined) continue;
    if (JSON.stringify(loaded[k]) !== JSON.stringify(wanted[k])) return false;
  }
  return true;
}

/** `defender_list_incidents`. */
export async function listIncidents(input: ListInput, d: ReadDeps, spot: Spotlight, signal?: AbortSignal): Promise<string> {
  const { store } = d;
  if (store.state === 'idle') await store.reload(signal);
  else if (store.state === 'loading') await store.settled();
  const asked = requestedFilter(input);
  // What the call does not set keeps the queue's own filter (open incidents, High to Low, by default).
  const wanted = asked ? { ...store.filter, ...asked } : undefined;
  const filter = wanted ?? store.filter;
  const now = store.now();
  const me = d.me();
  const sla = (i: Incident) => store.slaOf(i, now);
  let pool: Iterable<Incident>;
  let source: string;
  if (store.state === 'ready' && (!wanted || covers(store.filter, wanted))) {
    pool = store.all();
    const partial = store.hasMore
      ? ` (${store.size.toLocaleString('en-US')} loaded${store.total !== undefined ? ` of ${store.total.toLocaleString('en-US')}` : ''}; the rest are not loaded)`
      : '';
    source = `the queue loaded in VS Code, filter ${spot.mark(describeFilter(store.filter))}${partial}`;
  } else {
    // Outside what the queue loaded: one page from the backend, the whole filter matched here too.
    const backend = await d.backend();
    const page = await backend.listIncidents(toServerQuery(filter, backend.capabilities, me, now), { signal, top: backend.capabilities.maxPageSize });
    pool = page.items;
    source = `one page from the ${backend.capabilities.displayName}${page.next ? ' (more exist; narrow the filter to see them)' : ''}`;
  }
  const match = compileFilter(filter, me, now, i => sla(i).state);
  const matched: Incident[] = [];
  for (const i of pool) if (match(i)) matched.push(i);
  const limit = input.limit ?? DEFAULT_LIST_LIMIT;
  const slaById = new Map(matched.map(i => [i.id, sla(i)]));
  const [group] = buildQueue(matched, { groupBy: 'none', sortBy: input.sortBy ?? 'lastUpdate', maxGroupSize: limit, now, sla: id => slaById.get(id) });
  const rows = group?.rows ?? [];
  const lines = [
    spot.preamble,
    `Source: ${source}.`,
    `${matched.length.toLocaleString('en-US')} incidents match${wanted ? ` the filter ${spot.mark(describeFilter(wanted))}` : ''}; ${rows.length} shown, sorted by ${input.sortBy ?? 'lastUpdate'}.`,
    ...rows.map(r => listLine(r, slaById.get(r.incident.id)!, now, spot)),
  ];
  return capResult(lines.join('\n'));
}

/** `defender_get_incident`: the store's copy (fetched once if it is not loaded). */
export async function getIncident(input: { incidentId: string }, d: ReadDeps, spot: Spotlight, signal?: AbortSignal): Promise<string> {
  const incident = await d.store.load(input.incidentId, { signal });
  const history = d.history();
  const now = d.store.now();
  const body = incidentText(
    { incident, sla: d.store.slaOf(incident, now), now, journal: history.journal(incident.id), outbox: history.outbox(incident.id) },
    spot,
  );
  return `${spot.preamble}\n${body}`;
}

export { idText };
