import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { heightAtVolume, tankCapacityLitres } from './geometry.js';
import { levelFromCalibrated, type Level, type LevelResult } from './level.js';
import type { LevelSpec, TankSpec } from './specs.js';

const close = (actual: number, expected: number, tolerance: number, what = ''): void =>
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what} ${actual} vs ${expected} (±${tolerance})`);

function level(result: LevelResult): Level {
  if ('error' in result) assert.fail(`unexpected ${result.error}: ${result.message}`);
  return result;
}

const waterTank: TankSpec = { shape: 'vertical_cylinder', diameterMm: 1000, heightMm: 2000, maxFillFraction: 1 };
const ultrasonic: LevelSpec = { measures: 'distance_mm', mountHeightMm: 2100, blindZoneMm: 250, tank: waterTank };
const lpgTank: TankSpec = { shape: 'horizontal_capsule', diameterMm: 600, lengthMm: 1200, maxFillFraction: 0.8 };

describe('levelFromCalibrated', () => {
  it('distance: height = mount height − distance, then the geometry', () => {
    const l = level(levelFromCalibrated(ultrasonic, 1100));
    assert.equal(l.heightMm, 1000);
    close(l.percent, 50, 1e-9);
    close(l.litres, tankCapacityLitres(waterTank) / 2, 1e-9);
  });

  it('distance inside the blind zone is full or over-full: the level at the zone\'s edge, as a bound', () => {
    // Edge at 2100 − 250 = 1850 mm of a 2000 mm tank: at least 92.5 %.
    for (const mm of [250, 40]) {
      const l = level(levelFromCalibrated(ultrasonic, mm));
      assert.equal(l.overRange, true);
      close(l.percent, 92.5, 1e-9);
    }
    assert.equal(level(levelFromCalibrated(ultrasonic, 251)).overRange, undefined);
    // A zone that reaches above the overflow says no more than "full".
    const high = level(levelFromCalibrated({ ...ultrasonic, blindZoneMm: 50 }, 20));
    assert.equal(high.percent, 100);
    close(high.litres, tankCapacityLitres(waterTank), 1e-9);
  });

  it('an LPG tank filled to 80 % of its water capacity reads 100 %', () => {
    const capacity = tankCapacityLitres(lpgTank);
    const h80 = heightAtVolume(lpgTank, capacity * 0.8);
    const byHeight = level(levelFromCalibrated({ measures: 'height_mm', tank: lpgTank }, h80));
    close(byHeight.percent, 100, 1e-6);
    close(byHeight.litres, capacity * 0.8, 1e-6);
  });

  it('a float gauge is already volume percent: no geometry, 80 on the dial is 100 %', () => {
    const gauge: LevelSpec = { measures: 'gauge_percent', tank: lpgTank };
    close(level(levelFromCalibrated(gauge, 80)).percent, 100, 1e-9);
    close(level(levelFromCalibrated(gauge, 40)).percent, 50, 1e-9);
    close(level(levelFromCalibrated(gauge, 40)).litres, tankCapacityLitres(lpgTank) * 0.4, 1e-9);
    // Works with a capacity-only tank too.
    const byCapacity = level(levelFromCalibrated({ measures: 'gauge_percent', tank: { shape: 'capacity', litres: 47.6, maxFillFraction: 0.8 } }, 20));
    close(byCapacity.litres, 9.52, 1e-9);
    close(byCapacity.percent, 25, 1e-9);
  });

  it('does not clamp: a little over 100 % or under 0 % is reported as it is', () => {
    const gauge: LevelSpec = { measures: 'gauge_percent', tank: lpgTank };
    close(level(levelFromCalibrated(gauge, 82)).percent, 102.5, 1e-9);
    close(level(levelFromCalibrated(gauge, -1)).percent, -1.25, 1e-9);
    // The surface 20 mm below the floor (a mis-set mount height) and 10 mm above the top.
    const low = level(levelFromCalibrated(ultrasonic, 2120));
    close(low.percent, -1, 1e-9);
    const high = level(levelFromCalibrated({ ...ultrasonic, blindZoneMm: 30 }, 90));
    close(high.percent, 100.5, 1e-9);
  });

  it('percent rises with height, strictly, across the whole tank (property)', () => {
    for (const tank of [lpgTank, waterTank, { shape: 'horizontal_cylinder', diameterMm: 900, lengthMm: 2000, maxFillFraction: 1 } as const]) {
      let previous = -Infinity;
      for (let h = -50; h <= 2050; h += 7) {
        const l = level(levelFromCalibrated({ measures: 'height_mm', tank }, h));
        assert.ok(l.percent > previous, `${tank.shape} h ${h}: ${l.percent} after ${previous}`);
        previous = l.percent;
      }
    }
  });

  it('reports configurations that cannot work', () => {
    assert.ok('error' in levelFromCalibrated({ measures: 'distance_mm', tank: waterTank }, 500));
    assert.ok('error' in levelFromCalibrated({ measures: 'height_mm', tank: { shape: 'capacity', litres: 100, maxFillFraction: 1 } }, 500));
    assert.ok('error' in levelFromCalibrated({ measures: 'height_mm', tank: { ...waterTank, maxFillFraction: 0 } }, 500));
    assert.ok('error' in levelFromCalibrated(ultrasonic, NaN));
  });
});
