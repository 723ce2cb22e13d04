/**
 * Time as the cloud sees it. The server never calls Date.now() or setTimeout in
 * logic that tests must control (token expiry, claim codes, the offline sweeper):
 * it takes a ServerClock, and tests pass a manual one.
 */
export interface ServerTimer {
  readonly id: number;
}

export interface ServerClock {
  /** UTC epoch milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): ServerTimer;
  clearTimeout(timer: ServerTimer): void;
}

/** The real clock. Its timers do not keep the process alive on their own. */
export function systemClock(): ServerClock {
  const timers = new Map<number, NodeJS.Timeout>();
  let nextId = 1;
  return {
    now: () => Date.now(),
    setTimeout(fn, ms) {
      const id = nextId++;
      const handle = setTimeout(() => {
        timers.delete(id);
        fn();
      }, ms);
      handle.unref();
      timers.set(id, handle);
      return { id };
    },
    clearTimeout(timer) {
      const handle = timers.get(timer.id);
      if (handle !== undefined) clearTimeout(handle);
      timers.delete(timer.id);
    },
  };
}
