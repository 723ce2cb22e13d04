/**
 * How raw values become quantities (`calibration`) and how a level becomes litres
 * (`level`). The parsed shapes are the pipeline's CalibrationSpec and LevelSpec
 * (gateway/pipeline/specs.ts); pipeline-spec.ts checks that at compile time.
 */
import { z } from 'zod';
import { LPG_CURVE } from '../../../hardware/drivers/mq6-curve.js';
import { positiveNumber } from './primitives.js';

const point = z.strictObject({
  raw: z.number({ error: 'must be a number: the raw value (volts, mm, ohms…)' }),
  value: z.number({ error: 'must be a number: what that raw value means (percent, °C…)' }),
});

type Point = z.output<typeof point>;

/** Raw values strictly increasing or strictly decreasing: otherwise one raw value would mean two things. */
function checkMonotonicRaw(points: readonly Point[], ctx: z.RefinementCtx): void {
  if (points.length < 2) return;
  const first = points[0];
  const second = points[1];
  if (first === undefined || second === undefined) return;
  const rising = second.raw > first.raw;
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1];
    const cur = points[i];
    if (prev === undefined || cur === undefined) continue;
    const ok = rising ? cur.raw > prev.raw : cur.raw < prev.raw;
    if (!ok) {
      ctx.addIssue({
        code: 'custom',
        path: ['points', i, 'raw'],
        message: `must keep the raw values strictly ${rising ? 'increasing' : 'decreasing'} (${cur.raw} after ${prev.raw})`,
      });
      return;
    }
  }
}

const pointTable = z.array(point).min(2, { error: 'needs at least 2 points' });

export const R0_MESSAGE =
  'missing — measure it: run `easygas calibrate {sensorId}` with the sensor in clean air ' +
  '(after its 24 h burn-in) and write the R0 it prints here';

export const calibrationSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('identity') }),
    z.strictObject({
      type: z.literal('offset'),
      scale: z.number().default(1),
      offset: z.number().default(0),
    }),
    z
      .strictObject({
        type: z.literal('two_point'),
        points: z.tuple([point, point], { error: 'must be exactly 2 points: [{ raw, value }, { raw, value }]' }),
      })
      .superRefine((value, ctx) => {
        if (value.points[0].raw === value.points[1].raw) {
          ctx.addIssue({ code: 'custom', path: ['points', 1, 'raw'], message: 'must differ from the first point’s raw value' });
        }
      }),
    z
      .strictObject({ type: z.literal('piecewise'), points: pointTable })
      .superRefine((value, ctx) => checkMonotonicRaw(value.points, ctx)),
    z
      .strictObject({
        type: z.literal('resistive'),
        supplyVolts: positiveNumber,
        referenceOhms: positiveNumber,
        senderSide: z.enum(['low', 'high']).default('low'),
        points: pointTable,
      })
      .superRefine((value, ctx) => checkMonotonicRaw(value.points, ctx)),
    z
      .strictObject({
        type: z.literal('mq6'),
        supplyVolts: positiveNumber.default(5),
        loadOhms: positiveNumber.default(20_000),
        r0Ohms: z
          .number({ error: (issue) => (issue.input === undefined ? R0_MESSAGE : 'must be a resistance in ohms') })
          .positive({ error: 'must be a resistance in ohms, above 0' }),
        curve: z.strictObject({ a: positiveNumber, b: z.number() }).default({ ...LPG_CURVE }),
        gasMix: z
          .strictObject({
            propane: z.number().min(0).max(1).optional(),
            butane: z.number().min(0).max(1).optional(),
            isobutane: z.number().min(0).max(1).optional(),
          })
          .refine((mix) => (mix.propane ?? 0) + (mix.butane ?? 0) + (mix.isobutane ?? 0) > 0, {
            error: 'needs at least one gas fraction above 0, e.g. { propane: 0.6, butane: 0.4 }',
          })
          .refine((mix) => (mix.propane ?? 0) + (mix.butane ?? 0) + (mix.isobutane ?? 0) <= 1.0001, {
            error: 'fractions add up to more than 1',
          })
          .default({ propane: 0.6, butane: 0.4 }),
      }),
  ],
);

export type CalibrationConfig = z.output<typeof calibrationSchema>;

const fill = z.number().gt(0, { error: 'must be above 0' }).max(1, { error: 'must be at most 1 (a fraction: 0.8 = 80 %)' });
/** Full = this fraction of water capacity: 0.8 for LPG (filled to 80 %), 1 for water. */
const maxFillFraction = fill.default(1);
const mm = positiveNumber;

export const tankSchema = z.discriminatedUnion(
  'shape',
  [
    z.strictObject({ shape: z.literal('vertical_cylinder'), diameterMm: mm, heightMm: mm, maxFillFraction }),
    z.strictObject({ shape: z.literal('horizontal_cylinder'), diameterMm: mm, lengthMm: mm, maxFillFraction }),
    z.strictObject({ shape: z.literal('horizontal_capsule'), diameterMm: mm, lengthMm: mm, maxFillFraction }),
    z.strictObject({ shape: z.literal('rectangular'), lengthMm: mm, widthMm: mm, heightMm: mm, maxFillFraction }),
    z.strictObject({ shape: z.literal('capacity'), litres: positiveNumber, maxFillFraction }),
  ],
);

export const levelSchema = z.strictObject({
  measures: z.enum(['distance_mm', 'height_mm', 'gauge_percent'], {
    error: 'must be distance_mm (ultrasonic), height_mm or gauge_percent (a float gauge dial)',
  }),
  mountHeightMm: positiveNumber.optional(),
  blindZoneMm: z.number().min(0).optional(),
  tank: tankSchema,
});

export type LevelConfig = z.output<typeof levelSchema>;
