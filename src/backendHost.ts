/**
 * Builds the backend the settings ask for, lazily, and rebuilds it when they change. It owns sign-in
 * (VS Code's Microsoft account, or an app's client secret kept only in SecretStorage), the built-in
 * mock server for mock mode, and the identity "assign to me" uses. Nothing here runs in activate():
 * the first tree refresh or command calls `backend()`. The clients, sign-in and the HTTP road are a lazy
 * chunk (see esbuild.js): `backend()` and `signIn()` import them.
 */
import * as vscode from 'vscode';
import type { Backend, BackendCapabilities, BackendKind } from './backend/types';
import { BACKENDS, isBackendKind } from './model/backends';
import {
  connectionLabel,
  describeIgnored,
  historyScope,
  readBackendSettings,
  resolveBackendConfig,
  secretKey,
  SETTINGS,
  type BackendConfig,
  type IgnoredSetting,
} from './backend/config';
import type { TokenProvider } from './backend/auth';
import { huntingTarget, huntingTenantKey } from './hunting/connection';
import { EXT, MOCK_USER, SECRET_KEY, Settings } from './constants';
import type { Log } from './log';
import { info, input, safe, ui, warn } from './ui/surface';
import { BuiltInMock } from './builtInMock';

export class BackendHost implements vscode.Disposable {
  private current: Promise<Backend> | undefined;
  private tokens: TokenProvider | undefined;
  private readonly mock: BuiltInMock;
  private identity: string = MOCK_USER;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the backend was rebuilt (settings changed, signed in or out). */
  readonly onDidChange = this.changed.event;
  private readonly identityChanged = new vscode.EventEmitter<string>();
  /** Fires with the new identity when "who am I" changed (signed in as someone else, another backend). */
  readonly onDidChangeIdentity = this.identityChanged.event;
  private readonly connected = new vscode.EventEmitter<BackendCapabilities>();
  /** Fires with what the backend can do each time one is built (the first request after a change). */
  readonly onDidConnect = this.connected.event;
  private readonly subs: vscode.Disposable[] = [];
  /** Ignored workspace values already named in a notice this session (`setting|from`). */
  private readonly noticed = new Set<string>();
  /** The connection each backend was built for (`historyScope`), so an action bound to one runs on no other. */
  private readonly built = new WeakMap<Backend, string>();
  /** Every connection a backend was built for since VS Code started: notifications name it once there were two. */
  private readonly used = new Set<string>();

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Log,
  ) {
    this.mock = new BuiltInMock(context, log);
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration(e => {
        if (Object.values(SETTINGS).some(id => e.affectsConfiguration(id))) this.reset();
      }),
    );
    if (vscode.authentication?.onDidChangeSessions) {
      this.subs.push(
        vscode.authentication.onDidChangeSessions(e => {
          if (e.provider.id === 'microsoft' && !BACKENDS[this.kind()].builtIn) this.reset();
        }),
      );
    }
  }

  /** The backend kind in effect: from user settings only, like the backend itself. */
  kind(): BackendKind {
    // Only the one setting (activation asks): inspecting all of them costs a few ms in a fresh host.
    const c = vscode.workspace.getConfiguration(EXT);
    const v = readBackendSettings(
      key => (key === Settings.backend ? c.inspect(key) : undefined),
      () => undefined,
    ).raw.backend;
    return isBackendKind(v) ? v : 'mock';
  }

  /**
   * The key local history is kept under for the settings in effect (kind + API host + tenant, or
   * `mock`). With settings that do not resolve, a key of their own that matches no tenant's history.
   */
  historyScope(): string {
    try {
      return historyScope(this.config());
    } catch {
      return `${this.kind()}|invalid-settings`;
    }
  }

  /** The connection in effect (kind + API host + tenant, or `mock`): what panes and runs bind to. */
  connection(): string {
    return this.historyScope();
  }

  /** The connection a backend was built for; a backend this host did not build is bound to none. */
  connectionOf(backend: Backend): string {
    return this.built.get(backend) ?? 'unknown';
  }

  /** The connection in words (`contoso.onmicrosoft.com · Graph`), for the view and the notifications. */
  connectionLabel(): string {
    try {
      return connectionLabel(this.config());
    } catch {
      return `${this.kind()} (settings need attention)`;
    }
  }

  /** The label of a connection key (`historyScope`), for a pane or run bound to an earlier one. */
  static labelOf(scope: string): string {
    if (scope === 'mock') return 'Mock';
    const [kind, host, tenant] = scope.split('|');
    const api = kind === 'graph' ? 'Graph' : kind === 'defender' ? 'Defender XDR' : kind;
    return `${tenant === 'organizations' ? 'home tenant' : (tenant ?? '?')} · ${api} (${host ?? '?'})`;
  }

  /**
   * The connection in words when more than one was used since VS Code started, else '': a notification
   * about an action names where it went when that could be in doubt.
   */
  connectionInNotices(): string {
    return this.used.size > 1 ? this.connectionLabel() : '';
  }

  /**
   * Who "assign to me" assigns to: the mock's analyst; with a client secret the userPrincipalName setting
   * (else the app); with VS Code's Microsoft account that account, once signed in. Set when the backend
   * is built and on Sign In, never as a side effect of fetching a token.
   */
  me(): string {
    return this.identity;
  }

  private setIdentity(who: string): void {
    if (who === this.identity) return;
    this.identity = who;
    this.identityChanged.fire(who);
  }

  /** The backend for the current settings; a bad setting rejects with a ConfigError naming it. */
  backend(): Promise<Backend> {
    if (!this.current) {
      const scope = this.historyScope();
      const built = this.build().then(b => {
        this.built.set(b, scope);
        this.used.add(scope);
        return b;
      });
      this.current = built;
      built.then(
        b => {
          if (this.current === built) this.connected.fire(b.capabilities);
        },
        () => {
          if (this.current === built) this.current = undefined;
        },
      );
    }
    return this.current;
  }

  /**
   * The backend settings: backend, URLs and sign-in method from user (or remote machine) settings
   * only, whatever a workspace or folder says (package.json also declares them "machine").
   */
  private settings(): { raw: ReturnType<typeof readBackendSettings>['raw']; ignored: IgnoredSetting[] } {
    const c = vscode.workspace.getConfiguration(EXT);
    return readBackendSettings(
      key => c.inspect(key),
      key => c.get(key),
    );
  }

  /** The effective, validated configuration; a bad setting throws a ConfigError naming it. */
  config(): BackendConfig {
    const { raw, ignored } = this.settings();
    this.notifyIgnored(ignored);
    return resolveBackendConfig(raw);
  }

  /** Names ignored workspace values once per session (each), in the log and a warning. */
  private notifyIgnored(ignored: IgnoredSetting[]): void {
    const fresh = ignored.filter(i => !this.noticed.has(`${i.setting}|${i.from}`));
    if (!fresh.length) return;
    for (const i of fresh) this.noticed.add(`${i.setting}|${i.from}`);
    const message = describeIgnored(fresh);
    this.log.warn(message);
    void warn(ui`Defender Incidents: ${safe(message, { max: 600 })}`, 'Open User Settings').then(c => {
      if (c) void vscode.commands.executeCommand('workbench.action.openGlobalSettings', { query: EXT });
    });
  }

  private async build(): Promise<Backend> {
    const config = this.config();
    const [{ createBackend }, { StaticTokenProvider, sessionRequestOptions }] = await Promise.all([import('./backend/factory'), import('./backend/auth')]);
    const log = (line: string) => this.log.request(line);
    if (BACKENDS[config.kind].builtIn) {
      const server = await this.mock.server();
      this.setIdentity(MOCK_USER);
      // The mock answers only callers that send its launch key.
      this.tokens = new StaticTokenProvider(server.key);
      return createBackend(config, { tokens: this.tokens, log, mockBaseUrl: server.url });
    }
    this.tokens = config.authMethod === 'clientSecret' ? await this.clientSecretTokens(config) : await this.sessionTokens(config);
    const upn = (this.settings().raw.userPrincipalName ?? '').trim();
    // Fail fast with a clear sign-in state rather than a list call that cannot authenticate.
    await this.tokens.getToken();
    if (upn) this.setIdentity(upn);
    else if (config.authMethod === 'clientSecret') this.setIdentity(`app:${config.clientId}`);
    else {
      // Signed in (silently) with VS Code's Microsoft account: that account is who "me" is.
      const session = await vscode.authentication.getSession('microsoft', config.sessionScopes, sessionRequestOptions({ interactive: false, refused: false }));
      if (session) this.setIdentity(session.account.label);
    }
    return createBackend(config, { tokens: this.tokens, log });
  }

  /**
   * Tokens of the current sign-in method for a configuration (Check Connection: the backend's own API,
   * and Graph for hunting with another audience). Nothing is fetched until asked; nothing is cached here.
   */
  probeTokens(config: BackendConfig): Promise<TokenProvider> {
    return config.authMethod === 'clientSecret' ? this.clientSecretTokens(config) : this.sessionTokens(config);
  }

  private async clientSecretTokens(config: BackendConfig): Promise<TokenProvider> {
    const { ClientSecretTokenProvider } = await import('./backend/auth');
    return new ClientSecretTokenProvider({
      authorityHost: config.authorityHost,
      tenantId: config.tenantId,
      clientId: config.clientId,
      scope: config.scope,
      getSecret: async () => this.context.secrets.get(secretKey(config)),
    });
  }

  /**
   * VS Code's built-in Microsoft account: VS Code keeps the token; this extension stores none. Every
   * request asks silently (a 401 included); only Sign In may show a dialog or force a new session.
   */
  private async sessionTokens(config: BackendConfig): Promise<TokenProvider> {
    const { SessionTokenProvider } = await import('./backend/auth');
    return new SessionTokenProvider(opts => Promise.resolve(vscode.authentication.getSession('microsoft', config.sessionScopes, opts)));
  }

  /** Interactive sign-in for the current backend: the one place that may show a dialog. */
  async signIn(): Promise<void> {
    const config = this.config();
    if (BACKENDS[config.kind].builtIn) {
      void info(ui`The mock backend needs no sign-in. Use "Defender Incidents: Switch Backend" to connect to a tenant.`);
      return;
    }
    if (config.authMethod === 'clientSecret') {
      if (!(await this.context.secrets.get(secretKey(config)))) {
        const set = await this.promptSecret();
        if (!set) return;
      }
    } else {
      const { SessionTokenProvider, sessionRequestOptions } = await import('./backend/auth');
      // The backend refused the current session: the same one would be refused again, so ask for a new one.
      const refused = this.tokens instanceof SessionTokenProvider && this.tokens.refused;
      const session = await vscode.authentication.getSession('microsoft', config.sessionScopes, sessionRequestOptions({ interactive: true, refused }));
      if (!session) return;
      const upn = (this.settings().raw.userPrincipalName ?? '').trim();
      this.setIdentity(upn || session.account.label);
    }
    this.reset();
    await this.backend();
  }

  /**
   * Asks for the client secret of the app and tenant the settings name, in a password box, and keeps
   * it only in SecretStorage, under that authority, tenant and client ID.
   */
  async promptSecret(): Promise<boolean> {
    const config = this.config();
    const secret = await input({
      title: ui`Defender Incidents: Client Secret`,
      prompt: ui`The client secret of app ${safe(config.clientId || '(no client ID set)')} in tenant ${safe(config.tenantId || '(no tenant set)')}. It is kept only in VS Code's secret storage, for this app and tenant only.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: v => (v.trim() ? undefined : ui`Enter the secret, or press Escape to cancel.`),
    });
    if (!secret) return false;
    await this.context.secrets.store(secretKey(config), secret.trim());
    // The single secret of earlier versions belonged to no known tenant: never send it anywhere again.
    await this.context.secrets.delete(SECRET_KEY);
    this.reset();
    return true;
  }

  /** Forgets the secret and every cached token. */
  async signOut(): Promise<void> {
    await this.context.secrets.delete(SECRET_KEY);
    try {
      await this.context.secrets.delete(secretKey(this.config()));
    } catch {
      /* settings that do not resolve name no secret */
    }
    this.tokens?.clear();
    this.reset();
  }

  /** Reseeds the mock's sample data. */
  async resetMock(): Promise<void> {
    const server = await this.mock.server();
    await server.reset();
  }

  /** The built-in mock server's URL and launch key, if it runs (tests use them for fault injection). */
  mockEndpoint(): Promise<{ url: string; key: string } | undefined> {
    return this.mock.endpoint();
  }

  /**
   * Where advanced hunting goes and with which token (see src/hunting/connection.ts): Graph whichever
   * incidents backend is chosen; on the Defender backend a second token, for Graph, from the same app
   * registration; the mock's Graph dialect in mock mode. Nothing interactive: `interactive` (a user's
   * "Sign In for Hunting") may show the Microsoft sign-in for the Graph scope.
   */
  async huntingEndpoint(interactive = false): Promise<{ baseUrl: string; tokens: TokenProvider; flavor: 'graph' | 'mock'; tenantKey: string }> {
    const config = this.config();
    const { StaticTokenProvider, sessionRequestOptions } = await import('./backend/auth');
    if (config.kind === 'mock') {
      const server = await this.mock.server();
      return { baseUrl: server.url, tokens: new StaticTokenProvider(server.key), flavor: 'mock', tenantKey: huntingTenantKey(config, server.url) };
    }
    const target = huntingTarget(config);
    const tenantKey = huntingTenantKey(config, target.baseUrl);
    if (config.kind === 'graph') {
      await this.backend();
      if (this.tokens) return { baseUrl: target.baseUrl, tokens: this.tokens, flavor: 'graph', tenantKey };
    }
    const scopes = [target.scope, ...config.sessionScopes.slice(1)];
    if (interactive && config.authMethod !== 'clientSecret') {
      await vscode.authentication.getSession('microsoft', scopes, sessionRequestOptions({ interactive: true, refused: false }));
    }
    if (!this.huntTokens || this.huntTokens.key !== tenantKey) {
      const tokens =
        config.authMethod === 'clientSecret'
          ? await this.clientSecretTokens({ ...config, scope: target.scope })
          : await this.sessionTokens({ ...config, sessionScopes: scopes });
      this.huntTokens = { key: tenantKey, tokens };
    }
    return { baseUrl: target.baseUrl, tokens: this.huntTokens.tokens, flavor: 'graph', tenantKey };
  }

  private huntTokens: { key: string; tokens: TokenProvider } | undefined;

  reset(): void {
    this.huntTokens?.tokens.clear();
    this.huntTokens = undefined;
    const old = this.current;
    this.current = undefined;
    void old?.then(
      b => b.dispose(),
      () => undefined,
    );
    this.changed.fire();
  }

  dispose(): void {
    this.reset();
    this.changed.dispose();
    this.identityChanged.dispose();
    this.connected.dispose();
    for (const s of this.subs) s.dispose();
    this.mock.dispose();
  }
}
