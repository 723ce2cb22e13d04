/**
 * A sensor whose readings no longer follow its own history: repeated jumps that
 * come straight back (glitches, from the level walk) within a day, or a level
 * stuck flat for two days on a tank whose use is usually well above the noise.
 */
import type { LevelWalk } from '../level-walk.js';
import { HOUR } from '../local-time.js';
import type { Usage } from '../usage.js';
import { median, type Anomaly } from './anomaly.js';

export interface SuspectSensorOptions {
  readonly now: number;
  /** Glitches within a day that make the sensor suspect. Default 3. */
  readonly glitches?: number;
  /** Hours of a flat level on a tank in use. Default 48. */
  readonly flatHours?: number;
}

export function detectSuspectSensor(usage: Usage, options: SuspectSensorOptions): Anomaly | null {
  const walk: LevelWalk = usage.walk;
  const recent = walk.glitches.filter((g) => g.at >= options.now - 24 * HOUR);
  if (recent.length >= (options.glitches ?? 3)) {
    return {
      type: 'suspect_sensor',
      at: recent[recent.length - 1]?.at ?? options.now,
      severity: 'warning',
      seen: `${recent.length} readings in the last day jumped and came straight back`,
      check: 'check the sensor: its mounting, condensation or obstructions in the beam, its wiring',
      value: recent.length,
      unit: 'glitches',
    };
  }
  const flatHours = options.flatHours ?? 48;
  const tail = walk.levels.filter((l) => l.at > options.now - flatHours * HOUR);
  const usual = median(usage.days.filter((d) => d.complete).map((d) => d.percent));
  if (tail.length < flatHours * 0.9 || usual < 2) return null;
  const spread = Math.max(...tail.map((l) => l.percent)) - Math.min(...tail.map((l) => l.percent));
  if (spread > 0.05) return null;
  return {
    type: 'suspect_sensor',
    at: tail[tail.length - 1]?.at ?? options.now,
    severity: 'warning',
    seen: `the level has not moved for ${flatHours} hours, on a tank that usually uses ${usual.toFixed(1)} % a day`,
    check: 'check the sensor is not stuck (a float gauge jammed, an ultrasonic sensor seeing an obstruction)',
    value: flatHours,
    unit: 'h',
  };
}
