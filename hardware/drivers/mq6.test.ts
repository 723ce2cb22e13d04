import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Result } from '../fault.js';
import { Ads1115Sim, pinsFrom } from '../sim/ads1115-sim.js';
import { ManualClock } from '../sim/manual-clock.js';
import { Mq6Model, type Mq6ModelOptions } from '../sim/mq6-model.js';
import { createSimI2cBus } from '../sim/sim-i2c-bus.js';
import { Ads1115 } from './ads1115.js';
import { Mq6Sensor, type Mq6Options } from './mq6.js';

const MODEL_R0 = 20_000;
const MIX = { propane: 0.6, butane: 0.4 } as const;

/** An MQ-6 board on AIN0 of a simulated ADS1115, the world in clean air unless told. */
function rig(
  world: { ppm?: (nowMs: number) => number; model?: Partial<Mq6ModelOptions>; pin0?: (nowMs: number) => number } = {},
  sensor: Partial<Mq6Options> = {},
): { mq6: Mq6Sensor; clock: ManualClock; model: Mq6Model } {
  const clock = new ManualClock();
  const model = new Mq6Model({ ppm: world.ppm ?? (() => 0), r0Ohms: MODEL_R0, poweredOnAt: 0, ...world.model });
  const { bus, backend } = createSimI2cBus();
  backend.attach(0x48, new Ads1115Sim({ clock, pins: pinsFrom({ 0: world.pin0 ?? model.adcVolts }) }));
  const adc = new Ads1115({ bus, address: 0x48, clock });
  const mq6 = new Mq6Sensor({ adc, input: 'AIN0', r0Ohms: MODEL_R0, gasMix: MIX, clock, ...sensor });
  return { mq6, clock, model };
}

function value<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`expected a value, got fault ${result.fault.code}: ${result.fault.message}`);
  return result.value;
}

const WARMUP_MS = 180_000;

describe('Mq6Sensor', () => {
  it('reads clean air as a few ppm once warm, with every step of the maths', async () => {
    const { mq6, clock } = rig();
    await clock.advance(20 * 60_000);
    const r = value(await clock.run(mq6.read()));
    assert.equal(r.warmingUp, false);
    assert.equal(r.sensorVolts, r.volts, 'no divider');
    assert.ok(Math.abs(r.volts - (5 * 20_000) / (200_000 + 20_000)) < 0.001, `${r.volts} V`);
    assert.ok(Math.abs(r.ratio - 10) < 0.05, `Rs/R0 ${r.ratio}`);
    assert.ok(r.ppm > 1 && r.ppm < 10, `${r.ppm} ppm`);
    assert.ok(r.lelPercent < 0.1, `${r.lelPercent}% LEL`);
  });

  it('reads a leak as ppm and % LEL of the mix (lowest LEL: butane 1.9%)', async () => {
    const { mq6, clock } = rig({ ppm: () => 4750 });
    await clock.advance(20 * 60_000);
    const r = value(await clock.run(mq6.read()));
    assert.ok(Math.abs(r.ppm - 4750) / 4750 < 0.01, `${r.ppm} ppm`);
    assert.ok(Math.abs(r.lelPercent - 25) < 0.3, `${r.lelPercent}% LEL`);
  });

  it('flags readings during warm-up, when the cold sensor reads falsely high, and clears the flag after', async () => {
    const { mq6, clock } = rig();
    const cold = value(await clock.run(mq6.read()));
    assert.equal(cold.warmingUp, true);
    assert.equal(mq6.warmingUp, true);
    assert.ok(cold.lelPercent > 10, `clean air read as ${cold.lelPercent}% LEL while cold`);
    await clock.advance(WARMUP_MS - 1000);
    assert.equal(value(await clock.run(mq6.read())).warmingUp, true);
    await clock.advance(1000);
    const warm = value(await clock.run(mq6.read()));
    assert.equal(warm.warmingUp, false);
    assert.ok(warm.ppm < cold.ppm / 10);
  });

  it('counts warm-up from poweredOnAt when the heater came on before the driver started', async () => {
    const clock = new ManualClock();
    await clock.advance(WARMUP_MS);
    const { bus } = createSimI2cBus();
    const adc = new Ads1115({ bus, address: 0x48, clock });
    const base = { adc, input: 'AIN0', r0Ohms: MODEL_R0, gasMix: MIX, clock } as const;
    assert.equal(new Mq6Sensor({ ...base, poweredOnAt: 0 }).warmingUp, false);
    assert.equal(new Mq6Sensor(base).warmingUp, true);
    assert.equal(new Mq6Sensor({ ...base, warmupMs: 0 }).warmingUp, false);
  });

  it('undoes a divider and a different load resistor', async () => {
    const model = { dividerRatio: 1.5, loadOhms: 10_000 };
    const { mq6, clock } = rig({ ppm: () => 1000, model }, { dividerRatio: 1.5, loadOhms: 10_000 });
    await clock.advance(20 * 60_000);
    const r = value(await clock.run(mq6.read()));
    assert.ok(Math.abs(r.sensorVolts - r.volts * 1.5) < 1e-12);
    assert.ok(Math.abs(r.ratio - 1) < 0.01, `Rs/R0 ${r.ratio}`);
    assert.ok(Math.abs(r.ppm - 1000) / 1000 < 0.02, `${r.ppm} ppm`);
  });

  it("reports the 0 V rail as 'out_of_range' (a dead heater or wire), not as a number", async () => {
    const dead = rig({ pin0: () => 0 });
    const low = await dead.clock.run(dead.mq6.read());
    assert.equal(!low.ok && low.fault.code, 'out_of_range');
    assert.match(!low.ok ? low.fault.message : '', /sensor output at the 0 V rail: check the heater supply and the divider/);
    assert.deepEqual(dead.mq6.counts(), { out_of_range: 1 });
  });

  it('reads an output at the supply as gas above the range (Rs 0, unbounded %LEL), not as a fault', async () => {
    // A 2:1 divider whose ADC pin reads 2.6 V means 5.2 V at the sensor: at or above Vc.
    const high = rig({ pin0: () => 2.6 }, { dividerRatio: 2 });
    const r = value(await high.clock.run(high.mq6.read()));
    assert.equal(r.aboveRange, true);
    assert.equal(r.rsOhms, 0);
    assert.equal(r.lelPercent, Infinity);
    assert.deepEqual(high.mq6.counts(), { ok: 1 });
  });

  it('reads an ADC clipped high as gas above the range, with the clip as the lower bound', async () => {
    const { mq6, clock } = rig({ pin0: () => 3.0 }, { fullScale: 2.048 });
    const r = value(await clock.run(mq6.read()));
    assert.equal(r.aboveRange, true);
    assert.ok(Math.abs(r.volts - 2.048) < 0.001, `${r.volts} V at the clip`);
    assert.ok(Number.isFinite(r.lelPercent) && r.lelPercent > 0, `at least ${r.lelPercent} %LEL`);
  });

  it('reads a real leak beyond the clip through the emulator as above the range; in range it is not', async () => {
    // 30 000 ppm (about 158 %LEL of the mix) on a 1.024 V range: the chip clips.
    const { mq6, clock } = rig({ ppm: () => 30_000 }, { fullScale: 1.024 });
    await clock.advance(20 * 60_000);
    const over = value(await clock.run(mq6.read()));
    assert.equal(over.aboveRange, true);
    const { mq6: calm, clock: calmClock } = rig({ ppm: () => 4750 });
    await calmClock.advance(20 * 60_000);
    assert.equal(value(await calmClock.run(calm.read())).aboveRange, false);
  });

  it("reports a negative input as 'out_of_range': below the range is a fault", async () => {
    const { mq6, clock } = rig({ pin0: () => -3.0 }, { fullScale: 2.048 });
    const result = await clock.run(mq6.read());
    assert.equal(!result.ok && result.fault.code, 'out_of_range');
    assert.match(!result.ok ? result.fault.message : '', /0 V rail|clipped/);
  });

  it('refuses to calibrate in gas above the range', async () => {
    const { mq6, clock } = rig({ pin0: () => 3.0 }, { fullScale: 2.048 });
    await clock.advance(WARMUP_MS);
    const result = await clock.run(mq6.calibrateCleanAir(2));
    assert.equal(!result.ok && result.fault.code, 'out_of_range');
    assert.match(!result.ok ? result.fault.message : '', /not clean air/);
  });

  it('passes ADC faults through and counts every outcome', async () => {
    const clock = new ManualClock();
    const { bus } = createSimI2cBus();
    const mq6 = new Mq6Sensor({ adc: new Ads1115({ bus, address: 0x48, clock }), input: 'AIN0', r0Ohms: MODEL_R0, gasMix: MIX, clock });
    const result = await clock.run(mq6.read());
    assert.equal(!result.ok && result.fault.code, 'no_ack');
    const { mq6: good, clock: goodClock } = rig();
    value(await goodClock.run(good.read()));
    value(await goodClock.run(good.read()));
    assert.deepEqual(mq6.counts(), { no_ack: 1 });
    assert.deepEqual(good.counts(), { ok: 2 });
  });

  it("recovers the model's R0 within 2% by clean-air calibration through the ADS1115 emulator", async () => {
    for (const [trueR0, loadOhms] of [
      [20_000, 20_000],
      [8_000, 10_000],
      [45_000, 1_000],
    ] as const) {
      // The sensor is built with a wrong R0 guess: calibration does not depend on it.
      const { mq6, clock } = rig({ model: { r0Ohms: trueR0, loadOhms } }, { r0Ohms: 99_999, loadOhms });
      await clock.advance(10 * 60_000);
      const cal = value(await clock.run(mq6.calibrateCleanAir(16)));
      assert.equal(cal.samples, 16);
      assert.ok(Math.abs(cal.r0Ohms - trueR0) / trueR0 < 0.02, `R0 ${cal.r0Ohms} vs ${trueR0} (RL ${loadOhms})`);
      assert.ok(Math.abs(cal.rsOhms - cal.r0Ohms * 10) < 1e-6);
    }
  });

  it('spaces calibration samples when asked', async () => {
    const { mq6, clock } = rig();
    await clock.advance(WARMUP_MS);
    const started = clock.monotonic();
    value(await clock.run(mq6.calibrateCleanAir(5, { intervalMs: 1000 })));
    assert.ok(clock.monotonic() - started >= 4000);
  });

  it('refuses to calibrate while warming up, saying why', async () => {
    const { mq6, clock } = rig();
    await clock.advance(60_000);
    const result = await clock.run(mq6.calibrateCleanAir(4));
    assert.equal(result.ok, false);
    assert.match(!result.ok ? result.fault.message : '', /warming up \(120 s left\)/);
  });

  it('aborts calibration on a failed read instead of averaging around it', async () => {
    const { mq6, clock } = rig({ pin0: (t) => (t > WARMUP_MS + 50 ? 0 : 0.45) });
    await clock.advance(WARMUP_MS);
    const result = await clock.run(mq6.calibrateCleanAir(20));
    assert.equal(!result.ok && result.fault.code, 'out_of_range');
  });

  it('refuses nonsense configuration at construction', () => {
    const clock = new ManualClock();
    const { bus } = createSimI2cBus();
    const base = { adc: new Ads1115({ bus, address: 0x48, clock }), input: 'AIN0', r0Ohms: MODEL_R0, gasMix: MIX, clock } as const;
    assert.throws(() => new Mq6Sensor({ ...base, r0Ohms: 0 }), /r0Ohms/);
    assert.throws(() => new Mq6Sensor({ ...base, loadOhms: -1 }), /loadOhms/);
    assert.throws(() => new Mq6Sensor({ ...base, gasMix: {} }), RangeError);
  });
});
