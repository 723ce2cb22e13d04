/**
 * What an anomaly detector returns: what was seen and what to check, in words,
 * with the figure it rests on. The detectors are pure functions of a tank's own
 * hourly data; raising them as events and notifying is the caller's job.
 */
export type AnomalyType = 'rapid_drop' | 'quiet_hours_use' | 'slow_drift' | 'refill_without_order' | 'suspect_sensor';

export interface Anomaly {
  readonly type: AnomalyType;
  /** When it was seen (the hourly row, UTC epoch ms). */
  readonly at: number;
  readonly severity: 'warning' | 'critical';
  /** What was seen ("the level fell 12 % in one hour with no delivery"). */
  readonly seen: string;
  /** What to check ("look for a leak at the tank, the regulator and the pipes"). */
  readonly check: string;
  /** The figure behind it, in `unit`. */
  readonly value: number;
  readonly unit: string;
}

export const fmt = (x: number, digits = 1): string => x.toFixed(digits);

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

/** "12 %" or "240 L (12 %)" when the capacity is known. */
export const amount = (percent: number, capacityLitres: number | null | undefined): string =>
  capacityLitres !== null && capacityLitres !== undefined && capacityLitres > 0 ? `${fmt((percent / 100) * capacityLitres, 0)} L (${fmt(percent)} %)` : `${fmt(percent)} %`;
