/**
 * Time as hardware code sees it. Drivers never call Date.now() or setTimeout
 * directly, so tests and the simulator can run them on a manual or time-lapse clock.
 */
export interface TimerHandle {
  readonly id: number;
}

export interface Clock {
  /** Wall-clock time, UTC epoch milliseconds (what gets stored). */
  now(): number;
  /** Monotonic milliseconds for measuring intervals; unaffected by clock steps. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  /**
   * True for a clock whose timers fire exactly when due (a manual clock): the process
   * can lose no time on it, so nothing needs to measure lost time (hardware/lost-time.ts).
   */
  readonly exact?: boolean;
}

/**
 * Resolves after `ms` on the given clock; rejects with the signal's reason when
 * aborted, so a cancelled wait never leaves a timer behind.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal));
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      reject(abortReason(signal));
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortReason(signal: AbortSignal | undefined): Error {
  const reason: unknown = signal?.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}

/** The real clock: Date.now, performance.now and Node's timers. */
export function systemClock(): Clock {
  const timers = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  return {
    now: () => Date.now(),
    monotonic: () => performance.now(),
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(
        id,
        setTimeout(() => {
          timers.delete(id);
          fn();
        }, ms),
      );
      return { id };
    },
    clearTimeout(handle) {
      const timer = timers.get(handle.id);
      if (timer !== undefined) {
        clearTimeout(timer);
        timers.delete(handle.id);
      }
    },
  };
}
