/** Commands on one incident that change nothing: open the pane, open the portal, copy, export; and backend commands. */
import * as vscode from 'vscode';
import { BACKEND_KINDS, BACKENDS } from '../model/backends';
import { Commands, Settings, EXT } from '../constants';
import { portalUrl } from '../model/links';
import { incidentToMarkdown } from '../export/markdown';
import type { BackendHost } from '../backendHost';
import type { IncidentStore } from '../store/incidentStore';
import type { History } from '../store/history';
import type { IncidentPanels } from '../panel/panels';
import type { Log } from '../log';
import type { TreeNode } from '../tree/incidentsTree';
import { resolveTargets } from './targets';
import { reloadQueue } from './reload';
import type { CommandTable } from './register';
import { copiedIdMessage, copiedLinkMessage } from './format';
import { confirm, info, pick, safe, ui, warn } from '../ui/surface';

export interface IncidentCommandDeps {
  host: BackendHost;
  store: IncidentStore;
  history: History;
  panels: IncidentPanels;
  view: vscode.TreeView<TreeNode>;
  log: Log;
}

type IncidentCommandIds =
  | 'openIncident'
  | 'openInPortal'
  | 'copyId'
  | 'copyLink'
  | 'exportMarkdown'
  | 'switchBackend'
  | 'signIn'
  | 'signOut'
  | 'setClientSecret'
  | 'resetMockData'
  | 'showLog';

export function incidentCommands(s: IncidentCommandDeps): Pick<CommandTable, (typeof Commands)[IncidentCommandIds]> {
  const one = async (arg: unknown, placeholder: string) => (await resolveTargets(s, arg, undefined, { many: false, placeholder }))[0];

  return {
    // A click in the queue passes { preview: true }: the preview pane is reused (see IncidentPanels.open).
    [Commands.openIncident]: async (arg, opts) => {
      const id = await one(arg, 'Open which incident?');
      const preview = typeof opts === 'object' && opts !== null && (opts as { preview?: unknown }).preview === true;
      if (id) await s.panels.open(id, { preview });
    },
    [Commands.openInPortal]: async arg => {
      const id = await one(arg, 'Open which incident in the Defender portal?');
      if (id) await vscode.env.openExternal(vscode.Uri.parse(portalUrl(await s.store.load(id))));
    },
    [Commands.copyId]: async arg => {
      const id = await one(arg, 'Copy the ID of which incident?');
      if (!id) return;
      await vscode.env.clipboard.writeText(id);
      void vscode.window.setStatusBarMessage(copiedIdMessage(id), 3000);
    },
    [Commands.copyLink]: async arg => {
      const id = await one(arg, 'Copy the link of which incident?');
      if (!id) return;
      await vscode.env.clipboard.writeText(portalUrl(await s.store.load(id)));
      void vscode.window.setStatusBarMessage(copiedLinkMessage(id), 3000);
    },
    [Commands.exportMarkdown]: async arg => {
      const id = await one(arg, 'Export which incident to Markdown?');
      if (!id) return;
      const i = await s.store.load(id);
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: incidentToMarkdown(i, s.history.timeline(i), new Date()) });
      await vscode.window.showTextDocument(doc, { preview: false });
    },
    [Commands.switchBackend]: async () => {
      const cur = s.host.kind();
      const p = await pick(
        BACKEND_KINDS.map(k => BACKENDS[k]).map(d => ({
          label: safe(d.pickLabel),
          value: d.kind,
          description: safe(d.pickDescription),
          detail: d.kind === cur ? ui`current` : undefined,
        })),
        { title: ui`Switch backend` },
      );
      if (!p || p.value === cur) return;
      await vscode.workspace.getConfiguration(EXT).update(Settings.backend, p.value, vscode.ConfigurationTarget.Global);
    },
    // Signing in and setting the secret rebuild the backend, whose change event reloads the queue once
    // (a second reload here would spend a second list call of Defender's 50 a minute).
    [Commands.signIn]: async () => {
      await s.host.signIn();
    },
    [Commands.signOut]: async () => {
      await s.host.signOut();
      s.store.clear();
      void info(ui`Defender Incidents: signed out; the client secret and cached tokens were forgotten.`);
    },
    [Commands.setClientSecret]: async () => {
      await s.host.promptSecret();
    },
    [Commands.resetMockData]: async () => {
      if (!BACKENDS[s.host.kind()].builtIn) {
        void warn(ui`Defender Incidents: Reset Mock Data works only on the mock backend.`);
        return;
      }
      const ok = await confirm(ui`Reset the mock backend to fresh sample data? Changes made to mock incidents are lost.`, 'Reset');
      if (ok !== 'Reset') return;
      await s.host.resetMock();
      await reloadQueue(s.store);
    },
    [Commands.showLog]: () => s.log.show(),
  };
}
