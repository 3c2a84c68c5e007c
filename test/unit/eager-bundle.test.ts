/**
 * Issue 15 item 12: what loads before activate(). Builds the extension as esbuild.js does (in memory) and
 * reads which source files end up in dist/extension.js or the chunks it requires at load; the parts that
 * wait for first use must stay out of them (a value import from the eager side pulls a lazy module back in).
 */
import { strict as assert } from 'assert';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..', '..');

interface Metafile {
  outputs: Record<string, { bytes: number; inputs: Record<string, { bytesInOutput: number }> }>;
}

describe('the eager bundle (what loads before activate())', function () {
  this.timeout(60_000);
  let eagerInputs: Set<string>;
  let eagerBytes = 0;

  before(async () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const esbuild = require('esbuild') as typeof import('esbuild');
    const { extensionOptions, eagerFiles } = require(path.join(ROOT, 'esbuild.js')) as {
      extensionOptions: () => import('esbuild').BuildOptions;
      eagerFiles: (m: Metafile) => { eager: string[]; lazy: string[] };
    };
    /* eslint-enable @typescript-eslint/no-require-imports */
    const o = extensionOptions();
    // In memory, minified as shipped; without the step that writes dist/.
    const r = await esbuild.build({
      ...o,
      absWorkingDir: ROOT,
      minify: true,
      sourcemap: false,
      write: false,
      plugins: (o.plugins ?? []).filter(p => p.name !== 'split-to-cjs'),
    });
    const meta = r.metafile as unknown as Metafile;
    const eager = new Set(eagerFiles(meta).eager.map(f => `dist/${f}`));
    eagerInputs = new Set();
    for (const [out, m] of Object.entries(meta.outputs)) {
      if (!eager.has(out)) continue;
      eagerBytes += m.bytes;
      for (const [input, x] of Object.entries(m.inputs)) if (x.bytesInOutput > 0) eagerInputs.add(input);
    }
  });

  it('is the registrations: the view, its rows, the watcher, the log text helpers and the first-use features are lazy', () => {
    assert.ok(eagerInputs.has('src/extension.ts'));
    const lazy = [
      // The view's provider, rows, SLA clock and decorations, and the watcher (src/tree/viewParts.ts).
      'src/tree/viewParts.ts',
      'src/tree/incidentsTree.ts',
      'src/tree/treeItems.ts',
      'src/tree/rows.ts',
      'src/tree/nodes.ts',
      'src/tree/slaClock.ts',
      'src/tree/slaDecorations.ts',
      'src/watcher.ts',
      // Notices' texts and the filter's words.
      'src/commands/format.ts',
      'src/store/filter.ts',
      // Copy Diagnostics' text and the pacer it reports (the log keeps plain lines: src/connect/recentLines.ts).
      'src/connect/diagnostics.ts',
      'src/backend/pacer.ts',
      // KQL editing help, @defender's chat loop, the agent's calls and handlers, hunting, the door, the panes, the commands.
      'src/hunting/kqlLanguage.ts',
      'src/agent/vscode/chat.ts',
      'src/agent/vscode/toolCalls.ts',
      'src/agent/runner.ts',
      'src/hunting/impl.ts',
      'src/store/triage.ts',
      'src/panel/panels.ts',
      'src/panel/incidentPanel.ts',
      'src/commands/table.ts',
    ];
    const eager = lazy.filter(f => eagerInputs.has(f));
    assert.deepEqual(eager, [], `loaded before activate(): ${eager.join(', ')}`);
  });

  it('stays under its ceiling (the bench measures the shipped CommonJS files: ≤ 100 KB)', () => {
    assert.ok(eagerBytes <= 100 * 1024, `${(eagerBytes / 1024).toFixed(1)} KB`);
  });
});
