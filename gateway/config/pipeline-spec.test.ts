import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_FILTER, toPipelineSpec, toPipelineSpecs, VALID_RANGE } from './pipeline-spec.js';
import { configDoc, sensor, valid } from './test-support/configs.js';

function specOf(doc: Record<string, unknown>) {
  const config = valid(configDoc({ sensors: [doc] }));
  const [first] = config.sensors;
  assert.ok(first !== undefined);
  return toPipelineSpec(first);
}

describe('pipeline spec from config', () => {
  it('fills health from the interval: stale after 3, disconnected after 10 intervals', () => {
    const spec = specOf(sensor('tank', { interval: '10s' }));
    assert.deepEqual(spec.health, {
      intervalMs: 10_000,
      disconnectedAfterFaults: 2,
      staleAfterMs: 30_000,
      disconnectedAfterMs: 100_000,
      validRange: { min: -5, max: 110 },
      stuckAfterMs: 0,
      stuckEpsilon: 0,
      noisyFraction: 0.3,
      noisyWindow: 20,
      warmupMs: 0,
    });
  });

  it('uses each kind’s valid range', () => {
    assert.deepEqual(specOf(sensor('gas')).health.validRange, { min: 0, max: 100 });
    assert.deepEqual(specOf(sensor('temperature')).health.validRange, { min: -40, max: 125 });
    assert.deepEqual(specOf(sensor('leak')).health.validRange, { min: 0, max: 1 });
    assert.deepEqual(VALID_RANGE.level, { min: -5, max: 110 });
  });

  it('watches an ADC sender for a day without movement, to two LSBs of its range', () => {
    const health = specOf(sensor('lpg')).health;
    assert.equal(health.stuckAfterMs, 24 * 3_600_000);
    assert.equal(health.stuckEpsilon, (2 * 2.048) / 32768);
  });

  it('leaves a wired MQ-6 warm-up to its driver, so a daemon restart does not delay a gas alarm', () => {
    // The driver counts warm-up from the heater's power-on (boot) and flags each sample.
    const spec = specOf(sensor('gas', { source: { driver: 'mq6', input: 'AIN1', warmup: '5m' } }));
    assert.equal(spec.health.warmupMs, 0);
    assert.equal(spec.calibration.type, 'mq6');
    const forced = specOf(sensor('gas', { source: { driver: 'mq6', input: 'AIN1' }, health: { warmup: '2m' } }));
    assert.equal(forced.health.warmupMs, 120_000);
  });

  it('applies the user’s health and filter overrides on top of the defaults', () => {
    const spec = specOf(
      sensor('tank', {
        health: { staleAfter: '2m', validRange: { min: 0, max: 100 }, noisyWindow: 10 },
        filter: { medianWindow: 7, spike: { maxRatePerMinute: 50 }, emaTimeConstant: '30s' },
      }),
    );
    assert.equal(spec.health.staleAfterMs, 120_000);
    assert.deepEqual(spec.health.validRange, { min: 0, max: 100 });
    assert.equal(spec.health.noisyWindow, 10);
    assert.equal(spec.health.disconnectedAfterMs, 300_000, 'not overridden: 10 × 30 s');
    assert.deepEqual(spec.filter, { medianWindow: 7, emaTimeConstantMs: 30_000, spike: { maxRatePerMinute: 50, confirmSamples: 3 } });
  });

  it('filters levels with a median and leaves gas and leaks unsmoothed', () => {
    // …and a rate guard from the tank: 100 L/min over the usable 86.4 L of a 108 L cylinder.
    const lpg = specOf(sensor('lpg')).filter;
    assert.equal(lpg.medianWindow, DEFAULT_FILTER.level.medianWindow);
    assert.equal(DEFAULT_FILTER.level.medianWindow, 5);
    assert.ok(Math.abs((lpg.spike?.maxRatePerMinute ?? 0) - 100 / 86.4 * 100) < 1e-9);
    assert.equal(lpg.spike?.confirmSamples, 3);
    assert.equal(specOf(sensor('lpg', { filter: { spike: false } })).filter.spike, undefined, 'the guard can be switched off');
    assert.deepEqual(specOf(sensor('gas')).filter, { medianWindow: 1, emaTimeConstantMs: 0 });
    assert.deepEqual(specOf(sensor('leak')).filter, { medianWindow: 1, emaTimeConstantMs: 0 });
  });

  it('lists the rules in a fixed order, without the switched-off ones', () => {
    const spec = specOf(sensor('lpg', { rules: { suddenDrop: false, lowLevel: { minDuration: '1m' } } }));
    assert.deepEqual(spec.rules, [
      { type: 'low_level', warningPercent: 20, criticalPercent: 10, hysteresisPercent: 3, minDurationMs: 60_000 },
      { type: 'sensor_fault', minDurationMs: 60_000 },
    ]);
    assert.deepEqual(
      specOf(sensor('leak')).rules.map((r) => r.type),
      ['leak', 'sensor_fault'],
    );
  });

  it('waits at least 2 reading intervals before raising a sensor fault, whatever the interval', () => {
    const faultWait = (overrides: Record<string, unknown>): number | undefined =>
      specOf(sensor('tank', overrides)).rules.find((r) => r.type === 'sensor_fault')?.minDurationMs;
    assert.equal(faultWait({ interval: '10s' }), 60_000, 'the 1 min default covers 2 × 10 s');
    assert.equal(faultWait({ interval: '1m' }), 120_000, 'a node reading every minute: 2 min, not 1');
    assert.equal(faultWait({ interval: '5m', rules: { sensorFault: { minDuration: '30s' } } }), 600_000);
  });

  it('passes calibration and tank through as the pipeline types', () => {
    const spec = specOf(sensor('lpg'));
    assert.deepEqual(spec.calibration, { type: 'two_point', points: [{ raw: 1.81, value: 5 }, { raw: 0.39, value: 80 }] });
    assert.deepEqual(spec.level, { measures: 'gauge_percent', tank: { shape: 'capacity', litres: 108, maxFillFraction: 0.8 } });
    assert.equal(spec.sensorId, 'lpg');
    assert.equal(spec.name, 'LPG cylinder');
    assert.equal(spec.kind, 'level');
    assert.equal(specOf(sensor('gas')).level, undefined);
  });

  it('builds one spec per sensor, in file order', () => {
    const config = valid(configDoc({ sensors: [sensor('lpg'), sensor('tank'), sensor('gas')] }));
    assert.deepEqual(
      toPipelineSpecs(config).map((s) => s.sensorId),
      ['lpg', 'roof-tank', 'kitchen-gas'],
    );
  });
});
