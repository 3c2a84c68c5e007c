/**
 * Every command's handler, built on the first command run: a lazy chunk (see esbuild.js), so activate()
 * pays for the ids only (./register). Each table is "ask, then `triage.run`" for its area.
 */
import { triageCommands, type TriageCommandDeps } from './triageCommands';
import { queueCommands, type QueueCommandDeps } from './queueCommands';
import { incidentCommands, type IncidentCommandDeps } from './incidentCommands';
import { triageFlowCommands, type TriageFlowDeps } from './triageFlow';
import { slaCommands } from '../tree/slaSettings';
import type { LoadedCommands } from './register';
import { showError } from './showError';
import type { HuntingCommandTable } from '../hunting/register';
import { connectCommands, type ConnectDeps } from './connectCommands';

export type CommandDeps = TriageCommandDeps & QueueCommandDeps & IncidentCommandDeps & TriageFlowDeps & ConnectDeps & { huntingCommands: HuntingCommandTable };

export function loadCommands(d: CommandDeps): LoadedCommands {
  return {
    table: {
      ...triageCommands(d),
      ...queueCommands(d),
      ...incidentCommands(d),
      ...slaCommands(d.store),
      ...triageFlowCommands(d),
      ...connectCommands(d),
      ...d.huntingCommands,
    },
    showError,
  };
}
