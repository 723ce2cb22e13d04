/**
 * Above the range is not broken: the chip simulators (ADS1115 + MQ-6 model, the
 * ultrasonic emulator on a serial pair) through the real drivers and sources into the
 * pipeline. Gas above the sensor's range is the highest alarm; a surface inside an
 * ultrasonic sensor's blind zone is a full tank; below the range stays a fault.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ads1115 } from '../../hardware/drivers/ads1115.js';
import { LPG_CURVE } from '../../hardware/drivers/mq6-curve.js';
import { Mq6Sensor } from '../../hardware/drivers/mq6.js';
import { UltrasonicSensor } from '../../hardware/drivers/ultrasonic.js';
import { Ads1115Sim, pinsFrom } from '../../hardware/sim/ads1115-sim.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { Mq6Model } from '../../hardware/sim/mq6-model.js';
import { createSerialPair } from '../../hardware/sim/serial-pair.js';
import { createSimI2cBus } from '../../hardware/sim/sim-i2c-bus.js';
import { UltrasonicSim } from '../../hardware/sim/ultrasonic-sim.js';
import { initialSensorState, stepSensor, type SensorState } from '../pipeline/sensor-pipeline.js';
import type { HealthSpec, SensorPipelineSpec } from '../pipeline/specs.js';
import type { ConditionEvent, RawSample, Reading } from '../pipeline/types.js';
import { mq6Source, ultrasonicSource } from './driver-sources.js';
import type { SampleSource } from './sample-source.js';

const MIX = { propane: 0.6, butane: 0.4 } as const;
const R0 = 10_000;

const health = (intervalMs: number, validRange: HealthSpec['validRange']): HealthSpec => ({
  intervalMs,
  disconnectedAfterFaults: 2,
  staleAfterMs: 3 * intervalMs,
  disconnectedAfterMs: 10 * intervalMs,
  validRange,
  stuckAfterMs: 0,
  stuckEpsilon: 0,
  noisyFraction: 0.3,
  noisyWindow: 20,
  warmupMs: 0,
});

const gasSpec: SensorPipelineSpec = {
  sensorId: 'kitchen-gas',
  name: 'Kitchen gas sniffer',
  kind: 'gas',
  calibration: { type: 'mq6', supplyVolts: 5, loadOhms: 20_000, r0Ohms: R0, curve: LPG_CURVE, gasMix: MIX },
  filter: { medianWindow: 1, emaTimeConstantMs: 0 },
  health: health(2000, { min: 0, max: 100 }),
  rules: [
    { type: 'gas', warningLel: 10, alarmLel: 25, severeLel: 50, hysteresisLel: 3, minDurationMs: 0 },
    { type: 'sensor_fault', minDurationMs: 4000 },
  ],
};

const tankSpec: SensorPipelineSpec = {
  sensorId: 'roof-tank',
  name: 'Roof water tank',
  kind: 'level',
  calibration: { type: 'identity' },
  level: {
    measures: 'distance_mm',
    mountHeightMm: 1250,
    blindZoneMm: 250,
    tank: { shape: 'vertical_cylinder', diameterMm: 1100, heightMm: 1100, maxFillFraction: 1 },
  },
  filter: { medianWindow: 5, emaTimeConstantMs: 0 },
  health: health(1000, { min: -5, max: 110 }),
  rules: [
    { type: 'low_level', warningPercent: 20, criticalPercent: 10, hysteresisPercent: 3, minDurationMs: 60_000 },
    { type: 'sensor_fault', minDurationMs: 2000 },
  ],
};

/** Polls one source on the manual clock and runs every sample through the pipeline. */
async function run(spec: SensorPipelineSpec, source: SampleSource, clock: ManualClock, samples: number) {
  let state: SensorState = initialSensorState(spec, clock.monotonic());
  const readings: Reading[] = [];
  const events: ConditionEvent[] = [];
  const health: string[] = [];
  for (let i = 0; i < samples; i++) {
    await clock.advance(spec.health.intervalMs);
    const read = await clock.run(source.read());
    const sample: RawSample = { sensorId: spec.sensorId, at: clock.now(), mono: clock.monotonic(), clockSynced: true, ...read };
    const step = stepSensor(spec, state, sample);
    state = step.state;
    if (step.reading !== undefined) readings.push(step.reading);
    events.push(...step.events);
    health.push(step.health);
  }
  return { readings, events, health };
}

/** An MQ-6 on AIN1 of a simulated ADS1115, warm, through a 2:3 divider as in the example config. */
function gasRig(options: { ppm?: number; pin?: number; fullScale: 4.096 | 1.024 }): { source: SampleSource; clock: ManualClock } {
  const clock = new ManualClock();
  const model = new Mq6Model({ ppm: () => options.ppm ?? 0, r0Ohms: R0, poweredOnAt: -3_600_000, dividerRatio: 1.5 });
  const { bus, backend } = createSimI2cBus();
  const pin = options.pin;
  backend.attach(0x48, new Ads1115Sim({ clock, pins: pinsFrom({ 1: pin === undefined ? model.adcVolts : () => pin }) }));
  const adc = new Ads1115({ bus, address: 0x48, clock });
  const mq6 = new Mq6Sensor({ adc, input: 'AIN1', fullScale: options.fullScale, dividerRatio: 1.5, r0Ohms: R0, gasMix: MIX, clock, warmupMs: 0 });
  return { source: mq6Source('kitchen-gas', mq6, 'sim AIN1'), clock };
}

describe('gas above the sensor range, on the ADS1115 and MQ-6 simulators', () => {
  it('a leak that clips the ADC is the severe gas alarm, worded as above the range, and the sensor stays ok', async () => {
    // 25 000 ppm ≈ 132 %LEL of the mix; on a ±1.024 V range the ADC clips.
    const { source, clock } = gasRig({ ppm: 25_000, fullScale: 1.024 });
    const { readings, events, health } = await run(gasSpec, source, clock, 10);
    assert.ok(readings.every((r) => r.overRange === true), 'every reading is a bound');
    assert.deepEqual([...new Set(health)], ['ok']);
    const raised = events.filter((e) => e.condition === 'gas' && e.state === 'raised');
    assert.equal(raised.length, 1);
    assert.equal(raised[0]?.severe, true, 'cannot be silenced');
    assert.match(raised[0]?.message ?? '', /^Gas above the sensor's range \(>\d+(\.\d)? %LEL\) at Kitchen gas sniffer \(severe above 50 %LEL/);
    assert.equal(events.filter((e) => e.condition === 'sensor_fault').length, 0, 'never "protection is OFF"');
  });

  it('beyond the curve (over the top of the range, the ADC not clipped) is the same alarm at >100 %LEL', async () => {
    const { source, clock } = gasRig({ ppm: 30_000, fullScale: 4.096 });
    const { readings, events } = await run(gasSpec, source, clock, 5);
    assert.equal(readings.at(-1)?.value, 100);
    assert.equal(readings.at(-1)?.overRange, true);
    assert.equal(events[0]?.message, "Gas above the sensor's range (>100 %LEL) at Kitchen gas sniffer (severe above 50 %LEL: the alarm cannot be silenced)");
  });

  it('an output at the supply rail is above the range too', async () => {
    const { source, clock } = gasRig({ pin: 3.4, fullScale: 4.096 }); // 3.4 V × 1.5 = 5.1 V at the sensor
    const { events } = await run(gasSpec, source, clock, 3);
    assert.equal(events[0]?.severe, true);
  });

  it('in range it is an ordinary reading', async () => {
    const { source, clock } = gasRig({ ppm: 2_000, fullScale: 4.096 });
    const { readings, events } = await run(gasSpec, source, clock, 3);
    assert.equal(readings.at(-1)?.overRange, undefined);
    assert.ok(Math.abs((readings.at(-1)?.value ?? 0) - 10.5) < 0.5, `${readings.at(-1)?.value} %LEL`);
    assert.equal(events[0]?.message, 'Gas at 10.5 %LEL at Kitchen gas sniffer (warning at 10 %LEL)');
  });

  it('below the range (the 0 V rail: a dead heater or wire) stays a fault', async () => {
    const { source, clock } = gasRig({ pin: 0, fullScale: 4.096 });
    const { readings, events, health } = await run(gasSpec, source, clock, 5);
    assert.deepEqual(readings, []);
    assert.equal(health.at(-1), 'out_of_range');
    assert.match(events.find((e) => e.condition === 'sensor_fault')?.message ?? '', /reading out of range: gas leak protection is OFF/);
  });
});

describe('an ultrasonic level sensor inside its blind zone, on the emulator', () => {
  function tankRig(distanceMm: number | null): { source: SampleSource; clock: ManualClock; sensor: UltrasonicSensor } {
    const clock = new ManualClock();
    const [sensorEnd, piEnd] = createSerialPair('sim:sensor', '/dev/serial0');
    new UltrasonicSim({ port: sensorEnd, model: 'A02YYUW', mode: 'streaming', clock, distanceMm: () => distanceMm }).start();
    const sensor = new UltrasonicSensor({ port: piEnd, model: 'A02YYUW', mode: 'streaming', clock });
    return { source: ultrasonicSource('roof-tank', sensor), clock, sensor };
  }

  it('reads full or over-full (a bound), healthy, with no fault raised', async () => {
    const { source, clock, sensor } = tankRig(20); // the water almost touches the transducer
    const { readings, events, health } = await run(tankSpec, source, clock, 30);
    assert.ok((sensor.counts().blind_zone ?? 0) > 0, 'the driver saw blind-zone frames');
    assert.deepEqual([...new Set(health)], ['ok']);
    assert.ok(readings.length > 20);
    assert.equal(readings.at(-1)?.overRange, true);
    // The zone's edge is 1250 − 250 = 1000 mm up a 1100 mm tank: at least 90.9 %.
    assert.ok(Math.abs((readings.at(-1)?.value ?? 0) - 90.9) < 0.05, `${readings.at(-1)?.value} %`);
    assert.deepEqual(events, []);
    await sensor.close();
  });

  it('no echo at all stays a fault', async () => {
    const { source, clock, sensor } = tankRig(null);
    const { readings, health } = await run(tankSpec, source, clock, 5);
    assert.deepEqual(readings, []);
    assert.notEqual(health.at(-1), 'ok');
    await sensor.close();
  });
});
