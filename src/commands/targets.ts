/**
 * Which incidents a command acts on: the tree's multi-selection, the node it was invoked on, an id
 * passed by another command, or a quick pick when nothing is selected (the command palette).
 */
import * as vscode from 'vscode';
import type { Incident } from '../model/types';
import { IncidentNode, AlertNode, type TreeNode } from '../tree/incidentsTree';
import type { IncidentStore } from '../store/incidentStore';
import { incidentPickItem } from './format';
import { info, pick, safe, ui } from '../ui/surface';

/** What picking targets needs: the queue and the tree's selection. */
export interface TargetSource {
  store: IncidentStore;
  view: vscode.TreeView<TreeNode>;
}

export interface PickOptions {
  many: boolean;
  placeholder: string;
  filter?: (i: Incident) => boolean;
}

function idOf(x: unknown): string | undefined {
  if (x instanceof IncidentNode) return x.incident.id;
  if (x instanceof AlertNode) return x.parent.incident.id;
  if (typeof x === 'string' && /^[\w-]{1,100}$/.test(x)) return x;
  if (typeof x === 'number' && Number.isSafeInteger(x)) return String(x);
  return undefined;
}

/**
 * Resolves the targets of a command. `arg` and `selected` are what VS Code passes from a tree menu;
 * with neither, the tree's focused selection is used when the tree has focus, else a quick pick.
 */
export async function resolveTargets(s: TargetSource, arg: unknown, selected: unknown, opts: PickOptions): Promise<string[]> {
  if (Array.isArray(selected) && selected.length > 1 && opts.many) {
    const ids = selected.map(idOf).filter((x): x is string => !!x);
    if (ids.length) return [...new Set(ids)];
  }
  const direct = idOf(arg);
  if (direct) return [direct];
  if (arg === undefined && s.view.visible && s.view.selection.length) {
    const ids = s.view.selection.map(idOf).filter((x): x is string => !!x);
    if (ids.length) return opts.many ? [...new Set(ids)] : [ids[0]];
  }
  return pickIncidents(s, opts);
}

export async function pickIncidents(s: Pick<TargetSource, 'store'>, opts: PickOptions): Promise<string[]> {
  if (s.store.state !== 'ready') await s.store.reload();
  const items = s.store
    .visible()
    .filter(opts.filter ?? (() => true))
    .sort((a, b) => (a.lastUpdateTime < b.lastUpdateTime ? 1 : -1))
    .map(incidentPickItem);
  if (!items.length) {
    void info(ui`Defender Incidents: no incidents in the current queue to pick from.`);
    return [];
  }
  if (opts.many) {
    const picked = await pick(items, { placeHolder: safe(opts.placeholder), canPickMany: true, matchOnDescription: true, matchOnDetail: true });
    return picked?.map(p => p.id) ?? [];
  }
  const picked = await pick(items, { placeHolder: safe(opts.placeholder), matchOnDescription: true, matchOnDetail: true });
  return picked ? [picked.id] : [];
}
