/**
 * What an agent tool call does in VS Code (./agentHost registers the tools by name; this file is a lazy
 * chunk loaded by the first call): a write's confirmation in the chat (`prepareInvocation`), the call
 * through the handlers, and the extension's own modal dialog.
 */
import * as vscode from 'vscode';
import { safeText } from '../../shared/text';
import { confirmDetailed, joinSafe, safe, ui } from '../../ui/surface';
import type { AgentTools, CallContext } from '../runner';

type Dialog = CallContext['dialog'];

/** What a call needs of the agent host (./agentHost). */
export interface ToolHost {
  agent(): Promise<AgentTools>;
  dialog: Dialog;
  readonly deps: { log: { info(line: string): void } };
}

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

export async function prepareInvocation(
  host: ToolHost,
  name: string,
  options: vscode.LanguageModelToolInvocationPrepareOptions<Record<string, unknown>>,
  token: vscode.CancellationToken,
): Promise<vscode.PreparedToolInvocation> {
  const p = await (await host.agent()).prepare(name, options.input, abortOf(token));
  const title = safeText(p.title, { max: 200 });
  if (!p.confirm) return { invocationMessage: `${title}…` };
  const message = new vscode.MarkdownString();
  message.appendText(p.lines.join('\n'));
  if (p.dialogAfter) message.appendText('\n\nThe extension will ask once more in a dialog before anything is sent.');
  return { invocationMessage: `${title}…`, confirmationMessages: { title, message } };
}

export async function invoke(
  host: ToolHost,
  name: string,
  options: vscode.LanguageModelToolInvocationOptions<Record<string, unknown>>,
  token: vscode.CancellationToken,
): Promise<vscode.LanguageModelToolResult> {
  const r = await (
    await host.agent()
  ).call(name, options.input, {
    client: 'VS Code chat',
    mcp: false,
    chatConfirmed: options.toolInvocationToken !== undefined,
    dialog: (p, t) => host.dialog(p, t),
    signal: abortOf(token),
  });
  if (r.changed) host.deps.log.info(`Agent tool ${name}: ${r.changed} incident(s) changed`);
  return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(r.text)]);
}

/** An AbortSignal that follows a cancellation token. */
export function abortOf(token: vscode.CancellationToken | undefined): AbortSignal {
  const ctl = new AbortController();
  if (token?.isCancellationRequested) ctl.abort();
  else token?.onCancellationRequested(() => ctl.abort());
  return ctl.signal;
}
