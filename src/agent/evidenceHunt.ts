/**
 * The evidence and hunting tools: an incident's evidence (src/model/evidence.ts, one row per entity) and
 * an advanced hunting query run through the extension's hunting client (src/hunting/, its own pacer
 * under the tenant's quota). Every value is marked data. A query that could reach outside the tenant
 * (`externaldata`, plugins through `evaluate`, other clusters, management commands) is refused: text an
 * attacker wrote must not be able to make the agent send the tenant's data to a URL. Pure; no `vscode` import.
 */
import { groupEvidence, incidentEvidence, type EvidenceItem } from '../model/evidence';
import { DEFENDER_EVIDENCE_GAPS, EVIDENCE_GROUPS } from '../model/evidenceTypes';
import type { HuntOutput } from '../shared/huntTable';
import type { IncidentStore } from '../store/incidentStore';
import { capResult, idText } from './render';
import { InputError } from './schema';
import type { Spotlight } from './spotlight';
import { HUNT_ROWS_SHOWN } from './tools';

/** Runs one hunting query (the extension's HuntingClient). */
export interface Hunter {
  runHunt(query: string, timespan: string | undefined, opts: { signal?: AbortSignal }): Promise<HuntOutput>;
}

export interface EvidenceDeps {
  store: IncidentStore;
  /** The hunting client, where hunting exists; absent: the hunting tool says so. */
  hunting?: () => Promise<Hunter>;
}

const MAX_ITEMS = 150;
const MAX_FIELDS_PER_ITEM = 30;
const IDENTITY_KINDS = new Set(['user', 'mailbox']);

function itemLines(e: EvidenceItem, spot: Spotlight): string[] {
  const list = (xs: readonly string[]) => (xs.length ? xs.map(x => spot.mark(x, { max: 200 })).join(', ') : '(none)');
  const lines = [
    `- ${spot.mark(e.type, { max: 120 })}${e.unknownType ? ' (a type this version does not know)' : ''}: ${spot.mark(e.label, { max: 1000, identity: IDENTITY_KINDS.has(e.kind) })}`,
    `  roles ${list([...e.roles, ...e.detailedRoles])} | verdicts ${list(e.verdicts)} | remediation ${list(e.remediationStatuses)} | tags ${list(e.tags)}`,
    `  named by alerts ${e.alertIds.map(a => idText(a, spot)).join(', ') || '(none)'} | first seen ${spot.mark(e.firstSeen)}`,
  ];
  if (e.targets.length)
    lines.push(
      `  hunt for ${e.targets.map(t => `${t.kind} ${spot.mark(t.value, { max: 500, identity: t.kind === 'user' || t.kind === 'mailbox' })}`).join('; ')}`,
    );
  const fields = Object.entries(e.fields);
  for (const [k, v] of fields.slice(0, MAX_FIELDS_PER_ITEM)) lines.push(`  ${spot.mark(k, { max: 120 })} ${spot.mark(v, { max: 2000 })}`);
  if (fields.length > MAX_FIELDS_PER_ITEM) lines.push(`  and ${fields.length - MAX_FIELDS_PER_ITEM} more fields not shown`);
  return lines;
}

/** `defender_get_evidence`. */
export async function getEvidence(input: { incidentId: string }, d: EvidenceDeps, spot: Spotlight, signal?: AbortSignal): Promise<string> {
  const incident = await d.store.load(input.incidentId, { signal });
  const { items, problems } = incidentEvidence(incident.alerts);
  const lines = [
    spot.preamble,
    `Evidence of incident ${idText(incident.id, spot)} ${spot.mark(incident.name, { max: 500 })}: ${items.length} entities from ${incident.alerts.length} alerts.`,
  ];
  if (items.some(i => i.source === 'defender')) lines.push(`This backend (the Defender XDR API) does not give: ${DEFENDER_EVIDENCE_GAPS.join('; ')}.`);
  let shown = 0;
  for (const g of groupEvidence(items)) {
    lines.push('', `${EVIDENCE_GROUPS.find(x => x.kind === g.kind)?.label ?? g.kind} (${g.items.length}):`);
    for (const e of g.items) {
      if (shown++ >= MAX_ITEMS) break;
      lines.push(...itemLines(e, spot));
    }
  }
  if (items.length > MAX_ITEMS) lines.push(`(${items.length - MAX_ITEMS} more entities not shown.)`);
  if (!items.length) lines.push("(No evidence on this incident's alerts.)");
  for (const p of problems.slice(0, 20)) lines.push(`Could not read: ${spot.mark(p, { max: 300 })}`);
  return capResult(lines.join('\n'));
}

/**
 * Why a query may not run, or undefined. Refused: anything that reads from or writes to outside the
 * tenant's tables (`externaldata`, `external_table`, `evaluate` plugins such as http_request, `cluster()`,
 * `database()`) and management commands (a line starting with a dot). Checked on the whole text, string
 * literals included: a false refusal costs a rewrite, a missed one could send data out.
 */
export function huntQueryProblem(query: string): string | undefined {
  const q = query.toLowerCase();
  for (const word of ['externaldata', 'external_table', 'evaluate', 'http_request', 'cluster(', 'database(', 'materialized_view(']) {
    if (q.replace(/\s+\(/g, '(').includes(word)) return `the query uses ${word.replace('(', '()')}, which could reach outside the tenant's hunting tables`;
  }
  if (/^\s*\./m.test(query)) return 'management commands (lines starting with a dot) are not allowed';
  return undefined;
}

function cell(c: unknown): string {
  if (c === null || c === undefined) return '';
  return typeof c === 'string' ? c : typeof c === 'number' || typeof c === 'boolean' ? String(c) : JSON.stringify(c);
}

/** `defender_run_hunting_query`. */
export async function runHunt(input: { query: string; timespan?: string }, d: EvidenceDeps, spot: Spotlight, signal?: AbortSignal): Promise<string> {
  const problem = huntQueryProblem(input.query);
  if (problem) throw new InputError(`query refused: ${problem}`);
  if (!d.hunting) return 'Advanced hunting is not available in this version of the extension.';
  const hunter = await d.hunting();
  const out = await hunter.runHunt(input.query, input.timespan ?? 'P7D', { signal });
  const lines = [
    spot.preamble,
    `Advanced hunting over ${input.timespan ?? 'P7D'}: ${out.rows.length.toLocaleString('en-US')} rows${out.truncated ? ` (the service stopped at ${out.rowLimit.toLocaleString('en-US')}: incomplete)` : ''}, ${Math.round(out.elapsedMs)} ms; the first ${Math.min(HUNT_ROWS_SHOWN, out.rows.length)} shown.`,
    `Columns: ${out.columns.map(c => `${spot.mark(c.name, { max: 120 })} (${spot.mark(c.type, { max: 40 })})`).join(', ') || '(none)'}`,
  ];
  for (const row of out.rows.slice(0, HUNT_ROWS_SHOWN)) lines.push(`- ${row.map(c => spot.mark(cell(c), { max: 600 })).join(' | ')}`);
  return capResult(lines.join('\n'));
}
