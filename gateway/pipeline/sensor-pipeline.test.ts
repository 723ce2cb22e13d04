import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gaussian, seededRandom } from '../../hardware/sim/random.js';
import { tankCapacityLitres } from './geometry.js';
import { initialSensorState, stepSensor } from './sensor-pipeline.js';
import { Sensor, T0, lpgGauge, summary, tickHealth, waterTank, waterTankTank } from './test-support/pipeline-sensor.js';
import type { SensorPipelineSpec } from './specs.js';
import type { RawSample } from './types.js';

describe('sensor pipeline: ultrasonic water tank', () => {
  it('turns a distance into percent and litres, in %', () => {
    const s = new Sensor(waterTank);
    s.sample(0, 1100);
    const { reading } = s.sample(1000, 1100);
    assert.ok(reading !== undefined);
    assert.equal(reading.unit, '%');
    assert.equal(reading.kind, 'level');
    assert.equal(reading.raw, 1100);
    assert.equal(reading.quality, 'ok');
    assert.ok(Math.abs(reading.value - 50) < 1e-9 && reading.percent === reading.value);
    assert.ok(Math.abs((reading.litres ?? NaN) - tankCapacityLitres(waterTankTank) / 2) < 1e-6);
  });

  it('a spiky trace with dropouts at a constant level never raises anything and reads clean (property over seeds)', () => {
    // Surface at 30 % (height 600 mm, distance 1500 mm), above the 20 % warning.
    for (let seed = 1; seed <= 5; seed++) {
      const random = seededRandom(seed);
      const s = new Sensor(waterTank);
      for (let t = 0; t <= 2 * 3_600_000; t += 1000) {
        const u = random.next();
        if (u < 0.05) s.sample(t, 300 + random.next() * 4200); // echo off a wall or the pipe
        else if (u < 0.07) s.sample(t, 'no_echo'); // condensation dropout
        else if (u < 0.08) s.sample(t, 'checksum');
        else s.sample(t, gaussian(random, 1500, 3));
      }
      assert.deepEqual(summary(s.events), [], `seed ${seed}`);
      assert.ok(s.readings.length > 6500, `seed ${seed}: ${s.readings.length} readings`);
      for (const r of s.readings) assert.ok(Math.abs(r.value - 30) < 0.5, `seed ${seed}: ${r.value} at ${r.mono}`);
    }
  });

  it('a sudden real drop (a burst pipe) gets through the spike filter and raises sudden_drop', () => {
    const s = new Sensor(waterTank);
    for (let t = 0; t <= 600_000; t += 1000) s.sample(t, 500); // 80 %
    // The level falls 20 % in one step (seen after confirmSamples) and stays there.
    for (let t = 601_000; t <= 700_000; t += 1000) s.sample(t, 900);
    assert.deepEqual(summary(s.events), ['604000 sudden_drop raised warning']);
    assert.ok(Math.abs((s.readings.at(-1)?.value ?? NaN) - 60) < 1e-6);
  });

  it('a surface inside the blind zone reads full or over-full (a bound), healthy, never a fault', () => {
    const s = new Sensor({ ...waterTank, filter: { medianWindow: 1, emaTimeConstantMs: 0 } });
    s.sample(0, 300);
    s.sample(1000, 300);
    // A distance inside the zone, then the driver's own blind_zone fault: both mean "too close to measure".
    for (const [t, sample] of [[2000, 100], [3000, 'blind_zone']] as const) {
      const step = s.sample(t, sample);
      assert.equal(step.health, 'ok', `${sample}`);
      assert.equal(step.reading?.overRange, true, `${sample}`);
      assert.ok(Math.abs((step.reading?.value ?? NaN) - 92.5) < 1e-9, `${sample}: at least 92.5 %`);
    }
    for (let t = 4000; t <= 120_000; t += 1000) s.sample(t, 'blind_zone');
    assert.deepEqual(summary(s.events), []);
    assert.equal(s.sample(121_000, 300).reading?.overRange, undefined);
  });

  it('one blind-zone echo amid normal ones is smoothed away, not flagged full', () => {
    const s = new Sensor(waterTank);
    for (let t = 0; t <= 10_000; t += 1000) s.sample(t, 1500);
    const step = s.sample(11_000, 'blind_zone');
    assert.notEqual(step.reading?.overRange, true);
    assert.equal(step.health, 'ok');
  });
});

describe('sensor pipeline: event times', () => {
  it('never run backwards for one sensor: a back-dated sample clears no earlier than the raise', () => {
    const spec: SensorPipelineSpec = { ...waterTank, filter: { medianWindow: 1, emaTimeConstantMs: 0 }, rules: [{ type: 'sensor_fault', minDurationMs: 0 }] };
    let state = initialSensorState(spec, 0);
    const step = (mono: number, at: number, value: number | 'no_echo') => {
      const sample: RawSample = { sensorId: spec.sensorId, at, mono, clockSynced: true, ...(typeof value === 'number' ? { value } : { fault: { code: value, message: 'no echo' } }) };
      const out = stepSensor(spec, state, sample);
      state = out.state;
      return out.events;
    };
    step(0, T0, 1500);
    const raised = step(60_000, T0 + 60_000, 'no_echo');
    assert.deepEqual(raised.map((e) => [e.state, e.at]), [['raised', T0 + 60_000]]);
    // The good reading arrives later but carries the node's own, older time.
    const cleared = step(61_000, T0 + 59_500, 1500);
    assert.deepEqual(cleared.map((e) => [e.state, e.at]), [['cleared', T0 + 60_000]]);
  });
});

describe('sensor pipeline: LPG float gauge', () => {
  const rawAt = (percentOfWater: number): number => 29000 + ((6300 - 29000) * percentOfWater) / 100;

  it('a refill step gets through the spike filter after confirmSamples, and clears low_level', () => {
    const s = new Sensor(lpgGauge);
    // 12 % of water capacity = 15 % of the usable 80 %: low.
    for (let t = 0; t <= 200_000; t += 10_000) s.sample(t, rawAt(12));
    assert.deepEqual(summary(s.events), ['70000 low_level raised warning']);
    assert.ok(Math.abs((s.readings.at(-1)?.value ?? NaN) - 15) < 1e-6);
    // The cylinder is swapped for a full one: 80 % of water capacity = 100 %.
    const held = [210_000, 220_000, 230_000].map((t) => s.sample(t, rawAt(80)));
    assert.deepEqual(
      held.map((h) => [h.reading, h.rejected]),
      [
        [undefined, 'suspect'],
        [undefined, 'suspect'],
        [undefined, 'suspect'],
      ],
    );
    const through = s.sample(240_000, rawAt(80));
    assert.ok(Math.abs((through.reading?.value ?? NaN) - 100) < 1e-6, `${through.reading?.value}`);
    assert.ok(Math.abs((through.reading?.litres ?? NaN) - 47.6 * 0.8) < 1e-6);
    for (let t = 250_000; t <= 320_000; t += 10_000) s.sample(t, rawAt(80));
    assert.deepEqual(summary(s.events).slice(1), ['300000 low_level cleared warning']);
    // The refill did not make the sensor noisy or faulty.
    assert.equal(s.last?.health, 'ok');
  });

  it('min durations elapse on ticks between slow samples', () => {
    const s = new Sensor(lpgGauge);
    // The first value waits for the second (start-up spike guard): low from 10 000. Start-up, not a suspect value to log.
    assert.equal(s.sample(0, rawAt(12)).rejected, undefined);
    for (let t = 10_000; t <= 60_000; t += 10_000) s.sample(t, rawAt(12));
    assert.deepEqual(s.events, []);
    assert.deepEqual(s.tick(69_999), []);
    assert.deepEqual(summary(s.tick(70_000)), ['70000 low_level raised warning']);
  });

  it('a silent sensor goes stale, then disconnected, and raises sensor_fault from ticks alone', () => {
    const s = new Sensor(lpgGauge);
    s.sample(0, rawAt(50));
    s.sample(10_000, rawAt(50));
    const healths: string[] = [];
    for (let t = 20_000; t <= 200_000; t += 10_000) {
      s.tick(t);
      healths.push(`${t}:${tickHealth(s, t)}`);
    }
    assert.ok(healths.includes('40000:stale') && healths.includes('110000:disconnected'), healths.join(' '));
    assert.deepEqual(summary(s.events), ['100000 sensor_fault raised warning']);
  });
});
