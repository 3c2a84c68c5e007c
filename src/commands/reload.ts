import * as vscode from 'vscode';
import { VIEW_ID } from '../constants';
import type { IncidentStore } from '../store/incidentStore';

/** Reloads the queue with the view's progress bar (activation, settings and backend changes, Refresh). */
export async function reloadQueue(store: IncidentStore): Promise<void> {
  await vscode.window.withProgress({ location: { viewId: VIEW_ID } }, () => store.reload());
}
