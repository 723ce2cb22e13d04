/** How fresh the page is, for the header: live, polling, or cut off (and since when). */
export type ConnectionStatus =
  | { readonly kind: 'connecting' }
  /** A live socket: updates arrive as they happen. */
  | { readonly kind: 'live'; readonly since: number }
  /** No socket yet: pages refresh on a timer. */
  | { readonly kind: 'polling'; readonly everyMs: number; readonly lastOkAt: number }
  | { readonly kind: 'reconnecting'; readonly retryAt: number; readonly attempt: number; readonly lastOkAt: number | undefined }
  /** The browser says there is no network: nothing is tried until it returns. */
  | { readonly kind: 'offline'; readonly lastOkAt: number | undefined };

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export function browserTimers(): Timers {
  return {
    setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
    now: () => Date.now(),
  };
}
