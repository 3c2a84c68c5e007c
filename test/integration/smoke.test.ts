// Smoke test against the real extension in a real VS Code extension host.
import * as assert from 'assert';
import * as vscode from 'vscode';

const EXTENSION_ID = 'defender-incidents.defender-incidents';

interface Manifest {
  contributes: { commands: { command: string }[] };
}

describe('extension smoke', () => {
  let extension: vscode.Extension<unknown>;

  it('is installed in the extension host', () => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not loaded`);
    extension = found;
  });

  it('activates', async () => {
    await extension.activate();
    assert.strictEqual(extension.isActive, true);
  });

  it('registers every command declared in package.json', async () => {
    const declared = (extension.packageJSON as Manifest).contributes.commands.map(c => c.command);
    assert.ok(declared.length > 0, 'package.json declares no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = declared.filter(c => !registered.has(c));
    assert.deepStrictEqual(missing, [], `declared but not registered: ${missing.join(', ')}`);
  });

  it('opens the Defender Incidents view container', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.defenderIncidents');
    // The `<view id>.focus` command exists only once the view is contributed and resolvable.
    await vscode.commands.executeCommand('defenderIncidents.incidents.focus');
  });
});
