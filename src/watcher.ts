/**
 * Keeps the queue current: a delta refresh every `refreshInterval` seconds (only what changed since
 * the newest lastUpdateTime seen), a status-bar item with the count of my active incidents, one with
 * the count of overdue incidents in the queue (it follows the tree's SLA clock, not only refreshes), and a
 * notification for new High-severity incidents (by number: names are backend text). Starts only once
 * the view has loaded incidents. While refreshes fail, the last good queue stays with a warning row
 * (see the store's `refreshFailure`) and the wait doubles, up to 10 minutes; a success resets it.
 */
import * as vscode from 'vscode';
import { Commands, EXT, settingId, Settings } from './constants';
import type { Incident } from './model/types';
import { normalizeSeverity } from './model/enums';
import { isOpen } from './model/rules';
import { isMine } from './model/identity';
import type { IncidentStore } from './store/incidentStore';
import { refreshDelayMs } from './store/queueLimits';
import type { IncidentsTreeProvider } from './tree/incidentsTree';
import type { Log } from './log';
import { newHighSeverityMessage, statusBarTooltip } from './commands/format';
import { MIN_REFRESH_SECONDS, refreshSeconds, safeDelay } from './shared/timer';
import { warn } from './ui/surface';

export interface WatcherDeps {
  store: IncidentStore;
  /** The tree shows when the next automatic refresh runs in its warning row. */
  tree: IncidentsTreeProvider;
  /** Who "my" incidents are assigned to, and when that changes. */
  host: { me(): string; readonly onDidChangeIdentity: vscode.Event<string> };
  log: Log;
}

export class Watcher implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  readonly status = vscode.window.createStatusBarItem(`${EXT}.mine`, vscode.StatusBarAlignment.Left, 50);
  /** Overdue incidents in the queue (SLA); a click filters the queue to them. */
  readonly overdue = vscode.window.createStatusBarItem(`${EXT}.overdue`, vscode.StatusBarAlignment.Left, 49);
  private readonly subs: vscode.Disposable[] = [];
  private running = false;
  private disposed = false;

  constructor(private readonly s: WatcherDeps) {
    this.status.name = 'Defender Incidents: my active incidents';
    this.status.command = Commands.showMyIncidents;
    this.overdue.name = 'Defender Incidents: overdue incidents';
    this.overdue.command = Commands.showOverdue;
    const storeSub = s.store.onDidChange(() => this.update());
    this.subs.push(
      { dispose: () => storeSub.dispose() },
      s.host.onDidChangeIdentity(() => this.update()),
      s.tree.onDidChangeSlaCounts(() => this.updateOverdue()),
      vscode.workspace.onDidChangeConfiguration(e => {
        if (e.affectsConfiguration(settingId(Settings.refreshInterval))) this.schedule();
      }),
    );
  }

  intervalMs(): number {
    return refreshSeconds(vscode.workspace.getConfiguration(EXT).get<unknown>(Settings.refreshInterval, 120)) * 1000;
  }

  /** Arms the next automatic refresh: the interval, or longer while refreshes fail. */
  schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.disposed) return;
    const delay = refreshDelayMs(this.intervalMs(), this.s.store.refreshFailures);
    this.s.tree.nextAutoRefresh = Date.now() + delay;
    // The warning row was drawn when the refresh failed, before this wait was known: redraw it with it.
    if (this.s.store.refreshFailure) this.s.tree.refresh();
    this.timer = setTimeout(
      () => {
        void this.tick().finally(() => this.schedule());
      },
      safeDelay(delay, MIN_REFRESH_SECONDS * 1000),
    );
  }

  /** One delta refresh; notifies about new High-severity incidents and returns those it notified about. */
  async tick(): Promise<Incident[]> {
    // A failed first load (state 'error') is retried on the same schedule: the refresh and its
    // notifications do not stop until someone presses Retry. Signed out needs the user; loading is under way.
    const state = this.s.store.state;
    if (this.running || (state !== 'ready' && state !== 'error')) return [];
    this.running = true;
    try {
      const r = await this.s.store.refreshChanges();
      const high = r.added.filter(i => normalizeSeverity(i.severity) === 'High' && isOpen(i.status));
      if (high.length && vscode.workspace.getConfiguration(EXT).get<boolean>(Settings.notifyNewHighSeverity, true)) {
        const first = high[0];
        void warn(newHighSeverityMessage(high), 'Open').then(c => {
          if (c) void vscode.commands.executeCommand(Commands.openIncident, first.id);
        });
        return high;
      }
    } catch (e) {
      const next = Math.round(refreshDelayMs(this.intervalMs(), this.s.store.refreshFailures) / 1000);
      this.s.log.warn(`Automatic refresh failed (${this.s.store.refreshFailures} in a row; next in ${next} s): ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.running = false;
    }
    return [];
  }

  /** The overdue item: the tree's count over the whole queue, as its clock last saw it. */
  private updateOverdue(): void {
    const c = this.s.tree.slaCounts();
    if (!c) {
      this.overdue.hide();
      return;
    }
    this.overdue.text = `$(watch) ${c.overdue} overdue`;
    const many = (n: number) => (n === 1 ? '' : 's');
    this.overdue.tooltip = `Defender Incidents: ${c.overdue} overdue incident${many(c.overdue)} and ${c.dueSoon} due soon in the queue (SLA). Click to show the overdue ones.`;
    this.overdue.accessibilityInformation = { label: `${c.overdue} overdue Defender incident${many(c.overdue)}` };
    this.overdue.show();
  }

  /** Follows the queue: the status bar items, and the automatic refresh once it loaded (or failed to). */
  update(): void {
    this.updateOverdue();
    if (this.s.store.state === 'error' && !this.timer) this.schedule();
    if (this.s.store.state !== 'ready') {
      this.status.hide();
      return;
    }
    const me = this.s.host.me();
    let n = 0;
    for (const i of this.s.store.all()) if (isMine(i, me) && isOpen(i.status)) n++;
    this.status.text = `$(shield) ${n}`;
    this.status.tooltip = statusBarTooltip(n, this.s.host.me());
    this.status.accessibilityInformation = { label: `${n} active Defender incidents assigned to you` };
    this.status.show();
    if (!this.timer) this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.status.dispose();
    this.overdue.dispose();
    for (const s of this.subs) s.dispose();
  }
}
