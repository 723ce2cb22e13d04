/**
 * Calibrations travel both ways: `easygas calibrate` on the gateway uploads what it
 * measured (CalibrationUpload), and the cloud hands the latest back in DeviceConfig
 * so a replaced SD card gets them again. The shape is the gateway's CalibrationSpec
 * (gateway/pipeline/specs.ts), copied here as a schema, not imported.
 */
import { Type, type Static } from 'typebox';
import { EpochMs, LOCAL_SENSOR_ID_PATTERN, Measurement } from './primitives.js';
import { formatPath, type Issue } from './issues.js';

const MAX_POINTS = 64;
const positive = Type.Number({ exclusiveMinimum: 0, maximum: 1e9 });
const fraction = Type.Number({ minimum: 0, maximum: 1 });

export const CalibrationPoint = Type.Object({ raw: Measurement, value: Measurement }, { additionalProperties: false });
export type CalibrationPoint = Static<typeof CalibrationPoint>;

const points = (minItems: number, maxItems = MAX_POINTS) => Type.Array(CalibrationPoint, { minItems, maxItems });

export const CalibrationSpec = Type.Union([
  Type.Object({ type: Type.Literal('identity') }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('offset'), scale: Measurement, offset: Measurement }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('two_point'), points: points(2, 2) }, { additionalProperties: false }),
  Type.Object({ type: Type.Literal('piecewise'), points: points(2) }, { additionalProperties: false }),
  Type.Object(
    {
      type: Type.Literal('resistive'),
      supplyVolts: positive,
      referenceOhms: positive,
      senderSide: Type.Union([Type.Literal('low'), Type.Literal('high')]),
      points: points(2),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      type: Type.Literal('mq6'),
      supplyVolts: positive,
      loadOhms: positive,
      r0Ohms: positive,
      curve: Type.Object({ a: positive, b: Measurement }, { additionalProperties: false }),
      gasMix: Type.Object(
        { propane: Type.Optional(fraction), butane: Type.Optional(fraction), isobutane: Type.Optional(fraction) },
        { additionalProperties: false },
      ),
    },
    { additionalProperties: false },
  ),
]);
export type CalibrationSpec = Static<typeof CalibrationSpec>;

export const CalibrationEntry = Type.Object(
  {
    calibration: CalibrationSpec,
    /** When the gateway measured it: the newer of two entries wins. */
    updatedAt: EpochMs,
  },
  { title: 'CalibrationEntry', additionalProperties: false },
);
export type CalibrationEntry = Static<typeof CalibrationEntry>;

export const MAX_CALIBRATIONS = 64;

/** Keyed by the gateway's sensor id. */
export const CalibrationMap = Type.Record(Type.String({ pattern: LOCAL_SENSOR_ID_PATTERN }), CalibrationEntry, {
  additionalProperties: false,
  maxProperties: MAX_CALIBRATIONS,
});
export type CalibrationMap = Static<typeof CalibrationMap>;

/** PUT /api/devices/calibrations: what `easygas calibrate` measured, one or more sensors. */
export const CalibrationUpload = Type.Object({ calibrations: CalibrationMap }, { title: 'CalibrationUpload', additionalProperties: false });
export type CalibrationUpload = Static<typeof CalibrationUpload>;

/** The rules a schema cannot state (the gateway's config schema applies the same ones). */
export function checkCalibration(spec: CalibrationSpec, path: readonly (string | number)[] = []): Issue[] {
  const issues: Issue[] = [];
  const at = (...rest: (string | number)[]): string => formatPath([...path, ...rest]);
  switch (spec.type) {
    case 'two_point': {
      const [first, second] = spec.points;
      if (first !== undefined && second !== undefined && first.raw === second.raw) {
        issues.push({ path: at('points', 1, 'raw'), message: 'must differ from the first point’s raw value' });
      }
      break;
    }
    case 'piecewise':
    case 'resistive':
      issues.push(...monotonicIssues(spec.points, at));
      break;
    case 'mq6': {
      const sum = (spec.gasMix.propane ?? 0) + (spec.gasMix.butane ?? 0) + (spec.gasMix.isobutane ?? 0);
      if (sum <= 0) issues.push({ path: at('gasMix'), message: 'needs at least one gas fraction above 0, e.g. { propane: 0.6, butane: 0.4 }' });
      if (sum > 1.0001) issues.push({ path: at('gasMix'), message: `fractions add up to ${sum}, more than 1` });
      break;
    }
    case 'identity':
    case 'offset':
      break;
  }
  return issues;
}

function monotonicIssues(list: readonly CalibrationPoint[], at: (...rest: (string | number)[]) => string): Issue[] {
  const first = list[0];
  const second = list[1];
  if (first === undefined || second === undefined) return [];
  const rising = second.raw > first.raw;
  for (let i = 1; i < list.length; i++) {
    const prev = list[i - 1];
    const cur = list[i];
    if (prev === undefined || cur === undefined) continue;
    if (cur.raw === prev.raw) {
      return [{ path: at('points', i, 'raw'), message: `must differ from the previous point's raw value (${prev.raw}): one raw value cannot mean two things` }];
    }
    if (rising ? cur.raw < prev.raw : cur.raw > prev.raw) {
      return [
        {
          path: at('points', i, 'raw'),
          message: `must keep the raw values strictly ${rising ? 'increasing' : 'decreasing'} (${cur.raw} after ${prev.raw})`,
        },
      ];
    }
  }
  return [];
}
