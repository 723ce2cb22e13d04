import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { respecSensor } from './respec.js';
import { initialSensorState, stepSensor, type SensorState } from './sensor-pipeline.js';
import type { RuleSpec, SensorPipelineSpec } from './specs.js';
import type { RawSample } from './types.js';

const lowLevel = (warningPercent: number, criticalPercent: number): RuleSpec => ({
  type: 'low_level',
  warningPercent,
  criticalPercent,
  hysteresisPercent: 3,
  minDurationMs: 0,
});

const base: SensorPipelineSpec = {
  sensorId: 'lpg',
  name: 'LPG cylinder',
  kind: 'level',
  calibration: { type: 'two_point', points: [{ raw: 1.81, value: 5 }, { raw: 0.39, value: 80 }] },
  level: { measures: 'gauge_percent', tank: { shape: 'capacity', litres: 108, maxFillFraction: 0.8 } },
  filter: { medianWindow: 3, emaTimeConstantMs: 0 },
  health: {
    intervalMs: 1_000,
    disconnectedAfterFaults: 2,
    staleAfterMs: 3_000,
    disconnectedAfterMs: 10_000,
    validRange: { min: -5, max: 110 },
    stuckAfterMs: 0,
    stuckEpsilon: 0,
    noisyFraction: 0.3,
    noisyWindow: 20,
    warmupMs: 0,
  },
  rules: [lowLevel(20, 10), { type: 'sensor_fault', minDurationMs: 0 }],
};

/** Volts for a gauge percent under `base`'s calibration (5 % = 1.81 V, 80 % = 0.39 V). */
const voltsFor = (gaugePercent: number) => 1.81 + ((gaugePercent - 5) * (0.39 - 1.81)) / 75;

function feed(spec: SensorPipelineSpec, state: SensorState, gaugePercents: number[], t0: number) {
  const events = [];
  let s = state;
  let t = t0;
  for (const g of gaugePercents) {
    const sample: RawSample = { sensorId: 'lpg', at: t, mono: t, clockSynced: true, value: voltsFor(g) };
    const step = stepSensor(spec, s, sample);
    s = step.state;
    events.push(...step.events);
    t += 1_000;
  }
  return { state: s, events, t };
}

describe('respecSensor', () => {
  it('keeps an active alarm across new thresholds and re-judges it on the next reading', () => {
    // 12 % of water capacity = 15 % of the 80 % fill: below the 20 % warning.
    let run = feed(base, initialSensorState(base, 0), [12, 12, 12], 0);
    assert.deepEqual(run.events.map((e) => `${e.condition}:${e.state}:${e.severity}`), ['low_level:raised:warning']);
    const stricter: SensorPipelineSpec = { ...base, rules: [lowLevel(30, 16), base.rules[1]!] };
    const changed = respecSensor(base, run.state, stricter, run.t, run.t, true);
    assert.deepEqual(changed.events, [], 'nothing cleared: the rule is still there');
    assert.equal(changed.state.filter, run.state.filter, 'same units: the filter history stays');
    run = feed(stricter, changed.state, [12], run.t);
    assert.deepEqual(run.events.map((e) => `${e.condition}:${e.state}:${e.severity}`), ['low_level:raised:critical'], '15 % is now critical (≤ 16 %)');
  });

  it('clears the condition of a rule that was removed, and restarts filters when the calibration changed', () => {
    const run = feed(base, initialSensorState(base, 0), [12, 12, 12], 0);
    const noLowLevel: SensorPipelineSpec = {
      ...base,
      calibration: { type: 'two_point', points: [{ raw: 1.9, value: 5 }, { raw: 0.4, value: 80 }] },
      rules: [base.rules[1]!],
    };
    const changed = respecSensor(base, run.state, noLowLevel, 10_000, 10_000, true);
    assert.deepEqual(changed.events.map((e) => `${e.condition}:${e.state}`), ['low_level:cleared']);
    assert.notEqual(changed.state.filter, run.state.filter, 'filter restarted');
    assert.equal(changed.state.health, run.state.health, 'health carried');
    assert.equal(changed.state.rules.length, 1);
    assert.equal(changed.state.rules[0], run.state.rules[1], 'the sensor-fault rule kept its state');
  });
});
