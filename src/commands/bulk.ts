/**
 * The loop of a bulk action, without VS Code: one incident after another (the HTTP layer paces them
 * under the API limits), a per-item result, cancellation, and a pause when the service throttles for
 * longer than the HTTP layer waits on its own: the progress says "Throttled until 14:05", the run waits
 * (cancellable) and then continues with the same incident instead of failing it and the rest. Pure.
 */
import { ThrottledError } from '../backend/errors';
import type { ActionOptions } from '../store/triage';
import { bulkItemMessage, retryProgressMessage, throttledProgressMessage, type BulkOutcome } from './format';
import { safeDelay } from '../shared/timer';

/** One item of the run: the door's result (its warnings are collected), or nothing. */
export type Act = (id: string, opts: ActionOptions) => Promise<{ warnings?: readonly string[] } | void>;

export interface BulkLoopOptions {
  /** Aborted when the user cancels the progress notification. */
  signal: AbortSignal;
  /** A progress message (built by ./format), with the share of the whole run it completes. */
  report: (message: string, increment?: number) => void;
  log: (line: string) => void;
  now?: () => number;
  /** Resolves after `ms`, or early when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Most pauses for one incident before it counts as failed (a service that never lets up). */
  maxPauses?: number;
}

/** How long a throttled call asks to wait, from now; undefined for any other error. */
export function throttleWait(e: unknown, now: number): number | undefined {
  if (!(e instanceof ThrottledError)) return undefined;
  if (typeof e.until === 'number' && Number.isFinite(e.until)) return Math.max(0, e.until - now);
  if (typeof e.retryAfterMs === 'number' && Number.isFinite(e.retryAfterMs)) return Math.max(0, e.retryAfterMs);
  return undefined;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, safeDelay(ms));
    signal.addEventListener('abort', done);
  });
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Runs `act` on each id in order; `title` is a builder's (see ./format). */
export async function runBulkLoop(title: string, ids: string[], act: Act, o: BulkLoopOptions): Promise<BulkOutcome> {
  const result: BulkOutcome = { ok: [], failed: [], cancelled: [], warned: [] };
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? abortableSleep;
  const maxPauses = o.maxPauses ?? 5;
  const opts = (id: string): ActionOptions => ({ signal: o.signal, onRetry: r => o.report(retryProgressMessage(id, r.reason, r.delayMs)) });
  for (const [n, id] of ids.entries()) {
    if (o.signal.aborted) {
      result.cancelled.push(...ids.slice(n));
      break;
    }
    o.report(bulkItemMessage(n, ids.length, id), 100 / ids.length);
    let pauses = 0;
    for (;;) {
      try {
        const done = await act(id, opts(id));
        result.ok.push(id);
        if (done && done.warnings?.length) result.warned.push({ id, warnings: [...done.warnings] });
        break;
      } catch (e) {
        if (!o.signal.aborted) {
          const wait = throttleWait(e, now());
          if (wait !== undefined && pauses < maxPauses) {
            pauses++;
            const until = now() + wait;
            o.report(throttledProgressMessage(until, id, result.ok.length + result.failed.length, ids.length));
            o.log(`${title}: throttled at #${id}: ${message(e)}; paused until ${new Date(until).toISOString()}`);
            await sleep(wait, o.signal);
            if (!o.signal.aborted) {
              o.report(bulkItemMessage(n, ids.length, id));
              continue;
            }
          }
        }
        if (o.signal.aborted) {
          result.cancelled.push(...ids.slice(n));
          return result;
        }
        result.failed.push({ id, error: message(e) });
        o.log(`${title}: #${id} failed: ${message(e)}`);
        break;
      }
    }
  }
  return result;
}
