/**
 * A sensor's optional `filter` and `health` blocks: partial overrides of the
 * per-kind defaults that pipeline-spec.ts fills in.
 */
import { z } from 'zod';
import { duration, positiveNumber, wholeNumber } from './primitives.js';

export const filterSchema = z.strictObject({
  /** Median of the last N values; odd, 1 = off. */
  medianWindow: z
    .number()
    .refine((n) => Number.isInteger(n) && n >= 1 && n <= 99 && n % 2 === 1, {
      error: 'must be an odd whole number from 1 (off) to 99, so the median is one of the values',
    })
    .optional(),
  /** Hold back jumps faster than this until confirmed; false = off. */
  spike: z
    .union(
      [
        z.literal(false),
        z.strictObject({
          maxRatePerMinute: positiveNumber,
          confirmSamples: wholeNumber({ min: 1, max: 100 }).default(3),
        }),
      ],
      { error: 'must be { maxRatePerMinute, confirmSamples } or false' },
    )
    .optional(),
  /** Exponential moving average time constant; 0 = off. */
  emaTimeConstant: duration({ max: '1d' }).optional(),
});

export type FilterOverride = z.output<typeof filterSchema>;

export const healthSchema = z
  .strictObject({
    disconnectedAfterFaults: wholeNumber({ min: 1, max: 1000 }).optional(),
    staleAfter: duration({ min: '1s' }).optional(),
    disconnectedAfter: duration({ min: '1s' }).optional(),
    validRange: z.strictObject({ min: z.number(), max: z.number() }).optional(),
    /** 0 = never stuck. */
    stuckAfter: duration().optional(),
    stuckEpsilon: z.number().min(0).optional(),
    noisyFraction: z.number().gt(0, { error: 'must be above 0' }).max(1, { error: 'must be at most 1' }).optional(),
    noisyWindow: wholeNumber({ min: 2, max: 1000 }).optional(),
    warmup: duration({ max: '1d' }).optional(),
  })
  .superRefine((value, ctx) => {
    if (value.validRange !== undefined && !(value.validRange.min < value.validRange.max)) {
      ctx.addIssue({ code: 'custom', path: ['validRange', 'max'], message: 'must be above validRange.min' });
    }
    if (value.staleAfter !== undefined && value.disconnectedAfter !== undefined && value.disconnectedAfter < value.staleAfter) {
      ctx.addIssue({ code: 'custom', path: ['disconnectedAfter'], message: 'must not be shorter than staleAfter' });
    }
  });

export type HealthOverride = z.output<typeof healthSchema>;
