/**
 * The extension in a real VS Code extension host (code-server here, test-electron elsewhere), on its
 * default mock backend: the real tree provider, commands, pane host, badge and status bar.
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { incidentLabel } from '../../src/tree/rows';
import { until } from './util';
import type { ExtensionMessage } from '../../src/shared/protocol';
import type { IncidentNode, GroupNode, TreeNode } from '../../src/tree/incidentsTree';

// The extension's node classes live in its bundle; these tests see them by their `kind`.
const isIncident = (n: TreeNode): n is IncidentNode => n.kind === 'incident';
const isGroup = (n: TreeNode): n is GroupNode => n.kind === 'group';

const EXT_ID = 'defender-incidents.defender-incidents';

function logTail(api: ExtensionApi): string {
  try {
    return fs.readFileSync(path.join(api.context.logUri.fsPath, 'Defender Incidents.log'), 'utf8').split('\n').slice(-8).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The built-in mock server's URL and launch key (its control routes are on: DEFENDER_INCIDENTS_TEST=1). */
async function mockEndpoint(api: ExtensionApi): Promise<{ url: string; headers: Record<string, string> }> {
  const mock = await api.host.mockEndpoint();
  assert.ok(mock, 'the built-in mock server runs');
  return { url: mock.url, headers: { Authorization: `Bearer ${mock.key}` } };
}

async function mockGet(api: ExtensionApi, path: string): Promise<Record<string, unknown>> {
  const { url, headers } = await mockEndpoint(api);
  const r = await fetch(url + path, { headers });
  assert.equal(r.status, 200, `GET ${path}`);
  return (await r.json()) as Record<string, unknown>;
}

describe('Defender Incidents in a real extension host', function () {
  this.timeout(60000);
  let api: ExtensionApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<ExtensionApi>(EXT_ID);
    assert.ok(ext, 'extension is installed');
    api = await ext.activate();
    await vscode.commands.executeCommand('workbench.view.extension.defenderIncidents');
    await until('the queue to load', () => api.store.state === 'ready' && api.store.capabilities?.kind === 'mock');
    // Other suites switch settings; let their last configuration events land, then start from a fresh load.
    await new Promise(r => setTimeout(r, 500));
    await api.store.reload();
    assert.equal(api.store.state, 'ready', api.store.error?.message);
  });

  it('activates cheaply: activate() does no network and takes milliseconds', () => {
    assert.ok(api.activationMs < 500, `activate() took ${api.activationMs} ms`);
  });

  it('lists the mock incidents in the tree with severity icon, name and a #id · status · owner · age description', async () => {
    const roots = (await api.tree.getChildren()) as TreeNode[];
    const rows = roots.filter(isIncident);
    const s = api;
    assert.ok(
      rows.length >= 10,
      `expected incidents, got ${rows.length}: state=${s.store.state} visible=${s.store.visible().length} groups=${JSON.stringify(s.tree.queue().map(g => [g.key, g.count, g.rows.length]))} roots=${roots.map(r => r.constructor.name).join(',')} settings=${JSON.stringify(s.tree.settings)}`,
    );
    for (const r of rows.slice(0, 10)) {
      const item = api.tree.getTreeItem(r);
      // The name as a row shows it: plain text, bidi isolated (an earlier suite may have left a hostile name).
      assert.equal(item.label, incidentLabel(r.incident));
      // `#id · status · owner · updated <age> ago`, then the SLA clock where one runs ("overdue 1 d 4 h", "due in 9 m", "on time").
      assert.match(String(item.description), /^#\d+ · (Active|In progress) · [^·]+ · updated [^·]+( · (overdue .+|due in .+|on time))?$/);
      assert.ok(item.iconPath instanceof vscode.ThemeIcon);
      assert.match(String(item.contextValue), /^incident:(active|inprogress):open:(assigned|unassigned)/);
      assert.ok(['High', 'Medium', 'Low'].includes(r.incident.severity), 'the default view hides Informational');
    }
    const withAlerts = rows.find(r => r.incident.alerts.length > 0)!;
    const alerts = api.tree.getChildren(withAlerts);
    assert.ok(alerts.length > 0 && alerts.every(a => a.kind === 'alert'));
    const alertItem = api.tree.getTreeItem(alerts[0]);
    assert.ok(typeof alertItem.tooltip === 'string', 'tooltips are plain text');
    assert.equal(
      roots.some(n => n.kind === 'loadMore'),
      api.store.hasMore,
    );
  });

  it('Assign to me from the command palette path (id argument) PATCHes the mock, persists, takes the alerts, and the tree shows it', async () => {
    const s = api;
    const target = s.store.visible().find(i => !i.assignedTo && i.alerts.some(a => a.status !== 'Resolved'));
    assert.ok(target, 'an unassigned incident with active alerts');
    await vscode.commands.executeCommand('defenderIncidents.assignToMe', target.id);
    const me = s.host.me();
    const server = await mockGet(api, `/api/incidents/${target.id}`);
    assert.equal(server.assignedTo, me);
    const alerts = server.alerts as { status: string; assignedTo: string | null }[];
    assert.ok(
      alerts.filter(a => a.status !== 'Resolved').every(a => a.assignedTo === me),
      'active alerts were assigned too',
    );
    assert.equal(s.store.get(target.id)?.assignedTo, me);
    const node = (s.tree.getChildren() as TreeNode[]).filter(isIncident).find(n => n.incident.id === target.id);
    assert.ok(node);
    assert.match(String(s.tree.getTreeItem(node).description), new RegExp(me.replace('.', '\\.')));
    assert.match(String(s.tree.getTreeItem(node).contextValue), /:mine$/);
    assert.match(
      s.history
        .timeline(s.store.get(target.id)!)
        .map(e => e.text)
        .join('\n'),
      /Owner: none → /,
    );
  });

  it('the management pane opens once per incident, validates messages, and Assign to me from the pane reaches the backend', async () => {
    const s = api;
    const target = s.store.visible().find(i => !i.assignedTo)!;
    await vscode.commands.executeCommand('defenderIncidents.openIncident', target.id);
    const panel = await until('the pane', () => s.panels.get(target.id));
    await vscode.commands.executeCommand('defenderIncidents.openIncident', target.id);
    assert.equal(s.panels.openIds().filter(x => x === target.id).length, 1, 'opening again focuses the same pane');
    assert.equal(s.panels.get(target.id), panel, 'the same panel object');
    // The CSP sits in an attribute, where quotes are written as entities.
    const html = panel.panel.webview.html.replace(/&#39;/g, "'").replace(/&quot;/g, '"');
    assert.ok(html.length > 0, `pane html is empty (panel title ${panel.panel.title}, visible ${panel.panel.visible}); log:\n${logTail(api)}`);
    assert.match(html, /default-src 'none'/);
    assert.match(html, /script-src 'nonce-[A-Za-z0-9+/=]+'/);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    assert.equal(panel.panel.webview.options.enableCommandUris, false);

    const posted: ExtensionMessage[] = [];
    panel.onPost.add(m => posted.push(m));
    await panel.receive({ type: 'request', id: 'x', incidentId: target.id, action: { kind: 'assignToMe' } });
    await panel.receive({ type: 'request', id: 1, incidentId: target.id, action: { kind: 'assign', to: 42 } });
    await panel.receive({ type: 'bogus' });
    assert.equal(posted.filter(m => m.type === 'response').length, 0, 'ill-formed messages are dropped');
    const before = await mockGet(api, `/api/incidents/${target.id}`);
    assert.equal(before.assignedTo, null, 'nothing reached the backend');

    await panel.receive({ type: 'request', id: 7, incidentId: target.id, action: { kind: 'assignToMe' } });
    const res = posted.find(m => m.type === 'response' && m.id === 7);
    assert.ok(res && res.type === 'response' && res.ok, JSON.stringify(res));
    assert.equal((await mockGet(api, `/api/incidents/${target.id}`)).assignedTo, s.host.me());
  });

  it('a comment from the pane is pending at once, then confirmed, and exactly one reaches the backend', async () => {
    const s = api;
    const target = s.store.visible()[0];
    await vscode.commands.executeCommand('defenderIncidents.openIncident', target.id);
    const panel = await until('the pane', () => s.panels.get(target.id));
    const text = `Investigating lateral movement ${Date.now()}`;
    await panel.receive({ type: 'drafts', drafts: { comment: text } });
    assert.equal(s.history.drafts(target.id).comment, text, 'the draft is kept in global state');
    // What the host posts to the pane, in order: the state carries the comment while the action runs.
    const posted: ExtensionMessage[] = [];
    const listen = (m: ExtensionMessage) => {
      posted.push(m);
    };
    panel.onPost.add(listen);
    try {
      await panel.receive({ type: 'ready' });
      const p = panel.receive({ type: 'request', id: 11, incidentId: target.id, action: { kind: 'addComment', text, clientId: 'it-1' } });
      await until(
        'pending entry',
        () =>
          s.history.outbox(target.id).some(o => o.clientId === 'it-1' && o.state === 'pending') ||
          s.history.timeline(s.store.get(target.id)!).some(e => e.text === text),
      );
      await p;
    } finally {
      panel.onPost.delete(listen);
    }
    const answer = posted.findIndex(m => m.type === 'response' && m.id === 11);
    assert.ok(answer >= 0, 'the request was answered');
    const states = posted.slice(0, answer).flatMap(m => (m.type === 'state' ? [m.state.timeline ?? []] : []));
    const pendingAt = states.findIndex(t => t.some(e => e.key === 'it-1' && e.state === 'pending' && e.text === text));
    assert.ok(pendingAt >= 0, 'the host posted the comment pending before answering');
    assert.ok(
      states
        .slice(pendingAt + 1)
        .some(t => !t.some(e => e.key === 'it-1') && t.filter(e => e.kind === 'comment' && e.text === text && e.state === 'confirmed').length === 1),
      "then confirmed (the server's comment, once), still before the answer",
    );
    const res = posted[answer];
    assert.ok(res.type === 'response' && res.ok && res.message === 'Comment added', JSON.stringify(res));
    const server = await mockGet(api, `/api/incidents/${target.id}`);
    const comments = server.comments as { comment: string }[];
    assert.equal(comments.filter(c => c.comment === text).length, 1);
    assert.equal(s.history.outbox(target.id).length, 0);
    assert.equal(s.history.drafts(target.id).comment, undefined, 'the draft is cleared once the backend confirmed');
  });

  it('unsent text survives closing the pane, and a pane is restored after a reload by the serializer', async () => {
    const s = api;
    const target = s.store.visible()[1];
    await vscode.commands.executeCommand('defenderIncidents.openIncident', target.id);
    let panel = await until('the pane', () => s.panels.get(target.id));
    await panel.receive({ type: 'drafts', drafts: { comment: 'half-written note about ws-fin-0231', name: 'renamed?' } });
    panel.panel.dispose();
    await until('the pane to close', () => !s.panels.get(target.id));
    await vscode.commands.executeCommand('defenderIncidents.openIncident', target.id);
    panel = await until('the pane again', () => s.panels.get(target.id));
    assert.match(panel.panel.webview.html, /half-written note about ws-fin-0231/, 'the draft rides in the reopened pane');
    panel.panel.dispose();
    await until('the pane to close', () => !s.panels.get(target.id));

    // What VS Code does after a window reload: a bare panel plus the state the webview saved.
    const bare = vscode.window.createWebviewPanel('defenderIncidents.incident', 'restoring', vscode.ViewColumn.Active, {});
    await s.panels.deserializeWebviewPanel(bare, { state: { incident: { id: target.id } } });
    const restored = s.panels.get(target.id);
    assert.ok(restored, 'restored');
    assert.match(restored.panel.title, new RegExp(`#${target.id}`));
    restored.panel.dispose();
    const hostile = vscode.window.createWebviewPanel('defenderIncidents.incident', 'restoring', vscode.ViewColumn.Active, {});
    let disposed = false;
    hostile.onDidDispose(() => {
      disposed = true;
    });
    await s.panels.deserializeWebviewPanel(hostile, { state: { incident: { id: '../../etc/passwd' } } });
    assert.ok(disposed, 'a restored state with a bad id is dropped');
  });

  it('clicks in the queue reuse one preview pane, switching incidents by message; acting in it pins it', async () => {
    const s = api;
    const [a, b, c] = s.store.visible().slice(3, 6);
    for (const p of s.panels.openIds()) s.panels.get(p)?.panel.dispose();
    await vscode.commands.executeCommand('defenderIncidents.openIncident', a.id, { preview: true });
    const pane = await until('the preview pane', () => s.panels.get(a.id));
    assert.equal(pane.preview, true);
    const posted: ExtensionMessage[] = [];
    pane.onPost.add(m => posted.push(m));
    await until('the webview to be ready', () => {
      pane.postState();
      return posted.some(m => m.type === 'state');
    });
    posted.length = 0;
    await vscode.commands.executeCommand('defenderIncidents.openIncident', b.id, { preview: true });
    assert.equal(s.panels.get(b.id), pane, 'the same pane now shows the second incident');
    assert.equal(s.panels.get(a.id), undefined);
    const state = posted.find(m => m.type === 'state');
    assert.ok(state && state.type === 'state' && state.state.incident.id === b.id, 'one state message switches the pane');
    // A draft save for the previous incident that arrives after the switch lands on that incident.
    // (The real webview flushes its own, empty, drafts for `a` when it switches; let that land first.)
    await new Promise(r => setTimeout(r, 1000));
    await pane.receive({ type: 'drafts', drafts: { comment: 'late draft for a' }, incidentId: a.id });
    assert.equal(s.history.drafts(a.id).comment, 'late draft for a');
    assert.equal(s.history.drafts(b.id).comment, undefined);
    await pane.receive({ type: 'drafts', drafts: { comment: 'x' }, incidentId: c.id });
    assert.equal(s.history.drafts(c.id).comment, undefined, 'drafts for an incident the pane never showed are dropped');
    await s.history.setDrafts(a.id, {});

    await pane.receive({ type: 'request', id: 900, incidentId: b.id, action: { kind: 'refresh' } });
    assert.equal(pane.preview, false, 'acting in the pane pins it');
    await vscode.commands.executeCommand('defenderIncidents.openIncident', c.id, { preview: true });
    const other = await until('a new preview pane', () => s.panels.get(c.id));
    assert.notEqual(other, pane);
    assert.equal(s.panels.get(b.id), pane, 'the pinned pane stays');
    other.panel.dispose();
    pane.panel.dispose();
  });

  it('Enter in the queue replaces a preview pane of another incident with a new one, which has the keyboard', async () => {
    const s = api;
    const [a, b] = s.store.visible().slice(3, 5);
    for (const p of s.panels.openIds()) s.panels.get(p)?.panel.dispose();
    const first = await s.panels.open(a.id, { preview: true });
    let disposed = false;
    first.panel.onDidDispose(() => {
      disposed = true;
    });
    // A message switch would leave the keyboard outside the page when VS Code skips refocusing its frame.
    const next = await s.panels.open(b.id, { preview: true, focus: true });
    assert.notEqual(next, first, 'a new pane, not the preview pane switched by message');
    assert.ok(disposed, 'the preview pane it replaces is closed');
    assert.equal(s.panels.get(a.id), undefined);
    assert.equal(s.panels.get(b.id), next);
    assert.equal(next.preview, true, 'still a preview: the next click reuses it');
    await until('the new pane to be the active editor', () => next.panel.active);
    next.panel.dispose();
  });

  it('Sign Out forgets the client secret', async () => {
    const s = api;
    await s.context.secrets.store('defenderIncidents.clientSecret', 'to-be-forgotten');
    await vscode.commands.executeCommand('defenderIncidents.signOut');
    assert.equal(await s.context.secrets.get('defenderIncidents.clientSecret'), undefined);
    await s.store.reload();
  });

  it('groups, filters and clears the filter; the view shows the filter and the badge counts unassigned active High', async () => {
    const s = api;
    s.tree.setView({ groupBy: 'severity' });
    const groups = (s.tree.getChildren() as TreeNode[]).filter(isGroup);
    assert.ok(groups.length >= 2);
    assert.deepEqual(
      groups.map(g => g.group.label).filter(l => ['High', 'Medium', 'Low'].includes(l)),
      groups.map(g => g.group.label),
    );
    assert.equal(String(s.tree.getTreeItem(groups[0]).description), String(groups[0].group.count));
    s.tree.setView({ groupBy: 'none' });

    await s.store.setFilter({ owner: { kind: 'unassigned' }, severities: ['High'], statuses: ['Active', 'InProgress'] });
    assert.ok(s.store.visible().every(i => !i.assignedTo && i.severity === 'High'));
    assert.match(String(s.view.description), /High/);
    let urgent = 0;
    for (const i of s.store.all()) if (!i.assignedTo && i.severity === 'High' && ['Active', 'InProgress'].includes(i.status)) urgent++;
    assert.equal(s.view.badge?.value ?? 0, urgent);
    await vscode.commands.executeCommand('defenderIncidents.clearFilter');
    // The view names the connection before the filter (where a click goes).
    assert.equal(String(s.view.description), 'Mock · All incidents');
  });

  it('the status bar counts my active incidents; Show My Active Incidents filters to them', async () => {
    const s = api;
    await vscode.commands.executeCommand('defenderIncidents.showMyIncidents');
    const mine = s.store.visible();
    assert.ok(mine.length >= 1);
    assert.ok(mine.every(i => i.assignedTo === s.host.me()));
    assert.equal(s.watcher.status.text, `$(shield) ${mine.length}`);
    await vscode.commands.executeCommand('defenderIncidents.clearFilter');
  });

  it('Export to Markdown opens an untitled document with the summary, alerts, evidence and timeline', async () => {
    const s = api;
    const target = s.store.visible().find(i => i.alerts.length)!;
    await vscode.commands.executeCommand('defenderIncidents.exportMarkdown', target.id);
    const doc = await until(
      'the markdown editor',
      () => vscode.window.activeTextEditor?.document.languageId === 'markdown' && vscode.window.activeTextEditor.document,
    );
    const text = doc.getText();
    assert.match(text, new RegExp(`# Incident ${target.id}`));
    assert.match(text, /## Alerts/);
    assert.match(text, /## Evidence\n/);
    assert.match(text, /\n\d+ entit(y|ies) in \d+ groups?: |\nNo evidence reported/);
    assert.doesNotMatch(text, /Impacted assets/);
    assert.match(text, /## Comments and history/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it("one determination reads the same in the tree, the pane and the export (the model's one label table)", async () => {
    const s = api;
    const target = s.store.visible().find(i => i.status === 'Active' && i.classification === 'Unknown') ?? s.store.visible()[0];
    await vscode.commands.executeCommand('defenderIncidents.openIncident', target.id);
    const panel = await until('the pane', () => s.panels.get(target.id));
    const posted: ExtensionMessage[] = [];
    panel.onPost.add(m => posted.push(m));
    await panel.receive({
      type: 'request',
      id: 901,
      incidentId: target.id,
      action: { kind: 'classify', classification: 'FalsePositive', determination: 'NotMalicious' },
    });
    const r = posted.find(m => m.type === 'response' && m.id === 901);
    assert.ok(r && r.type === 'response' && r.ok, JSON.stringify(r));
    // The mock answers reads in the resource page's spelling ("Clean"); the model holds one value.
    const wire = await mockGet(api, `/api/incidents/${target.id}`);
    assert.equal(wire.determination, 'Clean', 'the mock reads back the read-side spelling');
    await s.store.refreshChanges();
    assert.equal(s.store.get(target.id)?.determination, 'NotMalicious');
    // Tree: the row's tooltip.
    const node = (s.tree.getChildren() as TreeNode[]).filter(isIncident).find(n => n.incident.id === target.id);
    assert.ok(node, `#${target.id} is a row of the queue`);
    // Tooltips are filled lazily, as VS Code does on hover.
    const item = s.tree.resolveTreeItem(await s.tree.getTreeItem(node), node);
    const tooltip = typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? '');
    assert.match(tooltip, /Not malicious/, `tree tooltip: ${tooltip}`);
    // Pane: the timeline the host sends says it in the same words.
    await until('the pane\'s timeline saying "Not malicious"', () =>
      posted.some(m => m.type === 'state' && m.state.timeline.some(e => /determination/i.test(e.text) && e.text.includes('Not malicious'))),
    );
    // Export.
    // The export is a new untitled document (an earlier test may have left another export of this incident open).
    const before = new Set(vscode.workspace.textDocuments);
    await vscode.commands.executeCommand('defenderIncidents.exportMarkdown', target.id);
    const doc = await until('the new markdown document', () => vscode.workspace.textDocuments.find(d => !before.has(d) && d.languageId === 'markdown'));
    assert.match(doc.getText(), /Not malicious/);
    assert.doesNotMatch(doc.getText(), /\bClean\b|NotMalicious/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    panel.panel.dispose();
  });

  it('a new High-severity incident is picked up by the automatic refresh and notified', async () => {
    const s = api;
    await s.store.setFilter({ statuses: ['Active', 'InProgress'], severities: ['High', 'Medium', 'Low'] });
    const { url, headers } = await mockEndpoint(api);
    const r = await fetch(`${url}/__mock/incidents`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ severity: 'High' }),
    });
    assert.equal(r.status, 201);
    const arrived = (await r.json()) as { incidentId: number };
    const notified = await s.watcher.tick();
    assert.deepEqual(
      notified.map(i => i.id),
      [String(arrived.incidentId)],
    );
    assert.ok(
      s.store.visible().some(i => i.id === String(arrived.incidentId)),
      'it joins the queue',
    );
    assert.ok((s.view.badge?.value ?? 0) >= 1, 'and counts in the badge');
  });

  it('a delta refresh with nothing changed sends exactly one request', async () => {
    const s = api;
    await s.store.reload();
    const { url, headers } = await mockEndpoint(api);
    assert.equal((await fetch(`${url}/__mock/requests`, { method: 'DELETE', headers })).status, 200);
    await s.store.refreshChanges();
    const log = ((await (await fetch(`${url}/__mock/requests`, { headers })).json()) as { value: unknown[] }).value;
    assert.equal(log.length, 1, JSON.stringify(log));
  });
});
