import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LPG_CURVE, ratioFromPpm, voutFromRs } from '../../hardware/drivers/mq6-curve.js';
import { gaussian, seededRandom } from '../../hardware/sim/random.js';
import { tankCapacityLitres } from './geometry.js';
import { initialSensorState, stepSensor, tickSensor, type SensorState, type SensorStep } from './sensor-pipeline.js';
import type { HealthSpec, SensorPipelineSpec } from './specs.js';
import type { ConditionEvent, RawSample, Reading, SampleFaultCode } from './types.js';

const T0 = 1_767_225_600_000;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

const health = (overrides: Partial<HealthSpec> = {}): HealthSpec => ({
  intervalMs: 1000,
  disconnectedAfterFaults: 2,
  staleAfterMs: 3000,
  disconnectedAfterMs: 10_000,
  validRange: { min: -5, max: 105 },
  stuckAfterMs: 0,
  stuckEpsilon: 0,
  noisyFraction: 0.3,
  noisyWindow: 20,
  warmupMs: 0,
  ...overrides,
});

const waterTankTank = { shape: 'vertical_cylinder', diameterMm: 1000, heightMm: 2000, maxFillFraction: 1 } as const;

const waterTank: SensorPipelineSpec = {
  sensorId: 'tank-1',
  name: 'Roof water tank',
  kind: 'level',
  calibration: { type: 'identity' },
  level: { measures: 'distance_mm', mountHeightMm: 2100, blindZoneMm: 250, tank: waterTankTank },
  filter: { medianWindow: 5, spike: { maxRatePerMinute: 60, confirmSamples: 3 }, emaTimeConstantMs: 10_000 },
  health: health(),
  rules: [
    { type: 'low_level', warningPercent: 20, criticalPercent: 10, hysteresisPercent: 5, minDurationMs: 60_000 },
    { type: 'sudden_drop', dropPercent: 10, windowMs: 30 * 60_000 },
    { type: 'sensor_fault', minDurationMs: 30_000 },
  ],
};

const lpgGauge: SensorPipelineSpec = {
  sensorId: 'lpg-1',
  name: 'LPG cylinder',
  kind: 'level',
  calibration: {
    type: 'two_point',
    points: [
      { raw: 29000, value: 0 },
      { raw: 6300, value: 100 },
    ],
  },
  level: { measures: 'gauge_percent', tank: { shape: 'capacity', litres: 47.6, maxFillFraction: 0.8 } },
  filter: { medianWindow: 3, spike: { maxRatePerMinute: 5, confirmSamples: 3 }, emaTimeConstantMs: 0 },
  health: health({ intervalMs: 10_000, staleAfterMs: 30_000, disconnectedAfterMs: 100_000 }),
  rules: [
    { type: 'low_level', warningPercent: 20, criticalPercent: 10, hysteresisPercent: 5, minDurationMs: 60_000 },
    { type: 'sensor_fault', minDurationMs: 60_000 },
  ],
};

const mq6Circuit = { supplyVolts: 5, loadOhms: 20_000 };
const R0 = 10_000;
const gasSniffer: SensorPipelineSpec = {
  sensorId: 'gas-1',
  name: 'Kitchen gas sniffer',
  kind: 'gas',
  calibration: { type: 'mq6', ...mq6Circuit, r0Ohms: R0, curve: LPG_CURVE, gasMix: { propane: 0.6, butane: 0.4 } },
  filter: { medianWindow: 3, emaTimeConstantMs: 0 },
  health: health({ validRange: { min: 0, max: 200 }, warmupMs: 0 }),
  rules: [
    { type: 'gas', warningLel: 10, alarmLel: 25, severeLel: 50, hysteresisLel: 3, minDurationMs: 2000 },
    { type: 'sensor_fault', minDurationMs: 10_000 },
  ],
};
/** MQ-6 output volts at a %LEL of the mix above (butane's 1.9 % LEL). */
const voltsAtLel = (lel: number): number => voutFromRs(ratioFromPpm((lel / 100) * 19_000) * R0, mq6Circuit);

/** Drives one sensor through samples and ticks, freezing every state it hands in. */
class Sensor {
  state: SensorState;
  readonly events: ConditionEvent[] = [];
  readonly readings: Reading[] = [];
  last?: SensorStep;

  constructor(
    readonly spec: SensorPipelineSpec,
    startMono = 0,
  ) {
    this.state = initialSensorState(spec, startMono);
  }

  sample(mono: number, value: number | SampleFaultCode, warmingUp = false, overRange = false): SensorStep {
    const sample: RawSample = {
      sensorId: this.spec.sensorId,
      at: T0 + mono,
      mono,
      clockSynced: true,
      ...(typeof value === 'number' ? { value } : { fault: { code: value, message: `simulated ${value}` } }),
      ...(warmingUp ? { warmingUp } : {}),
      ...(overRange ? { overRange } : {}),
    };
    const step = stepSensor(this.spec, deepFreeze(this.state), sample);
    this.state = step.state;
    this.events.push(...step.events);
    if (step.reading !== undefined) this.readings.push(step.reading);
    this.last = step;
    return step;
  }

  tick(mono: number): ConditionEvent[] {
    const t = tickSensor(this.spec, deepFreeze(this.state), T0 + mono, mono, true);
    this.state = t.state;
    this.events.push(...t.events);
    return t.events;
  }
}

const summary = (events: readonly ConditionEvent[]): string[] => events.map((e) => `${e.mono} ${e.condition} ${e.state} ${e.severity}`);

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

function tickHealth(s: Sensor, mono: number): string {
  return tickSensor(s.spec, s.state, T0 + mono, mono, true).health;
}

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
