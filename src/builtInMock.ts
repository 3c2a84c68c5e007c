/**
 * The built-in mock server of mock mode, started once and only when first asked for (the mock is a lazy
 * bundle: see esbuild.js), on 127.0.0.1 with an ephemeral port, data in global storage. BackendHost
 * (./backendHost.ts) builds the mock backend and the mock's hunting endpoint on it.
 */
import * as vscode from 'vscode';
import * as fs from 'fs';
import * as path from 'path';
import { MOCK_USER } from './constants';
import type { Log } from './log';
import { safe, ui, warn } from './ui/surface';

export type MockHandle = Awaited<ReturnType<typeof import('./mock/server').startMockServer>>;

export class BuiltInMock {
  private mock: Promise<MockHandle> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {}

  /**
   * The server, started on first call. It needs its random launch key on every request, and serves its
   * `/__mock` control routes only to test runs (DEFENDER_INCIDENTS_TEST=1, set by the integration and UI
   * harnesses). A failed start is forgotten, so the next call tries again.
   */
  server(): Promise<MockHandle> {
    if (!this.mock) {
      this.mock = (async () => {
        const { startMockServer } = await import('./mock/server');
        const dir = this.context.globalStorageUri.fsPath;
        await vscode.workspace.fs.createDirectory(this.context.globalStorageUri);
        const server = await startMockServer({
          host: '127.0.0.1',
          port: 0,
          dataFile: path.join(dir, 'mock-incidents.json'),
          extensions: true,
          identity: MOCK_USER,
          requireKey: true,
          control: process.env.DEFENDER_INCIDENTS_TEST === '1',
          onRecovered: (reason: string, movedTo: string) => {
            void warn(
              ui`Defender Incidents: the mock data file was unreadable (${safe(reason, { max: 300 })}). It was kept as ${safe(movedTo, { max: 600 })} and fresh sample data was created.`,
            );
          },
        });
        this.log.info(`Mock backend listening on ${server.url}`);
        // UI journeys drive the built-in mock from outside the extension host: under test only, its
        // endpoint and launch key go to the file the test runner named (owner-only permissions).
        const info = process.env.DEFENDER_INCIDENTS_MOCK_INFO;
        if (process.env.DEFENDER_INCIDENTS_TEST === '1' && info) {
          await fs.promises.writeFile(info, JSON.stringify({ url: server.url, key: server.key }), { mode: 0o600 });
        }
        return server;
      })();
      this.mock.catch(() => {
        this.mock = undefined;
      });
    }
    return this.mock;
  }

  /** The server's URL and launch key, if it was started (tests use them for fault injection). */
  async endpoint(): Promise<{ url: string; key: string } | undefined> {
    if (!this.mock) return undefined;
    const server = await this.mock;
    return { url: server.url, key: server.key };
  }

  dispose(): void {
    void this.mock?.then(
      m => m.close(),
      () => undefined,
    );
  }
}
