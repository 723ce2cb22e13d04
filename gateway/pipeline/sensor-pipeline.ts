/**
 * One sensor's pipeline: raw sample → calibrate → level → filter → health → rules.
 * Pure: the state is a plain immutable object, replaced on every step, so the
 * sampling layer can hand snapshots to passive consumers without copying.
 */
import { calibrate } from './calibration.js';
import { applyFilters, initialFilterState, type FilterState } from './filters.js';
import { assessSample, assessTime, initialHealthState, type HealthState, type SampleOutcome } from './health.js';
import { levelFromCalibrated } from './level.js';
import { evaluateRules, initialRulesState, type RulesState } from './rules.js';
import type { SensorPipelineSpec } from './specs.js';
import type { ConditionEvent, Health, Quality, RawSample, Reading, SensorKind } from './types.js';

export interface SensorState {
  readonly filter: FilterState;
  readonly health: HealthState;
  readonly rules: RulesState;
  /** Wall time of this sensor's latest event: the next is never stamped earlier. */
  readonly lastEventAt?: number;
}

export interface SensorStep {
  readonly state: SensorState;
  readonly reading?: Reading;
  readonly events: ConditionEvent[];
  readonly health: Health;
  /** Why the sample produced no reading: its fault code, 'out_of_range' (calibration, level) or 'suspect' (the rate guard). */
  readonly rejected?: string;
  /** A sentence on the rejection, for the log. */
  readonly detail?: string;
}

export interface SensorTick {
  readonly state: SensorState;
  readonly events: ConditionEvent[];
  readonly health: Health;
}

export const UNITS: Readonly<Record<SensorKind, string>> = { level: '%', gas: '%LEL', temperature: '°C', leak: '' };

export function initialSensorState(spec: SensorPipelineSpec, startMono: number): SensorState {
  return { filter: initialFilterState, health: initialHealthState(startMono), rules: initialRulesState(spec) };
}

/** The primary value of a sample in the reading's unit, with what goes beside it. */
interface Converted {
  readonly value: number;
  /** level: litres per percent point of the value; gas: ppm per %LEL. */
  readonly perUnit?: number;
  /** The value is a lower bound: the quantity is above what the sensor can measure. */
  readonly overRange?: true;
}

export function stepSensor(spec: SensorPipelineSpec, state: SensorState, given: RawSample): SensorStep {
  const sample = blindZoneAsFull(spec, given);
  const raw = sample.value;
  if (sample.fault !== undefined || raw === undefined || !Number.isFinite(raw)) {
    const rejected = sample.fault?.code ?? 'malformed';
    const detail = sample.fault?.message ?? `sample carries no usable value (${String(raw)})`;
    return finish(spec, state, sample, state.filter, undefined, { rejected, detail });
  }

  const converted = convert(spec, raw, sample.overRange === true);
  if ('error' in converted) {
    return finish(spec, state, sample, state.filter, { rangeError: true }, { rejected: converted.error, detail: converted.message });
  }

  if (spec.kind === 'leak' || (spec.kind === 'gas' && converted.overRange === true)) {
    // A contact is 0/1 and debounced in hardware: smoothing would only delay a leak; and gas
    // above the sensor's range goes straight to the alarm.
    return finish(spec, state, sample, state.filter, outcomeOf(converted), undefined, converted.value, converted);
  }
  const filtered = applyFilters(spec.filter, state.filter, converted.value, sample.mono);
  // A first value waits for a second to agree: part of starting up, not a fault to log.
  if (filtered.rejected === 'unconfirmed') return finish(spec, state, sample, filtered.state, {}, undefined);
  if (filtered.value === undefined) {
    return finish(spec, state, sample, filtered.state, { rejected: true }, {
      rejected: 'suspect',
      detail: `value ${converted.value.toFixed(1)} ${UNITS[spec.kind]} moved faster than it physically can: held back as suspect until confirmed`,
    });
  }
  return finish(spec, state, sample, filtered.state, outcomeOf(converted), undefined, filtered.value, converted);
}

/** A bound is judged by nothing but its direction: it is above the range, and that is no fault. */
function outcomeOf(converted: Converted): SampleOutcome {
  return converted.overRange === true ? {} : { value: converted.value };
}

/**
 * An ultrasonic level sensor's blind-zone fault means the surface is too close to
 * measure: full or over-full. It becomes a sample at the configured blind zone's edge,
 * flagged as a bound (the level conversion caps it at full).
 */
function blindZoneAsFull(spec: SensorPipelineSpec, sample: RawSample): RawSample {
  if (sample.fault?.code !== 'blind_zone' || spec.kind !== 'level' || spec.level?.measures !== 'distance_mm') return sample;
  const { sensorId, at, mono, clockSynced } = sample;
  return { sensorId, at, mono, clockSynced, value: spec.level.blindZoneMm ?? 0, overRange: true };
}

/** Time-driven work between samples: stale/disconnected health and rule timers. */
export function tickSensor(
  spec: SensorPipelineSpec,
  state: SensorState,
  at: number,
  mono: number,
  clockSynced: boolean,
  lostSince?: (mono: number) => number,
): SensorTick {
  const health = assessTime(spec.health, state.health, mono, lostSince);
  const rules = evaluateRules(spec, state.rules, undefined, health.health, at, mono, clockSynced);
  const unchanged = health === state.health && rules.events.length === 0 && sameRules(rules.state, state.rules);
  if (unchanged) return { state, events: rules.events, health: health.health };
  const stamped = inOrder(rules.events, state.lastEventAt);
  return { state: withLastEvent({ ...state, health, rules: rules.state }, stamped.lastEventAt), events: stamped.events, health: health.health };
}

/**
 * A sample can carry an older time than the last event (a Wi-Fi node's own `ts`, a
 * clock step): an event is stamped no earlier than the sensor's last one, so a
 * "cleared" never comes before its "raised".
 */
function inOrder(events: ConditionEvent[], lastEventAt: number | undefined): { events: ConditionEvent[]; lastEventAt: number | undefined } {
  if (events.length === 0) return { events, lastEventAt };
  let last = lastEventAt ?? -Infinity;
  const stamped = events.map((e) => {
    const at = Math.max(e.at, last);
    last = at;
    return at === e.at ? e : { ...e, at };
  });
  return { events: stamped, lastEventAt: last };
}

function withLastEvent(state: SensorState, lastEventAt: number | undefined): SensorState {
  return lastEventAt === undefined ? state : { ...state, lastEventAt };
}

function finish(
  spec: SensorPipelineSpec,
  state: SensorState,
  sample: RawSample,
  filter: FilterState,
  outcome: SampleOutcome | undefined,
  rejection: { readonly rejected: string; readonly detail: string } | undefined,
  value?: number,
  converted?: Converted,
): SensorStep {
  const health = assessSample(spec.health, state.health, sample, outcome);
  const quality = asQuality(health.health);
  const reading =
    value !== undefined && converted !== undefined && quality !== undefined && sample.value !== undefined
      ? makeReading(spec, sample, sample.value, value, converted, quality)
      : undefined;
  const evaluated = evaluateRules(spec, state.rules, reading, health.health, sample.at, sample.mono, sample.clockSynced);
  const { events, lastEventAt } = inOrder(evaluated.events, state.lastEventAt);
  const next: SensorState = lastEventAt === undefined ? { filter, health, rules: evaluated.state } : { filter, health, rules: evaluated.state, lastEventAt };
  if (rejection !== undefined) {
    return { state: next, events, health: health.health, rejected: rejection.rejected, detail: rejection.detail };
  }
  return reading !== undefined ? { state: next, reading, events, health: health.health } : { state: next, events, health: health.health };
}

function convert(spec: SensorPipelineSpec, raw: number, overRange: boolean): Converted | { readonly error: string; readonly message: string } {
  if (spec.kind === 'gas') return convertGas(spec, raw, overRange);
  const calibrated = calibrate(spec.calibration, raw);
  if ('error' in calibrated) return { error: 'out_of_range', message: calibrated.error };
  switch (spec.kind) {
    case 'level': {
      // Without a level spec the source already speaks percent (e.g. a Wi-Fi node).
      if (spec.level === undefined) return { value: calibrated.value };
      const level = levelFromCalibrated(spec.level, calibrated.value);
      if ('error' in level) return { error: level.error, message: level.message };
      const perUnit = level.usableLitres / 100;
      return level.overRange === true || overRange ? { value: level.percent, perUnit, overRange: true } : { value: level.percent, perUnit };
    }
    case 'temperature':
    case 'leak':
      return { value: calibrated.value };
  }
}

/**
 * Gas above the top of the sensor's range (validRange.max, or the ADC clipped high, or an
 * MQ-6 output at its supply) is the worst case of a leak: the reading is the bound, flagged.
 * Below the range (a negative or impossible value) stays a fault, judged by health.
 */
function convertGas(spec: SensorPipelineSpec, raw: number, overRange: boolean): Converted | { readonly error: string; readonly message: string } {
  const top = spec.health.validRange.max;
  const cal = spec.calibration;
  if (cal.type === 'mq6' && raw >= cal.supplyVolts) return { value: top, overRange: true };
  const calibrated = calibrate(cal, raw);
  if ('error' in calibrated) return { error: 'out_of_range', message: calibrated.error };
  const above = overRange || calibrated.value > top;
  const value = above ? Math.min(calibrated.value, top) : calibrated.value;
  const perUnit = calibrated.ppm !== undefined && calibrated.value > 0 ? calibrated.ppm / calibrated.value : undefined;
  return { value, ...(perUnit !== undefined ? { perUnit } : {}), ...(above ? { overRange: true as const } : {}) };
}

function makeReading(spec: SensorPipelineSpec, sample: RawSample, raw: number, value: number, converted: Converted, quality: Quality): Reading {
  const reading = plainReading(spec, sample, raw, value, converted, quality);
  // A bound only once the smoothed value has reached it: one blind-zone echo amid normal
  // ones is not a full tank.
  return converted.overRange === true && value >= converted.value ? { ...reading, overRange: true } : reading;
}

function plainReading(spec: SensorPipelineSpec, sample: RawSample, raw: number, value: number, converted: Converted, quality: Quality): Reading {
  // Plain literals, not spreads: this runs per sample and spreads are several times slower.
  const { sensorId, kind } = spec;
  const { at, mono, clockSynced } = sample;
  const unit = UNITS[kind];
  const { perUnit } = converted;
  if (kind === 'level') {
    return perUnit !== undefined
      ? { sensorId, kind, at, mono, clockSynced, value, unit, raw, percent: value, litres: value * perUnit, quality }
      : { sensorId, kind, at, mono, clockSynced, value, unit, raw, percent: value, quality };
  }
  if (kind === 'gas' && perUnit !== undefined) return { sensorId, kind, at, mono, clockSynced, value, unit, raw, ppm: value * perUnit, quality };
  return { sensorId, kind, at, mono, clockSynced, value, unit, raw, quality };
}

/** Stale and disconnected sensors have no value, so they never stamp a reading. */
function asQuality(health: Health): Quality | undefined {
  return health === 'stale' || health === 'disconnected' ? undefined : health;
}

function sameRules(a: RulesState, b: RulesState): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}
