/**
 * The agent's tools in VS Code: each tool package.json declares (`contributes.languageModelTools`, kept
 * equal to the table in src/agent/tools.ts by a unit test) registered with `vscode.lm.registerTool`,
 * and the extension's own confirmation dialog. Registration is all activate() does: the handlers
 * (src/agent/runner.ts and what it uses) are a lazy chunk (see esbuild.js) loaded on the first call,
 * and the MCP SDK loads only when the server starts.
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
import { safeText } from '../../shared/text';
import { confirmDetailed, joinSafe, safe, ui } from '../../ui/surface';
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

/** The extension's own modal: the change in words; only the action button confirms. */
export const modalDialog: Dialog = async (plan, text) => {
  const action = plan.tool.name === 'defender_resolve_incidents' ? 'Resolve' : plan.tool.name === 'defender_add_comment' ? 'Add Comment' : 'Apply Change';
  const choice = await confirmDetailed(
    ui`An agent asks to change Defender incidents: ${safe(text.title, { max: 200 })}`,
    ui`${joinSafe(text.lines.map(l => safe(l, { max: 2400 })))}\n\nRequested through the tool ${safe(plan.tool.displayName, { max: 80 })}. Incident text may have been written by an attacker to steer the agent: confirm only a change you want.`,
    action,
  );
  return choice === action;
};

export class AgentHost {
  private tools: Promise<AgentTools> | undefined;
  /** The dialog every write that needs one goes through; tests (DEFENDER_INCIDENTS_TEST=1) replace it. */
  dialog: Dialog = modalDialog;

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
    return this.deps.declared.map(t => vscode.lm.registerTool<Record<string, unknown>>(t.name, this.tool(t.name)));
  }

  private tool(name: string): vscode.LanguageModelTool<Record<string, unknown>> {
    return {
      prepareInvocation: async (options, token) => {
        const p = await (await this.agent()).prepare(name, options.input, abortOf(token));
        const title = safeText(p.title, { max: 200 });
        if (!p.confirm) return { invocationMessage: `${title}…` };
        const message = new vscode.MarkdownString();
        message.appendText(p.lines.join('\n'));
        if (p.dialogAfter) message.appendText('\n\nThe extension will ask once more in a dialog before anything is sent.');
        return { invocationMessage: `${title}…`, confirmationMessages: { title, message } };
      },
      invoke: async (options, token) => {
        const r = await (
          await this.agent()
        ).call(name, options.input, {
          client: 'VS Code chat',
          mcp: false,
          chatConfirmed: options.toolInvocationToken !== undefined,
          dialog: (p, t) => this.dialog(p, t),
          signal: abortOf(token),
        });
        if (r.changed) this.deps.log.info(`Agent tool ${name}: ${r.changed} incident(s) changed`);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(r.text)]);
      },
    };
  }
}

/** An AbortSignal that follows a cancellation token. */
export function abortOf(token: vscode.CancellationToken | undefined): AbortSignal {
  const ctl = new AbortController();
  if (token?.isCancellationRequested) ctl.abort();
  else token?.onCancellationRequested(() => ctl.abort());
  return ctl.signal;
}
