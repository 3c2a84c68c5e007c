/**
 * Settings -> the Backend. Mock mode is the Defender client pointed at the built-in mock server,
 * with its launch key as the token and paced generously, so the real client code is what the mock exercises.
 * No `vscode` import.
 */
import type { BackendConfig } from './config';
import type { Backend } from './types';
import type { TokenProvider } from './auth';
import { ConfigError } from './errors';
import { DefenderClient } from './defender/client';
import { GraphClient } from './graph/client';

export interface BackendDeps {
  tokens: TokenProvider;
  log: (line: string) => void;
  /** The running mock server's URL; required when config.kind is 'mock'. */
  mockBaseUrl?: string;
  timeoutMs?: number;
}

export function createBackend(config: BackendConfig, deps: BackendDeps): Backend {
  switch (config.kind) {
    case 'mock':
      if (!deps.mockBaseUrl) {
        throw new ConfigError('defenderIncidents.backend', 'The mock backend is not running.');
      }
      return new DefenderClient({ baseUrl: deps.mockBaseUrl, tokens: deps.tokens, log: deps.log, mock: true, timeoutMs: deps.timeoutMs });
    case 'defender':
      return new DefenderClient({ baseUrl: config.apiBaseUrl, tokens: deps.tokens, log: deps.log, timeoutMs: deps.timeoutMs });
    case 'graph':
      return new GraphClient({ baseUrl: config.apiBaseUrl, tokens: deps.tokens, log: deps.log, timeoutMs: deps.timeoutMs });
  }
}
