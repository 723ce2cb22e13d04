import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DIY_R3D_MAPPING,
  FloatGaugeSender,
  fillFractionForVolts,
  needlePosition,
  trueSenderVolts,
} from './float-gauge.js';

const T0 = Date.UTC(2026, 0, 1);

describe('float gauge true mapping', () => {
  it('reads the DIY build: 1.81 V empty falling to 0.39 V full', () => {
    assert.equal(trueSenderVolts(0, DIY_R3D_MAPPING), 1.8125);
    assert.equal(trueSenderVolts(1, DIY_R3D_MAPPING), 0.39375);
    assert.equal(trueSenderVolts(-0.2, DIY_R3D_MAPPING), 1.8125, 'clamped below empty');
    assert.equal(trueSenderVolts(1.3, DIY_R3D_MAPPING), 0.39375, 'clamped above full');
  });

  it('falls strictly as the level rises', () => {
    let previous = Number.POSITIVE_INFINITY;
    for (let f = 0; f <= 1; f += 0.01) {
      const v = trueSenderVolts(f, DIY_R3D_MAPPING);
      assert.ok(v < previous, `not falling at ${f}`);
      previous = v;
    }
  });

  it('bends mildly: ends fixed, middle off linear by at most k/(2π) of the span', () => {
    const k = DIY_R3D_MAPPING.nonLinearity;
    let worst = 0;
    for (let f = 0; f <= 1; f += 0.001) worst = Math.max(worst, Math.abs(needlePosition(f, k) - f));
    assert.ok(worst > 0.9 * (k / (2 * Math.PI)) && worst <= k / (2 * Math.PI) + 1e-12, `worst ${worst}`);
    assert.equal(needlePosition(0.5, k), 0.5);
    assert.equal(needlePosition(0.37, 0), 0.37);
  });

  it('inverts, so a two-point calibration plus the curve recovers the level', () => {
    for (const f of [0, 0.05, 0.2, 0.5, 0.73, 0.99, 1]) {
      const volts = trueSenderVolts(f, DIY_R3D_MAPPING);
      assert.ok(Math.abs(fillFractionForVolts(volts, DIY_R3D_MAPPING) - f) < 1e-9, `fraction ${f}`);
    }
    // A rising sender inverts as well.
    const rising = { emptyVolts: 0.5, fullVolts: 4.5, nonLinearity: -0.3 };
    assert.ok(Math.abs(fillFractionForVolts(trueSenderVolts(0.3, rising), rising) - 0.3) < 1e-9);
    assert.equal(fillFractionForVolts(2.5, DIY_R3D_MAPPING), 0, 'beyond empty');
    assert.equal(fillFractionForVolts(0.1, DIY_R3D_MAPPING), 1, 'beyond full');
  });
});

describe('FloatGaugeSender', () => {
  it('adds small seeded noise, the same for the same instant however often asked', () => {
    const gauge = new FloatGaugeSender({ seed: 5 });
    const truth = trueSenderVolts(0.6, gauge.mapping);
    const readings = Array.from({ length: 2000 }, (_, i) => gauge.voltsAt(0.6, T0 + i * 1000) - truth);
    const mean = readings.reduce((a, b) => a + b, 0) / readings.length;
    const sd = Math.sqrt(readings.reduce((a, b) => a + (b - mean) ** 2, 0) / readings.length);
    assert.ok(Math.abs(mean) < 0.0003, `mean ${mean}`);
    assert.ok(Math.abs(sd - 0.002) < 0.0003, `sd ${sd}`);
    assert.equal(gauge.voltsAt(0.6, T0 + 123_456), gauge.voltsAt(0.6, T0 + 123_456));
    assert.equal(new FloatGaugeSender({ seed: 5 }).voltsAt(0.6, T0 + 7), gauge.voltsAt(0.6, T0 + 7));
    assert.notEqual(new FloatGaugeSender({ seed: 6 }).voltsAt(0.6, T0 + 7), gauge.voltsAt(0.6, T0 + 7));
  });

  it('holds a stuck needle whatever the level, only during the fault', () => {
    const gauge = new FloatGaugeSender({
      noiseVolts: 0,
      faults: [{ kind: 'stuck', fromMs: T0 + 1000, untilMs: T0 + 5000, atFraction: 0.7 }],
    });
    assert.equal(gauge.voltsAt(0.2, T0), trueSenderVolts(0.2, gauge.mapping));
    assert.equal(gauge.voltsAt(0.2, T0 + 1000), trueSenderVolts(0.7, gauge.mapping));
    assert.equal(gauge.voltsAt(0.9, T0 + 4999), trueSenderVolts(0.7, gauge.mapping));
    assert.equal(gauge.voltsAt(0.2, T0 + 5000), trueSenderVolts(0.2, gauge.mapping));
  });

  it('floats near ground or near the rail when disconnected, never a plausible level', () => {
    const gauge = new FloatGaugeSender({ seed: 9 });
    gauge.addFault({ kind: 'disconnected', fromMs: T0, untilMs: T0 + 10_000, floatsTo: 'ground' });
    gauge.addFault({ kind: 'disconnected', fromMs: T0 + 10_000, floatsTo: 'rail' });
    for (let i = 0; i < 200; i++) {
      const low = gauge.voltsAt(0.5, T0 + i * 37);
      assert.ok(low >= 0 && low < 0.06, `ground ${low}`);
      const high = gauge.voltsAt(0.5, T0 + 10_000 + i * 37);
      assert.ok(high <= 3.3 && high > 3.24, `rail ${high}`);
    }
    assert.equal(gauge.faultAt(T0 + 10_000)?.kind, 'disconnected');
    assert.equal(new FloatGaugeSender().faultAt(T0), null);
  });

  it('refuses a non-monotonic dial or equal end voltages', () => {
    assert.throws(() => new FloatGaugeSender({ nonLinearity: 1 }), /nonLinearity/);
    assert.throws(() => new FloatGaugeSender({ emptyVolts: 1, fullVolts: 1 }), /differ/);
  });
});
