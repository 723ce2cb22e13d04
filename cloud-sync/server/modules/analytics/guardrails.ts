/**
 * When a forecast must not be given: a number shown is true now or not shown, so
 * stale data, too little history or a horizon too far out give a reason in
 * words instead of a date.
 */
import { DAY, HOUR } from './local-time.js';

export const STALE_AFTER_MS = 96 * HOUR;
export const MIN_DAYS_OF_DATA = 4;
export const MAX_HORIZON_DAYS = 90;

export interface GuardInput {
  readonly now: number;
  /** The last hourly row, or null with none. */
  readonly lastReadingAt: number | null;
  /** Complete days of use the forecast would rest on. */
  readonly completeDays: number;
}

/** Why no forecast can be given from this data, or null when one can. */
export function forecastRefusal(input: GuardInput): string | null {
  if (input.lastReadingAt === null) return 'no readings yet';
  const age = input.now - input.lastReadingAt;
  if (age > STALE_AFTER_MS) return `the last reading is ${Math.floor(age / HOUR)} hours old (a forecast needs one from the last ${STALE_AFTER_MS / HOUR} hours)`;
  if (input.completeDays < MIN_DAYS_OF_DATA) {
    return `only ${input.completeDays} full day${input.completeDays === 1 ? '' : 's'} of readings (a forecast needs ${MIN_DAYS_OF_DATA})`;
  }
  return null;
}

/** Why a date `days` ahead is not given, or null when it may be. */
export function horizonRefusal(days: number): string | null {
  return Number.isFinite(days) && days <= MAX_HORIZON_DAYS ? null : `more than ${MAX_HORIZON_DAYS} days away at the current use`;
}

export const daysBetween = (from: number, to: number): number => (to - from) / DAY;
