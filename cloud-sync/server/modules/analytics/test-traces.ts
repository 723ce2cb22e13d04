/** Hourly level rows for the analytics tests: a drain with a daily pattern, noise and refills. */
import { HOUR } from './local-time.js';
import type { LevelRow } from './level-series.js';

export interface TraceSpec {
  readonly start: number;
  readonly hours: number;
  readonly fromPercent: number;
  /** Use per hour of the (UTC) day, percent. */
  readonly perHour: (hourOfDay: number, hourIndex: number) => number;
  /** Refill to this percent at these hour indexes. */
  readonly refills?: readonly { readonly hour: number; readonly toPercent: number }[];
  /** Hour indexes with no row. */
  readonly missing?: (hourIndex: number) => boolean;
  readonly noise?: (hourIndex: number) => number;
  readonly capacityLitres?: number;
}

export function trace(spec: TraceSpec): LevelRow[] {
  const rows: LevelRow[] = [];
  let level = spec.fromPercent;
  for (let h = 0; h < spec.hours; h++) {
    const refill = spec.refills?.find((r) => r.hour === h);
    if (refill !== undefined) level = refill.toPercent;
    else level = Math.max(0, level - spec.perHour(h % 24, h));
    if (spec.missing?.(h) === true) continue;
    const percent = level + (spec.noise?.(h) ?? 0);
    rows.push({ at: spec.start + h * HOUR, percent, litres: spec.capacityLitres === undefined ? null : (percent / 100) * spec.capacityLitres });
  }
  return rows;
}

/** Cooking-like: 0.6 %/h at 07, 12 and 18–19 h. */
export const meals = (hourOfDay: number): number => ([7, 12, 18, 19].includes(hourOfDay) ? 0.6 : 0);
