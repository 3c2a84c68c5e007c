/**
 * The one command registrar: every command package.json declares is registered here, by its id in
 * src/constants.ts `Commands`, with one error path (logged, then a notification that names the fix).
 */
import * as vscode from 'vscode';
import { Commands, EXT, type CommandId } from '../constants';
import type { Log } from '../log';
import { errorMessage } from './format';
import { error } from '../ui/surface';

export type CommandHandler = (...args: unknown[]) => unknown;

/** Every command's handler: a missing one does not compile. */
export type CommandTable = Record<CommandId, CommandHandler>;

/** `what` is a command id, a builder's title or a literal. */
export function showError(log: Log, what: string, e: unknown): void {
  log.error(`${what}: ${e instanceof Error ? e.message : String(e)}`);
  const m = errorMessage(what, e);
  if (m.action === 'signIn') {
    void error(m.text, 'Sign In').then(c => { if (c) void vscode.commands.executeCommand(Commands.signIn); });
    return;
  }
  if (m.action === 'openSettings') {
    void error(m.text, 'Open Settings').then(c => { if (c) void vscode.commands.executeCommand('workbench.action.openSettings', EXT); });
    return;
  }
  void error(m.text);
}

export function registerCommands(log: Log, table: CommandTable): vscode.Disposable[] {
  return (Object.entries(table) as [CommandId, CommandHandler][]).map(([id, fn]) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
    try {
      await fn(...args);
    } catch (e) {
      showError(log, id.slice(EXT.length + 1), e);
    }
  }));
}
