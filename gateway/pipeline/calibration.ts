/**
 * Calibration: a source's raw value (volts, millimetres, °C) → the quantity it means.
 * Pure; an impossible raw value is an `{ error }`, never an exception or a made-up number.
 */
import { lelPercent, ppmFromRatio, rsFromVout } from '../../hardware/drivers/mq6-curve.js';
import type { CalibrationPoint, CalibrationSpec } from './specs.js';

export type CalibrationResult = { readonly value: number; readonly ppm?: number } | { readonly error: string };

/** value = raw × scale + offset. */
export interface LinearFit {
  readonly scale: number;
  readonly offset: number;
}

/**
 * How far past the short-circuit rail a resistive divider may read and still mean
 * 0 Ω, as a fraction of the supply: a 0 Ω "empty" sender sits exactly on a rail, and
 * ADC noise puts it a few counts either side (1 % of 5 V = 50 mV ≈ 400 counts at ±4.096 V).
 */
export const RAIL_TOLERANCE_FRACTION = 0.01;

export function calibrate(spec: CalibrationSpec, raw: number): CalibrationResult {
  if (!Number.isFinite(raw)) return { error: `raw value ${raw} is not a number` };
  switch (spec.type) {
    case 'identity':
      return { value: raw };
    case 'offset':
      return { value: raw * spec.scale + spec.offset };
    case 'two_point': {
      const fit = fitTwoPoint(spec.points[0], spec.points[1]);
      if ('error' in fit) return fit;
      return { value: raw * fit.scale + fit.offset };
    }
    case 'piecewise':
      return interpolateClamped(spec.points, raw);
    case 'resistive': {
      const ohms = senderOhms(spec.supplyVolts, spec.referenceOhms, spec.senderSide, raw);
      if (typeof ohms !== 'number') return ohms;
      return interpolateClamped(spec.points, ohms);
    }
    case 'mq6':
      return calibrateMq6(spec, raw);
  }
}

/** The line through two calibration points (raw values must differ). */
export function fitTwoPoint(a: CalibrationPoint, b: CalibrationPoint): LinearFit | { readonly error: string } {
  if (![a.raw, a.value, b.raw, b.value].every(Number.isFinite)) return { error: 'calibration points must be numbers' };
  if (a.raw === b.raw) return { error: `both calibration points have raw ${a.raw}: they must differ` };
  const scale = (b.value - a.value) / (b.raw - a.raw);
  return { scale, offset: a.value - scale * a.raw };
}

/** The raw value a two-point calibration maps to `value` (what the sensor should read at 50 %). */
export function invertTwoPoint(points: readonly [CalibrationPoint, CalibrationPoint], value: number): number | { readonly error: string } {
  const fit = fitTwoPoint(points[0], points[1]);
  if ('error' in fit) return fit;
  if (fit.scale === 0) return { error: 'both calibration points have the same value: the line cannot be inverted' };
  return (value - fit.offset) / fit.scale;
}

/**
 * Problems with a calibration table, each a sentence (empty when it is usable):
 * at least two points, finite numbers, raw strictly increasing or strictly decreasing.
 */
export function validatePoints(points: readonly CalibrationPoint[]): string[] {
  const problems: string[] = [];
  if (points.length < 2) problems.push(`a calibration needs at least 2 points, got ${points.length}`);
  points.forEach((p, i) => {
    if (!Number.isFinite(p.raw) || !Number.isFinite(p.value)) problems.push(`point ${i + 1}: raw and value must be numbers`);
  });
  if (problems.length > 0) return problems;
  const first = points[0];
  const second = points[1];
  if (first === undefined || second === undefined) return problems;
  const increasing = second.raw > first.raw;
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1];
    const cur = points[i];
    if (prev === undefined || cur === undefined) continue;
    const ok = increasing ? cur.raw > prev.raw : cur.raw < prev.raw;
    if (!ok) {
      problems.push(
        `point ${i + 1}: raw ${cur.raw} after ${prev.raw}; raw values must be strictly ${increasing ? 'increasing' : 'decreasing'}`,
      );
    }
  }
  return problems;
}

/**
 * Linear interpolation in a table whose raw values are strictly monotonic (either
 * direction), clamped to the end values outside it.
 */
export function interpolateClamped(points: readonly CalibrationPoint[], raw: number): CalibrationResult {
  const n = points.length;
  const first = points[0];
  const last = points[n - 1];
  if (n < 2 || first === undefined || last === undefined) return { error: `a calibration table needs at least 2 points, got ${n}` };
  // Walk in increasing raw order whichever way the table is written.
  const increasing = last.raw > first.raw;
  // A crossed table would answer plausibly for some raw values and wrongly for others.
  for (let k = 1; k < n; k++) {
    const a = points[k - 1];
    const b = points[k];
    if (a === undefined || b === undefined || !(increasing ? b.raw > a.raw : b.raw < a.raw)) {
      return { error: 'calibration table raw values are not strictly monotonic' };
    }
  }
  const lo = increasing ? first : last;
  const hi = increasing ? last : first;
  if (raw <= lo.raw) return { value: lo.value };
  if (raw >= hi.raw) return { value: hi.value };
  for (let k = 1; k < n; k++) {
    const a = points[increasing ? k - 1 : n - k];
    const b = points[increasing ? k : n - k - 1];
    if (a === undefined || b === undefined) break;
    if (raw <= b.raw) return { value: a.value + ((raw - a.raw) * (b.value - a.value)) / (b.raw - a.raw) };
  }
  return { value: hi.value };
}

/**
 * A sender's resistance from the divider voltage. Low side (sender to ground):
 * R = Rref × V / (Vs − V). High side (sender to the supply): R = Rref × (Vs − V) / V.
 * The open-circuit rail (infinite ohms: a broken wire) is an error; the short-circuit
 * rail is 0 Ω within RAIL_TOLERANCE_FRACTION, since a 0 Ω "empty" sender sits on it.
 */
export function senderOhms(
  supplyVolts: number,
  referenceOhms: number,
  side: 'low' | 'high',
  volts: number,
): number | { readonly error: string } {
  if (!(supplyVolts > 0) || !(referenceOhms > 0)) {
    return { error: `divider needs a positive supply and reference resistor (got ${supplyVolts} V, ${referenceOhms} Ω)` };
  }
  const tolerance = supplyVolts * RAIL_TOLERANCE_FRACTION;
  // Distance from the rail where the sender reads 0 Ω and from the open-circuit rail.
  const fromShort = side === 'low' ? volts : supplyVolts - volts;
  const fromOpen = supplyVolts - fromShort;
  if (fromOpen <= 0) {
    return { error: `divider reads ${volts} V, at or beyond the ${side === 'low' ? `${supplyVolts} V supply` : '0 V rail'}: the sender is open (broken wire?)` };
  }
  if (fromShort < -tolerance) {
    return { error: `divider reads ${volts} V, outside 0–${supplyVolts} V: check the wiring and the supply setting` };
  }
  if (fromShort <= 0) return 0;
  return (referenceOhms * fromShort) / fromOpen;
}

function calibrateMq6(spec: Extract<CalibrationSpec, { type: 'mq6' }>, volts: number): CalibrationResult {
  const { supplyVolts, loadOhms, r0Ohms } = spec;
  if (!(volts > 0 && volts < supplyVolts)) {
    return { error: `MQ-6 output ${volts} V is not between 0 and the ${supplyVolts} V supply (sensor or wiring fault)` };
  }
  if (!(r0Ohms > 0) || !(loadOhms > 0)) return { error: `MQ-6 needs a positive R0 and load resistor (got ${r0Ohms} Ω, ${loadOhms} Ω)` };
  try {
    const ppm = ppmFromRatio(rsFromVout(volts, { supplyVolts, loadOhms }) / r0Ohms, spec.curve);
    return { value: lelPercent(ppm, spec.gasMix), ppm };
  } catch (error) {
    // Only a bad gas mix can get here (the rails were checked above).
    return { error: error instanceof Error ? error.message : String(error) };
  }
}
