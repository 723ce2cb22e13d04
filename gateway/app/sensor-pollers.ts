/**
 * Turns the config's sensors into sample sources over real drivers and groups
 * them into one poller per bus: each I2C bus, each serial port, the GPIO
 * contacts, the 1-Wire sensors. Devices are opened lazily and reopened when they
 * vanish, so a missing bus shows as a disconnected sensor with its fix instead of
 * stopping the daemon. Wi-Fi nodes (driver: mqtt) push their own samples.
 */
import { Ads1115 } from '../../hardware/drivers/ads1115.js';
import { Ds18b20Sensor } from '../../hardware/drivers/ds18b20.js';
import { LeakContact } from '../../hardware/drivers/leak-contact.js';
import { Mq6Sensor } from '../../hardware/drivers/mq6.js';
import { UltrasonicSensor } from '../../hardware/drivers/ultrasonic.js';
import { hex } from '../../hardware/io-error.js';
import type { I2cBus } from '../../hardware/ports/i2c.js';
import type { GatewayConfig } from '../config/schema.js';
import type { AppLogger } from '../logging.js';
import type { SensorConfig } from '../config/schema/sensors.js';
import type { RawSample } from '../pipeline/types.js';
import { BusPoller, type PolledSensor } from '../sampling/bus-poller.js';
import { adcSource, ds18b20Source, leakSource, mq6Source, ultrasonicSource } from '../sampling/driver-sources.js';
import { reopeningSource } from '../sampling/reopening-source.js';
import type { SampleSource } from '../sampling/sample-source.js';
import type { HardwareKit } from './hardware-kit.js';

export interface SensorPollers {
  readonly pollers: readonly BusPoller[];
  /** Stops every poller and closes every device and bus. */
  close(): Promise<void>;
}

export interface SensorPollerOptions {
  readonly config: GatewayConfig;
  readonly kit: HardwareKit;
  readonly onSample: (sample: RawSample) => void;
  readonly clockSynced: () => boolean;
  readonly logger: AppLogger;
}

/** A read that takes longer is a timeout; a DS18B20 conversion alone takes 750 ms. */
const POLL_TIMEOUT_MS = { ads1115: 1_000, mq6: 1_000, ultrasonic: 3_000, contact: 1_000, ds18b20: 3_000 } as const;

export function buildSensorPollers(options: SensorPollerOptions): SensorPollers {
  const { config, kit, logger } = options;
  const { clock } = kit;
  const buses = new Map<number, Promise<I2cBus>>();
  const adcs = new Map<string, Ads1115>();
  const groups = new Map<string, PolledSensor[]>();
  const sources: SampleSource[] = [];

  const busFor = (n: number): Promise<I2cBus> => {
    let bus = buses.get(n);
    if (bus === undefined) {
      bus = kit.openI2cBus(n);
      // A failed open is retried by the next read, not cached.
      bus.catch(() => buses.delete(n));
      buses.set(n, bus);
    }
    return bus;
  };
  const adcFor = (bus: I2cBus, address: number): Ads1115 => {
    const key = `${bus.device}:${address}`;
    let adc = adcs.get(key);
    if (adc === undefined) {
      adc = new Ads1115({ bus, address, clock });
      adcs.set(key, adc);
    }
    return adc;
  };

  const add = (group: string, sensor: SensorConfig, timeoutMs: number, where: string, open: () => Promise<SampleSource>, reopenOn: readonly ('closed' | 'io')[] = []): void => {
    const source = reopeningSource({ sensorId: sensor.id, where, open, clock, logger: logger.child({ sensor: sensor.id }), reopenOn });
    sources.push(source);
    const list = groups.get(group) ?? [];
    list.push({ source, intervalMs: sensor.interval, timeoutMs });
    groups.set(group, list);
  };

  for (const sensor of config.sensors) {
    const { source } = sensor;
    switch (source.driver) {
      case 'ads1115':
      case 'mq6': {
        const n = source.bus ?? config.hardware.i2cBus;
        const where = `/dev/i2c-${n} address ${hex(source.address)} ${source.input}`;
        add(`/dev/i2c-${n}`, sensor, POLL_TIMEOUT_MS[source.driver], where, async () => {
          const adc = adcFor(await busFor(n), source.address);
          const read = { input: source.input, fullScale: source.fullScale, dataRate: source.dataRate };
          if (source.driver === 'ads1115') return adcSource(sensor.id, adc, read);
          const cal = sensor.calibration;
          if (cal.type !== 'mq6') throw new Error(`${sensor.id}: an MQ-6 needs an mq6 calibration`);
          const mq6 = new Mq6Sensor({
            adc,
            ...read,
            supplyVolts: cal.supplyVolts,
            loadOhms: cal.loadOhms,
            dividerRatio: source.dividerRatio,
            r0Ohms: cal.r0Ohms,
            curve: cal.curve,
            gasMix: cal.gasMix,
            warmupMs: source.warmup,
            clock,
            poweredOnAt: kit.sensorsPoweredAt,
          });
          return mq6Source(sensor.id, mq6, where);
        });
        break;
      }
      case 'ultrasonic':
        add(
          source.port,
          sensor,
          POLL_TIMEOUT_MS.ultrasonic,
          source.port,
          async () => {
            const port = await kit.openSerial({ path: source.port, baudRate: source.baudRate });
            return ultrasonicSource(sensor.id, new UltrasonicSensor({ port, model: source.model, mode: source.mode, clock, logger }));
          },
          ['closed', 'io'],
        );
        break;
      case 'contact': {
        const where = `GPIO${source.gpio}`;
        add('gpio', sensor, POLL_TIMEOUT_MS.contact, where, async () => {
          const input = await kit.gpio.openInput(source.gpio, { activeLow: source.activeLow });
          return leakSource(sensor.id, new LeakContact(input, { clock, debounceMs: source.debounce, logger }), where);
        });
        break;
      }
      case 'ds18b20': {
        const where = `1-Wire ${source.id}`;
        add('1-wire', sensor, POLL_TIMEOUT_MS.ds18b20, where, () =>
          Promise.resolve(ds18b20Source(sensor.id, new Ds18b20Sensor(source.id, { w1Root: kit.w1Root }), where)),
        );
        break;
      }
      case 'mqtt':
        break; // Wi-Fi nodes publish; the MQTT side feeds the hub directly.
    }
  }

  const pollers = [...groups].map(
    ([name, sensors]) =>
      new BusPoller({
        name,
        clock,
        sensors,
        onSample: options.onSample,
        clockSynced: options.clockSynced,
        logger: logger.child({ bus: name }),
      }),
  );

  return {
    pollers,
    async close() {
      await Promise.all(pollers.map((p) => p.stop()));
      await Promise.allSettled(sources.map((s) => s.close()));
      const opened = await Promise.allSettled([...buses.values()]);
      await Promise.allSettled(opened.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close()] : [])));
    },
  };
}
