/**
 * The arithmetic of `easygas calibrate`, apart from any I/O: which method fits
 * the sensor, what a `--point` means, and the calibration block (as the config
 * file would write it) that the measured points produce.
 *
 *   level sender (volts → dial %): two points → two_point, more → piecewise;
 *     empty = 0 %, full = the tank's maxFillFraction (80 % for LPG) of water capacity
 *   ultrasonic (distance_mm): one point, the water height now (empty = 0 mm) →
 *     an offset that corrects the mounting height
 *   MQ-6: the sensor in clean air → R0 = Rs / (Rs/R0 in clean air)
 */
import { CLEAN_AIR_RATIO, r0FromCleanAir, rsFromVout } from '../../hardware/drivers/mq6-curve.js';
import type { CalibrationPoint, CalibrationSpec, LevelSpec } from '../pipeline/specs.js';
import { CliError } from './cli-io.js';

export type CalibrationMethod = 'level-points' | 'mounting-height' | 'clean-air';

/** GET /api/sensors/:id/calibration. */
export interface CalibrationInfo {
  readonly sensorId: string;
  readonly kind: string;
  readonly calibration: CalibrationSpec;
  readonly level?: LevelSpec;
  readonly source: string;
}

/** A `--point`: what the sensor should read, and the raw value if given (else it is sampled). */
export interface PointRequest {
  readonly label: string;
  /** Dial percent (level sender) or water height in mm (ultrasonic); undefined for clean air. */
  readonly value?: number;
  readonly raw?: number;
}

export interface MeasuredPoint extends PointRequest {
  readonly raw: number;
  /** Live samples averaged (0 when the raw value was given). */
  readonly samples: number;
  readonly spread: number;
}

export function methodFor(info: CalibrationInfo): CalibrationMethod {
  if (info.calibration.type === 'mq6') return 'clean-air';
  if (info.kind === 'level' && info.level?.measures === 'distance_mm') return 'mounting-height';
  if (info.kind === 'level') return 'level-points';
  throw new CliError(
    `sensor "${info.sensorId}" (${info.kind}, ${info.calibration.type}) has no guided calibration`,
    'Guided calibration covers level senders, ultrasonic level sensors and MQ-6 sniffers; set other calibrations in the config file.',
    64,
  );
}

const USAGE: Readonly<Record<CalibrationMethod, string>> = {
  'level-points': '--point empty, --point full or --point <dial %>, each optionally =<raw volts>',
  'mounting-height': '--point empty or --point <water height in mm now>, optionally =<raw mm>',
  'clean-air': '--point clean-air (optionally =<sensor volts>)',
};

/** Parses one `--point` for a method: "empty", "full", "37.5", "clean-air", each with an optional "=raw". */
export function parsePoint(text: string, method: CalibrationMethod, info: CalibrationInfo): PointRequest {
  const [left = '', right] = text.split('=', 2);
  const label = left.trim().toLowerCase();
  const raw = right === undefined ? undefined : Number(right);
  if (raw !== undefined && !Number.isFinite(raw)) throw new CliError(`--point ${text}: "${right}" is not a number`, `Use ${USAGE[method]}.`, 64);
  const withRaw = (p: PointRequest): PointRequest => (raw === undefined ? p : { ...p, raw });
  if (method === 'clean-air') {
    if (label !== 'clean-air' && label !== 'air') throw new CliError(`--point ${text} does not fit an MQ-6`, `Use ${USAGE[method]}.`, 64);
    return withRaw({ label: 'clean-air' });
  }
  if (label === 'empty') return withRaw({ label, value: 0 });
  if (label === 'full' && method === 'level-points') return withRaw({ label, value: 100 * (info.level?.tank.maxFillFraction ?? 1) });
  const value = Number(label);
  if (label === '' || !Number.isFinite(value) || value < 0) throw new CliError(`--point ${text} is not understood`, `Use ${USAGE[method]}.`, 64);
  return withRaw({ label, value });
}

export interface PlannedCalibration {
  readonly calibration: Record<string, unknown>;
  /** Human lines: what the calibration means. */
  readonly explanation: readonly string[];
}

function rounded(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function planCalibration(info: CalibrationInfo, method: CalibrationMethod, points: readonly MeasuredPoint[]): PlannedCalibration {
  switch (method) {
    case 'level-points': {
      if (points.length < 2) throw new CliError('a level sender needs at least two points', 'Measure empty and full (or two known dial readings): --point empty --point full.', 64);
      const sorted = [...points].sort((a, b) => a.raw - b.raw);
      const table: CalibrationPoint[] = sorted.map((p) => ({ raw: rounded(p.raw, 5), value: p.value ?? 0 }));
      for (let i = 1; i < table.length; i++) {
        const prev = table[i - 1];
        const cur = table[i];
        if (prev === undefined || cur === undefined) continue;
        if (cur.raw === prev.raw) throw new CliError(`two points read the same raw value ${cur.raw}`, 'The sender did not move between them: is it wired, and did the level really change?', 1);
      }
      const rising = (table[1]?.value ?? 0) > (table[0]?.value ?? 0);
      if (table.some((p, i) => i > 0 && (p.value > (table[i - 1]?.value ?? 0)) !== rising)) {
        throw new CliError('the points are not in order: a higher level must always move the raw value the same way', 'Re-measure the point that is out of line.', 1);
      }
      const calibration = table.length === 2 ? { type: 'two_point', points: table } : { type: 'piecewise', points: table };
      return { calibration, explanation: table.map((p) => `${p.raw} V → ${p.value} % of water capacity`) };
    }
    case 'mounting-height': {
      const point = points[0];
      if (point === undefined || points.length !== 1) throw new CliError('an ultrasonic sensor takes one point: the water height now', 'Use --point empty (an empty tank) or --point <mm> measured with a stick.', 64);
      const configured = info.level?.mountHeightMm;
      if (configured === undefined) throw new CliError('the sensor has no level.mountHeightMm in the config', 'Set level.mountHeightMm (the sensor face above the tank floor) first.', 78);
      const measured = point.raw + (point.value ?? 0);
      const offset = rounded(configured - measured, 1);
      return {
        calibration: { type: 'offset', scale: 1, offset },
        explanation: [`mounting height: the config says ${configured} mm, measured ${rounded(measured, 1)} mm`, `distance correction: ${offset >= 0 ? '+' : ''}${offset} mm`],
      };
    }
    case 'clean-air': {
      const point = points[0];
      const cal = info.calibration;
      if (point === undefined || cal.type !== 'mq6') throw new CliError('an MQ-6 takes one point: clean air', 'Use --point clean-air.', 64);
      if (!(point.raw > 0 && point.raw < cal.supplyVolts)) {
        throw new CliError(`the sensor reads ${point.raw} V, outside 0–${cal.supplyVolts} V`, 'Check its wiring, supply and divider (source.dividerRatio).', 1);
      }
      const rs = rsFromVout(point.raw, { supplyVolts: cal.supplyVolts, loadOhms: cal.loadOhms });
      const r0 = Math.round(r0FromCleanAir(rs));
      return {
        calibration: { ...cal, r0Ohms: r0 },
        explanation: [`clean air: ${rounded(point.raw, 4)} V → Rs = ${Math.round(rs)} Ω`, `R0 = Rs / ${CLEAN_AIR_RATIO} = ${r0} Ω`],
      };
    }
  }
}

/** One line per calibration, for "before" and "after". */
export function describeCalibration(cal: CalibrationSpec | Record<string, unknown>, info: CalibrationInfo): string {
  const c = cal as CalibrationSpec;
  switch (c.type) {
    case 'two_point':
    case 'piecewise':
      return c.points.map((p) => `${p.raw} → ${p.value}`).join(', ');
    case 'resistive':
      return `resistive ${c.points.map((p) => `${p.raw} Ω → ${p.value}`).join(', ')}`;
    case 'offset':
      return info.level?.mountHeightMm !== undefined && c.scale === 1
        ? `distance ${c.offset >= 0 ? '+' : ''}${c.offset} mm (effective mounting height ${info.level.mountHeightMm - c.offset} mm)`
        : `raw × ${c.scale} ${c.offset >= 0 ? '+' : '−'} ${Math.abs(c.offset)}`;
    case 'identity':
      return info.level?.mountHeightMm !== undefined ? `raw distance (mounting height ${info.level.mountHeightMm} mm)` : 'raw value as it is';
    case 'mq6':
      return `MQ-6, R0 = ${c.r0Ohms} Ω (RL ${c.loadOhms} Ω, ${c.supplyVolts} V)`;
  }
}
