/**
 * Smoothing of one sensor's values, in the reading's unit (percent for level, %LEL
 * for gas): spike rejection → median of the last N accepted → EMA. The state is
 * immutable and small; each step is O(medianWindow + confirmSamples).
 */
import type { FilterSpec } from './specs.js';

export interface FilterState {
  /** The last value the spike guard accepted, and when (monotonic ms). */
  readonly lastAccepted?: number;
  readonly lastAcceptedMono?: number;
  /**
   * Values held back as a possible step, oldest first: the first jumped away from
   * lastAccepted, the rest agreed with it. Confirmed when it holds confirmSamples + 1.
   */
  readonly held: readonly number[];
  readonly heldMono?: number;
  /** The last accepted values, oldest first, at most medianWindow of them. */
  readonly window: readonly number[];
  readonly ema?: number;
  readonly emaMono?: number;
}

export interface FilterOutcome {
  readonly state: FilterState;
  /** The filtered value; absent when the input was held back. */
  readonly value?: number;
  /** 'spike': it jumped from the accepted level; 'unconfirmed': a first value waiting for another to agree (nothing to judge it by yet). */
  readonly rejected?: 'spike' | 'unconfirmed';
}

const EMPTY: readonly number[] = Object.freeze([]);

/**
 * A value confirms a held-back step when it lies within this fraction of the step's
 * size from it (or within the rate allowance): noise around the new level, not another
 * spike somewhere else.
 */
const NEAR_FRACTION = 0.25;

export const initialFilterState: FilterState = Object.freeze({ held: EMPTY, window: EMPTY });

export function applyFilters(spec: FilterSpec, state: FilterState, value: number, mono: number): FilterOutcome {
  const { spike } = spec;
  if (spike !== undefined) {
    if (state.lastAccepted === undefined || state.lastAcceptedMono === undefined) return firstValue(spec, spike, state, value, mono);
    const jump = Math.abs(value - state.lastAccepted);
    if (jump > rateAllowance(spike.maxRatePerMinute, state.lastAcceptedMono, mono)) {
      const candidate = state.held[0];
      const nearHeld =
        candidate !== undefined &&
        state.heldMono !== undefined &&
        Math.abs(value - candidate) <=
          Math.max(rateAllowance(spike.maxRatePerMinute, state.heldMono, mono), Math.abs(candidate - state.lastAccepted) * NEAR_FRACTION);
      // Either a new candidate step (or a lone spike), or one more value agreeing with it.
      const held = nearHeld ? [...state.held, value] : [value];
      if (held.length <= spike.confirmSamples) return { state: { ...state, held, heldMono: mono }, rejected: 'spike' };
      // Confirmed: a real step (a refill). Start the smoothing afresh at the new level
      // instead of dragging the old one along behind it.
      const window = held.slice(-medianSize(spec));
      const level = median(window);
      return {
        state: { lastAccepted: value, lastAcceptedMono: mono, held: EMPTY, window, ema: level, emaMono: mono },
        value: level,
      };
    }
  }
  return smooth(spec, state, value, mono);
}

/**
 * With nothing accepted yet there is no level to judge a spike against, and the very
 * first value may be one. So values wait until one agrees with an earlier one (within
 * the rate allowance); if none do, the median of confirmSamples + 1 values is taken.
 * Normally this costs one sample interval, once.
 */
function firstValue(
  spec: FilterSpec,
  spike: NonNullable<FilterSpec['spike']>,
  state: FilterState,
  value: number,
  mono: number,
): FilterOutcome {
  // Allowance from the newest held value's time: the tightest, so the fairest test.
  const allowance = state.heldMono === undefined ? 0 : rateAllowance(spike.maxRatePerMinute, state.heldMono, mono);
  const partner = state.held.findLast((h) => Math.abs(value - h) <= allowance);
  const held = partner !== undefined ? [partner, value] : [...state.held, value];
  if (partner === undefined && held.length <= spike.confirmSamples) return { state: { ...state, held, heldMono: mono }, rejected: 'unconfirmed' };
  const window = held.slice(-medianSize(spec));
  const level = median(window);
  return { state: { lastAccepted: value, lastAcceptedMono: mono, held: EMPTY, window, ema: level, emaMono: mono }, value: level };
}

/** How far a value may move in the time since `sinceMono` without being a spike. */
function rateAllowance(maxRatePerMinute: number, sinceMono: number, mono: number): number {
  return (maxRatePerMinute * Math.max(0, mono - sinceMono)) / 60_000;
}

function medianSize(spec: FilterSpec): number {
  return Math.max(1, Math.floor(spec.medianWindow));
}

/** Median then EMA for an accepted value. */
function smooth(spec: FilterSpec, state: FilterState, value: number, mono: number): FilterOutcome {
  const n = medianSize(spec);
  const window = state.window.length < n ? [...state.window, value] : [...state.window.slice(state.window.length - n + 1), value];
  const med = n === 1 ? value : median(window);
  let ema = med;
  if (spec.emaTimeConstantMs > 0 && state.ema !== undefined && state.emaMono !== undefined) {
    // alpha from the actual interval, so irregular sampling weighs each value right.
    const dt = Math.max(0, mono - state.emaMono);
    const alpha = 1 - Math.exp(-dt / spec.emaTimeConstantMs);
    ema = state.ema + alpha * (med - state.ema);
  }
  return {
    state: { lastAccepted: value, lastAcceptedMono: mono, held: EMPTY, window, ema, emaMono: mono },
    value: ema,
  };
}

/** Median of a short list (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  // Insertion sort: the windows are a handful of values, where it beats Array#sort.
  const sorted = values.slice();
  for (let i = 1; i < sorted.length; i++) {
    const v = sorted[i] ?? NaN;
    let j = i - 1;
    while (j >= 0 && (sorted[j] ?? NaN) > v) {
      sorted[j + 1] = sorted[j] ?? NaN;
      j--;
    }
    sorted[j + 1] = v;
  }
  const mid = sorted.length >> 1;
  if (sorted.length % 2 === 1) return sorted[mid] ?? NaN;
  return ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
}
