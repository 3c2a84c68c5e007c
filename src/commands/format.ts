/** Human messages for action results. Pure. */
import type { ActionResult } from '../store/triage';

const MAX_LISTED = 3;

/** "Assigned to you; its 2 active alerts too: A, B" — the user is told which alerts changed. */
export function describeCascade(r: ActionResult, prefix: string): string {
  let msg = prefix;
  const n = r.alertsChanged.length;
  if (n) {
    const titles = r.alertsChanged.slice(0, MAX_LISTED).map(a => `"${a.title}"`).join(', ');
    msg += `; ${n === 1 ? 'its alert' : `its ${n} alerts`} too: ${titles}${n > MAX_LISTED ? ` and ${n - MAX_LISTED} more` : ''}`;
  }
  if (r.alertsFailed.length) msg += `; ${r.alertsFailed.length} alert${r.alertsFailed.length === 1 ? '' : 's'} could not be updated (${r.alertsFailed[0].error})`;
  return msg;
}
