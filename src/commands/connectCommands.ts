/**
 * First contact with a tenant: the walkthrough's commands (choose the API, the permissions to grant,
 * tenant and client ID typed with validation, the sign-in method), Check Connection and Copy
 * Diagnostics. The logic lives in src/connect/ (no `vscode` import); this is the VS Code glue.
 */
import * as vscode from 'vscode';
import { version as extensionVersion } from '../../package.json';
import { Commands, ContextKeys, EXT, Settings } from '../constants';
import type { BackendHost } from '../backendHost';
import type { Log } from '../log';
import { StaticTokenProvider } from '../backend/auth';
import { ConfigError } from '../backend/errors';
import type { BackendConfig } from '../backend/config';
import { sharedPacer, type PacerBudget } from '../backend/pacer';
import { info, input, pick, safe, ui, warn, type SafeText } from '../ui/surface';
import { checkConnection, OUTCOME_LABEL, type CheckInput, type ProbeLine } from '../connect/check';
import { connectionReport } from '../connect/report';
import { graphConfigFor, hostOf } from '../connect/endpoints';
import { APIS, apiFor } from '../connect/permissions';
import { clientIdProblem, tenantProblem } from '../connect/validate';
import { diagnosticsText } from '../connect/diagnostics';
import type { CommandTable } from './register';

export interface ConnectDeps {
  host: BackendHost;
  log: Log;
}

type ConnectIds = 'chooseApi' | 'copyPermissions' | 'setTenantAndClient' | 'chooseSignIn' | 'checkConnection' | 'copyDiagnostics' | 'connectWalkthrough';

export const WALKTHROUGH_ID = 'defender-incidents.defender-incidents#connect';

const ENTRA_APPS = 'https://entra.microsoft.com/#view/Microsoft_AAD_RegisteredApps/ApplicationsListBlade';

/** A validator's words for an input box (its message renders links). */
function problemOf(check: (v: string) => string | undefined): (v: string) => SafeText | undefined {
  return v => {
    const p = check(v);
    return p === undefined ? undefined : safe(p, { max: 400 });
  };
}

export function connectCommands(d: ConnectDeps): Pick<CommandTable, (typeof Commands)[ConnectIds]> {
  const config = () => vscode.workspace.getConfiguration(EXT);
  /** A connection setting as the extension reads it: from user (or remote machine) settings only, never a workspace's. */
  const userValue = (key: typeof Settings.tenantId | typeof Settings.clientId | typeof Settings.authMethod): string => {
    const v = config().inspect<string>(key)?.globalValue;
    return typeof v === 'string' ? v : '';
  };
  let lastCheck: string[] | undefined;

  async function endpoints(): Promise<{ cfg: BackendConfig | undefined; input: Omit<CheckInput, 'log'> } | { error: ConfigError }> {
    let cfg: BackendConfig;
    try {
      cfg = d.host.config();
    } catch (e) {
      if (e instanceof ConfigError) return { error: e };
      throw e;
    }
    if (cfg.kind === 'mock') {
      await d.host.backend();
      const m = await d.host.mockEndpoint();
      if (!m) throw new Error('The mock backend did not start.');
      const api = { flavor: 'mock' as const, baseUrl: m.url, tokens: new StaticTokenProvider(m.key) };
      return { cfg, input: { kind: 'mock', api, graph: api } };
    }
    const api = { flavor: cfg.kind, baseUrl: cfg.apiBaseUrl, tokens: await d.host.probeTokens(cfg) };
    let graph: CheckInput['graph'];
    if (cfg.kind === 'graph') graph = api;
    else {
      const g = graphConfigFor(cfg);
      graph = { flavor: 'graph', baseUrl: g.apiBaseUrl, tokens: await d.host.probeTokens(g) };
    }
    return { cfg, input: { kind: cfg.kind, api, graph } };
  }

  async function runCheck(): Promise<ProbeLine[]> {
    const kind = d.host.kind();
    const e = await endpoints();
    const at = new Date();
    let lines: ProbeLine[];
    let apiHost: string;
    let tenant: string;
    let signIn: string;
    if ('error' in e) {
      lines = [{ capability: 'incidents', what: 'Settings', outcome: 'failed', words: e.error.message, fix: `Fix the setting ${e.error.setting}.` }];
      apiHost = '(settings incomplete)';
      tenant = userValue(Settings.tenantId) || '(not set)';
      signIn = userValue(Settings.authMethod) || 'vscode';
    } else {
      lines = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Defender Incidents: checking the connection…' }, () =>
        checkConnection({ ...e.input, log: l => d.log.request(l) }),
      );
      apiHost = hostOf(e.input.api.baseUrl);
      tenant = kind === 'mock' ? 'mock (no tenant)' : e.cfg?.tenantId || "your account's home tenant (organizations)";
      signIn =
        kind === 'mock'
          ? "the mock's launch key"
          : e.cfg?.authMethod === 'clientSecret'
            ? `client secret of app ${e.cfg.clientId}`
            : `VS Code Microsoft account with app ${e.cfg?.clientId ?? ''}`;
    }
    lastCheck = lines.map(
      l =>
        `${l.capability}: ${OUTCOME_LABEL[l.outcome]}${l.permission && l.outcome === 'forbidden' ? ` (${l.permission})` : ''}${l.requestId ? ` request-id=${l.requestId}` : ''}`,
    );
    for (const l of lines)
      if (l.outcome !== 'works')
        d.log.warn(`Check Connection: ${l.capability} ${OUTCOME_LABEL[l.outcome]}: ${l.words}${l.requestId ? ` [request-id ${l.requestId}]` : ''}`);
    const works = lines.find(l => l.capability === 'incidents')?.outcome === 'works';
    void vscode.commands.executeCommand('setContext', ContextKeys.connectionWorks, works);
    const doc = await vscode.workspace.openTextDocument({
      language: 'markdown',
      content: connectionReport({ backend: kind, apiHost, tenant, signIn, at }, lines),
    });
    await vscode.window.showTextDocument(doc, { preview: true });
    void vscode.commands.executeCommand('markdown.showPreview', doc.uri).then(undefined, () => undefined);
    const summary = lines
      .map(l => `${l.capability} ${OUTCOME_LABEL[l.outcome]}${l.outcome === 'forbidden' && l.permission ? ` (needs ${l.permission})` : ''}`)
      .join(', ');
    const bad = lines.find(l => l.outcome !== 'works');
    if (!bad) void info(ui`Defender Incidents: connection check: ${safe(summary)}.`);
    // The words may carry the service's own text: no links or codicons in a notification.
    else void warn(ui`Defender Incidents: connection check: ${safe(summary)}. ${safe(bad.words, { max: 400 })}`);
    return lines;
  }

  return {
    [Commands.chooseApi]: async () => {
      const cur = d.host.kind();
      const items = (['defender', 'graph'] as const).map(k => ({
        label: safe(APIS[k].title),
        description: k === cur ? ui`current` : undefined,
        detail: safe(`${APIS[k].can} ${APIS[k].cannot}`, { max: 600 }),
        value: k,
      }));
      const chosen = await pick(items, {
        title: ui`Connect: which API?`,
        ignoreFocusOut: true,
        placeHolder: ui`Both read the same incidents; pick what your app registration will get permissions for`,
      });
      if (!chosen) return;
      await config().update(Settings.backend, chosen.value, vscode.ConfigurationTarget.Global);
    },
    [Commands.copyPermissions]: async () => {
      const api = apiFor(d.host.kind());
      const text = [
        `Application permissions for ${api.title} (API: ${api.resource}), then "Grant admin consent":`,
        ...api.capabilities.map(
          c => `- ${c.what}: ${c.read}${c.write ? ` (read), ${c.write} (${c.writes})` : ''}${c.api !== api.kind ? ' (Microsoft Graph)' : ''}`,
        ),
      ].join('\n');
      await vscode.env.clipboard.writeText(text);
      const open = await info(
        ui`Defender Incidents: the permission list for the ${api.kind === 'graph' ? ui`Graph` : ui`Defender XDR`} API is on the clipboard. Add them to your app registration, then grant admin consent.`,
        'Open App Registrations',
      );
      if (open) await vscode.env.openExternal(vscode.Uri.parse(ENTRA_APPS));
    },
    [Commands.setTenantAndClient]: async () => {
      const tenant = await input({
        title: ui`Connect (1/2): tenant`,
        prompt: ui`Directory (tenant) ID (a GUID) or a verified domain such as contoso.onmicrosoft.com`,
        value: userValue(Settings.tenantId),
        ignoreFocusOut: true,
        validateInput: problemOf(tenantProblem),
      });
      if (tenant === undefined) return;
      // Kept at once: Escape on the next box loses nothing typed here.
      await config().update(Settings.tenantId, tenant.trim(), vscode.ConfigurationTarget.Global);
      const client = await input({
        title: ui`Connect (2/2): application (client) ID`,
        prompt: ui`The Application (client) ID from the app registration's Overview page`,
        value: userValue(Settings.clientId),
        ignoreFocusOut: true,
        validateInput: problemOf(clientIdProblem),
      });
      if (client === undefined) return;
      await config().update(Settings.clientId, client.trim(), vscode.ConfigurationTarget.Global);
    },
    [Commands.chooseSignIn]: async () => {
      const chosen = await pick(
        [
          {
            label: ui`Client secret of the app`,
            detail: ui`Application permissions; the secret is kept only in VS Code's secret storage.`,
            value: 'clientSecret' as const,
          },
          {
            label: ui`My Microsoft account in VS Code`,
            detail: ui`Delegated permissions with the app's client ID; VS Code keeps the token.`,
            value: 'vscode' as const,
          },
        ],
        { title: ui`Connect: how to sign in?`, ignoreFocusOut: true },
      );
      if (!chosen) return;
      await config().update(Settings.authMethod, chosen.value, vscode.ConfigurationTarget.Global);
      if (chosen.value === 'clientSecret') {
        if (await d.host.promptSecret())
          void info(ui`Defender Incidents: the client secret is stored. Next: Check Connection.`, 'Check Connection').then(c => {
            if (c) void vscode.commands.executeCommand(Commands.checkConnection);
          });
      } else {
        await d.host.signIn();
      }
    },
    [Commands.checkConnection]: async () => {
      await runCheck();
    },
    [Commands.copyDiagnostics]: async () => {
      const tenant = userValue(Settings.tenantId).trim();
      let hide = false;
      if (tenant) {
        const chosen = await pick(
          [
            { label: ui`Include the tenant`, hide: false },
            { label: ui`Hide the tenant`, hide: true },
          ],
          { title: ui`Copy Diagnostics` },
        );
        if (!chosen) return;
        hide = chosen.hide;
      }
      let apiHost = '(settings incomplete)';
      let authMethod = userValue(Settings.authMethod) || 'vscode';
      let pacing: PacerBudget[] = [];
      try {
        const cfg = d.host.config();
        // The shared budget of this API and host, as the calls so far left it (nothing is built or sent for this).
        const base = cfg.kind === 'mock' ? (await d.host.mockEndpoint())?.url : cfg.apiBaseUrl;
        apiHost = cfg.kind === 'mock' ? 'built-in mock on 127.0.0.1' : hostOf(cfg.apiBaseUrl);
        if (cfg.kind === 'mock') authMethod = 'launch key';
        if (base) pacing = sharedPacer(cfg.kind, base).budget();
      } catch (e) {
        apiHost = `(${e instanceof Error ? e.message : String(e)})`;
      }
      const text = diagnosticsText({
        extensionVersion,
        vscodeVersion: vscode.version,
        platform: `${process.platform} ${process.arch}${vscode.env.remoteName ? `, remote ${vscode.env.remoteName}` : ''}`,
        backend: d.host.kind(),
        apiHost,
        authMethod,
        tenant: hide ? null : tenant,
        scrub: hide ? [tenant] : [],
        lastErrors: d.log.problems.list(),
        pacing,
        lastCheck,
        at: new Date(),
      });
      await vscode.env.clipboard.writeText(text);
      void info(ui`Defender Incidents: diagnostics copied (${text.split('\n').length} lines, no secrets or tokens). The README says where to send them.`);
    },
    [Commands.connectWalkthrough]: async () => {
      await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID);
    },
  };
}
