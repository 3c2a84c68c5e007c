/** Commands on one incident that change nothing: open the pane, open the portal, copy, export; and backend commands. */
import * as vscode from 'vscode';
import { EXT, Settings } from '../constants';
import { portalUrl } from '../model/links';
import { incidentToMarkdown } from '../export/markdown';
import type { Services } from '../services';
import { resolveTargets } from './targets';
import { showError } from './triageCommands';
import { reloadQueue } from './queueCommands';
import { copiedIdMessage, copiedLinkMessage } from './format';

export function registerIncidentCommands(s: Services): vscode.Disposable[] {
  const reg = (id: string, fn: (arg?: unknown, opts?: unknown) => unknown) => vscode.commands.registerCommand(`${EXT}.${id}`, async (arg?: unknown, opts?: unknown) => {
    try { await fn(arg, opts); } catch (e) { showError(s, id, e); }
  });
  const one = async (arg: unknown, placeholder: string) => (await resolveTargets(s, arg, undefined, { many: false, placeholder }))[0];
  const incident = async (id: string) => s.store.get(id) ?? (await (await s.host.backend()).getIncident(id));

  return [
    // A click in the queue passes { preview: true }: the preview pane is reused (see IncidentPanels.open).
    reg('openIncident', async (arg, opts) => {
      const id = await one(arg, 'Open which incident?');
      const preview = typeof opts === 'object' && opts !== null && (opts as { preview?: unknown }).preview === true;
      if (id) await s.panels.open(id, { preview });
    }),
    reg('openInPortal', async arg => {
      const id = await one(arg, 'Open which incident in the Defender portal?');
      if (id) await vscode.env.openExternal(vscode.Uri.parse(portalUrl(await incident(id))));
    }),
    reg('copyId', async arg => {
      const id = await one(arg, 'Copy the ID of which incident?');
      if (!id) return;
      await vscode.env.clipboard.writeText(id);
      void vscode.window.setStatusBarMessage(copiedIdMessage(id), 3000);
    }),
    reg('copyLink', async arg => {
      const id = await one(arg, 'Copy the link of which incident?');
      if (!id) return;
      await vscode.env.clipboard.writeText(portalUrl(await incident(id)));
      void vscode.window.setStatusBarMessage(copiedLinkMessage(id), 3000);
    }),
    reg('exportMarkdown', async arg => {
      const id = await one(arg, 'Export which incident to Markdown?');
      if (!id) return;
      const i = await incident(id);
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: incidentToMarkdown(i, s.history().timeline(i), new Date()) });
      await vscode.window.showTextDocument(doc, { preview: false });
    }),
    reg('switchBackend', async () => {
      const cur = s.host.kind();
      const p = await vscode.window.showQuickPick([
        { label: 'Mock', value: 'mock', description: 'built-in sample data, no account' },
        { label: 'Microsoft Defender XDR API', value: 'defender', description: 'api.security.microsoft.com' },
        { label: 'Microsoft Graph security API', value: 'graph', description: 'graph.microsoft.com/v1.0/security' },
      ].map(x => ({ ...x, detail: x.value === cur ? 'current' : undefined })), { title: 'Switch backend' });
      if (!p || p.value === cur) return;
      await vscode.workspace.getConfiguration(EXT).update(Settings.backend, p.value, vscode.ConfigurationTarget.Global);
    }),
    // Signing in and setting the secret rebuild the backend, whose change event reloads the queue once
    // (a second reload here would spend a second list call of Defender's 50 a minute).
    reg('signIn', async () => { await s.host.signIn(); }),
    reg('signOut', async () => {
      await s.host.signOut();
      s.store.clear();
      void vscode.window.showInformationMessage('Defender Incidents: signed out; the client secret and cached tokens were forgotten.');
    }),
    reg('setClientSecret', async () => { await s.host.promptSecret(); }),
    reg('resetMockData', async () => {
      if (s.host.kind() !== 'mock') {
        void vscode.window.showWarningMessage('Defender Incidents: Reset Mock Data works only on the mock backend.');
        return;
      }
      const ok = await vscode.window.showWarningMessage('Reset the mock backend to fresh sample data? Changes made to mock incidents are lost.', { modal: true }, 'Reset');
      if (ok !== 'Reset') return;
      await s.host.resetMock();
      await reloadQueue(s);
    }),
    reg('showLog', () => s.log.show()),
  ];
}
