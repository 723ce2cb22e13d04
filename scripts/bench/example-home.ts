/**
 * The home the gateway benchmarks measure: the sensors, intervals and store
 * settings of gateway/config/gateway.example.yaml (read through the real loader
 * and schema), plausible raw samples for each sensor in its own unit (volts,
 * millimetres, 0/1) so the pipeline does its real work, and the store consumer
 * the daemon hangs on the hub.
 */
import { readFile } from 'node:fs/promises';
import YAML from 'yaml';
import { parseConfig } from '../../gateway/config/load.js';
import { toPipelineSpecs } from '../../gateway/config/pipeline-spec.js';
import type { GatewayConfig } from '../../gateway/config/schema.js';
import { calibrate } from '../../gateway/pipeline/calibration.js';
import type { CalibrationSpec, SensorPipelineSpec } from '../../gateway/pipeline/specs.js';
import type { RawSample } from '../../gateway/pipeline/types.js';
import type { HubConsumer } from '../../gateway/sampling/sensor-hub.js';
import type { ReadingStore } from '../../gateway/store/reading-store.js';
import type { StoreConfig } from '../../gateway/store/store-service.js';
import { gaussian, seededRandom, type Random } from '../../hardware/sim/random.js';

export const EXAMPLE_CONFIG_URL = new URL('../../gateway/config/gateway.example.yaml', import.meta.url);

/**
 * The smoothing the throughput bench puts on level sensors, on top of the example's
 * default median of 5: an ultrasonic echo spike guard and a 2-minute EMA, so every
 * filter stage runs (the example leaves spike and EMA off).
 */
export const FULL_LEVEL_FILTER = {
  medianWindow: 5,
  spike: { maxRatePerMinute: 2, confirmSamples: 3 },
  emaTimeConstant: '2m',
} as const;

export interface ExampleHome {
  readonly config: GatewayConfig;
  readonly specs: readonly SensorPipelineSpec[];
  /** Each sensor's sample interval in ms, by sensor id. */
  readonly intervals: ReadonlyMap<string, number>;
  /** The example's `store:` section, mapped as the daemon maps it. */
  readonly store: StoreConfig;
}

export interface ExampleHomeOptions {
  /** Give level sensors FULL_LEVEL_FILTER (through the config, so the schema checks it). */
  readonly fullLevelFilters?: boolean;
}

/** Loads the example config with no environment overrides (the bench machine's EASYGAS_* must not leak in). */
export async function loadExampleHome(options: ExampleHomeOptions = {}): Promise<ExampleHome> {
  let text = await readFile(EXAMPLE_CONFIG_URL, 'utf8');
  if (options.fullLevelFilters === true) {
    const doc = YAML.parse(text) as { sensors: Record<string, unknown>[] };
    for (const sensor of doc.sensors) if (sensor.kind === 'level') sensor.filter = FULL_LEVEL_FILTER;
    text = YAML.stringify(doc);
  }
  const loaded = parseConfig(text, { env: {} });
  if (!loaded.ok) {
    throw new Error(`example config does not load: ${loaded.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
  const { config } = loaded;
  const { store } = config;
  return {
    config,
    specs: toPipelineSpecs(config),
    intervals: new Map(config.sensors.map((s) => [s.id, s.interval])),
    // As gateway/cli/gateway-command.ts hands it to the store.
    store: {
      batchIntervalMs: store.batchInterval,
      batchMaxRows: store.batchMaxRows,
      retention: { maxSizeBytes: store.maxSize },
    },
  };
}

/** Readings per second the home's sensors produce at their configured intervals. */
export function readingsPerSecond(home: ExampleHome): number {
  let sum = 0;
  for (const ms of home.intervals.values()) sum += 1000 / ms;
  return sum;
}

/**
 * Raw samples for a sensor as its source would deliver them: a gauge's volts
 * around a slowly falling level, an ultrasonic distance with mm noise and an
 * occasional echo spike, an MQ-6 in clean air, a dry leak contact.
 */
export class SampleMaker {
  readonly #random: Random;
  readonly #startWall: number;
  readonly #cleanAirVolts = new Map<string, number>();

  constructor(seed: number, startWallMs = Date.UTC(2026, 0, 1)) {
    this.#random = seededRandom(seed);
    this.#startWall = startWallMs;
  }

  /** The sample of `spec`'s sensor taken at monotonic `mono` ms. */
  sample(spec: SensorPipelineSpec, mono: number): RawSample {
    return { sensorId: spec.sensorId, at: this.#startWall + mono, mono, clockSynced: true, value: this.#raw(spec, mono) };
  }

  #raw(spec: SensorPipelineSpec, mono: number): number {
    const noise = (sd: number): number => gaussian(this.#random, 0, sd);
    const hours = mono / 3_600_000;
    switch (spec.kind) {
      case 'level': {
        const level = spec.level;
        if (level?.measures === 'distance_mm') {
          // Water about 700 mm deep; 1 in 50 echoes bounces off the tank wall.
          if (this.#random.next() < 0.02) return 300 + this.#random.next() * 900;
          return (level.mountHeightMm ?? 1250) - 700 + 20 * Math.sin(hours) + noise(2);
        }
        // A gauge: percent of water capacity from 60 % falling 0.2 %/h, through the inverse calibration.
        return rawFor(spec.calibration, Math.max(10, 60 - 0.2 * hours)) + noise(0.001);
      }
      case 'gas': {
        let volts = this.#cleanAirVolts.get(spec.sensorId);
        if (volts === undefined) {
          volts = gasVolts(spec, 1);
          this.#cleanAirVolts.set(spec.sensorId, volts);
        }
        return Math.max(0.01, volts + noise(0.002));
      }
      case 'leak':
        return 0;
      case 'temperature':
        return 21 + noise(0.1);
    }
  }
}

/** Sensor volts at which an MQ-6 spec reads `lel` %LEL (bisection: %LEL rises with the volts). */
export function gasVolts(spec: SensorPipelineSpec, lel: number): number {
  const calibration = spec.calibration;
  if (calibration.type !== 'mq6') throw new Error(`${spec.sensorId} has no MQ-6 calibration`);
  let low = 1e-4;
  let high = calibration.supplyVolts - 1e-4;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    const result = calibrate(calibration, mid);
    const value = 'error' in result ? Number.POSITIVE_INFINITY : result.value;
    if (value < lel) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/** The raw value a linear (two-point) calibration maps to `value`. */
function rawFor(calibration: CalibrationSpec, value: number): number {
  if (calibration.type === 'identity') return value;
  if (calibration.type !== 'two_point') throw new Error(`no inverse for a ${calibration.type} calibration in the bench`);
  const [a, b] = calibration.points;
  return a.raw + ((value - a.value) * (b.raw - a.raw)) / (b.value - a.value);
}

/** What the daemon hangs on the hub for the store: every reading and every condition event. */
export function storeConsumer(store: ReadingStore): HubConsumer {
  return {
    name: 'store',
    reading: (reading) => store.appendReading(reading),
    conditions: (events) => {
      for (const event of events) store.recordEvent(event);
    },
  };
}

/**
 * `count` samples taking turns over the sensors (each on its own timeline, at its
 * own interval), so every pipeline path gets an equal share: level filters, gas
 * and leak rules. The rows a throughput bench pushes, not the daemon's cadence.
 */
export function roundRobinSamples(home: ExampleHome, maker: SampleMaker, count: number): RawSample[] {
  const out: RawSample[] = [];
  const specs = home.specs;
  for (let i = 0; i < count; i++) {
    const spec = specs[i % specs.length];
    if (spec === undefined) break;
    const round = Math.floor(i / specs.length);
    out.push(maker.sample(spec, round * (home.intervals.get(spec.sensorId) ?? 1000)));
  }
  return out;
}
