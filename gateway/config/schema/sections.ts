/**
 * The small top-level sections of gateway.yaml. Every field has a default, so a
 * file that says only `version: 1` and its sensors is complete.
 */
import { z } from 'zod';
import { DEFAULT_W1_ROOT } from '../../../hardware/drivers/ds18b20.js';
import { evenWhenPartsFail, partsOf } from './sound-parts.js';
import { absolutePath, byteSize, checkOneLine, duration, lineFields, nonEmptyText, port, resolveLine, wholeNumber } from './primitives.js';

export const gatewaySection = z.strictObject({
  name: nonEmptyText.default('EasyGas gateway'),
  /** Left out: generated on first start and kept in the data dir. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'must be 1–64 letters, digits, "-" or "_"' })
    .optional(),
  dataDir: absolutePath.default('/var/lib/easygas'),
});

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;

export const logSection = z.strictObject({
  level: z.enum(LOG_LEVELS).default('info'),
  /** auto = pretty on a terminal, JSON for journald. */
  pretty: z.union([z.literal('auto'), z.boolean()], { error: 'must be auto, true or false' }).default('auto'),
});

export const storeSection = z.strictObject({
  batchInterval: duration({ min: '10ms', max: '1m' }).prefault('1s'),
  batchMaxRows: wholeNumber({ min: 1, max: 100_000 }).default(500),
  maxSize: byteSize(1e6).prefault('200MB'),
  downsampleBucket: duration({ min: '1s', max: '1d' }).prefault('5m'),
});

export const hardwareSection = z.strictObject({
  /** /dev/i2c-<n>; 1 on every 40-pin Pi. */
  i2cBus: wholeNumber({ min: 0, max: 255, message: 'must be an I2C bus number, e.g. 1 for /dev/i2c-1' }).default(1),
  gpioSysfsRoot: absolutePath.default('/sys/class/gpio'),
  w1Root: absolutePath.default(DEFAULT_W1_ROOT),
});

const line = z
  .strictObject({ ...lineFields })
  .superRefine(checkOneLine)
  .transform((value) => ({ ...value, gpio: resolveLine(value) }));

const button = z
  .strictObject({ ...lineFields, debounce: duration({ max: '1s' }).prefault('50ms') })
  .superRefine(checkOneLine)
  .transform((value) => ({ ...value, gpio: resolveLine(value) }));

export const outputsSection = z.strictObject({
  buzzer: line.optional(),
  ledGreen: line.optional(),
  ledRed: line.optional(),
  hushButton: button.optional(),
});

export const OUTPUT_NAMES = ['buzzer', 'ledGreen', 'ledRed', 'hushButton'] as const;

export const alarmsSection = z.strictObject({
  /** Residential alarms silence for 4–10 minutes, then sound again if the condition persists. */
  hush: duration({ min: '1m', max: '10m' }).prefault('5m'),
  testDuration: duration({ min: '1s', max: '1m' }).prefault('5s'),
});

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

export const cloudSection = z
  .strictObject({
    /** Where `easygas provision` claims when --cloud is not given; sync uses the URL the gateway was provisioned against. */
    url: httpUrl.optional(),
    /** Unset: sync once provisioned. false: nothing leaves the Pi, provisioned or not. true: also a doctor failure when not provisioned. */
    enabled: z.boolean().optional(),
    batchMaxRecords: wholeNumber({ min: 1, max: 10_000 }).default(500),
    /** JSON bytes per upload before gzip (the cloud refuses bodies past its limit with 413). */
    batchMaxBytes: byteSize(1024).prefault('256KiB'),
    heartbeat: duration({ min: '5s', max: '1h' }).prefault('60s'),
    /** The longest wait between retries (exponential backoff with full jitter up to it). */
    retryMax: duration({ min: '1s', max: '1h' }).prefault('60s'),
    /** Giving up on a TCP/TLS handshake. */
    connectTimeout: duration({ min: '500ms', max: '5m' }).prefault('10s'),
    /** Giving up on a whole request, answer included. */
    requestTimeout: duration({ min: '1s', max: '10m' }).prefault('30s'),
  });

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

export function isLoopback(host: string): boolean {
  return LOOPBACK.test(host);
}

export const apiSection = z
  .strictObject({
    host: nonEmptyText.default('127.0.0.1'),
    port: port.default(8470),
    password: z.string().min(8, { error: 'must be at least 8 characters' }).optional(),
  })
  .superRefine((value, ctx) => {
    const parts = partsOf(ctx);
    if (parts.sound('host') && parts.sound('password') && !isLoopback(value.host) && value.password === undefined) {
      parts.issue(
        ['password'],
        `missing — the control API listens on ${value.host}, beyond this Pi: set a password, or host: 127.0.0.1`,
      );
    }
  }, evenWhenPartsFail);
