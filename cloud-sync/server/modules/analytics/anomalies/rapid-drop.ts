/**
 * A rapid drop: more than `hourlyPercent` (10 %) of the tank gone within an hour
 * with no delivery, or the last complete day's use above 2 × the baseline mean +
 * 1 standard deviation (the previous 14 complete days). A cracked line loses
 * hundreds of litres in a day; it should not wait for the low-level alarm.
 */
import type { Usage } from '../usage.js';
import { amount, fmt, type Anomaly } from './anomaly.js';

export interface RapidDropOptions {
  readonly now: number;
  readonly capacityLitres?: number | null;
  /** Default 10 (% of the tank within one hour). */
  readonly hourlyPercent?: number;
  /** Only falls this recent count. Default 24 h. */
  readonly lookbackMs?: number;
}

export function detectRapidDrop(usage: Usage, options: RapidDropOptions): Anomaly | null {
  const since = options.now - (options.lookbackMs ?? 86_400_000);
  const limit = options.hourlyPercent ?? 10;
  const fast = usage.walk.falls.filter((f) => f.at >= since && f.percent > limit).pop();
  if (fast !== undefined) {
    return {
      type: 'rapid_drop',
      at: fast.at,
      severity: 'critical',
      seen: `the level fell ${amount(fast.percent, options.capacityLitres)} within one hour, with no delivery`,
      check: 'look for a leak or a broken pipe at the tank and the supply line, and that no one drew from the tank',
      value: fast.percent,
      unit: '%',
    };
  }
  const complete = usage.days.filter((d) => d.complete);
  const last = complete[complete.length - 1];
  const baseline = complete.slice(-15, -1);
  if (last === undefined || baseline.length < 7) return null;
  const mean = baseline.reduce((a, d) => a + d.percent, 0) / baseline.length;
  const sd = Math.sqrt(baseline.reduce((a, d) => a + (d.percent - mean) ** 2, 0) / baseline.length);
  const limitDay = 2 * mean + sd;
  if (!(last.percent > limitDay) || !(mean > 0)) return null;
  return {
    type: 'rapid_drop',
    at: Date.parse(`${last.date}T12:00:00Z`),
    severity: 'warning',
    seen: `${last.date} used ${amount(last.percent, options.capacityLitres)}, ${fmt(last.percent / mean)} × the usual ${amount(mean, options.capacityLitres)} a day`,
    check: 'look for a leak, an appliance left on, or a use you did not expect',
    value: last.percent,
    unit: '%',
  };
}
