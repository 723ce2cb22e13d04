/**
 * Where a sensor's raw values come from: one `source` block per sensor, chosen by
 * `driver`. The fields mirror the drivers' options in hardware/drivers.
 */
import { z } from 'zod';
import { ADS1115_INPUTS, DATA_RATES, FULL_SCALES } from '../../../hardware/drivers/ads1115-registers.js';
import { ULTRASONIC_MODELS } from '../../../hardware/drivers/ultrasonic-frame.js';
import type { SensorKind } from '../../pipeline/types.js';
import { checkOneLine, duration, i2cAddress, lineFields, resolveLine, slug, wholeNumber } from './primitives.js';

export const ADS1115_ADDRESS_DEFAULT = 0x48;

const adcFields = {
  /** I2C bus number; default: hardware.i2cBus. */
  bus: wholeNumber({ min: 0, max: 255, message: 'must be an I2C bus number, e.g. 1 for /dev/i2c-1' }).optional(),
  address: i2cAddress.default(ADS1115_ADDRESS_DEFAULT),
  input: z.enum(ADS1115_INPUTS),
  fullScale: z.literal(FULL_SCALES, { error: `must be a full-scale range in volts: ${FULL_SCALES.join(', ')}` }).default(4.096),
  dataRate: z.literal(DATA_RATES, { error: `must be a data rate in samples per second: ${DATA_RATES.join(', ')}` }).default(128),
};

export const ads1115Source = z.strictObject({ driver: z.literal('ads1115'), ...adcFields });

export const mq6Source = z.strictObject({
  driver: z.literal('mq6'),
  ...adcFields,
  /** Sensor volts = ADC volts × dividerRatio (1.5 for a 2:3 divider from 5 V to 3.3 V). */
  dividerRatio: z.number().min(1, { error: 'must be 1 or more: sensor volts = ADC volts × dividerRatio' }).default(1),
  warmup: duration({ max: '1d' }).prefault('3m'),
});

const ULTRASONIC_MODEL_NAMES = Object.keys(ULTRASONIC_MODELS) as (keyof typeof ULTRASONIC_MODELS)[];

export const ultrasonicSource = z
  .strictObject({
    driver: z.literal('ultrasonic'),
    port: z.string({ error: 'must be a serial device such as /dev/serial0' }).regex(/^\/dev\//, {
      error: 'must be a serial device such as /dev/serial0 or /dev/ttyUSB0',
    }),
    baudRate: wholeNumber({ min: 1200, max: 4_000_000, message: 'must be a baud rate such as 9600' }).default(9600),
    model: z.enum(ULTRASONIC_MODEL_NAMES),
    mode: z.enum(['streaming', 'triggered']).default('streaming'),
  })
  .superRefine((value, ctx) => {
    const modes: readonly string[] = ULTRASONIC_MODELS[value.model].modes;
    if (!modes.includes(value.mode)) {
      ctx.addIssue({
        code: 'custom',
        path: ['mode'],
        message: `the ${value.model} only streams; triggered mode is for the JSN-SR04T (mode 3)`,
      });
    }
  });

export const contactSource = z
  .strictObject({
    driver: z.literal('contact'),
    ...lineFields,
    debounce: duration({ max: '1m' }).prefault('200ms'),
  })
  .superRefine(checkOneLine)
  .transform((value) => ({ ...value, gpio: resolveLine(value) }));

export const DS18B20_ID_RE = /^28-[0-9a-f]{12}$/;

export const ds18b20Source = z.strictObject({
  driver: z.literal('ds18b20'),
  id: z.string().regex(DS18B20_ID_RE, {
    error: 'must be a DS18B20 id such as 28-0316a2794cff (ls /sys/bus/w1/devices)',
  }),
});

export const mqttSource = z.strictObject({
  driver: z.literal('mqtt'),
  /** The Wi-Fi sensor node's id, as it publishes it. */
  node: slug,
  /** The node's unit, when it has more than one sensor. */
  unit: slug.optional(),
});

export const sourceSchema = z.discriminatedUnion(
  'driver',
  [ads1115Source, mq6Source, ultrasonicSource, contactSource, ds18b20Source, mqttSource],
);

export type SourceConfig = z.output<typeof sourceSchema>;
export type SourceInput = z.input<typeof sourceSchema>;
export type Driver = SourceConfig['driver'];
export const DRIVERS: readonly Driver[] = ['ads1115', 'mq6', 'ultrasonic', 'contact', 'ds18b20', 'mqtt'];

/** Which drivers can feed which kind of sensor. */
export const DRIVERS_FOR_KIND: Readonly<Record<SensorKind, readonly Driver[]>> = {
  level: ['ads1115', 'ultrasonic', 'mqtt'],
  gas: ['mq6', 'mqtt'],
  leak: ['contact', 'mqtt'],
  temperature: ['ds18b20', 'ads1115', 'mqtt'],
};

/** Drivers whose devices sit on the I2C bus (they claim GPIO2/3). */
export function usesI2c(source: SourceConfig): source is Extract<SourceConfig, { driver: 'ads1115' | 'mq6' }> {
  return source.driver === 'ads1115' || source.driver === 'mq6';
}
