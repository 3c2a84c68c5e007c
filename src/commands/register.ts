/**
 * The one command registrar: every command package.json declares is registered here, by its id in
 * src/constants.ts `Commands`, with one error path (logged, then a notification that names the fix).
 * The handlers are a lazy chunk (./table and what it imports, see esbuild.js): activate() registers the
 * ids only, and the first command run loads the table.
 */
import * as vscode from 'vscode';
import { Commands, EXT, type CommandId } from '../constants';
import type { Log } from '../log';
import { error, safe, ui } from '../ui/surface';

export type CommandHandler = (...args: unknown[]) => unknown;

/** Every command's handler: a missing one does not compile. */
export type CommandTable = Record<CommandId, CommandHandler>;

/** What the lazy side gives the registrar: the handlers and the one error path. */
export interface LoadedCommands {
  table: CommandTable;
  showError(log: Log, what: string, e: unknown): void;
}

export function registerCommands(log: Log, load: () => Promise<LoadedCommands>): vscode.Disposable[] {
  let loaded: Promise<LoadedCommands> | undefined;
  const get = () => {
    const p = (loaded ??= load());
    p.catch(() => {
      if (loaded === p) loaded = undefined;
    });
    return p;
  };
  return (Object.values(Commands) as CommandId[]).map(id =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      let c: LoadedCommands;
      try {
        c = await get();
      } catch (e) {
        const m = `${id}: the command could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
        log.error(m);
        void error(ui`Defender Incidents: ${safe(m, { max: 600 })}`);
        return;
      }
      try {
        await c.table[id](...args);
      } catch (e) {
        c.showError(log, id.slice(EXT.length + 1), e);
      }
    }),
  );
}
