/**
 * Hunting in the real extension host against the built-in mock: a notebook opened from an incident, its
 * cells run through the controller (rows that belong to the incident), a long query cancelled, a result
 * posted as a comment exactly once, a `.kql` file run, and KQL diagnostics from the language service
 * process.
 */
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { until } from './util';
import { secretKey } from '../../src/backend/config';
import { HUNT_RESULT_MIME, asHuntOutput, type HuntOutput } from '../../src/shared/huntTable';
import { incidentEvidence } from '../../src/model/evidence';
import type { Incident } from '../../src/model/types';

const NOTEBOOK_TYPE = 'defender-huntbook';

function resultOf(cell: vscode.NotebookCell): HuntOutput | undefined {
  for (const o of cell.outputs) for (const i of o.items) if (i.mime === HUNT_RESULT_MIME) return asHuntOutput(JSON.parse(new TextDecoder().decode(i.data)));
  return undefined;
}

function errorOf(cell: vscode.NotebookCell): string | undefined {
  for (const o of cell.outputs)
    for (const i of o.items) {
      if (i.mime === 'application/vnd.code.notebook.error') return String(JSON.parse(new TextDecoder().decode(i.data)).message);
      if (i.mime === 'text/plain' && !cell.outputs.some(x => x.items.some(y => y.mime === HUNT_RESULT_MIME))) return new TextDecoder().decode(i.data);
    }
  return undefined;
}

describe('hunting notebooks against the mock', function () {
  this.timeout(90_000);
  let api: ExtensionApi;
  let incident: Incident;
  let mock: { url: string; key: string };
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${mock.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${mock.key}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.ok, `${method} ${path}: ${res.status}`);
  };

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>('defender-incidents.defender-incidents')!.activate();
    const backend = await api.host.backend();
    mock = (await api.host.mockEndpoint())!;
    const page = await backend.listIncidents({}, { top: 50 });
    // Advanced hunting keeps 30 days (the mock too): an incident updated today may have older alerts.
    const recent = (i: Incident) =>
      i.alerts.length > 0 && i.alerts.every(a => Date.now() - Date.parse(a.firstActivity ?? a.createdTime ?? '') < 20 * 86_400_000);
    const found = page.items.find(i => recent(i) && incidentEvidence(i.alerts).items.some(e => e.targets.some(t => t.kind === 'device')));
    assert.ok(found, 'an incident with device evidence');
    incident = await backend.getIncident(found.id);
  });
  afterEach(async () => {
    api.hunting.setConfirm?.(undefined);
    await control('DELETE', '/__mock/hunting');
    // Untitled notebooks are dirty: revert and close each, so no save prompt blocks the host.
    for (let i = 0; i < 10 && vscode.window.tabGroups.all.some(g => g.tabs.length); i++) {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });

  async function runAll(nb: vscode.NotebookDocument): Promise<vscode.NotebookCell[]> {
    const code = nb.getCells().filter(c => c.kind === vscode.NotebookCellKind.Code);
    await vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: 0, end: nb.cellCount }], document: nb.uri });
    await until('every cell ran', () => code.every(c => c.executionSummary?.success !== undefined && c.outputs.length > 0), 60_000);
    return code;
  }

  it("opens a notebook from an incident and its cells return the incident's own rows", async () => {
    await vscode.commands.executeCommand('defenderIncidents.huntFromIncident', incident.id);
    const editor = await until(
      'the hunting notebook',
      () => vscode.window.activeNotebookEditor?.notebook.notebookType === NOTEBOOK_TYPE && vscode.window.activeNotebookEditor,
    );
    const nb = editor.notebook;
    assert.equal(nb.metadata.incidentId, incident.id);
    assert.equal(nb.cellAt(0).kind, vscode.NotebookCellKind.Markup);
    const cells = await runAll(nb);
    assert.ok(cells.length >= 2);
    const alertIds = new Set(incident.alerts.map(a => a.id));
    const devices = new Set(
      incidentEvidence(incident.alerts)
        .items.flatMap(e => e.targets)
        .filter(t => t.kind === 'device')
        .map(t => t.value.toLowerCase()),
    );
    const users = new Set(
      incidentEvidence(incident.alerts)
        .items.flatMap(e => e.targets)
        .filter(t => t.kind === 'user')
        .flatMap(t => [t.value.toLowerCase(), t.value.slice(t.value.lastIndexOf('\\') + 1).toLowerCase()]),
    );
    let deviceRows = 0;
    for (const cell of cells) {
      const out = resultOf(cell);
      assert.ok(out, `cell ${cell.index} has a result: ${errorOf(cell) ?? ''}`);
      assert.equal(cell.executionSummary?.success, true);
      const table =
        out.query
          .split('\n')
          .find(l => !l.startsWith('//'))
          ?.trim()
          .split(/\s/)[0] ?? '';
      const a = out.columns.findIndex(c => c.name === 'AlertId');
      const d = out.columns.findIndex(c => c.name === 'DeviceName');
      if (table === 'AlertEvidence') {
        for (const r of out.rows) assert.ok(alertIds.has(String(r[a])), `alert ${r[a]}`);
        continue;
      }
      // Device tables: every row is one of the incident's devices.
      if (table.startsWith('Device'))
        for (const r of out.rows) {
          deviceRows++;
          assert.ok(devices.has(String(r[d]).toLowerCase()), `${table}: device ${r[d]}`);
        }
      // Sign-ins: every row is one of the incident's users.
      if (table === 'IdentityLogonEvents' && out.query.startsWith('// Sign-ins of')) {
        const cols = ['AccountUpn', 'AccountObjectId', 'AccountSid', 'AccountName'].map(n => out.columns.findIndex(c => c.name === n)).filter(i => i >= 0);
        for (const r of out.rows)
          assert.ok(
            cols.some(i => users.has(String(r[i]).toLowerCase())),
            `${table}: user ${cols.map(i => r[i]).join('/')}`,
          );
      }
    }
    assert.ok(
      deviceRows > 0,
      `device rows came back (incident ${incident.id}, devices ${[...devices].join(', ')}; ${cells
        .map(c => {
          const o = resultOf(c);
          return `${o?.query
            .split('\n')
            .find(l => !l.startsWith('//'))
            ?.slice(0, 60)}: ${o?.rows.length} rows`;
        })
        .join('; ')})`,
    );
  });

  it('cancels a long query: the request is aborted and the cell says so', async () => {
    await control('PUT', '/__mock/hunting', { delayMs: 20_000 });
    await vscode.commands.executeCommand('defenderIncidents.huntFor', { kind: 'device', value: 'ws-01', incidentId: incident.id });
    const nb = (
      await until('the notebook', () => vscode.window.activeNotebookEditor?.notebook.notebookType === NOTEBOOK_TYPE && vscode.window.activeNotebookEditor)
    ).notebook;
    const cell = nb.getCells().find(c => c.kind === vscode.NotebookCellKind.Code)!;
    const t0 = Date.now();
    void vscode.commands.executeCommand('notebook.cell.execute', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: nb.uri });
    await new Promise(r => setTimeout(r, 1000));
    await vscode.commands.executeCommand('notebook.cell.cancelExecution', { ranges: [{ start: cell.index, end: cell.index + 1 }], document: nb.uri });
    await until(
      'the cell is cancelled',
      () => cell.outputs.some(o => o.items.some(i => i.mime === 'text/plain' && /Cancelled/.test(new TextDecoder().decode(i.data)))),
      10_000,
    );
    assert.ok(Date.now() - t0 < 15_000, 'did not wait for the 20 s answer');
    assert.equal(resultOf(cell), undefined);
  });

  it('adds a result to the incident as one comment, however often it is asked', async () => {
    await vscode.commands.executeCommand('defenderIncidents.huntFromIncident', incident.id);
    const nb = (
      await until('the notebook', () => vscode.window.activeNotebookEditor?.notebook.notebookType === NOTEBOOK_TYPE && vscode.window.activeNotebookEditor)
    ).notebook;
    const [cell] = await runAll(nb);
    const out = resultOf(cell)!;
    const shown: string[] = [];
    api.hunting.setConfirm?.((_m, detail) => {
      shown.push(detail);
      return true;
    });
    const backend = await api.host.backend();
    const before = (await backend.getIncident(incident.id)).comments.length;
    await Promise.all([
      vscode.commands.executeCommand('defenderIncidents.addHuntResultToIncident', cell),
      vscode.commands.executeCommand('defenderIncidents.addHuntResultToIncident', cell),
    ]);
    await vscode.commands.executeCommand('defenderIncidents.addHuntResultToIncident', cell);
    const comments = (await backend.getIncident(incident.id)).comments;
    assert.equal(comments.length, before + 1, 'exactly one comment');
    const text = comments[comments.length - 1].text;
    assert.equal(text, shown[0], 'the text posted is the text the modal showed');
    assert.match(text, /Advanced hunting result/);
    assert.ok(text.includes(out.query.split('\n')[1] ?? out.query));
    assert.match(text, new RegExp(`Rows: ${out.rows.length.toLocaleString('en-US')} row`));
  });

  it('declining the confirmation posts nothing', async () => {
    await vscode.commands.executeCommand('defenderIncidents.huntFromIncident', incident.id);
    const nb = (
      await until('the notebook', () => vscode.window.activeNotebookEditor?.notebook.notebookType === NOTEBOOK_TYPE && vscode.window.activeNotebookEditor)
    ).notebook;
    const [cell] = await runAll(nb);
    api.hunting.setConfirm?.(() => false);
    const backend = await api.host.backend();
    const before = (await backend.getIncident(incident.id)).comments.length;
    await vscode.commands.executeCommand('defenderIncidents.addHuntResultToIncident', cell);
    assert.equal((await backend.getIncident(incident.id)).comments.length, before);
  });

  it('runs a .kql file and shows KQL diagnostics from the language service', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'kql', content: 'AlertInfo\n| where Severit == "High"\n| take 5' });
    await vscode.window.showTextDocument(doc);
    const diags = await until(
      'KQL diagnostics',
      () => {
        const d = vscode.languages.getDiagnostics(doc.uri);
        return d.length > 0 && d;
      },
      60_000,
    );
    assert.ok(
      diags.some(d => /Severit/.test(d.message) && d.severity === vscode.DiagnosticSeverity.Error),
      diags.map(d => d.message).join('; '),
    );
    const fixed = await vscode.window.activeTextEditor!.edit(e => e.replace(new vscode.Range(0, 0, doc.lineCount, 0), 'AlertInfo\n| take 5'));
    assert.ok(fixed);
    await until('the diagnostics clear', () => vscode.languages.getDiagnostics(doc.uri).length === 0, 30_000);
    await vscode.commands.executeCommand('defenderIncidents.runHuntingQuery');
    const nb = (
      await until('the notebook', () => vscode.window.activeNotebookEditor?.notebook.notebookType === NOTEBOOK_TYPE && vscode.window.activeNotebookEditor)
    ).notebook;
    const cell = nb.cellAt(1);
    await until('the query ran', () => cell.outputs.length > 0 && cell.executionSummary?.success !== undefined, 30_000);
    const out = resultOf(cell);
    assert.ok(out, errorOf(cell));
    assert.ok(out.rows.length > 0 && out.rows.length <= 5);
  });
});

describe('hunting on the Defender backend: a second token, for Graph', function () {
  this.timeout(90_000);
  const TENANT = '3f0b5c9e-1d2a-4b7c-8e6f-0a9b8c7d6e5f';
  const CLIENT = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
  const SECRET = `it-hunt-secret-${Math.random().toString(36).slice(2)}`;
  const KEYS = ['backend', 'apiBaseUrl', 'authorityHost', 'tenantId', 'clientId', 'authMethod'];
  let api: ExtensionApi;
  const servers: { close(): Promise<void> }[] = [];
  const cfg = () => vscode.workspace.getConfiguration('defenderIncidents');
  const secretKeys: string[] = [];

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>('defender-incidents.defender-incidents')!.activate();
  });
  after(async () => {
    for (const k of KEYS) await cfg().update(k, undefined, vscode.ConfigurationTarget.Global);
    // One secret per authority, tenant and app (issue 16 item 1): each mock authority's own.
    for (const k of secretKeys) await api.context.secrets.delete(k);
    await until('the mock backend again', () => api.host.kind() === 'mock');
    for (const s of servers) await s.close();
  });

  async function useDefender(roles?: string[]): Promise<void> {
    const { startMockServer } = await import('../../src/mock/server');
    // The mock checks each token's audience: a Defender token on the Graph route is refused (401).
    const server = await startMockServer({
      incidentCount: 5,
      seed: 4,
      auth: { tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, required: true, ...(roles ? { roles } : {}) },
    });
    servers.push(server);
    const key = secretKey({ authorityHost: new URL(server.url).origin, tenantId: TENANT, clientId: CLIENT });
    secretKeys.push(key);
    await api.context.secrets.store(key, SECRET);
    const g = vscode.ConfigurationTarget.Global;
    await cfg().update('apiBaseUrl', server.url, g);
    await cfg().update('authorityHost', server.url, g);
    await cfg().update('tenantId', TENANT, g);
    await cfg().update('clientId', CLIENT, g);
    await cfg().update('authMethod', 'clientSecret', g);
    await cfg().update('backend', 'defender', g);
    await until('the Defender backend', async () => api.host.kind() === 'defender' && (await api.host.backend()).capabilities.kind === 'defender');
  }

  it('runs a hunt with a Graph-audience token from the same app registration', async () => {
    await useDefender();
    const client = await api.hunting.client();
    const out = await client.runHunt('AlertInfo | take 2', 'P30D');
    assert.ok(out.rows.length > 0 && out.rows.length <= 2);
  });

  it('a 403 names ThreatHunting.Read.All', async () => {
    await useDefender(['SecurityIncident.ReadWrite.All', 'Incident.ReadWrite.All', 'SecurityAlert.ReadWrite.All']);
    const client = await api.hunting.client();
    await assert.rejects(client.runHunt('AlertInfo | take 1', undefined), (e: unknown) => e instanceof Error && /ThreatHunting\.Read\.All/.test(e.message));
  });
});
