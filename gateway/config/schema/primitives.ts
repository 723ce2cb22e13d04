/**
 * Value types the config file shares across sections: durations, byte sizes, I2C
 * addresses, ids, GPIO lines. Each accepts what a person would write in YAML and
 * produces one plain number or string, with a message that shows an example.
 */
import { z } from 'zod';
import { bcmForHeaderPin, HEADER_PINS, isHeaderGpio } from '../../../hardware/gpio/header-pins.js';

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION_RE = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;
const DURATION_HELP = 'a duration like "250ms", "10s", "5m", "1h", "1d" or a number of milliseconds';

/** "5m" → 300000; a bare number is milliseconds; undefined when it is not a duration. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : undefined;
  const match = DURATION_RE.exec(value);
  if (match === null) return /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : undefined;
  const unit = DURATION_UNITS[match[2] ?? ''];
  return unit === undefined ? undefined : Number(match[1]) * unit;
}

/** 300000 → "5m": the largest unit that divides evenly, for messages. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = DURATION_UNITS[unit] ?? 1;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

export interface DurationBounds {
  readonly min?: string | number;
  readonly max?: string | number;
}

function boundMs(bound: string | number | undefined): number | undefined {
  if (bound === undefined) return undefined;
  const ms = parseDuration(bound);
  if (ms === undefined) throw new RangeError(`bad duration bound ${String(bound)}`);
  return ms;
}

/** A duration in the file ("10s" or 10000), milliseconds after parsing. */
export function duration(bounds: DurationBounds = {}) {
  const min = boundMs(bounds.min);
  const max = boundMs(bounds.max);
  return z.union([z.number(), z.string()], { error: `must be ${DURATION_HELP}` }).transform((value, ctx) => {
    const ms = parseDuration(value);
    if (ms === undefined) {
      ctx.addIssue({ code: 'custom', message: `must be ${DURATION_HELP}, not ${JSON.stringify(value)}` });
      return z.NEVER;
    }
    if (min !== undefined && ms < min) {
      ctx.addIssue({ code: 'custom', message: `must be at least ${formatDuration(min)}` });
      return z.NEVER;
    }
    if (max !== undefined && ms > max) {
      ctx.addIssue({ code: 'custom', message: `must be at most ${formatDuration(max)}` });
      return z.NEVER;
    }
    return ms;
  });
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};
const SIZE_RE = /^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b|b)?\s*$/i;

/** "200MB" → 200000000 (KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024); a number is bytes. */
export function parseByteSize(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const match = SIZE_RE.exec(value);
  if (match === null) return undefined;
  const unit = SIZE_UNITS[(match[2] ?? 'b').toLowerCase()];
  return unit === undefined ? undefined : Math.round(Number(match[1]) * unit);
}

export function byteSize(minBytes: number) {
  return z.union([z.number(), z.string()], { error: 'must be a size like "200MB", "1GiB" or a number of bytes' }).transform(
    (value, ctx) => {
      const bytes = parseByteSize(value);
      if (bytes === undefined) {
        ctx.addIssue({ code: 'custom', message: `must be a size like "200MB", "1GiB" or a number of bytes, not ${JSON.stringify(value)}` });
        return z.NEVER;
      }
      if (bytes < minBytes) {
        ctx.addIssue({ code: 'custom', message: `must be at least ${minBytes} bytes` });
        return z.NEVER;
      }
      return bytes;
    },
  );
}

export const I2C_ADDRESS_MIN = 0x03;
export const I2C_ADDRESS_MAX = 0x77;

export function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/**
 * A 7-bit I2C address. YAML 1.2 reads `0x48` as 72 already; the string "0x48"
 * (quoted, or from an environment variable) is accepted too.
 */
export const i2cAddress = z
  .union([z.number(), z.string()], { error: 'must be an I2C address such as 0x48' })
  .transform((value, ctx) => {
    const n = typeof value === 'number' ? value : /^\s*0x[0-9a-f]+\s*$/i.test(value) ? Number.parseInt(value, 16) : Number.NaN;
    if (!Number.isInteger(n) || n < I2C_ADDRESS_MIN || n > I2C_ADDRESS_MAX) {
      ctx.addIssue({
        code: 'custom',
        message: `must be an I2C address from ${hex(I2C_ADDRESS_MIN)} to ${hex(I2C_ADDRESS_MAX)} (an ADS1115 answers at 0x48–0x4b), not ${
          typeof value === 'number' && Number.isInteger(value) && value >= 0 ? hex(value) : JSON.stringify(value)
        }`,
      });
      return z.NEVER;
    }
    return n;
  });

/** Sensor ids and MQTT node ids: they end up in topics, file names and environment variables. */
export const SLUG_RE = /^[a-z0-9][a-z0-9_-]*$/;
export const slug = z
  .string({ error: 'must be a text id such as "lpg" or "roof-tank"' })
  .max(64, { error: 'must be at most 64 characters' })
  .regex(SLUG_RE, { error: 'must be lowercase letters, digits, "-" and "_", starting with a letter or digit (e.g. "roof-tank")' });

export const nonEmptyText = z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' });

export const positiveNumber = z.number().positive({ error: 'must be a number above 0' });

export interface WholeNumberOptions {
  readonly min?: number;
  readonly max?: number;
  /** Replaces the generated message ("must be a whole number from 1 to 65535"). */
  readonly message?: string;
}

/**
 * An integer within bounds, with one message for every way to miss. Not zod's
 * `.int()`: its failure aborts the whole parse, which would stop the cross-field
 * checks from reporting their problems in the same run (see sound-parts.ts).
 */
export function wholeNumber(options: WholeNumberOptions = {}) {
  const { min, max } = options;
  const range =
    min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? `, ${min} or more` : max !== undefined ? `, at most ${max}` : '';
  const message = options.message ?? `must be a whole number${range}`;
  return z.number().superRefine((n, ctx) => {
    if (!Number.isInteger(n) || (min !== undefined && n < min) || (max !== undefined && n > max)) {
      ctx.addIssue({ code: 'custom', message });
    }
  });
}

export const port = wholeNumber({ min: 1, max: 65535, message: 'must be a TCP port from 1 to 65535' });

export const absolutePath = z.string({ error: 'must be a path' }).regex(/^\//, { error: 'must be an absolute path (starting with /)' });

const GPIO_PINS = HEADER_PINS.filter((p) => p.kind === 'gpio').map((p) => p.pin);

/** BCM line fields shared by contacts and outputs; exactly one of gpio or headerPin. */
export const lineFields = {
  gpio: z
    .number()
    .refine(isHeaderGpio, { error: 'must be a BCM GPIO number on the header, 0–27 (GPIO17 is header pin 11)' })
    .optional(),
  headerPin: z
    .number()
    .refine((pin) => bcmForHeaderPin(pin) !== undefined, {
      error: `must be a header pin that is a GPIO: ${GPIO_PINS.join(', ')} (the others are power or ground)`,
    })
    .optional(),
  activeLow: z.boolean().default(false),
};

export interface LineChoice {
  readonly gpio?: number | undefined;
  readonly headerPin?: number | undefined;
}

/** Adds "give exactly one of gpio or headerPin" to a line's check. */
export function checkOneLine(value: LineChoice, ctx: z.RefinementCtx): void {
  if (value.gpio === undefined && value.headerPin === undefined) {
    ctx.addIssue({ code: 'custom', path: ['gpio'], message: 'missing — give the BCM number (gpio: 17) or the header pin (headerPin: 11)' });
  } else if (value.gpio !== undefined && value.headerPin !== undefined && bcmForHeaderPin(value.headerPin) !== value.gpio) {
    ctx.addIssue({
      code: 'custom',
      path: ['headerPin'],
      message: `pin ${value.headerPin} is GPIO${String(bcmForHeaderPin(value.headerPin))}, not GPIO${value.gpio}: give only one of gpio or headerPin`,
    });
  }
}

/** The BCM line either field names (after checkOneLine passed). */
export function resolveLine(value: LineChoice): number {
  if (value.gpio !== undefined) return value.gpio;
  const bcm = value.headerPin === undefined ? undefined : bcmForHeaderPin(value.headerPin);
  if (bcm === undefined) throw new RangeError('resolveLine: neither gpio nor a GPIO header pin');
  return bcm;
}
