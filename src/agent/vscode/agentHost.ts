/**
 * The agent's tools in VS Code: each tool package.json declares (`contributes.languageModelTools`, kept
 * equal to the table in src/agent/tools.ts by a unit test) registered with `vscode.lm.registerTool` by
 * its name, and the extension's own confirmation dialog. Registration is all activate() does: what a
 * call does (./toolCalls, the dialog included) and the handlers (src/agent/runner.ts and what it uses)
 * are lazy chunks (see esbuild.js) loaded on the first call, and the MCP SDK loads only when the server starts.
 *
 * Confirmation: a write's `prepareInvocation` shows the exact change (incident number and name, each
 * field's old and new value, the comment text) in the chat's tool confirmation. Resolving, any change
 * to more than one incident, and any write that did not come through a chat request (no invocation
 * token: no confirmation was shown) also ask in a modal dialog of this extension, which no "Always
 * Allow", bypass mode or autopilot answers.
 */
import * as vscode from 'vscode';
import type { Backend } from '../../backend/types';
import type { History } from '../../store/history';
import type { IncidentStore } from '../../store/incidentStore';
import type { Triage } from '../../store/triage';
import type { Log } from '../../log';
import type { AgentTools, CallContext } from '../runner';
import type { Hunter } from '../evidenceHunt';

export interface AgentHostDeps {
  store: IncidentStore;
  /** The one door, itself a lazy chunk. */
  triage: () => Promise<Triage>;
  history: () => History;
  backend: () => Promise<Backend>;
  me: () => string;
  log: Log;
  /** The hunting client (src/hunting/register.ts). */
  hunting?: () => Promise<Hunter>;
  /** The tools package.json declares. */
  declared: readonly { name: string; displayName: string }[];
}

export type Dialog = CallContext['dialog'];

export class AgentHost {
  private tools: Promise<AgentTools> | undefined;
  /** The dialog every write that needs one goes through; tests (DEFENDER_INCIDENTS_TEST=1) replace it. */
  dialog: Dialog = (plan, text) => import('./toolCalls').then(m => m.modalDialog(plan, text));

  constructor(readonly deps: AgentHostDeps) {}

  /** The handlers, loaded and built on the first tool call (not in activate()). */
  agent(): Promise<AgentTools> {
    if (!this.tools) {
      const d = this.deps;
      const p = Promise.all([import('../runner'), d.triage()]).then(
        ([{ AgentTools }, triage]) =>
          new AgentTools({
            store: d.store,
            triage,
            history: d.history,
            backend: d.backend,
            me: d.me,
            log: line => d.log.warn(line),
            ...(d.hunting ? { hunting: d.hunting } : {}),
          }),
      );
      // A chunk that failed to load is tried again on the next call.
      p.catch(() => {
        if (this.tools === p) this.tools = undefined;
      });
      this.tools = p;
    }
    return this.tools;
  }

  registerTools(): vscode.Disposable[] {
    if (!vscode.lm?.registerTool) return [];
    const calls = () => import('./toolCalls');
    return this.deps.declared.map(({ name }) =>
      vscode.lm.registerTool<Record<string, unknown>>(name, {
        prepareInvocation: async (options, token) => (await calls()).prepareInvocation(this, name, options, token),
        invoke: async (options, token) => (await calls()).invoke(this, name, options, token),
      }),
    );
  }
}
