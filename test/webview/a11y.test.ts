/**
 * Accessibility of the pane in VS Code's Dark Modern, Light Modern and High Contrast themes (issue 19):
 * an axe-core scan (every WCAG 2 A/AA rule, colour contrast included) of the pane with every severity's
 * badge, an SLA clock and a throttled comment on screen. axe runs through the DevTools protocol, so the
 * pane's CSP stays as strict as in VS Code.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import { useChromium, PaneHarness } from './harness';
import { alert, paneState } from './data';
import { applyTheme, THEMES } from './themes';

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: string[]; failureSummary?: string }[] }[];
}
declare const document: unknown;
declare const window: { axe: { run(ctx: unknown, opts: unknown): Promise<AxeResult> } };

const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

describe('pane accessibility (axe-core, WCAG 2 AA) in every theme', function () {
  this.timeout(120_000);
  const chromium = useChromium();

  for (const theme of Object.keys(THEMES) as (keyof typeof THEMES)[]) {
    it(`no violations in the ${theme} theme, colour contrast included`, async () => {
      const alerts = (['High', 'Medium', 'Low', 'Informational'] as const).map((severity, k) =>
        alert({ id: `a11y-${k}`, title: `${severity} alert`, severity }),
      );
      const state = paneState(
        { sla: { state: 'overdue', summary: 'overdue 1 h 12 m', clocks: ['Time to assign: 2 h, met', 'Time to resolve: 24 h, overdue 1 h 12 m'] } },
        { severity: 'Medium', alerts, tags: ['Ransomware'], systemTags: ['Defender Experts'] },
      );
      const pane = await PaneHarness.open(chromium.browser(), chromium.server, state, { viewport: { width: 1280, height: 1400 } });
      try {
        await applyTheme(pane, theme);
        await pane.page.waitForTimeout(100);
        await pane.page.evaluate(AXE);
        const result = await pane.page.evaluate(() =>
          window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] }),
        );
        const lines = result.violations.flatMap(v =>
          v.nodes.map(n => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${(n.failureSummary ?? v.help).replace(/\s+/g, ' ')}`),
        );
        assert.deepStrictEqual(lines, [], `${theme}: ${lines.length} violation(s)`);
        assert.deepStrictEqual(await pane.cspViolations(), []);
        assert.match((await pane.page.textContent('#incident-sla')) ?? '', /overdue 1 h 12 m.*Time to resolve: 24 h, overdue 1 h 12 m/);
      } finally {
        await pane.close();
      }
    });
  }
});
