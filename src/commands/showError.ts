/** The commands' one error path: logged, then a notification that names the fix (Sign In, Open Settings). */
import * as vscode from 'vscode';
import { Commands, EXT } from '../constants';
import type { Log } from '../log';
import { errorMessage } from './format';
import { BackendError } from '../backend/errors';
import { error } from '../ui/surface';

/** `what` is a command id, a builder's title or a literal. */
export function showError(log: Log, what: string, e: unknown): void {
  // A failed call's ids go to the log (and from there to Copy Diagnostics) for a support case.
  const ids =
    e instanceof BackendError && e.clientRequestId ? ` [client-request-id ${e.clientRequestId}${e.requestId ? `, request-id ${e.requestId}` : ''}]` : '';
  log.error(`${what}: ${e instanceof Error ? e.message : String(e)}${ids}`);
  const m = errorMessage(what, e);
  if (m.action === 'signIn') {
    void error(m.text, 'Sign In').then(c => {
      if (c) void vscode.commands.executeCommand(Commands.signIn);
    });
    return;
  }
  if (m.action === 'openSettings') {
    void error(m.text, 'Open Settings').then(c => {
      if (c) void vscode.commands.executeCommand('workbench.action.openSettings', EXT);
    });
    return;
  }
  void error(m.text);
}
