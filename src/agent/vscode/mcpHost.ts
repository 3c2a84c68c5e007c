/**
 * The MCP server's life in VS Code: offered to VS Code's own MCP support through
 * `vscode.lm.registerMcpServerDefinitionProvider` (an HTTP definition whose `Authorization` header
 * carries this launch's key, filled in `resolveMcpServerDefinition` when VS Code starts it), and
 * started for other agents by a command that copies the URL and key (a Copilot CLI `mcp-config.json`
 * entry) to the clipboard. The server runs in this extension host: no process is spawned and no
 * credential goes into anyone's environment or command line. Writes through it are off unless the user
 * setting `defenderIncidents.agent.mcpAllowWrites` (application scope: never from a workspace) allows
 * them; each one is then confirmed in the extension's dialog.
 */
import * as vscode from 'vscode';
import { EXT, Settings } from '../../constants';
import { info, safe, ui } from '../../ui/surface';
import type { AgentMcpServer } from '../mcpServer';
import type { AgentHost } from './agentHost';

export const MCP_PROVIDER_ID = `${EXT}.mcp`;
const LABEL = 'Defender Incidents';

/** The user's (application-scope) value only: a workspace or folder value is ignored, whatever it says. */
export function mcpWritesAllowed(): boolean {
  return vscode.workspace.getConfiguration(EXT).inspect<boolean>(Settings.agentMcpAllowWrites)?.globalValue === true;
}

export class McpHost implements vscode.Disposable {
  private server: Promise<AgentMcpServer> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();

  constructor(
    private readonly agent: AgentHost,
    private readonly version: string,
  ) {}

  /** Starts the server once (loading the MCP SDK chunk); the same one answers until stopped. */
  start(): Promise<AgentMcpServer> {
    if (!this.server) {
      this.server = (async () => {
        const [{ startAgentMcpServer }, { mcpCaller }, tools] = await Promise.all([import('../mcpServer'), import('../runner'), this.agent.agent()]);
        const log = this.agent.deps.log;
        const s = await startAgentMcpServer({
          version: this.version,
          call: mcpCaller(tools, { writesAllowed: mcpWritesAllowed, dialog: (p, t) => this.agent.dialog(p, t) }),
          log: line => log.warn(line),
        });
        log.info(`MCP server listening on ${s.url} (writes ${mcpWritesAllowed() ? 'allowed, each confirmed in a dialog' : 'off'})`);
        return s;
      })();
      this.server.catch(() => {
        this.server = undefined;
      });
    }
    return this.server;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await (await s).close();
    this.changed.fire();
  }

  /** Whether it runs, and where (tests). */
  async endpoint(): Promise<{ url: string; key: string } | undefined> {
    if (!this.server) return undefined;
    const s = await this.server;
    return { url: s.url, key: s.key };
  }

  register(): vscode.Disposable[] {
    if (!vscode.lm?.registerMcpServerDefinitionProvider) return [];
    return [
      vscode.lm.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
        onDidChangeMcpServerDefinitions: this.changed.event,
        // Cheap: no server starts until VS Code resolves the definition to start it.
        provideMcpServerDefinitions: () => [new vscode.McpHttpServerDefinition(LABEL, vscode.Uri.parse('http://127.0.0.1/mcp'), {}, this.version)],
        resolveMcpServerDefinition: async def => {
          if (!(def instanceof vscode.McpHttpServerDefinition)) return def;
          const s = await this.start();
          def.uri = vscode.Uri.parse(s.url);
          def.headers = { Authorization: `Bearer ${s.key}` };
          return def;
        },
      }),
    ];
  }

  /** `Start MCP Server for Other Agents`: starts it and copies a Copilot CLI config entry with the URL and key. */
  async startForOthers(): Promise<void> {
    const s = await this.start();
    const config = { mcpServers: { 'defender-incidents': { type: 'http', url: s.url, headers: { Authorization: `Bearer ${s.key}` }, tools: ['*'] } } };
    await vscode.env.clipboard.writeText(JSON.stringify(config, null, 2));
    const writes = mcpWritesAllowed()
      ? 'Writes are allowed; each one asks you here first.'
      : 'Writes are off (setting defenderIncidents.agent.mcpAllowWrites).';
    void info(
      ui`Defender Incidents: the MCP server runs at ${safe(s.url)} while VS Code is open. Its URL and key (this launch only) were copied as a Copilot CLI mcp-config.json entry. ${safe(writes)}`,
      'Stop Server',
    ).then(c => {
      if (c) void this.stop();
    });
  }

  dispose(): void {
    void this.stop();
    this.changed.dispose();
  }
}
