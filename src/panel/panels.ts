/**
 * The open management panes: one per incident (opening it again focuses it), a preview pane that a
 * click in the queue reuses, and their restoring after a reload (a WebviewPanelSerializer). This part is
 * in the eager bundle so VS Code can restore panes; each pane's code (./incidentPanel, the door it acts
 * through) is a lazy chunk (see esbuild.js) that the first pane loads.
 */
import * as vscode from 'vscode';
import { PANEL_VIEW_TYPE } from '../constants';
import type { Incident } from '../model/types';
import type { Triage } from '../store/triage';
import { safe, ui, warn } from '../ui/surface';
import type { IncidentPanel, PanelDeps } from './incidentPanel';

/** What the webview keeps with setState (see webview/pane.ts `Persisted`); untrusted, so only the id is read. */
export interface SavedState {
  incidentId?: unknown;
  state?: { incident?: { id?: unknown } };
}

/** The panes' needs, with the door built on first use (it is in the lazy chunk too). */
export type PanelsDeps = Omit<PanelDeps, 'triage'> & { triage: () => Promise<Triage> };

export class IncidentPanels implements vscode.WebviewPanelSerializer<SavedState>, vscode.Disposable {
  private readonly panels = new Map<string, IncidentPanel>();
  private disposed = false;

  constructor(private readonly s: PanelsDeps) {}

  get(id: string): IncidentPanel | undefined {
    return this.panels.get(id);
  }
  openIds(): string[] {
    return [...this.panels.keys()];
  }

  /**
   * Opens the pane for an incident, or focuses it when it is already open. `preview` (a click in the
   * queue) reuses the current preview pane, so moving through the queue costs one message per incident.
   * `focus` (Enter in the queue: the keyboard goes into the pane) replaces a preview pane of another
   * incident with a new one instead: VS Code's webview host does not always pass focus on to the page of
   * a webview it focused before (its frame stays the active element of the host, so it skips focusing it
   * again), while a new webview takes the keyboard when its page loads.
   */
  async open(id: string, opts: { preview?: boolean; focus?: boolean } = {}): Promise<IncidentPanel> {
    let existing = this.panels.get(id);
    if (existing?.isStale()) {
      // A pane of the previous connection: the incident of this number now is another one.
      this.panels.delete(id);
      existing.panel.dispose();
      existing = undefined;
    }
    if (existing) {
      if (!opts.preview) existing.pin();
      existing.panel.reveal(undefined, !!opts.preview);
      return existing;
    }
    const [incident, make] = await Promise.all([this.s.store.load(id), this.factory()]);
    const again = this.panels.get(id);
    if (again) return again;
    const reusable = opts.preview ? [...this.panels.values()].find(p => p.preview && !p.isStale()) : undefined;
    if (reusable) {
      this.panels.delete(reusable.incidentId);
      if (!opts.focus) {
        reusable.switchTo(incident);
        this.panels.set(id, reusable);
        return reusable;
      }
      reusable.panel.dispose();
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      `#${id}`,
      { viewColumn: vscode.ViewColumn.Active, preserveFocus: !!opts.preview && !opts.focus },
      { enableScripts: true, enableForms: false, enableCommandUris: false, localResourceRoots: [] },
    );
    return this.attach(make, id, panel, incident, !!opts.preview);
  }

  private made: Promise<PanelFactory> | undefined;

  /** Loads the pane's chunk and the door once. */
  private factory(): Promise<PanelFactory> {
    const p = (this.made ??= Promise.all([import('./incidentPanel'), this.s.triage()]).then(([m, triage]) => {
      const deps: PanelDeps = { ...this.s, triage };
      return (id, panel, onDispose) => new m.IncidentPanel(id, panel, deps, onDispose);
    }));
    p.catch(() => {
      if (this.made === p) this.made = undefined;
    });
    return p;
  }

  private attach(make: PanelFactory, id: string, panel: vscode.WebviewPanel, incident: Incident, preview = false): IncidentPanel {
    const p = make(id, panel, gone => {
      if (this.panels.get(gone.incidentId) === gone) this.panels.delete(gone.incidentId);
    });
    p.preview = preview;
    p.onReopen = stale => void this.reopen(stale);
    this.panels.set(id, p);
    if (this.disposed) panel.dispose();
    else p.render(incident);
    return p;
  }

  /** Opens a stale pane's incident again, in a new pane bound to the connection now in effect. */
  async reopen(stale: IncidentPanel): Promise<IncidentPanel | undefined> {
    const id = stale.incidentId;
    if (this.panels.get(id) === stale) this.panels.delete(id);
    stale.panel.dispose();
    try {
      return await this.open(id);
    } catch (e) {
      void warn(
        ui`Defender Incidents: could not open incident ${safe(id)} on ${safe(this.s.host.connectionLabel())}: ${safe(e instanceof Error ? e.message : String(e))}`,
      );
      return undefined;
    }
  }

  /** Restores a pane after a window reload; its drafts come back from global state. */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: SavedState | undefined): Promise<void> {
    // The webview keeps the id it shows, a preview pane's too (it switches by message); older states only had it in `state`.
    const raw = typeof state?.incidentId === 'string' ? state.incidentId : state?.state?.incident?.id;
    const id = typeof raw === 'string' && /^[\w-]{1,100}$/.test(raw) ? raw : undefined;
    if (!id || this.panels.has(id)) {
      panel.dispose();
      return;
    }
    try {
      const [incident, make] = await Promise.all([this.s.store.load(id), this.factory()]);
      if (this.panels.has(id)) {
        panel.dispose();
        return;
      }
      this.attach(make, id, panel, incident);
    } catch (e) {
      panel.dispose();
      // The error may carry server text: no links or codicons in a notification.
      void warn(ui`Defender Incidents: could not restore the pane of incident ${safe(id)}: ${safe(e instanceof Error ? e.message : String(e))}`);
    }
  }

  dispose(): void {
    this.disposed = true;
    for (const p of [...this.panels.values()]) p.panel.dispose();
  }
}

type PanelFactory = (id: string, panel: vscode.WebviewPanel, onDispose: (p: IncidentPanel) => void) => IncidentPanel;
