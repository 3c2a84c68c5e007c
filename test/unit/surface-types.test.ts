/**
 * Issue 16, item 8: text discipline by types. The surface's functions take SafeText, which only `safe`
 * (outside text through safeText), `ui` (our words with SafeText interpolated) and the tested builders
 * make. Each `@ts-expect-error` below is a compile error the build relies on: if the surface took plain
 * strings, tsc would fail on the unused directive, so this file fails to compile without the fix.
 */
import { strict as assert } from 'assert';
import type * as Surface from '../../src/ui/surface';
import { safe, ui, type SafeText } from '../../src/ui/safe';
import { safeText } from '../../src/shared/text';

/** Compile-time only: never called (the surface needs a VS Code host). */
function typeChecks(s: typeof Surface, raw: string): void {
  // @ts-expect-error a backend string passed whole
  void s.info(raw);
  // @ts-expect-error interpolated without safe()
  void s.warn(`Incident ${raw} resolved`);
  // @ts-expect-error a string from safeText is still a plain string: only safe() brands it
  void s.error(safeText(raw));
  // @ts-expect-error an input box prompt (renders links)
  void s.input({ prompt: raw });
  // @ts-expect-error a quick pick label (renders codicons)
  void s.pick([{ label: raw }]);
  const box = s.createInput();
  // @ts-expect-error a property assignment
  box.prompt = raw;
  // @ts-expect-error ui`` takes only SafeText (or numbers) in its holes
  void ui`Incident ${raw}`;
  // The safe forms compile.
  void s.info(ui`Incident ${safe(raw)} resolved`);
  box.prompt = safe(raw);
  void s.pick([{ label: safe(raw), description: ui`current` }]);
}

describe('the UI surface takes only SafeText (issue 16 item 8)', () => {
  it('safe() neutralises links and codicons; ui`` joins our words with safe parts', () => {
    const hostile = 'Phishing [Open](command:workbench.action.terminal.new) $(alert)';
    const s: SafeText = safe(hostile);
    assert.doesNotMatch(s, /\[[^\]]*\]\(|\$\(/);
    assert.equal(ui`Incident ${s} (${3})`, `Incident ${s} (3)`);
    assert.equal(typeof typeChecks, 'function');
  });
});
