import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ppmFromRatio, rsFromVout } from '../drivers/mq6-curve.js';
import { Mq6Model } from './mq6-model.js';

const R0 = 20_000;
const WARM = 20 * 60_000; // 20 τ: fully warm

describe('Mq6Model', () => {
  it('sits at Rs/R0 = 10 in clean air once warm, whatever the world says below a few ppm', () => {
    for (const ppm of [0, -5, 1, 4]) {
      const model = new Mq6Model({ ppm: () => ppm, r0Ohms: R0 });
      assert.ok(Math.abs(model.rsOhms(WARM) / R0 - 10) < 1e-6, `${ppm} ppm`);
    }
  });

  it('follows the LPG curve when warm: the ppm it is given is the ppm the curve reads back', () => {
    for (const ppm of [200, 1000, 5000, 10_000]) {
      const model = new Mq6Model({ ppm: () => ppm, r0Ohms: R0 });
      const ratio = model.rsOhms(WARM) / R0;
      assert.ok(Math.abs(ppmFromRatio(ratio) - ppm) / ppm < 1e-6, `${ppm} ppm → ratio ${ratio}`);
    }
  });

  it('puts Vc × RL / (Rs + RL) on the sensor output, and divides it for the ADC pin', () => {
    const model = new Mq6Model({ ppm: () => 0, r0Ohms: R0, supplyVolts: 5, loadOhms: 20_000, dividerRatio: 2 });
    const vout = model.sensorVolts(WARM);
    assert.ok(Math.abs(vout - (5 * 20_000) / (200_000 + 20_000)) < 1e-6, `${vout}`);
    assert.equal(model.adcVolts(WARM), vout / 2);
    assert.ok(Math.abs(rsFromVout(vout, { supplyVolts: 5, loadOhms: 20_000 }) - model.rsOhms(WARM)) < 1e-6);
  });

  it('reads falsely high when cold: Rs starts far low and rises with a ~1 min time constant', () => {
    const model = new Mq6Model({ ppm: () => 0, r0Ohms: R0, poweredOnAt: 1_000 });
    const ppmAt = (t: number): number => ppmFromRatio(model.rsOhms(t) / R0);
    assert.ok(ppmAt(1_000) > 2000, `just powered: ${ppmAt(1_000)} ppm in clean air`);
    assert.ok(ppmAt(0) === ppmAt(1_000), 'before power-on it is as cold as at power-on');
    const samples = [0, 30_000, 60_000, 120_000, 180_000, 300_000].map((dt) => model.rsOhms(1_000 + dt));
    for (let i = 1; i < samples.length; i++) assert.ok(samples[i]! > samples[i - 1]!, 'Rs only rises');
    assert.ok(ppmAt(1_000 + 60_000) > 50, `after 1 τ still high: ${ppmAt(61_000)} ppm`);
    assert.ok(ppmAt(1_000 + 600_000) < 10, `after 10 min clean air: ${ppmAt(601_000)} ppm`);
  });

  it('starts cold again after powerOn', () => {
    const model = new Mq6Model({ ppm: () => 0, r0Ohms: R0 });
    const warm = model.rsOhms(WARM);
    model.powerOn(WARM);
    assert.ok(model.rsOhms(WARM) < warm / 10);
  });

  it('samples the world model at the time asked', () => {
    const model = new Mq6Model({ ppm: (t) => (t >= WARM + 1000 ? 5000 : 0), r0Ohms: R0 });
    assert.ok(model.adcVolts(WARM + 1000) > model.adcVolts(WARM) * 5, 'a leak raises the output');
  });
});
