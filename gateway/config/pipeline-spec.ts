/**
 * From a parsed sensor to the pipeline that runs it (gateway/pipeline/specs.ts):
 * the per-kind filter and health defaults, the user's overrides on top, the rules
 * in a fixed order. The compile-time checks below keep the schema's parsed types
 * assignable to the pipeline's, so the YAML and the pipeline cannot drift apart.
 */
import { tankCapacityLitres } from '../pipeline/geometry.js';
import type { CalibrationSpec, FilterSpec, HealthSpec, LevelSpec, RuleSpec, SensorPipelineSpec } from '../pipeline/specs.js';
import type { SensorKind } from '../pipeline/types.js';
import type { GatewayConfig, SensorConfig } from './schema.js';

/** Compiles only when A is assignable to B. */
type Assignable<A, B> = [A] extends [B] ? true : false;
type Expect<T extends true> = T;

type RuleValues = NonNullable<SensorConfig['rules'][keyof SensorConfig['rules']]>;

export type SchemaMatchesPipeline = [
  Expect<Assignable<SensorConfig['calibration'], CalibrationSpec>>,
  Expect<Assignable<NonNullable<SensorConfig['level']>, LevelSpec>>,
  Expect<Assignable<RuleValues, RuleSpec>>,
  Expect<Assignable<SensorConfig['kind'], SensorKind>>,
];

const HOUR = 3_600_000;

/** Values outside these are out_of_range: level −5…110 %, gas 0…100 %LEL, −40…125 °C, leak 0/1. */
export const VALID_RANGE: Readonly<Record<SensorKind, { readonly min: number; readonly max: number }>> = {
  level: { min: -5, max: 110 },
  gas: { min: 0, max: 100 },
  temperature: { min: -40, max: 125 },
  leak: { min: 0, max: 1 },
};

/**
 * Level: a median of 5 removes an ultrasonic echo's single-sample spikes without
 * hiding a refill. Gas and leak: no smoothing, an alarm must not wait. Temperature:
 * a median of 3 drops a DS18B20's rare bad read.
 */
export const DEFAULT_FILTER: Readonly<Record<SensorKind, FilterSpec>> = {
  level: { medianWindow: 5, emaTimeConstantMs: 0 },
  gas: { medianWindow: 1, emaTimeConstantMs: 0 },
  leak: { medianWindow: 1, emaTimeConstantMs: 0 },
  temperature: { medianWindow: 3, emaTimeConstantMs: 0 },
};

/**
 * The largest pump or draw a home tank plausibly sees, litres a minute: a domestic pump
 * fills at 20–60 L/min, a burst pipe drains at about this. A level moving faster than
 * this in one reading is physics the tank cannot do: an echo off a pipe, condensation.
 */
export const MAX_PLAUSIBLE_FLOW_LPM = 100;

/**
 * Level sensors with a known tank get a rate-of-change guard by default: a step faster
 * than MAX_PLAUSIBLE_FLOW_LPM over the usable capacity is held back as suspect until
 * 3 more readings agree with it (a refill or a cylinder swap is, and then passes).
 */
function rateGuardFor(sensor: SensorConfig): FilterSpec['spike'] {
  if (sensor.kind !== 'level' || sensor.level === undefined) return undefined;
  const capacity = tankCapacityLitres(sensor.level.tank) * sensor.level.tank.maxFillFraction;
  if (!(capacity > 0)) return undefined;
  return { maxRatePerMinute: (MAX_PLAUSIBLE_FLOW_LPM / capacity) * 100, confirmSamples: 3 };
}

function filterFor(sensor: SensorConfig): FilterSpec {
  const base = DEFAULT_FILTER[sensor.kind];
  const o = sensor.filter;
  const spike = o.spike === undefined ? (base.spike ?? rateGuardFor(sensor)) : o.spike === false ? undefined : o.spike;
  return {
    medianWindow: o.medianWindow ?? base.medianWindow,
    emaTimeConstantMs: o.emaTimeConstant ?? base.emaTimeConstantMs,
    ...(spike === undefined ? {} : { spike }),
  };
}

/**
 * ADC senders (an ADS1115 input) are never perfectly still: the same volts to two
 * LSBs for 24 h means a wire came off or the input sits on a rail.
 */
function stuckFor(sensor: SensorConfig): { stuckAfterMs: number; stuckEpsilon: number } {
  if (sensor.source.driver === 'ads1115') return { stuckAfterMs: 24 * HOUR, stuckEpsilon: (2 * sensor.source.fullScale) / 32768 };
  return { stuckAfterMs: 0, stuckEpsilon: 0 };
}

function healthFor(sensor: SensorConfig): HealthSpec {
  const interval = sensor.interval;
  const o = sensor.health;
  const stuck = stuckFor(sensor);
  return {
    intervalMs: interval,
    disconnectedAfterFaults: o.disconnectedAfterFaults ?? 2,
    staleAfterMs: o.staleAfter ?? 3 * interval,
    disconnectedAfterMs: o.disconnectedAfter ?? 10 * interval,
    validRange: o.validRange ?? VALID_RANGE[sensor.kind],
    stuckAfterMs: o.stuckAfter ?? stuck.stuckAfterMs,
    stuckEpsilon: o.stuckEpsilon ?? stuck.stuckEpsilon,
    noisyFraction: o.noisyFraction ?? 0.3,
    noisyWindow: o.noisyWindow ?? 20,
    // A wired MQ-6's driver knows when its heater was powered (with the Pi, at boot) and
    // flags each sample itself; counting warm-up from the daemon's start would hold back
    // a gas alarm for minutes after every restart. Only an explicit override applies here.
    warmupMs: o.warmup ?? 0,
  };
}

/**
 * A fault must outlast a reading interval before it is raised: one bad sample (a false
 * echo, a missed frame) is not a fault. So sensorFault waits at least 2 intervals,
 * whatever the interval and the configured minDuration.
 */
export const FAULT_MIN_INTERVALS = 2;

function rulesFor(sensor: SensorConfig): RuleSpec[] {
  const { lowLevel, suddenDrop, gas, leak } = sensor.rules;
  const { leakWatch } = sensor.rules;
  const fault = sensor.rules.sensorFault;
  const sensorFault =
    fault === undefined ? undefined : { ...fault, minDurationMs: Math.max(fault.minDurationMs, FAULT_MIN_INTERVALS * sensor.interval) };
  return [lowLevel, suddenDrop, leakWatch, gas, leak, sensorFault].filter((r): r is NonNullable<typeof r> => r !== undefined);
}

/** The pipeline spec of one parsed sensor. */
export function toPipelineSpec(sensor: SensorConfig): SensorPipelineSpec {
  return {
    sensorId: sensor.id,
    name: sensor.name,
    kind: sensor.kind,
    calibration: sensor.calibration,
    ...(sensor.level === undefined ? {} : { level: sensor.level }),
    filter: filterFor(sensor),
    health: healthFor(sensor),
    rules: rulesFor(sensor),
  };
}

/** Every sensor's spec, in file order. */
export function toPipelineSpecs(config: GatewayConfig): SensorPipelineSpec[] {
  return config.sensors.map(toPipelineSpec);
}
