/**
 * Keeps the queue current: a delta refresh every `refreshInterval` seconds (only what changed since
 * the newest lastUpdateTime seen), a status-bar item with the count of my active incidents, and a
 * notification for new High-severity incidents. Starts only once the view has loaded incidents.
 */
import * as vscode from 'vscode';
import { EXT, Settings } from './constants';
import type { Services } from './services';
import type { Incident } from './model/types';

export const MIN_REFRESH_SECONDS = 30;

export class Watcher implements vscode.Disposable {
  private timer: NodeJS.Timeout | undefined;
  readonly status = vscode.window.createStatusBarItem(`${EXT}.mine`, vscode.StatusBarAlignment.Left, 50);
  private readonly subs: vscode.Disposable[] = [];
  private running = false;

  constructor(private readonly s: Services) {
    this.status.name = 'Defender Incidents: my active incidents';
    this.status.command = `${EXT}.showMyIncidents`;
    const storeSub = s.store.onDidChange(() => this.update());
    this.subs.push({ dispose: () => storeSub.dispose() }, vscode.workspace.onDidChangeConfiguration(e => {
      if (e.affectsConfiguration(`${EXT}.${Settings.refreshInterval}`)) this.schedule();
    }));
  }

  intervalMs(): number {
    const v = vscode.workspace.getConfiguration(EXT).get<number>(Settings.refreshInterval, 120);
    return Math.max(MIN_REFRESH_SECONDS, Number.isFinite(v) ? v : 120) * 1000;
  }

  schedule(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => void this.tick(), this.intervalMs());
  }

  /** One delta refresh; notifies about new High-severity incidents and returns those it notified about. */
  async tick(): Promise<Incident[]> {
    if (this.running || this.s.store.state !== 'ready') return [];
    this.running = true;
    try {
      const r = await this.s.store.refreshChanges();
      const high = r.added.filter(i => i.severity === 'High' && (i.status === 'Active' || i.status === 'InProgress'));
      if (high.length && vscode.workspace.getConfiguration(EXT).get<boolean>(Settings.notifyNewHighSeverity, true)) {
        const first = high[0];
        const msg = high.length === 1 ? `New High-severity incident #${first.id}: ${first.name}` : `${high.length} new High-severity incidents, the newest #${first.id}: ${first.name}`;
        void vscode.window.showWarningMessage(`Defender Incidents: ${msg}`, 'Open').then(c => { if (c) void vscode.commands.executeCommand(`${EXT}.openIncident`, first.id); });
        return high;
      }
    } catch (e) {
      this.s.log.warn(`Automatic refresh failed: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.running = false;
    }
    return [];
  }

  private update(): void {
    if (this.s.store.state !== 'ready') { this.status.hide(); return; }
    const me = this.s.host.me().toLowerCase();
    let n = 0;
    for (const i of this.s.store.all()) if ((i.assignedTo ?? '').toLowerCase() === me && (i.status === 'Active' || i.status === 'InProgress')) n++;
    this.status.text = `$(shield) ${n}`;
    this.status.tooltip = `Defender Incidents: ${n} active incident${n === 1 ? '' : 's'} assigned to you (${this.s.host.me()}). Click to show them.`;
    this.status.accessibilityInformation = { label: `${n} active Defender incidents assigned to you` };
    this.status.show();
    if (!this.timer) this.schedule();
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.status.dispose();
    for (const s of this.subs) s.dispose();
  }
}
