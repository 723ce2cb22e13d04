/**
 * Sample sources over the hardware drivers: the only place where a driver's
 * result shape meets the pipeline's RawSample vocabulary.
 */
import type { Ads1115, Ads1115ReadOptions } from '../../hardware/drivers/ads1115.js';
import type { Ds18b20Sensor } from '../../hardware/drivers/ds18b20.js';
import type { LeakContact } from '../../hardware/drivers/leak-contact.js';
import type { Mq6Sensor } from '../../hardware/drivers/mq6.js';
import type { UltrasonicSensor } from '../../hardware/drivers/ultrasonic.js';
import { fromResult, type SampleSource, type SourceReading } from './sample-source.js';

/** An ADC channel in volts (a dial sender, a resistive sender's divider). */
export function adcSource(sensorId: string, adc: Ads1115, options: Ads1115ReadOptions): SampleSource {
  return {
    sensorId,
    where: `${adc.where} ${options.input}`,
    read: async () => fromResult(await adc.readSingleShot(options), (s) => ({ value: s.volts })),
    close: () => Promise.resolve(),
  };
}

/**
 * An MQ-6 sniffer: the sensor's own output volts (divider undone), flagged while warming
 * up, and flagged as a lower bound when the gas is above what the circuit can measure.
 */
export function mq6Source(sensorId: string, mq6: Mq6Sensor, where: string): SampleSource {
  return {
    sensorId,
    where,
    read: async () =>
      fromResult(await mq6.read(), (r) => ({
        value: r.sensorVolts,
        ...(r.warmingUp ? { warmingUp: true } : {}),
        ...(r.aboveRange ? { overRange: true } : {}),
      })),
    close: () => Promise.resolve(),
  };
}

/** An ultrasonic level sensor: distance from its face to the surface, in mm. */
export function ultrasonicSource(sensorId: string, sensor: UltrasonicSensor): SampleSource {
  return {
    sensorId,
    where: sensor.path,
    read: async () => fromResult(await sensor.read(), (r) => ({ value: r.distanceMm })),
    close: () => sensor.close(),
  };
}

/** A leak contact: 1 = wet, 0 = dry; also pushes every debounced change at once. */
export function leakSource(sensorId: string, contact: LeakContact, where: string): SampleSource {
  return {
    sensorId,
    where,
    read: async () => fromResult(await contact.read(), (r) => ({ value: r.wet ? 1 : 0 })),
    subscribe: (listener: (reading: SourceReading) => void) => contact.onChange((wet) => listener({ value: wet ? 1 : 0 })),
    close: () => contact.close(),
  };
}

/** A DS18B20 on 1-Wire, in °C. */
export function ds18b20Source(sensorId: string, sensor: Ds18b20Sensor, where: string): SampleSource {
  return {
    sensorId,
    where,
    read: async () => fromResult(await sensor.read(), (r) => ({ value: r.celsius })),
    close: () => Promise.resolve(),
  };
}
