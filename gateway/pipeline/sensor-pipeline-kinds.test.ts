import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Sensor, gasSniffer, health, summary, voltsAtLel, waterTank } from './test-support/pipeline-sensor.js';
import type { SensorPipelineSpec } from './specs.js';

describe('sensor pipeline: MQ-6 gas sniffer', () => {
  it('reads %LEL with ppm, and alarms with a sentence', () => {
    const s = new Sensor(gasSniffer);
    const { reading } = s.sample(0, voltsAtLel(5));
    assert.equal(reading?.unit, '%LEL');
    assert.ok(Math.abs((reading?.value ?? NaN) - 5) < 1e-6);
    assert.ok(Math.abs((reading?.ppm ?? NaN) - 950) < 1e-3);
    for (let t = 1000; t <= 6000; t += 1000) s.sample(t, voltsAtLel(27));
    // The median of [5, 27] is 16 (a warning from 1000), of [5, 27, 27] 27 (critical from 2000).
    assert.deepEqual(summary(s.events), ['3000 gas raised warning', '4000 gas raised critical']);
    assert.equal(s.events[1]?.message, 'Gas at 27 %LEL at Kitchen gas sniffer (alarm at 25 %LEL)');
  });

  it('never alarms while warming up, whatever it reads', () => {
    const s = new Sensor({ ...gasSniffer, health: health({ validRange: { min: 0, max: 200 }, warmupMs: 180_000 }) });
    for (let t = 0; t < 180_000; t += 1000) {
      const step = s.sample(t, voltsAtLel(80), t > 100_000);
      assert.equal(step.health, 'warming_up');
      assert.equal(step.reading?.quality, 'warming_up');
    }
    // The source flag alone also counts.
    for (let t = 180_000; t < 200_000; t += 1000) s.sample(t, voltsAtLel(80), true);
    assert.deepEqual(s.events, []);
    s.sample(200_000, voltsAtLel(80));
    s.sample(202_000, voltsAtLel(80));
    assert.deepEqual(summary(s.events), ['202000 gas raised critical']);
  });

  it('unplugged: disconnected within two sample periods, the alarm holds, sensor_fault rises critical', () => {
    const s = new Sensor(gasSniffer);
    for (let t = 0; t <= 5000; t += 1000) s.sample(t, voltsAtLel(30));
    assert.deepEqual(summary(s.events), ['2000 gas raised critical']);
    assert.equal(s.sample(6000, 'no_ack').health, 'ok');
    assert.equal(s.sample(7000, 'no_ack').health, 'disconnected');
    for (let t = 8000; t <= 600_000; t += 1000) s.sample(t, 'no_ack');
    assert.deepEqual(summary(s.events), ['2000 gas raised critical', '17000 sensor_fault raised critical']);
  });

  it('gas above the range is at least the severe level at once, worded as such, and the sensor stays ok', () => {
    const s = new Sensor(gasSniffer);
    for (let t = 0; t <= 4000; t += 1000) s.sample(t, voltsAtLel(2));
    // 250 %LEL on a sensor whose range tops out at 200 %LEL.
    const over = s.sample(5000, voltsAtLel(250));
    assert.equal(over.health, 'ok');
    assert.equal(over.reading?.overRange, true);
    assert.equal(over.reading?.value, 200);
    s.sample(6000, voltsAtLel(250));
    s.sample(7000, voltsAtLel(250));
    assert.deepEqual(summary(s.events), ['7000 gas raised critical']);
    const raised = s.events[0];
    assert.equal(raised?.severe, true, 'cannot be silenced');
    assert.equal(raised?.message, "Gas above the sensor's range (>200 %LEL) at Kitchen gas sniffer (severe above 50 %LEL: the alarm cannot be silenced)");
    for (let t = 8000; t <= 120_000; t += 1000) assert.equal(s.sample(t, voltsAtLel(250)).health, 'ok');
    assert.equal(s.events.filter((e) => e.condition === 'sensor_fault').length, 0);
  });

  it('an output at the supply, or a source that says it clipped, is above the range: severe whatever the bound', () => {
    const atSupply = new Sensor({ ...gasSniffer, rules: [{ type: 'gas', warningLel: 10, alarmLel: 25, severeLel: 50, hysteresisLel: 3, minDurationMs: 0 }] });
    const step = atSupply.sample(0, 5.0);
    assert.equal(step.reading?.overRange, true);
    assert.deepEqual(summary(atSupply.events), ['0 gas raised critical']);
    assert.equal(atSupply.events[0]?.severe, true);
    // An ADC that clipped at 3 %LEL: the gas is at least that, and treated as severe.
    const clipped = new Sensor({ ...gasSniffer, rules: [{ type: 'gas', warningLel: 10, alarmLel: 25, severeLel: 50, hysteresisLel: 3, minDurationMs: 0 }] });
    const bound = clipped.sample(0, voltsAtLel(3), false, true);
    assert.ok(Math.abs((bound.reading?.value ?? NaN) - 3) < 1e-6);
    assert.equal(clipped.events[0]?.severe, true);
    assert.match(clipped.events[0]?.message ?? '', /Gas above the sensor's range \(>3 %LEL\)/);
  });

  it('volts outside the rails are rejected as out_of_range, never turned into a number', () => {
    const s = new Sensor(gasSniffer);
    const step = s.sample(0, 0);
    assert.equal(step.reading, undefined);
    assert.equal(step.rejected, 'out_of_range');
    assert.match(step.detail ?? '', /not between 0 and the 5 V supply/);
    assert.equal(step.health, 'out_of_range');
  });
});

describe('sensor pipeline: other kinds', () => {
  it('temperature reads °C; a DS18B20 power-on 85 °C arrives as a suspect fault and yields no reading', () => {
    const spec: SensorPipelineSpec = {
      sensorId: 't-1',
      name: 'Pump house',
      kind: 'temperature',
      calibration: { type: 'offset', scale: 1, offset: -0.5 },
      filter: { medianWindow: 1, emaTimeConstantMs: 0 },
      health: health({ validRange: { min: -40, max: 80 } }),
      rules: [],
    };
    const s = new Sensor(spec);
    const first = s.sample(0, 21.5);
    assert.deepEqual([first.reading?.value, first.reading?.unit, first.reading?.raw], [21, '°C', 21.5]);
    const suspect = s.sample(1000, 'suspect');
    assert.deepEqual([suspect.reading, suspect.rejected], [undefined, 'suspect']);
  });

  it('a leak contact is never smoothed: the first wet sample alarms', () => {
    const spec: SensorPipelineSpec = {
      sensorId: 'leak-1',
      name: 'Under the sink',
      kind: 'leak',
      calibration: { type: 'identity' },
      // A filter that would hold back and smear a 0 → 1 step, if it were applied.
      filter: { medianWindow: 5, spike: { maxRatePerMinute: 0.1, confirmSamples: 3 }, emaTimeConstantMs: 60_000 },
      health: health({ validRange: { min: 0, max: 1 } }),
      rules: [{ type: 'leak', minDurationMs: 60_000 }],
    };
    const s = new Sensor(spec);
    s.sample(0, 0);
    const wet = s.sample(1000, 1);
    assert.deepEqual([wet.reading?.value, wet.reading?.unit], [1, '']);
    assert.deepEqual(summary(wet.events), ['1000 water_leak raised critical']);
  });

  it('a level source without a level spec already speaks percent', () => {
    const { level: _, ...spec } = waterTank;
    const s = new Sensor({ ...spec, calibration: { type: 'identity' } });
    s.sample(0, 42);
    const { reading } = s.sample(1000, 42);
    assert.deepEqual([reading?.value, reading?.percent, reading?.litres], [42, 42, undefined]);
  });

  it('a tick with nothing to do returns the very same state (cheap snapshots)', () => {
    const s = new Sensor(waterTank);
    s.sample(0, 1500);
    s.sample(1000, 1500);
    const before = s.state;
    s.tick(1500);
    assert.equal(s.state, before);
  });
});
