/**
 * A level sensor's calibrated value → litres and percent of the usable capacity.
 * Not clamped: 101 % or −0.5 % is reported as it is, and the health step judges
 * plausibility against HealthSpec.validRange.
 */
import { isGeometric, tankCapacityLitres, tankHeightMm, volumeAtHeight, type GeometricTank } from './geometry.js';
import type { LevelSpec } from './specs.js';

export interface Level {
  /** The liquid is at least this high: inside an ultrasonic sensor's blind zone (full or over-full). */
  readonly overRange?: true;
  /** Percent of the usable capacity (capacity × maxFillFraction): a cylinder filled to 80 % reads 100. */
  readonly percent: number;
  readonly litres: number;
  /** Litres at 100 %: the tank's capacity × maxFillFraction. */
  readonly usableLitres: number;
  /** Liquid height above the floor, when the sensor measures a height or distance. */
  readonly heightMm?: number;
}

export type LevelErrorCode = 'out_of_range';

export type LevelResult = Level | { readonly error: LevelErrorCode; readonly message: string };

export function levelFromCalibrated(spec: LevelSpec, value: number): LevelResult {
  const { tank } = spec;
  const capacity = tankCapacityLitres(tank);
  const usable = capacity * tank.maxFillFraction;
  if (!(usable > 0)) return configError(`the tank's usable capacity is ${usable} L: check its dimensions and maxFillFraction`);
  if (!Number.isFinite(value)) return { error: 'out_of_range', message: `level value ${value} is not a number` };

  switch (spec.measures) {
    case 'gauge_percent': {
      // A float gauge's dial is already percent of water capacity: no geometry.
      const litres = (capacity * value) / 100;
      return { percent: (litres / usable) * 100, litres, usableLitres: usable };
    }
    case 'distance_mm': {
      if (spec.mountHeightMm === undefined) return configError('a distance sensor needs mountHeightMm (its face above the tank floor)');
      const blindZone = spec.blindZoneMm ?? 0;
      // Inside the blind zone the surface is too close to measure: the tank is full or
      // over-full, not broken. The level at the zone's edge is a true lower bound.
      if (value <= blindZone) return fullOrOverFull(fromHeight(tank, spec.mountHeightMm - blindZone, capacity, usable));
      return fromHeight(tank, spec.mountHeightMm - value, capacity, usable);
    }
    case 'height_mm':
      return fromHeight(tank, value, capacity, usable);
  }
}

function fromHeight(tank: LevelSpec['tank'], heightMm: number, capacity: number, usable: number): LevelResult {
  if (!isGeometric(tank)) return configError('a tank given only by capacity cannot turn a height into litres: give its shape');
  const litres = litresAtHeightUnclamped(tank, heightMm, capacity);
  return { percent: (litres / usable) * 100, litres, usableLitres: usable, heightMm };
}

/**
 * volumeAtHeight inside the tank; outside it (a mis-set mount height, a ripple above
 * the top) the excess height is carried on at the tank's mean cross-section, so the
 * result is honest about being outside rather than silently clamped.
 */
function litresAtHeightUnclamped(tank: GeometricTank, heightMm: number, capacity: number): number {
  const top = tankHeightMm(tank);
  if (heightMm < 0) return (heightMm * capacity) / top;
  if (heightMm > top) return capacity + ((heightMm - top) * capacity) / top;
  return volumeAtHeight(tank, heightMm);
}

/** A lower bound, capped at full: "at least 100 %" says all that can be known. */
function fullOrOverFull(level: LevelResult): LevelResult {
  if ('error' in level) return level;
  const percent = Math.min(100, level.percent);
  return { ...level, percent, litres: (percent / 100) * level.usableLitres, overRange: true };
}

function configError(message: string): LevelResult {
  return { error: 'out_of_range', message };
}
