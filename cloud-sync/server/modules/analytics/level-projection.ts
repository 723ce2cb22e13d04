/**
 * The forecast as a curve for the chart: the expected level hour by hour from the
 * last reading, with the P10–P90 band the dates are read from (forecast.ts), so
 * the band drawn and the dates given are one computation. Sampled every
 * `stepHours` until the band's high edge reaches empty or the horizon ends.
 */
import { HOUR } from './local-time.js';

export interface ProjectionPoint {
  readonly at: number;
  /** Level (percent) with a 10 % chance of being lower by then: the band's low edge. */
  readonly p10: number;
  /** The expected level. */
  readonly p50: number;
  /** Level with a 10 % chance of being higher: the band's high edge. */
  readonly p90: number;
}

export interface ProjectionInput {
  readonly from: number;
  /** The level at `from`, percent. */
  readonly level: number;
  /** Expected use (percent per day) of each hour from `from` on. */
  readonly rates: readonly number[];
  /** Day-to-day scatter, percent/day. */
  readonly sigma: number;
  /** Relative variance of the rate over the horizon (its error² + drift²). */
  readonly relative: number;
  readonly z: number;
  readonly hours: number;
  readonly stepHours?: number;
}

/** Into 0–100 (±Infinity to the ends); NaN, which the callers never give, to 0. */
const clamp = (x: number): number => (Number.isNaN(x) ? 0 : Math.min(100, Math.max(0, x)));

export function projectLevels(input: ProjectionInput): ProjectionPoint[] {
  const step = Math.max(1, Math.round(input.stepHours ?? 6));
  const hours = Math.min(input.hours, input.rates.length);
  const point = (h: number, expected: number, scatter: number): ProjectionPoint => {
    const variance = scatter + expected * expected * input.relative;
    // A variance that cannot be computed is an unknown spread: the band is then the whole tank, never upside down.
    const spread = Number.isNaN(variance) ? Infinity : input.z * Math.sqrt(Math.max(0, variance));
    return { at: input.from + h * HOUR, p10: clamp(input.level - expected - spread), p50: clamp(input.level - expected), p90: clamp(input.level - expected + spread) };
  };
  const points = [point(0, 0, 0)];
  let expected = 0;
  let scatter = 0;
  for (let h = 1; h <= hours; h++) {
    const rate = input.rates[h - 1] ?? 0;
    expected += Number.isFinite(rate) && rate > 0 ? rate / 24 : 0;
    scatter += rate > 0 ? (input.sigma * input.sigma) / 24 : 0;
    if (h % step !== 0 && h !== hours) continue;
    const p = point(h, expected, scatter);
    points.push(p);
    if (p.p90 <= 0) break;
  }
  return points;
}
