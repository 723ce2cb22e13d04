import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LPG_CURVE,
  lelPercent,
  lowestLelPercent,
  ppmFromRatio,
  r0FromCleanAir,
  ratioFromPpm,
  rsFromVout,
  voutFromRs,
} from './mq6-curve.js';

const close = (actual: number, expected: number, relative: number, what: string): void =>
  assert.ok(Math.abs(actual - expected) <= Math.abs(expected) * relative, `${what}: ${actual} vs ${expected}`);

describe('MQ-6 curve', () => {
  // Datasheet LPG points (Rs/R0, ppm). The fitted power law lands within 8% of each
  // (worst at 10 000 ppm: 9 225); 10% is asserted.
  const DATASHEET: readonly (readonly [number, number])[] = [
    [2.03, 200],
    [1.0, 1000],
    [0.74, 2000],
    [0.52, 5000],
    [0.39, 10000],
  ];

  it('lands within 10% of every datasheet point', () => {
    for (const [ratio, ppm] of DATASHEET) close(ppmFromRatio(ratio), ppm, 0.1, `Rs/R0 ${ratio}`);
  });

  it('reads 1009 ppm at R0 (Rs/R0 = 1), which is where R0 is defined', () => {
    assert.equal(ppmFromRatio(1), 1009.2);
  });

  it('reads clean air (Rs/R0 = 10) as a few ppm', () => {
    const ppm = ppmFromRatio(10);
    assert.ok(ppm > 1 && ppm < 10, `${ppm}`);
  });

  it('inverts: ratioFromPpm(ppmFromRatio(r)) = r', () => {
    for (const ratio of [0.2, 0.39, 1, 2.03, 10, 30]) close(ratioFromPpm(ppmFromRatio(ratio)), ratio, 1e-12, `ratio ${ratio}`);
    assert.equal(ratioFromPpm(0), Infinity);
  });

  it('takes a custom curve', () => {
    assert.equal(ppmFromRatio(2, { a: 100, b: -1 }), 50);
    assert.equal(ratioFromPpm(50, { a: 100, b: -1 }), 2);
    assert.equal(LPG_CURVE.a, 1009.2);
  });

  it('converts Vout to Rs and back: Rs = RL (Vc − Vout) / Vout', () => {
    const circuit = { supplyVolts: 5, loadOhms: 20_000 };
    assert.equal(rsFromVout(2.5, circuit), 20_000);
    assert.equal(rsFromVout(1, circuit), 80_000);
    assert.equal(voutFromRs(80_000, circuit), 1);
    close(rsFromVout(voutFromRs(123_456, circuit), circuit), 123_456, 1e-12, 'round trip');
  });

  it('refuses Vout at or beyond the rails', () => {
    const circuit = { supplyVolts: 5, loadOhms: 20_000 };
    for (const vout of [0, -0.1, 5, 5.2, NaN]) assert.throws(() => rsFromVout(vout, circuit), RangeError, `${vout} V`);
  });

  it('derives R0 from clean-air Rs (ratio 10 by default)', () => {
    assert.equal(r0FromCleanAir(200_000), 20_000);
    assert.equal(r0FromCleanAir(90_000, 9), 10_000);
  });
});

describe('LEL', () => {
  it('uses 2.1% for pure propane: 2100 ppm is 10% LEL', () => {
    close(lelPercent(2100, { propane: 1 }), 10, 1e-12, 'propane');
  });

  it('uses the lowest LEL present in a mix (conservative)', () => {
    assert.equal(lowestLelPercent({ propane: 0.6, butane: 0.4 }), 1.9);
    assert.equal(lowestLelPercent({ propane: 0.7, butane: 0.2, isobutane: 0.1 }), 1.8);
    assert.equal(lowestLelPercent({ propane: 1, butane: 0 }), 2.1, 'a gas at 0% does not count');
    close(lelPercent(1900, { propane: 0.6, butane: 0.4 }), 10, 1e-12, 'propane/butane');
    close(lelPercent(4500, { butane: 0.5, isobutane: 0.5 }), 25, 1e-12, 'butane/isobutane');
  });

  it('refuses a mix with no gas or a fraction outside 0…1', () => {
    assert.throws(() => lowestLelPercent({}), RangeError);
    assert.throws(() => lowestLelPercent({ propane: 0 }), RangeError);
    assert.throws(() => lowestLelPercent({ propane: 1.5 }), RangeError);
    assert.throws(() => lowestLelPercent({ methane: 1 } as never), /unknown gas/);
  });
});
