/**
 * The write tools: a plan (each incident, its number and name, each field's old and new value, the
 * comment text) that the confirmation shows, then the changes through the one door (`Triage.run`, so the
 * rules, the pacer, the conflict check, drafts, the outbox and the journal apply), one incident after
 * another under the API's pacing. The journal records which agent asked and who confirmed how.
 * Pure; no `vscode` import.
 */
import { classificationLabel, determinationLabel, normalizeStatus, statusLabel } from '../model/enums';
import { isValidPair } from '../model/rules';
import type { Incident } from '../model/types';
import type { IncidentStore } from '../store/incidentStore';
import type { Triage } from '../store/triage';
import type { AgentOrigin } from '../store/triageRules';
import type { TriageAction } from '../model/actions';
import { runBulkLoop } from '../commands/bulk';
import { safeText } from '../shared/text';
import { InputError } from './schema';
import type { Spotlight } from './spotlight';
import type { ToolDef } from './tools';
import { idText } from './render';

export interface WriteDeps {
  store: IncidentStore;
  triage: Triage;
  me: () => string;
  log?: (line: string) => void;
}

export interface WriteInput {
  incidentIds: string[];
  owner?: string;
  status?: 'Active' | 'InProgress';
  classification?: string;
  determination?: string;
  comment?: string;
  text?: string;
}

export interface PlannedChange {
  field: string;
  from: string;
  to: string;
}

export interface WriteItem {
  id: string;
  /** The incident's name as the backend has it (raw: shown through safeText or as marked data). */
  name: string;
  changes: PlannedChange[];
  action: TriageAction;
  /** Why nothing is sent for it (already so), if so. */
  skip?: string;
}

export interface WritePlan {
  tool: ToolDef;
  items: WriteItem[];
  /** The comment the change carries (resolve, add comment), raw. */
  comment?: string;
  /** More than one incident would change. */
  bulk: boolean;
  destructive: boolean;
  /**
   * The connection (backend, API host, tenant) the plan was read on: it is sent there or nowhere (the door
   * refuses it on any other, before a request), so a switch during a confirmation changes nothing.
   */
  connection?: string;
}

const UPN = /^[^\s@]+@[^\s@]+$/;

function owner(input: WriteInput, me: string): string | null {
  const o = (input.owner ?? '').trim();
  if (/^unassigned$/i.test(o)) return null;
  if (/^me$/i.test(o)) return me;
  if (!UPN.test(o)) throw new InputError('owner must be "me", "unassigned" or a user principal name such as alice@contoso.com');
  return o;
}

function pair(input: WriteInput): { classification: string; determination: string } {
  const { classification = '', determination = '' } = input;
  if (!isValidPair(classification, determination)) {
    throw new InputError(`determination ${determination} is not valid for classification ${classification}`);
  }
  return { classification, determination };
}

const show = (v: string | null) => v ?? 'none';

/** What one incident would get. */
function itemFor(tool: ToolDef, input: WriteInput, i: Incident, me: string): Omit<WriteItem, 'id' | 'name'> {
  switch (tool.name) {
    case 'defender_assign_incidents': {
      const to = owner(input, me);
      const same = (i.assignedTo ?? '').toLowerCase() === (to ?? '').toLowerCase();
      return {
        changes: [{ field: 'Owner', from: show(i.assignedTo), to: show(to) }],
        action: { kind: 'assign', to },
        ...(same ? { skip: `already ${to ? `assigned to ${to}` : 'unassigned'}` } : {}),
      };
    }
    case 'defender_set_status': {
      const status = input.status!;
      const same = normalizeStatus(i.status) === status;
      return {
        changes: [{ field: 'Status', from: statusLabel(i.status), to: statusLabel(status) }],
        action: { kind: 'setStatus', status },
        ...(same ? { skip: `already ${statusLabel(status)}` } : {}),
      };
    }
    case 'defender_classify_incidents': {
      const p = pair(input);
      const same = i.classification === p.classification && i.determination === p.determination;
      return {
        changes: [
          { field: 'Classification', from: classificationLabel(i.classification), to: classificationLabel(p.classification) },
          { field: 'Determination', from: determinationLabel(i.determination), to: determinationLabel(p.determination) },
        ],
        action: { kind: 'classify', ...p },
        ...(same ? { skip: 'already classified so' } : {}),
      };
    }
    case 'defender_resolve_incidents': {
      const p = pair(input);
      const comment = input.comment ?? '';
      return {
        changes: [
          { field: 'Status', from: statusLabel(i.status), to: statusLabel('Resolved') },
          { field: 'Classification', from: classificationLabel(i.classification), to: classificationLabel(p.classification) },
          { field: 'Determination', from: determinationLabel(i.determination), to: determinationLabel(p.determination) },
        ],
        action: { kind: 'setStatus', status: 'Resolved', ...p, comment },
        ...(normalizeStatus(i.status) === 'Resolved' ? { skip: 'already resolved' } : {}),
      };
    }
    case 'defender_add_comment': {
      const text = input.text ?? '';
      return { changes: [], action: { kind: 'addComment', text, clientId: `agent-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}` } };
    }
    default:
      throw new InputError(`${tool.name} is not a write tool`);
  }
}

/** Reads each incident (the store's copy, or the backend's once) and works out what would change. */
export async function planWrite(tool: ToolDef, input: WriteInput, d: WriteDeps, signal?: AbortSignal): Promise<WritePlan> {
  const connection = d.triage.connection();
  const me = d.me();
  const items: WriteItem[] = [];
  for (const id of input.incidentIds) {
    const i = await d.store.load(id, { signal });
    items.push({ id, name: i.name, ...itemFor(tool, input, i, me) });
  }
  const comment = tool.name === 'defender_resolve_incidents' ? input.comment : tool.name === 'defender_add_comment' ? input.text : undefined;
  return {
    tool,
    items,
    ...(comment !== undefined ? { comment } : {}),
    bulk: items.filter(i => !i.skip).length > 1,
    destructive: tool.destructive,
    ...(connection !== undefined ? { connection } : {}),
  };
}

/** The plan in words for a confirmation (plain text; backend text through safeText, which no surface renders as a link). */
export function describePlan(plan: WritePlan): { title: string; lines: string[] } {
  const todo = plan.items.filter(i => !i.skip);
  const title = `${plan.tool.displayName}: ${todo.length} incident${todo.length === 1 ? '' : 's'}`;
  const lines: string[] = [];
  for (const item of plan.items) {
    const head = `#${safeText(item.id, { max: 60 })} "${safeText(item.name, { max: 160 })}"`;
    if (item.skip) {
      lines.push(`${head}: unchanged (${safeText(item.skip, { max: 200 })})`);
      continue;
    }
    const changes = item.changes.map(
      c => `${c.field}: ${safeText(c.from, { max: 120, identity: c.field === 'Owner' })} → ${safeText(c.to, { max: 120, identity: c.field === 'Owner' })}`,
    );
    lines.push(`${head}: ${changes.length ? changes.join('; ') : 'a new comment'}`);
  }
  if (plan.comment !== undefined) lines.push(`Comment text: ${safeText(plan.comment, { max: 2000 })}`);
  return { title, lines };
}

export interface ApplyOptions {
  via: AgentOrigin;
  signal?: AbortSignal;
}

/** Sends the planned changes through Triage, one incident after another; the result names each. */
export async function applyPlan(plan: WritePlan, d: WriteDeps, o: ApplyOptions, spot: Spotlight): Promise<{ text: string; changed: number }> {
  const todo = plan.items.filter(i => !i.skip);
  const byId = new Map(todo.map(i => [i.id, i]));
  const signal = o.signal ?? new AbortController().signal;
  const outcome = await runBulkLoop(
    plan.tool.displayName,
    todo.map(i => i.id),
    (id, opts) => d.triage.run(id, byId.get(id)!.action, { ...opts, via: o.via, connection: plan.connection }),
    {
      signal,
      report: () => undefined,
      log: line => d.log?.(line),
    },
  );
  const lines = [
    spot.preamble,
    `${plan.tool.displayName}: ${outcome.ok.length} of ${todo.length} changed, confirmed by ${spot.mark(o.via.confirmedBy, { identity: true })} in ${o.via.confirmation}.`,
  ];
  for (const item of plan.items) {
    const ref = `${idText(item.id, spot)} ${spot.mark(item.name, { max: 300 })}`;
    if (item.skip) {
      lines.push(`- ${ref}: unchanged, ${item.skip}.`);
      continue;
    }
    const failed = outcome.failed.find(f => f.id === item.id);
    const warned = outcome.warned.find(w => w.id === item.id);
    if (failed) lines.push(`- ${ref}: failed, nothing changed by this call for it: ${spot.mark(failed.error, { max: 600 })}`);
    else if (outcome.cancelled.includes(item.id)) lines.push(`- ${ref}: cancelled, not sent.`);
    else
      lines.push(
        `- ${ref}: done${item.changes.length ? ` (${item.changes.map(c => `${c.field} ${spot.mark(c.from, { max: 200 })} to ${spot.mark(c.to, { max: 200 })}`).join('; ')})` : ''}${warned ? `; warnings: ${warned.warnings.map(w => spot.mark(w, { max: 600 })).join(' ')}` : ''}.`,
      );
  }
  return { text: lines.join('\n'), changed: outcome.ok.length };
}

/**
 * Whether a write needs the extension's own dialog besides any confirmation the client showed: resolving
 * and bulk changes always; every write from an MCP client (it may confirm nothing) or from a caller
 * outside a chat request (no tool confirmation was shown).
 */
export function needsDialog(plan: WritePlan, origin: { mcp: boolean; chatConfirmed: boolean }): boolean {
  return plan.destructive || plan.bulk || origin.mcp || !origin.chatConfirmed;
}
