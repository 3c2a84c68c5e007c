/**
 * One entry for every tool call, whoever makes it (a language-model tool in VS Code chat, the MCP
 * server): validate the input against the tool's schema, run a read, or plan a write, have it confirmed
 * as the caller's policy says, and send it through Triage. Errors come back as text for the model (with
 * backend text marked), never as a crash. Pure; no `vscode` import.
 */
import { isBackendError } from '../backend/errors';
import { getIncident, listIncidents, type ListInput, type ReadDeps } from './reads';
import { getEvidence, runHunt, type EvidenceDeps } from './evidenceHunt';
import { InputError, validateInput } from './schema';
import { Spotlight } from './spotlight';
import { toolDef, type ToolDef } from './tools';
import { ConnectionChangedError } from '../store/triageRules';
import { applyPlan, describePlan, needsDialog, planWrite, type WriteDeps, type WriteInput, type WritePlan } from './writes';

export { describePlan };
export { neutralizeLinks } from './spotlight';

export type AgentDeps = ReadDeps & WriteDeps & EvidenceDeps;

/** Who is calling, and how a write gets confirmed. */
export interface CallContext {
  /** Named in the journal: "VS Code chat", "MCP client Copilot CLI". */
  client: string;
  /** True for the MCP server: every write asks in the extension's dialog. */
  mcp: boolean;
  /** The chat showed its own confirmation of this call (a chat request's invocation token was given). */
  chatConfirmed: boolean;
  /** Why writes are refused for this caller (MCP writes off), if they are. */
  writesRefused?: string;
  /** The extension's own dialog: resolves true when the user confirmed exactly this. */
  dialog: (plan: WritePlan, text: { title: string; lines: string[] }) => Promise<boolean>;
  signal?: AbortSignal;
}

export interface CallResult {
  text: string;
  /** The input or the call failed (MCP `isError`). */
  isError: boolean;
  /** What was sent, for tests and the log: 0 when nothing was. */
  changed: number;
}

const errorText = (e: unknown, spot: Spotlight): string => {
  if (e instanceof InputError) return `Invalid input: ${e.message}`;
  const message = e instanceof Error ? e.message : String(e);
  // A backend's message may quote what it was sent or what an incident holds: data, like the rest.
  const kind = isBackendError(e) ? ` (${e.kind})` : '';
  return `${spot.preamble}\nThe call failed${kind}: ${spot.mark(message, { max: 1000 })}`;
};

/** A write's confirmation text (raw lines: backend text already through safeText). */
export interface Prepared {
  title: string;
  lines: string[];
  /** A write: the chat should ask. */
  confirm: boolean;
  /** The extension's dialog will ask again when it runs (resolve, bulk). */
  dialogAfter: boolean;
}

/** Most write plans remembered between the chat's confirmation and the call. */
const MAX_PREPARED = 50;

export class AgentTools {
  /** The connection each write was shown on in the chat's confirmation (by tool and input). */
  private readonly prepared = new Map<string, string>();

  constructor(private readonly d: AgentDeps) {}

  /** The plan a write would run. */
  async plan(name: string, input: unknown, signal?: AbortSignal): Promise<WritePlan> {
    const tool = this.tool(name);
    if (tool.readOnly) throw new InputError(`${name} changes nothing`);
    return planWrite(tool, validateInput<WriteInput>(input, tool.inputSchema), this.d, signal);
  }

  /**
   * What the chat shows before a call (prepareInvocation): nothing to confirm for a read; for a write,
   * the exact change, and whether the extension's dialog will ask again. A refused input says so.
   */
  async prepare(name: string, input: unknown, signal?: AbortSignal): Promise<Prepared> {
    const tool = toolDef(name);
    if (!tool || tool.readOnly) return { title: tool?.displayName ?? name, lines: [], confirm: false, dialogAfter: false };
    try {
      const plan = await this.plan(name, input, signal);
      if (plan.connection !== undefined) {
        this.prepared.set(preparedKey(name, input), plan.connection);
        if (this.prepared.size > MAX_PREPARED) this.prepared.delete(this.prepared.keys().next().value as string);
      }
      return { ...describePlan(plan), confirm: true, dialogAfter: plan.destructive || plan.bulk };
    } catch (e) {
      return {
        title: tool.displayName,
        lines: [`This call cannot run and will change nothing: ${e instanceof Error ? e.message : String(e)}`],
        confirm: true,
        dialogAfter: false,
      };
    }
  }

  async call(name: string, input: unknown, ctx: CallContext): Promise<CallResult> {
    const spot = new Spotlight();
    try {
      const tool = this.tool(name);
      const valid = validateInput<Record<string, unknown>>(input, tool.inputSchema);
      if (tool.readOnly) return { text: await this.read(tool, valid, spot, ctx.signal), isError: false, changed: 0 };
      if (ctx.writesRefused) return { text: ctx.writesRefused, isError: true, changed: 0 };
      const plan = await planWrite(tool, valid as unknown as WriteInput, this.d, ctx.signal);
      // The chat confirmed a change on the connection it was shown on: on another one it is not sent.
      const shownOn = this.prepared.get(preparedKey(name, input));
      this.prepared.delete(preparedKey(name, input));
      if (shownOn !== undefined && plan.connection !== undefined && shownOn !== plan.connection) {
        throw new ConnectionChangedError(shownOn, plan.connection);
      }
      const todo = plan.items.filter(i => !i.skip).length;
      if (!todo) return { text: `Nothing to change: ${plan.items.map(i => `#${i.id} is ${i.skip}`).join('; ')}.`, isError: false, changed: 0 };
      const dialog = needsDialog(plan, ctx);
      if (dialog && !(await ctx.dialog(plan, describePlan(plan)))) {
        return {
          text: 'The user declined this change in the confirmation dialog: nothing was sent. Do not retry it unless the user asks.',
          isError: false,
          changed: 0,
        };
      }
      const confirmation = dialog ? "the extension's confirmation dialog" : "the chat's tool confirmation";
      const via = { agent: `${ctx.client} (tool ${tool.name})`, confirmedBy: this.d.me(), confirmation };
      const done = await applyPlan(plan, this.d, { via, ...(ctx.signal ? { signal: ctx.signal } : {}) }, spot);
      return { text: done.text, isError: done.changed < todo, changed: done.changed };
    } catch (e) {
      return { text: errorText(e, spot), isError: true, changed: 0 };
    }
  }

  private tool(name: string): ToolDef {
    const tool = toolDef(name);
    if (!tool) throw new InputError(`there is no tool ${name}`);
    return tool;
  }

  private async read(tool: ToolDef, input: Record<string, unknown>, spot: Spotlight, signal?: AbortSignal): Promise<string> {
    switch (tool.name) {
      case 'defender_list_incidents':
        return listIncidents(input as ListInput, this.d, spot, signal);
      case 'defender_get_incident':
        return getIncident(input as { incidentId: string }, this.d, spot, signal);
      case 'defender_get_evidence':
        return getEvidence(input as { incidentId: string }, this.d, spot, signal);
      case 'defender_run_hunting_query':
        return runHunt(input as { query: string; timespan?: string }, this.d, spot, signal);
      default:
        throw new InputError(`${tool.name} has no reader`);
    }
  }
}

/** What an MCP client is told when it calls a write tool while the user's setting keeps writes off. */
export const MCP_WRITES_OFF =
  'Writes through the MCP server are off. The user can allow them with the user setting "defenderIncidents.agent.mcpAllowWrites"; each write is then still confirmed in VS Code. Nothing was changed.';

/** The MCP server's policy: writes only when the user's setting allows them, each one confirmed in the extension's dialog. */
export function mcpCaller(tools: AgentTools, o: { writesAllowed(): boolean; dialog: CallContext['dialog'] }) {
  return (name: string, input: unknown, client: string, signal: AbortSignal): Promise<CallResult> =>
    tools.call(name, input, {
      client,
      mcp: true,
      chatConfirmed: false,
      dialog: o.dialog,
      signal,
      ...(o.writesAllowed() ? {} : { writesRefused: MCP_WRITES_OFF }),
    });
}

/** A write's key between its confirmation and its call: the tool and its input as sent. */
function preparedKey(name: string, input: unknown): string {
  try {
    return `${name}|${JSON.stringify(input)}`;
  } catch {
    return `${name}|?`;
  }
}
