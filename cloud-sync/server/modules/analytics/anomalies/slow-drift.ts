/**
 * A slow drift with no active use: for the last `hours` hourly rows, the level
 * falls faster than the same hours of the day usually do (their median over
 * the previous 14 days), by a steady amount above both `minPercentPerHour` and
 * three times that hour's usual scatter, in hours when the household normally
 * uses little. A 10 L/h leak in a 2,000 L tank (0.5 %/h) is seen within a few
 * quiet hours instead of days later at the low-level warning.
 */
import type { Level } from '../level-series.js';
import { HOUR, localClock } from '../local-time.js';
import { amount, median, type Anomaly } from './anomaly.js';

export interface SlowDriftOptions {
  readonly timeZone?: string;
  readonly capacityLitres?: number | null;
  /** Consecutive hours the drift must hold. Default 4. */
  readonly hours?: number;
  /** Default 0.15 %/h. */
  readonly minPercentPerHour?: number;
  /** An hour whose usual use is above this is "active use" and cannot show a drift. Default 1 %/h. */
  readonly quietPercentPerHour?: number;
  readonly historyDays?: number;
}

export function detectSlowDrift(levels: readonly Level[], options: SlowDriftOptions = {}): Anomaly | null {
  const clock = localClock(options.timeZone);
  const hours = options.hours ?? 4;
  const minRate = options.minPercentPerHour ?? 0.15;
  const quiet = options.quietPercentPerHour ?? 1;
  const last = levels[levels.length - 1];
  if (last === undefined || levels.length < hours + 1) return null;
  // Hourly falls (rises count as negative) over the history, by local hour of the day.
  const historyFrom = last.at - (options.historyDays ?? 14) * 24 * HOUR;
  const windowFrom = last.at - hours * HOUR;
  const byHour = Array.from({ length: 24 }, () => [] as number[]);
  const recent: { at: number; fall: number; hour: number }[] = [];
  for (let i = 1; i < levels.length; i++) {
    const a = levels[i - 1];
    const b = levels[i];
    if (a === undefined || b === undefined || b.at - a.at !== HOUR || b.at < historyFrom) continue;
    const hour = clock(b.at).hour;
    if (b.at > windowFrom) recent.push({ at: b.at, fall: a.percent - b.percent, hour });
    else byHour[hour]?.push(a.percent - b.percent);
  }
  if (recent.length < hours) return null;
  const excess: number[] = [];
  for (const r of recent) {
    const usual = byHour[r.hour] ?? [];
    if (usual.length < 5) return null;
    const typical = median(usual);
    const scatter = 1.4826 * median(usual.map((x) => Math.abs(x - typical)));
    if (typical > quiet) return null;
    const over = r.fall - Math.max(0, typical);
    if (!(over >= Math.max(minRate, 3 * scatter))) return null;
    excess.push(over);
  }
  const mean = excess.reduce((a, b) => a + b, 0) / excess.length;
  const sd = Math.sqrt(excess.reduce((a, b) => a + (b - mean) ** 2, 0) / excess.length);
  if (sd > 0.5 * mean) return null;
  return {
    type: 'slow_drift',
    at: last.at,
    severity: 'warning',
    seen: `the level has fallen a steady ${amount(mean, options.capacityLitres)} an hour more than usual for ${hours} hours, while little is normally used`,
    check: 'look for a leak: the tank outlet, valves, pipes, a running toilet or an overflow',
    value: mean,
    unit: '%/h',
  };
}
