/**
 * Builds the backend the settings ask for, lazily, and rebuilds it when they change. It owns sign-in
 * (VS Code's Microsoft account, or an app's client secret kept only in SecretStorage), the built-in
 * mock server for mock mode, and the identity "assign to me" uses. Nothing here runs in activate():
 * the first tree refresh or command calls `backend()`.
 */
import * as vscode from 'vscode';
import * as path from 'path';
import type { Backend, BackendKind } from './backend/types';
import { AuthError, ConfigError } from './backend/errors';
import { resolveBackendConfig, type BackendConfig } from './backend/config';
import { CallbackTokenProvider, ClientSecretTokenProvider, NoAuthTokenProvider, type TokenProvider } from './backend/auth';
import { createBackend } from './backend/factory';
import { EXT, MOCK_USER, SECRET_KEY, Settings } from './constants';
import type { Log } from './log';

type MockHandle = Awaited<ReturnType<typeof import('./mock/server').startMockServer>>;

export class BackendHost implements vscode.Disposable {
  private current: Promise<Backend> | undefined;
  private tokens: TokenProvider | undefined;
  private mock: Promise<MockHandle> | undefined;
  private identity: string = MOCK_USER;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the backend was rebuilt (settings changed, signed in or out). */
  readonly onDidChange = this.changed.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly context: vscode.ExtensionContext, private readonly log: Log) {
    this.subs.push(vscode.workspace.onDidChangeConfiguration(e => {
      const keys = [Settings.backend, Settings.apiBaseUrl, Settings.authorityHost, Settings.tenantId, Settings.clientId, Settings.authMethod, Settings.userPrincipalName];
      if (keys.some(k => e.affectsConfiguration(`${EXT}.${k}`))) this.reset();
    }));
    if (vscode.authentication?.onDidChangeSessions) {
      this.subs.push(vscode.authentication.onDidChangeSessions(e => {
        if (e.provider.id === 'microsoft' && this.kind() !== 'mock') this.reset();
      }));
    }
  }

  kind(): BackendKind {
    const v = vscode.workspace.getConfiguration(EXT).get<string>(Settings.backend, 'mock');
    return v === 'defender' || v === 'graph' ? v : 'mock';
  }

  /** Who "assign to me" assigns to. */
  me(): string { return this.identity; }

  /** The backend for the current settings; a bad setting rejects with a ConfigError naming it. */
  backend(): Promise<Backend> {
    if (!this.current) {
      this.current = this.build();
      this.current.catch(() => { this.current = undefined; });
    }
    return this.current;
  }

  private readConfig(): BackendConfig {
    const c = vscode.workspace.getConfiguration(EXT);
    const backend = c.get<string>(Settings.backend, 'mock');
    if (!['mock', 'defender', 'graph'].includes(backend)) {
      throw new ConfigError(`${EXT}.${Settings.backend}`, `Setting ${EXT}.${Settings.backend} must be "mock", "defender" or "graph" (it is "${backend}").`);
    }
    return resolveBackendConfig({
      backend,
      apiBaseUrl: c.get<string>(Settings.apiBaseUrl, ''),
      authorityHost: c.get<string>(Settings.authorityHost, 'https://login.microsoftonline.com'),
      tenantId: c.get<string>(Settings.tenantId, ''),
      clientId: c.get<string>(Settings.clientId, ''),
      authMethod: c.get<string>(Settings.authMethod, 'vscode'),
    });
  }

  private async build(): Promise<Backend> {
    const config = this.readConfig();
    const log = (line: string) => this.log.request(line);
    if (config.kind === 'mock') {
      const server = await this.mockServer();
      this.identity = MOCK_USER;
      this.tokens = new NoAuthTokenProvider();
      return createBackend(config, { tokens: this.tokens, log, mockBaseUrl: server.url });
    }
    this.tokens = config.authMethod === 'clientSecret' ? this.clientSecretTokens(config) : this.sessionTokens(config);
    const upn = vscode.workspace.getConfiguration(EXT).get<string>(Settings.userPrincipalName, '').trim();
    if (config.authMethod === 'clientSecret') this.identity = upn || `app:${config.clientId}`;
    // Fail fast with a clear sign-in state rather than a list call that cannot authenticate.
    await this.tokens.getToken();
    if (upn) this.identity = upn;
    return createBackend(config, { tokens: this.tokens, log });
  }

  private clientSecretTokens(config: BackendConfig): TokenProvider {
    return new ClientSecretTokenProvider({
      authorityHost: config.authorityHost,
      tenantId: config.tenantId,
      clientId: config.clientId,
      scope: config.scope,
      getSecret: async () => this.context.secrets.get(SECRET_KEY),
    });
  }

  /** VS Code's built-in Microsoft account: VS Code keeps the token; this extension stores none. */
  private sessionTokens(config: BackendConfig): TokenProvider {
    return new CallbackTokenProvider(async (forceRefresh: boolean) => {
      // Silent: a request must never pop a sign-in dialog; "Sign In" is the interactive path.
      const opts: vscode.AuthenticationGetSessionOptions = forceRefresh ? { forceNewSession: true } : { silent: true };
      let session: vscode.AuthenticationSession | undefined;
      try {
        session = await vscode.authentication.getSession('microsoft', config.sessionScopes, opts);
      } catch (e) {
        throw new AuthError(`Microsoft sign-in failed: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (!session) throw new AuthError('Not signed in: run "Defender Incidents: Sign In".');
      this.identity = session.account.label;
      return session.accessToken;
    });
  }

  /** Interactive sign-in for the current backend. */
  async signIn(): Promise<void> {
    const config = this.readConfig();
    if (config.kind === 'mock') {
      void vscode.window.showInformationMessage('The mock backend needs no sign-in. Use "Defender Incidents: Switch Backend" to connect to a tenant.');
      return;
    }
    if (config.authMethod === 'clientSecret') {
      if (!(await this.context.secrets.get(SECRET_KEY))) {
        const set = await this.promptSecret();
        if (!set) return;
      }
    } else {
      const session = await vscode.authentication.getSession('microsoft', config.sessionScopes, { createIfNone: true });
      this.identity = session.account.label;
    }
    this.reset();
    await this.backend();
  }

  /** Asks for the client secret in a password box and keeps it only in SecretStorage. */
  async promptSecret(): Promise<boolean> {
    const secret = await vscode.window.showInputBox({
      title: 'Defender Incidents: Client Secret',
      prompt: 'The client secret of the app registration. It is kept only in VS Code\'s secret storage.',
      password: true,
      ignoreFocusOut: true,
      validateInput: v => (v.trim() ? undefined : 'Enter the secret, or press Escape to cancel.'),
    });
    if (!secret) return false;
    await this.context.secrets.store(SECRET_KEY, secret.trim());
    this.reset();
    return true;
  }

  /** Forgets the secret and every cached token. */
  async signOut(): Promise<void> {
    await this.context.secrets.delete(SECRET_KEY);
    this.tokens?.clear();
    this.reset();
  }

  /** Starts the built-in mock server once, on 127.0.0.1 with an ephemeral port, data in global storage. */
  private mockServer(): Promise<MockHandle> {
    if (!this.mock) {
      this.mock = (async () => {
        const { startMockServer } = await import('./mock/server');
        const dir = this.context.globalStorageUri.fsPath;
        await vscode.workspace.fs.createDirectory(this.context.globalStorageUri);
        const server = await startMockServer({
          host: '127.0.0.1', port: 0, dataFile: path.join(dir, 'mock-incidents.json'), extensions: true, identity: MOCK_USER,
          onRecovered: (reason: string, movedTo: string) => {
            void vscode.window.showWarningMessage(`Defender Incidents: the mock data file was unreadable (${reason}). It was kept as ${movedTo} and fresh sample data was created.`);
          },
        });
        this.log.info(`Mock backend listening on ${server.url}`);
        return server;
      })();
      this.mock.catch(() => { this.mock = undefined; });
    }
    return this.mock;
  }

  /** Reseeds the mock's sample data. */
  async resetMock(): Promise<void> {
    const server = await this.mockServer();
    await server.reset();
  }

  /** The built-in mock server's URL, if it runs (tests use it for fault injection). */
  async mockUrl(): Promise<string | undefined> {
    return this.mock ? (await this.mock).url : undefined;
  }

  reset(): void {
    const old = this.current;
    this.current = undefined;
    void old?.then(b => b.dispose(), () => undefined);
    this.changed.fire();
  }

  dispose(): void {
    this.reset();
    this.changed.dispose();
    for (const s of this.subs) s.dispose();
    void this.mock?.then(m => m.close(), () => undefined);
  }
}
