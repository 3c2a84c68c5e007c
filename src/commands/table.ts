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
import type { Commands } from '../constants';

/** The agent's commands (#18), built in extension.ts around its MCP host. */
export type AgentCommandTable = Record<typeof Commands.startMcpServer | typeof Commands.stopMcpServer, (...args: unknown[]) => unknown>;

export type CommandDeps = TriageCommandDeps &
  QueueCommandDeps &
  IncidentCommandDeps &
  TriageFlowDeps &
  ConnectDeps & { huntingCommands: HuntingCommandTable; agentCommands: AgentCommandTable };

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
      ...d.agentCommands,
    },
    showError,
  };
}
