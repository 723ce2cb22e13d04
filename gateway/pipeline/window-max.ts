/**
 * The maximum of a value over a sliding time window, in O(1) memory: the window is
 * cut into WINDOW_BUCKETS buckets, each keeping only its maximum. A bucket is dropped
 * once it lies wholly outside the window, so the maximum covers at least windowMs and
 * at most windowMs plus one bucket (windowMs / WINDOW_BUCKETS) — slightly keener to
 * see a drop, never blind to one. A draining tank would keep every sample in an
 * exact monotonic deque; this stays small whatever the sample rate.
 */

export const WINDOW_BUCKETS = 12;

export interface WindowBucket {
  readonly start: number;
  readonly max: number;
}

export interface WindowMaxState {
  /** Completed buckets still (partly) inside the window, oldest first. */
  readonly past: readonly WindowBucket[];
  /** Maximum over `past`, cached so a sample costs O(1). */
  readonly pastMax: number;
  readonly current?: WindowBucket;
}

export const emptyWindowMax: WindowMaxState = Object.freeze({ past: Object.freeze([]), pastMax: -Infinity });

/** Adds a value seen at `mono` and returns the new state with the window's maximum. */
export function pushWindowMax(
  state: WindowMaxState,
  windowMs: number,
  value: number,
  mono: number,
): { readonly state: WindowMaxState; readonly max: number } {
  const bucketMs = Math.max(1, windowMs / WINDOW_BUCKETS);
  const { current } = state;
  const inCurrent = current !== undefined && mono >= current.start && mono < current.start + bucketMs;
  let past = inCurrent || current === undefined ? state.past : [...state.past, current];
  // Drop buckets wholly outside the window (oldest first; usually none, at most a few).
  const horizon = mono - windowMs;
  let drop = 0;
  while (drop < past.length && (past[drop]?.start ?? 0) + bucketMs <= horizon) drop++;
  if (drop > 0) past = past.slice(drop);
  const pastMax = past === state.past ? state.pastMax : past.reduce((m, b) => Math.max(m, b.max), -Infinity);
  let next: WindowMaxState;
  if (inCurrent) {
    const grown = value > current.max ? { start: current.start, max: value } : current;
    next = past === state.past && grown === current ? state : { past, pastMax, current: grown };
  } else {
    next = { past, pastMax, current: { start: mono, max: value } };
  }
  return { state: next, max: Math.max(next.pastMax, next.current?.max ?? -Infinity) };
}
