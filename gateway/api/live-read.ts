/**
 * A live read as `easygas read` shows it: the raw source value and what the
 * sensor's current calibration (and tank geometry) makes of it — computed with
 * the pipeline's own functions, without the smoothing filter, so a technician
 * sees the instant value.
 */
import { calibrate } from '../pipeline/calibration.js';
import { levelFromCalibrated } from '../pipeline/level.js';
import type { CalibrationSpec, LevelSpec, SensorPipelineSpec } from '../pipeline/specs.js';
import type { RawSample, SensorKind } from '../pipeline/types.js';

export interface Calibrated {
  /** The calibration's output (dial %, mm, %LEL, °C…). */
  readonly calibrated: number;
  /** The reading's primary value (percent of usable capacity for a level). */
  readonly value: number;
  readonly unit: string;
  readonly percent?: number;
  readonly litres?: number;
  readonly heightMm?: number;
  readonly ppm?: number;
}

export interface LiveRead {
  readonly sensorId: string;
  readonly at: number;
  readonly raw?: number;
  readonly rawUnit: string;
  readonly warmingUp: boolean;
  readonly fault?: { readonly code: string; readonly message: string; readonly hint?: string };
  readonly result?: Calibrated;
  /** Why the raw value could not be converted. */
  readonly error?: string;
}

const UNITS = { level: '%', gas: '%LEL', temperature: '°C', leak: '' } as const;

/** The unit of a sensor's raw value, as its driver reports it. */
export function rawUnitOf(spec: SensorPipelineSpec): string {
  if (spec.kind === 'leak') return '';
  if (spec.kind === 'temperature') return '°C';
  if (spec.level?.measures === 'distance_mm' || spec.level?.measures === 'height_mm') return 'mm';
  return 'V';
}

/** The raw value through a calibration (and the spec's level geometry). */
export function convertRaw(spec: { readonly kind: SensorKind; readonly level?: LevelSpec }, calibration: CalibrationSpec, raw: number): Calibrated | { readonly error: string } {
  const out = calibrate(calibration, raw);
  if ('error' in out) return out;
  const unit = UNITS[spec.kind];
  if (spec.kind === 'level' && spec.level !== undefined) {
    const level = levelFromCalibrated(spec.level, out.value);
    if ('error' in level) return { error: level.message };
    return {
      calibrated: out.value,
      value: level.percent,
      unit,
      percent: level.percent,
      litres: level.litres,
      ...(level.heightMm !== undefined ? { heightMm: level.heightMm } : {}),
    };
  }
  return { calibrated: out.value, value: out.value, unit, ...(out.ppm !== undefined ? { ppm: out.ppm } : {}) };
}

export function liveRead(spec: SensorPipelineSpec, sample: RawSample): LiveRead {
  const base = { sensorId: spec.sensorId, at: sample.at, rawUnit: rawUnitOf(spec), warmingUp: sample.warmingUp === true };
  if (sample.fault !== undefined) {
    const { code, message, hint } = sample.fault;
    return { ...base, fault: { code, message, ...(hint !== undefined ? { hint } : {}) } };
  }
  if (sample.value === undefined) return { ...base, error: 'the sensor returned no value' };
  const result = convertRaw(spec, spec.calibration, sample.value);
  return 'error' in result ? { ...base, raw: sample.value, error: result.error } : { ...base, raw: sample.value, result };
}
