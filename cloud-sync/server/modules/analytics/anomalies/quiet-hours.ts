/**
 * Use during quiet hours: water drawn between 02:00 and 05:00 local time, when a
 * household sleeps (or LPG burnt while the home is set "away", with the window
 * the caller gives). The level at the window's first hourly row is compared with
 * its last; a fall above `minPercent` is use nobody should be making.
 */
import type { Level } from '../level-series.js';
import { HOUR, localClock } from '../local-time.js';
import { amount, type Anomaly } from './anomaly.js';

export interface QuietHoursOptions {
  readonly timeZone?: string;
  readonly fromHour?: number;
  /** Exclusive. Default 5. */
  readonly toHour?: number;
  /** Default 0.6 (% of the tank over the window). */
  readonly minPercent?: number;
  readonly capacityLitres?: number | null;
}

/** The latest complete quiet window in `levels`, if its level fell. */
export function detectQuietHoursUse(levels: readonly Level[], options: QuietHoursOptions = {}): Anomaly | null {
  const clock = localClock(options.timeZone);
  const from = options.fromHour ?? 2;
  const to = options.toHour ?? 5;
  const span = to - from - 1;
  for (let i = levels.length - 1; i - span >= 0; i--) {
    const end = levels[i];
    const start = levels[i - span];
    if (end === undefined || start === undefined || clock(end.at).hour !== to - 1) continue;
    if (end.at - start.at !== span * HOUR || clock(start.at).hour !== from) return null;
    const fall = start.percent - end.percent;
    if (!(fall > (options.minPercent ?? 0.6))) return null;
    const perHour = fall / span;
    return {
      type: 'quiet_hours_use',
      at: end.at,
      severity: 'warning',
      seen: `${amount(fall, options.capacityLitres)} used between ${String(from).padStart(2, '0')}:00 and ${String(to).padStart(2, '0')}:00, about ${amount(perHour, options.capacityLitres)} an hour`,
      check: 'look for a running toilet, a dripping tap, a leaking pipe or a float valve that does not close',
      value: fall,
      unit: '%',
    };
  }
  return null;
}
