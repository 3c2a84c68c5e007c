/**
 * Time and cancellation for the HTTP layer and the comment logic: an injectable clock (tests skip waits)
 * and a cancellable sleep. No `vscode` import.
 */
import { CancelledError } from './errors';
import { safeDelay } from '../shared/timer';

export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with CancelledError when the signal aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) {
    return Promise.reject(new CancelledError());
  }
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CancelledError());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, safeDelay(ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export const realClock: Clock = { now: () => Date.now(), sleep };

/** AbortSignal.any without relying on the host's Node version; `dispose` drops the listeners. */
export function anySignal(signals: (AbortSignal | undefined)[]): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const live = signals.filter((s): s is AbortSignal => s !== undefined);
  const onAbort = (): void => controller.abort();
  for (const s of live) {
    if (s.aborted) {
      controller.abort();
      break;
    }
    s.addEventListener('abort', onAbort, { once: true });
  }
  return { signal: controller.signal, dispose: () => live.forEach(s => s.removeEventListener('abort', onAbort)) };
}
