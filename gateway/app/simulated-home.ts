/**
 * The simulated home behind `--simulate`: every sensor in the config gets a
 * chip- or frame-level emulator fed by a physical model — the LPG cylinder's
 * float gauge and the MQ-6 on ADS1115 emulators, the water tank's surface under
 * an A02YYUW/JSN-SR04T emulator on an in-memory serial pair, the leak contact and
 * hush button on simulated GPIO, DS18B20 files in a temp dir. The daemon drives
 * them through the very same drivers as on a Pi.
 */
import type { Clock, TimerHandle } from '../../hardware/clock.js';
import type { Logger } from '../../hardware/logger.js';
import type { I2cBus } from '../../hardware/ports/i2c.js';
import type { SerialStream } from '../../hardware/ports/serial.js';
import { HardwareError } from '../../hardware/fault.js';
import { Ads1115Sim, pinsFrom } from '../../hardware/sim/ads1115-sim.js';
import { Mq6Model } from '../../hardware/sim/mq6-model.js';
import { seededRandom } from '../../hardware/sim/random.js';
import { createSerialPair } from '../../hardware/sim/serial-pair.js';
import { createSimI2cBus, type SimI2cBackend } from '../../hardware/sim/sim-i2c-bus.js';
import { SimGpio } from '../../hardware/sim/sim-gpio.js';
import { UltrasonicSim, type UltrasonicFaultRates } from '../../hardware/sim/ultrasonic-sim.js';
import { W1Sim } from '../../hardware/sim/w1-sim.js';
import { DIY_R3D_MAPPING, FloatGaugeSender, type FloatGaugeMapping } from '../../hardware/sim/world/float-gauge.js';
import { createHomeWorld, type HomeWorld } from '../../hardware/sim/world/home-scenario.js';
import type { GatewayConfig } from '../config/schema.js';
import type { SensorConfig } from '../config/schema/sensors.js';
import { invertTwoPoint } from '../pipeline/calibration.js';
import type { DemoScenario } from './demo-scenarios.js';
import type { HardwareKit, PressableButton } from './hardware-kit.js';

export interface SimulatedHomeOptions {
  readonly config: GatewayConfig;
  readonly clock: Clock;
  readonly scenario: DemoScenario;
  readonly logger: Logger;
  readonly seed?: number;
  readonly utcOffsetMinutes?: number;
  /** Monotonic ms when the sensors were powered; default an hour before start (warm). */
  readonly sensorsPoweredAt?: number;
  /** Speed of the clock relative to real time: the emulators keep their byte rate sane with it. */
  readonly speed?: number;
  /** Line faults of the ultrasonic emulators; default a few percent of spikes, dropouts and bad frames. */
  readonly ultrasonicFaults?: UltrasonicFaultRates;
}

export interface SimulatedHome extends HardwareKit {
  readonly world: HomeWorld;
  readonly simGpio: SimGpio;
  /** The hush/test button, when the config has one. */
  readonly hushButton?: PressableButton;
  /** Pull the plug on every sensor of a driver (the sensor-fault scenario, tests). */
  unplug(driver: 'ultrasonic' | 'ads1115'): void;
  /** Plug them back in: the daemon's next reopen finds them. */
  replug(driver: 'ultrasonic' | 'ads1115'): void;
}

type I2cSensor = SensorConfig & { source: { driver: 'ads1115' | 'mq6' } };

export async function createSimulatedHome(options: SimulatedHomeOptions): Promise<SimulatedHome> {
  const { config, clock, scenario, logger, seed = 1, speed = 1 } = options;
  const startMs = clock.now();
  const sensorsPoweredAt = options.sensorsPoweredAt ?? clock.monotonic() - 3_600_000;
  const utcOffsetMinutes = options.utcOffsetMinutes ?? -new Date(startMs).getTimezoneOffset();
  const ultrasonicSensor = config.sensors.find((s) => s.source.driver === 'ultrasonic');
  const tank = ultrasonicSensor?.level?.tank;
  const world = createHomeWorld({
    seed,
    startMs,
    utcOffsetMinutes,
    overrides: {
      ...scenario.world,
      waterTank: {
        ...scenario.world.waterTank,
        ...(tank?.shape === 'vertical_cylinder' ? { diameterMm: tank.diameterMm, heightMm: tank.heightMm } : {}),
      },
    },
  });
  const advance = (): number => {
    const now = clock.now();
    world.advanceTo(now);
    return now;
  };

  // --- I2C: one ADS1115 emulator per (bus, address), pins fed by the world ---------
  const buses = new Map<number, { bus: I2cBus; backend: SimI2cBackend }>();
  const pinsByChip = new Map<string, Partial<Record<0 | 1 | 2 | 3, (nowMs: number) => number>>>();
  const chips: { readonly backend: SimI2cBackend; readonly address: number; readonly chip: Ads1115Sim }[] = [];
  const i2cSensors = config.sensors.filter((s): s is I2cSensor => s.source.driver === 'ads1115' || s.source.driver === 'mq6');
  let gaugeIndex = 0;
  for (const sensor of i2cSensors) {
    const busNumber = sensor.source.bus ?? config.hardware.i2cBus;
    const key = `${busNumber}:${sensor.source.address}`;
    const pins = pinsByChip.get(key) ?? {};
    pinsByChip.set(key, pins);
    const pin = singleEndedPin(sensor.source.input);
    if (pin === undefined) {
      logger.warn({ sensor: sensor.id }, 'the simulator feeds single-ended inputs only; this differential input reads 0 V');
      continue;
    }
    pins[pin] = signalFor(sensor, gaugeIndex++ === 0 ? world : undefined);
  }
  for (const [key, pins] of pinsByChip) {
    const [busText, addressText] = key.split(':');
    const busNumber = Number(busText);
    let entry = buses.get(busNumber);
    if (entry === undefined) {
      entry = createSimI2cBus(`sim:/dev/i2c-${busNumber}`);
      buses.set(busNumber, entry);
    }
    const address = Number(addressText);
    const chip = new Ads1115Sim({ clock, pins: pinsFrom(pins) });
    chips.push({ backend: entry.backend, address, chip });
    entry.backend.attach(address, chip);
  }

  function signalFor(sensor: I2cSensor, homeWorld: HomeWorld | undefined): (nowMs: number) => number {
    if (sensor.source.driver === 'mq6') {
      const cal = sensor.calibration;
      const model = new Mq6Model({
        ppm: () => world.gasLeak.ppmAt(advance()),
        r0Ohms: cal.type === 'mq6' ? cal.r0Ohms : 10_000,
        ...(cal.type === 'mq6' ? { supplyVolts: cal.supplyVolts, loadOhms: cal.loadOhms, curve: cal.curve } : {}),
        dividerRatio: sensor.source.dividerRatio,
        poweredOnAt: sensorsPoweredAt,
      });
      return (nowMs) => model.adcVolts(nowMs);
    }
    if (sensor.kind === 'level') {
      // The cylinder the story tells about feeds the first gauge; others get their own quiet copy.
      const gauge = new FloatGaugeSender({ ...gaugeMappingFor(sensor), nonLinearity: 0, seed });
      const cylinder = homeWorld?.lpgCylinder ?? world.lpgCylinder;
      return () => gauge.voltsAt(cylinder.fillFractionAt(advance()), clock.now());
    }
    // Any other analog sensor: mid-scale, steady.
    return () => 1.0;
  }

  // --- Serial: each ultrasonic sensor on its own in-memory pair ----------------------
  // Every open makes a fresh pair and emulator, as replugging a USB adapter does.
  interface SerialDevice {
    readonly sensor: SensorConfig & { source: { driver: 'ultrasonic' } };
    plugged: boolean;
    current?: { readonly pair: ReturnType<typeof createSerialPair>; readonly emulator: UltrasonicSim };
  }
  const serialDevices = new Map<string, SerialDevice>();
  for (const sensor of config.sensors) {
    if (sensor.source.driver !== 'ultrasonic') continue;
    serialDevices.set(sensor.source.port, { sensor: sensor as SerialDevice['sensor'], plugged: true });
  }
  const openSimSerial = async (path: string): Promise<SerialStream> => {
    const device = serialDevices.get(path);
    if (device === undefined || !device.plugged) throw missing(path);
    if (device.current !== undefined) await device.current.emulator.stop();
    const { source, level } = device.sensor;
    const pair = createSerialPair(source.port, `sim:${source.port}`);
    const mount = level?.mountHeightMm ?? 1_250;
    const emulator = new UltrasonicSim({
      port: pair[1],
      model: source.model,
      mode: source.mode,
      clock,
      distanceMm: () => world.waterTank.distanceAt(mount, advance()),
      // Real sensors send every 100 ms; a fast-forwarded one needs no more bytes per real second.
      periodMs: 100 * Math.max(1, speed / 10),
      random: seededRandom(seed + 7),
      faults: options.ultrasonicFaults ?? { spikeRate: 0.02, dropoutRate: 0.01, checksumRate: 0.01 },
    });
    device.current = { pair, emulator };
    if (running) emulator.start();
    return pair[0];
  };

  // --- GPIO: leak contacts follow the story; the hush button is pressable -------
  const simGpio = new SimGpio(clock);
  const timers: TimerHandle[] = [];
  let running = false;
  const contacts = config.sensors.filter((s) => s.source.driver === 'contact');
  const physical = (wet: boolean, activeLow: boolean): 0 | 1 => (wet !== activeLow ? 1 : 0);
  for (const sensor of contacts) {
    if (sensor.source.driver !== 'contact') continue;
    simGpio.setInput(sensor.source.gpio, physical(false, sensor.source.activeLow));
  }
  const followLeak = (line: number, activeLow: boolean): void => {
    const now = clock.now();
    simGpio.setInput(line, physical(world.underSinkLeak.wetAt(now), activeLow));
    const next = world.underSinkLeak.nextChangeAfter(now);
    if (next === null || !running) return;
    timers.push(clock.setTimeout(() => followLeak(line, activeLow), Math.max(1, next - now)));
  };

  let hushButton: PressableButton | undefined;
  const button = config.outputs.hushButton;
  if (button !== undefined) {
    const released = button.activeLow ? 1 : 0;
    simGpio.setInput(button.gpio, released);
    hushButton = {
      press() {
        simGpio.setInput(button.gpio, released === 1 ? 0 : 1);
        // A finger stays on the button for a moment longer than any debounce.
        timers.push(clock.setTimeout(() => simGpio.setInput(button.gpio, released), 300));
      },
    };
  }

  // --- 1-Wire: DS18B20 files in a temp dir ------------------------------------------
  const ds18b20s = config.sensors.filter((s) => s.source.driver === 'ds18b20');
  const w1 = ds18b20s.length > 0 ? await W1Sim.inTempDir() : undefined;
  let stopW1: (() => void) | undefined;
  for (const sensor of ds18b20s) {
    if (sensor.source.driver !== 'ds18b20' || w1 === undefined) continue;
    // A cupboard: 18 °C at night, 24 °C in the afternoon.
    await w1.addSensor(sensor.source.id, () => 21 - 3 * Math.cos((2 * Math.PI * (clock.now() / 3_600_000 - 3)) / 24));
  }

  const unplug = (driver: 'ultrasonic' | 'ads1115'): void => {
    logger.warn({ driver }, `simulation: unplugging every ${driver}`);
    if (driver === 'ultrasonic') {
      for (const device of serialDevices.values()) {
        device.plugged = false;
        device.current?.pair[1].disconnect();
        void device.current?.emulator.stop();
      }
    } else {
      for (const { backend, address } of chips) backend.detach(address);
    }
  };
  const replug = (driver: 'ultrasonic' | 'ads1115'): void => {
    logger.info({ driver }, `simulation: plugging every ${driver} back in`);
    if (driver === 'ultrasonic') for (const device of serialDevices.values()) device.plugged = true;
    else for (const { backend, address, chip } of chips) backend.attach(address, chip);
  };

  return {
    description: `simulated home (${scenario.name}: ${scenario.description}; ${speed}× speed)`,
    clock,
    sensorsPoweredAt,
    world,
    simGpio,
    ...(hushButton !== undefined ? { hushButton } : {}),
    unplug,
    replug,
    openI2cBus(busNumber: number) {
      const entry = buses.get(busNumber);
      if (entry === undefined) return Promise.reject(missing(`sim:/dev/i2c-${busNumber}`));
      return Promise.resolve(entry.bus);
    },
    openSerial: (settings) => openSimSerial(settings.path),
    gpio: simGpio,
    w1Root: w1?.root ?? '/nonexistent/w1',
    start() {
      if (running) return;
      running = true;
      for (const device of serialDevices.values()) device.current?.emulator.start();
      for (const sensor of contacts) {
        if (sensor.source.driver === 'contact') followLeak(sensor.source.gpio, sensor.source.activeLow);
      }
      if (w1 !== undefined) stopW1 = w1.startRefreshing(clock, 1_000, logger);
      for (const fault of scenario.faults) timers.push(clock.setTimeout(() => unplug(fault.unplug), fault.afterMs));
    },
    async close() {
      running = false;
      for (const t of timers) clock.clearTimeout(t);
      stopW1?.();
      await Promise.all([...serialDevices.values()].flatMap((d) => (d.current ? [d.current.emulator.stop()] : [])));
      await w1?.dispose();
    },
  };
}

function singleEndedPin(input: string): 0 | 1 | 2 | 3 | undefined {
  const match = /^AIN([0-3])$/.exec(input);
  return match === null ? undefined : (Number(match[1]) as 0 | 1 | 2 | 3);
}

/**
 * The simulated sender answers the way the config's calibration says it does, so a
 * demo reads the true level; a sensor without a two-point calibration gets the DIY
 * build's response from HARDWARE.md.
 */
function gaugeMappingFor(sensor: SensorConfig): FloatGaugeMapping {
  const cal = sensor.calibration;
  const maxFill = sensor.level?.tank.maxFillFraction ?? 0.8;
  if (cal.type !== 'two_point' || sensor.level?.measures !== 'gauge_percent') return DIY_R3D_MAPPING;
  const empty = invertTwoPoint(cal.points, 0);
  const full = invertTwoPoint(cal.points, 100 * maxFill);
  if (typeof empty !== 'number' || typeof full !== 'number') return DIY_R3D_MAPPING;
  return { emptyVolts: empty, fullVolts: full, nonLinearity: 0 };
}

function missing(device: string): HardwareError {
  return new HardwareError({
    code: 'missing',
    message: `${device} does not exist in the simulated home`,
    hint: 'In simulate mode only the buses and ports named by the config exist.',
  });
}
