/**
 * Incident text is attacker-controlled (alert titles, entity names, comments and tags can all be set by
 * whoever triggers the alert). Every payload goes into every text field the pane shows; nothing may run,
 * no element may appear, and the text must show exactly as sent (checkHostile). The 1 MB payload is in
 * hostile-huge.test.ts.
 */
import { useChromium } from './harness';
import { HOSTILE, MB } from './hostile-data';
import { checkHostile } from './hostile-check';

describe('hostile strings in every field', function () {
  const { server, browser } = useChromium();

  for (const [name, payload] of Object.entries(HOSTILE).filter(([, p]) => p.length < MB)) {
    it(`${name}: nothing runs, nothing is injected, text is shown exactly`, async function () {
      await checkHostile(this, browser(), server, payload);
    });
  }
});
