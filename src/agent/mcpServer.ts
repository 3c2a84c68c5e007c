/**
 * The agent's tools as an MCP server (the official SDK, Streamable HTTP), served from the extension host
 * on 127.0.0.1, so other agents (Copilot CLI, any MCP client) get the same tools and the same rules
 * without a credential ever leaving this process: the backend's tokens stay here, and the only secret a
 * client holds is this launch's random key. The same doors as the mock's (src/mock/guard.ts): a request
 * from a browser page (any `Origin`) or with a `Host` that is not this address (DNS rebinding) is refused,
 * and every request needs `Authorization: Bearer <key>`, compared in constant time.
 *
 * Each tool carries `readOnlyHint` / `destructiveHint` (clients may auto-approve read-only tools); what a
 * call does is decided by `call` (the extension's AgentTools with the MCP policy: writes off unless the
 * user's setting allows them, and then each one confirmed in the extension's own dialog).
 * A lazy chunk with the SDK (loaded when the server starts; see esbuild.js). No `vscode` import.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';
import { randomUUID } from 'crypto';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { allowedHosts, bearerMatches, newMockKey } from '../mock/guard';
import { TOOLS } from './tools';

export const MCP_PATH = '/mcp';
/** Most open sessions; the oldest is closed beyond it. */
const MAX_SESSIONS = 16;

export interface McpCallResult {
  text: string;
  isError: boolean;
}

export interface AgentMcpOptions {
  /** Runs one tool call; `client` names the MCP client (from its initialize request, cleaned). */
  call(name: string, input: unknown, client: string, signal: AbortSignal): Promise<McpCallResult>;
  version: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  log?: (line: string) => void;
}

export interface AgentMcpServer {
  /** `http://127.0.0.1:PORT/mcp` */
  readonly url: string;
  /** This launch's key: `Authorization: Bearer <key>`. */
  readonly key: string;
  close(): Promise<void>;
}

/** A client's self-given name, reduced to something safe to journal and show. */
export function clientName(info: { name?: unknown; version?: unknown } | undefined): string {
  const clean = (v: unknown) =>
    typeof v === 'string'
      ? v
          .replace(/[^A-Za-z0-9 ._@/-]+/g, '')
          .trim()
          .slice(0, 60)
      : '';
  const name = clean(info?.name);
  return name ? `MCP client ${name}${clean(info?.version) ? ` ${clean(info?.version)}` : ''}` : 'an MCP client';
}

function refuse(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, {
    'Content-Type': 'application/json',
    Connection: 'close',
    ...(status === 401 ? { 'WWW-Authenticate': 'Bearer realm="defender-incidents-mcp"' } : {}),
  });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

function mcpServerFor(o: AgentMcpOptions): Server {
  const server = new Server({ name: 'defender-incidents', version: o.version }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: TOOLS.map(t => ({
      name: t.name,
      title: t.displayName,
      description: t.modelDescription,
      inputSchema: JSON.parse(JSON.stringify(t.inputSchema)),
      annotations: { title: t.displayName, readOnlyHint: t.readOnly, destructiveHint: t.destructive, idempotentHint: t.readOnly, openWorldHint: false },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (req, extra) => {
    const r = await o.call(req.params.name, req.params.arguments ?? {}, clientName(server.getClientVersion()), extra.signal);
    return { content: [{ type: 'text' as const, text: r.text }], isError: r.isError };
  });
  return server;
}

/** Starts the server on 127.0.0.1 with a fresh key. */
export async function startAgentMcpServer(o: AgentMcpOptions): Promise<AgentMcpServer> {
  const key = newMockKey();
  const sessions = new Map<string, { transport: StreamableHTTPServerTransport; server: Server }>();
  let hosts = new Set<string>();
  const log = o.log ?? (() => undefined);

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    // The mock's doors, in its order: browsers, rebound names, then the key.
    if (req.headers.origin !== undefined) return refuse(res, 403, 'Requests from a browser page (with an Origin header) are refused.');
    if (!hosts.has((req.headers.host ?? '').toLowerCase())) return refuse(res, 403, `The Host header must be one of ${[...hosts].join(', ')}.`);
    if (!bearerMatches(req.headers.authorization, key))
      return refuse(res, 401, 'Send this launch\'s key as "Authorization: Bearer <key>" (Defender Incidents: Start MCP Server copies it).');
    if (new URL(req.url ?? '/', 'http://x').pathname !== MCP_PATH) return refuse(res, 404, `The MCP endpoint is ${MCP_PATH}.`);

    const sid = req.headers['mcp-session-id'];
    const known = typeof sid === 'string' ? sessions.get(sid) : undefined;
    if (known) return known.transport.handleRequest(req, res);
    if (sid !== undefined) return refuse(res, 404, 'Unknown or closed session: initialize again.');
    if (req.method !== 'POST') return refuse(res, 405, 'Start a session with an initialize request (POST).');
    // A new session: the transport checks that this first request is an initialize.
    const server = mcpServerFor(o);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: id => {
        sessions.set(id, { transport, server });
        if (sessions.size > MAX_SESSIONS) {
          const [oldest] = sessions.keys();
          const s = sessions.get(oldest);
          sessions.delete(oldest);
          void s?.transport.close();
        }
      },
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };

  const httpServer = http.createServer((req, res) => {
    handle(req, res).catch(e => {
      log(`MCP server error on ${req.method} ${req.url}: ${e instanceof Error ? e.message : String(e)}`);
      if (!res.headersSent && !res.destroyed) refuse(res, 500, 'The MCP server failed.');
    });
  });
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(o.port ?? 0, '127.0.0.1', () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  hosts = allowedHosts('127.0.0.1', port);
  return {
    url: `http://127.0.0.1:${port}${MCP_PATH}`,
    key,
    close: async () => {
      for (const s of sessions.values()) await s.transport.close().catch(() => undefined);
      sessions.clear();
      await new Promise<void>(resolve => {
        httpServer.closeAllConnections();
        httpServer.close(() => resolve());
      });
    },
  };
}
