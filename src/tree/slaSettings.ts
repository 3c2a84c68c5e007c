/**
 * The SLA clocks' side of VS Code: the `defenderIncidents.sla` and `maxQueueSize` settings (a bad SLA
 * entry is named in one warning per change of the setting, with Open Settings, and keeps its default),
 * and the Show Overdue Incidents command. The rules are in src/model/sla.ts; the tick in ./slaClock.
 */
import * as vscode from 'vscode';
import { Commands, EXT, settingId, Settings, VIEW_ID } from '../constants';
import type { SlaPolicy } from '../model/sla';
import { parseSlaSetting } from '../model/slaSetting';
import type { IncidentStore } from '../store/incidentStore';
import { DEFAULT_MAX_QUEUE_SIZE } from '../store/queueLimits';
import type { Log } from '../log';
import { safe, warn } from '../ui/surface';

/** The warning for bad entries of the SLA setting: each named, and what happens instead. */
export function slaSettingWarning(errors: readonly string[]): string {
  const what = errors.length === 1 ? 'An entry of the SLA setting is' : `${errors.length} entries of the SLA setting are`;
  return `Defender Incidents: ${what} not valid and use${errors.length === 1 ? 's' : ''} the default instead: ${errors.join('; ')}`;
}

export class SlaSettings implements vscode.Disposable {
  /** Read on first use (the first queue built), not in activate(); re-read at once when the setting changes. */
  private current: SlaPolicy | undefined;
  private readonly sub: vscode.Disposable;
  /** The errors last warned about, so one change of the setting warns once. */
  private warned = '';

  /** `changed`: the policy or the cap changed (rebuild the queue or reload it). */
  constructor(
    private readonly log: Log,
    changed: (what: 'sla' | 'maxQueueSize') => void,
  ) {
    this.sub = vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration(settingId(Settings.sla))) {
        this.current = this.read();
        changed('sla');
      }
      if (e.affectsConfiguration(settingId(Settings.maxQueueSize))) changed('maxQueueSize');
    });
  }

  get policy(): SlaPolicy {
    return (this.current ??= this.read());
  }

  /** Parses the setting; bad entries keep their defaults and are named once per change. */
  private read(): SlaPolicy {
    const { policy, errors } = parseSlaSetting(vscode.workspace.getConfiguration(EXT).get<unknown>(Settings.sla));
    const key = errors.join('\n');
    if (errors.length && key !== this.warned) {
      const message = slaSettingWarning(errors);
      this.log.warn(message);
      void warn(safe(message, { max: 2000 }), 'Open Settings').then(c => {
        if (c) void vscode.commands.executeCommand('workbench.action.openSettings', settingId(Settings.sla));
      });
    }
    this.warned = key;
    return policy;
  }

  maxQueueSize(): number {
    const v = vscode.workspace.getConfiguration(EXT).get<number>(Settings.maxQueueSize, DEFAULT_MAX_QUEUE_SIZE);
    return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : DEFAULT_MAX_QUEUE_SIZE;
  }

  dispose(): void {
    this.sub.dispose();
  }
}

/** Show Overdue Incidents: the current queue narrowed to its overdue incidents (what the badge counts). */
export function slaCommands(store: IncidentStore): Record<typeof Commands.showOverdue, () => Promise<void>> {
  return {
    [Commands.showOverdue]: async () => {
      await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => store.setFilter({ ...store.filter, sla: ['overdue'] }));
      await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    },
  };
}
