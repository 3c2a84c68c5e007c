/**
 * Evidence in a real extension host, on the built-in mock: the pane's state carries each alert's evidence,
 * and "Hunt for this" / "Hunt from this incident" from the pane run the hunting commands by id (or say
 * clearly that hunting is not there), only for values of the incident's own evidence.
 */
import { strict as assert } from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import type { ExtensionMessage } from '../../src/shared/protocol';
import { incidentEvidence } from '../../src/model/evidence';
import { until } from './util';

const EXT_ID = 'defender-incidents.defender-incidents';

describe('Evidence and hunt requests in a real extension host', function () {
  this.timeout(60000);
  let api: ExtensionApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<ExtensionApi>(EXT_ID);
    assert.ok(ext, 'extension is installed');
    api = await ext.activate();
    await vscode.commands.executeCommand('workbench.view.extension.defenderIncidents');
    await until('the queue to load', () => api.store.state === 'ready');
  });

  after(() => {
    for (const id of api.panels.openIds()) api.panels.get(id)?.panel.dispose();
  });

  it("the pane gets the evidence of every alert and hunts only for the incident's own values", async () => {
    const target = api.store.visible().find(i => incidentEvidence(i.alerts).items.some(e => e.targets.some(t => t.kind === 'ip')));
    assert.ok(target, 'an incident whose evidence names an IP address');
    await vscode.commands.executeCommand('defenderIncidents.openIncident', target.id);
    const panel = await until('the pane', () => api.panels.get(target.id));
    const posted: ExtensionMessage[] = [];
    panel.onPost.add(m => posted.push(m));
    await panel.receive({ type: 'ready' });
    const state = await until('a state', () => posted.find(m => m.type === 'state'));
    assert.ok(state.type === 'state');
    const { items, problems } = incidentEvidence(state.state.incident.alerts);
    assert.deepEqual(problems, []);
    assert.ok(items.length > 0 && items.every(i => i.alertIds.length > 0), 'evidence rows with the alerts that name them');
    const ip = items.flatMap(i => i.targets).find(t => t.kind === 'ip')!;

    const registered = (await vscode.commands.getCommands(true)).includes('defenderIncidents.huntFor');
    await panel.receive({ type: 'request', id: 31, incidentId: target.id, action: { kind: 'huntFor', target: { kind: 'ip', value: '198.51.100.254' } } });
    const refused = posted.find(m => m.type === 'response' && m.id === 31);
    assert.ok(refused && refused.type === 'response' && !refused.ok);
    assert.match(refused.error.message, new RegExp(`is not an IP address in the evidence of incident #${target.id}; nothing was run`));

    await panel.receive({ type: 'request', id: 32, incidentId: target.id, action: { kind: 'huntFor', target: { kind: 'ip', value: ip.value } } });
    const asked = posted.find(m => m.type === 'response' && m.id === 32);
    assert.ok(asked && asked.type === 'response', 'an answer');
    if (registered) {
      assert.ok(asked.ok, JSON.stringify(asked));
      // The hunting notebook it opened queries that value, as one string literal.
      const cells = vscode.workspace.notebookDocuments.flatMap(nb => nb.getCells().map(c => c.document.getText()));
      assert.ok(
        cells.some(q => q.includes(`"${ip.value}"`) && /DeviceNetworkEvents/.test(q)),
        `a cell hunting ${ip.value}: ${cells.join('\n---\n').slice(0, 600)}`,
      );
    } else assert.ok(!asked.ok && /defenderIncidents\.huntFor is not registered\. Nothing was run\./.test(asked.error.message), JSON.stringify(asked));

    const fromIncident = (await vscode.commands.getCommands(true)).includes('defenderIncidents.huntFromIncident');
    await panel.receive({ type: 'request', id: 33, incidentId: target.id, action: { kind: 'huntFromIncident' } });
    const whole = posted.find(m => m.type === 'response' && m.id === 33);
    assert.ok(whole && whole.type === 'response', 'an answer');
    if (fromIncident) assert.ok(whole.ok, JSON.stringify(whole));
    else assert.ok(!whole.ok && /huntFromIncident is not registered/.test(whole.error.message), JSON.stringify(whole));
  });
});
