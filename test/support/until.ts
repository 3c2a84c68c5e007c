/** Waits on a condition instead of a guessed sleep ("let it settle"). */

/** Wait until `pred` holds (checked every `everyMs`), or fail naming `what` after `timeoutMs`. */
export async function until(pred: () => boolean | Promise<boolean>, what = 'the condition', timeoutMs = 10_000, everyMs = 5): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await pred())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise(r => setTimeout(r, everyMs));
  }
}
