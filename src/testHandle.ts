/**
 * What activate() hands to other extensions: nothing. The composition root reaches the stored client
 * secret and signs requests; any installed extension can call `getExtension(...).activate()` and read
 * the result, without VS Code asking the user. Only a test run (DEFENDER_INCIDENTS_TEST=1, set by the
 * integration, UI and bench harnesses) gets the parts, to observe them; `parts` is not even called
 * otherwise (it may load what activate() leaves to first use). No `vscode` import.
 */
export function testHandle<T>(parts: () => T, env: Record<string, string | undefined> = process.env): T | undefined {
  return env.DEFENDER_INCIDENTS_TEST === '1' ? parts() : undefined;
}
