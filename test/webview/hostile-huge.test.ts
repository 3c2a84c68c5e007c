/**
 * The 1 MB payload of the hostile-string corpus in every field (checkHostile): cut to a prefix that says how
 * long it is, and "Show all" gives back exactly what was sent. Its own file: it takes most of the webview
 * suite's time, and mocha's parallel mode runs files side by side.
 */
import { useChromium } from './harness';
import { HOSTILE } from './hostile-data';
import { checkHostile } from './hostile-check';

describe('hostile strings in every field: one megabyte', function () {
  const { server, browser } = useChromium();

  it('oneMegabyte: nothing runs, nothing is injected, text is shown exactly', async function () {
    await checkHostile(this, browser(), server, HOSTILE.oneMegabyte);
  });
});
