import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../hardware/sim/random.js';
import { heightAtVolume, tankCapacityLitres, tankHeightMm, volumeAtHeight, type GeometricTank } from './geometry.js';

const close = (actual: number, expected: number, relative: number, what = ''): void =>
  assert.ok(
    Math.abs(actual - expected) <= Math.abs(expected) * relative + 1e-9,
    `${what} ${actual} vs ${expected} (±${relative * 100} %)`,
  );

/** Simpson's rule over [0, h] with n (even) intervals. */
function integrate(f: (z: number) => number, h: number, n = 2000): number {
  const step = h / n;
  let sum = f(0) + f(h);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * step);
  return (sum * step) / 3;
}

describe('tank geometry', () => {
  it('vertical cylinder: π r² h', () => {
    const tank: GeometricTank = { shape: 'vertical_cylinder', diameterMm: 1000, heightMm: 1500 };
    close(tankCapacityLitres(tank), Math.PI * 0.25 * 1.5 * 1000, 1e-12);
    close(volumeAtHeight(tank, 750), tankCapacityLitres(tank) / 2, 1e-12);
    assert.equal(tankHeightMm(tank), 1500);
  });

  it('rectangular: l w h', () => {
    const tank: GeometricTank = { shape: 'rectangular', lengthMm: 2000, widthMm: 1000, heightMm: 1000 };
    assert.equal(tankCapacityLitres(tank), 2000);
    assert.equal(volumeAtHeight(tank, 250), 500);
  });

  it('horizontal cylinder: 40 % depth holds 37.4 % of the volume, whatever the size', () => {
    const random = seededRandom(40);
    for (let i = 0; i < 200; i++) {
      const tank: GeometricTank = {
        shape: 'horizontal_cylinder',
        diameterMm: 100 + random.next() * 3000,
        lengthMm: 100 + random.next() * 10_000,
      };
      const fraction = volumeAtHeight(tank, 0.4 * tank.diameterMm) / tankCapacityLitres(tank);
      assert.equal(Math.round(fraction * 1000) / 10, 37.4, `${JSON.stringify(tank)}: ${fraction}`);
    }
  });

  it('horizontal cylinder: full is π r² L, half is half, and it is symmetric about the middle', () => {
    const tank: GeometricTank = { shape: 'horizontal_cylinder', diameterMm: 1200, lengthMm: 3000 };
    const full = (Math.PI * 600 * 600 * 3000) / 1e6;
    close(tankCapacityLitres(tank), full, 1e-12);
    close(volumeAtHeight(tank, 600), full / 2, 1e-12);
    for (const h of [10, 100, 300, 550]) close(volumeAtHeight(tank, h) + volumeAtHeight(tank, 1200 - h), full, 1e-12, `h ${h}`);
  });

  it('horizontal capsule: full = π r² L + 4/3 π r³', () => {
    const tank: GeometricTank = { shape: 'horizontal_capsule', diameterMm: 1000, lengthMm: 2500 };
    const r = 500;
    close(tankCapacityLitres(tank), (Math.PI * r * r * 2500 + (4 / 3) * Math.PI * r ** 3) / 1e6, 1e-12);
  });

  it('horizontal capsule matches a numeric integration of its cross-sections at every height', () => {
    const random = seededRandom(3);
    for (let i = 0; i < 20; i++) {
      const d = 200 + random.next() * 2000;
      const length = random.next() * 5000;
      const tank: GeometricTank = { shape: 'horizontal_capsule', diameterMm: d, lengthMm: length };
      const r = d / 2;
      // A horizontal slice at height z: a rectangle L × chord plus the sphere's disc of the same chord.
      const area = (z: number): number => {
        const rho = Math.sqrt(Math.max(0, r * r - (r - z) ** 2));
        return 2 * rho * length + Math.PI * rho * rho;
      };
      for (const fraction of [0.05, 0.2, 0.4, 0.5, 0.75, 0.99]) {
        const h = fraction * d;
        close(volumeAtHeight(tank, h), integrate(area, h) / 1e6, 1e-5, `d ${d} L ${length} h ${h}`);
      }
    }
  });

  it('volumeAtHeight clamps to the tank', () => {
    const tank: GeometricTank = { shape: 'horizontal_capsule', diameterMm: 600, lengthMm: 900 };
    assert.equal(volumeAtHeight(tank, -50), 0);
    assert.equal(volumeAtHeight(tank, 5000), tankCapacityLitres(tank));
  });

  it('heightAtVolume inverts volumeAtHeight for every shape (property)', () => {
    const random = seededRandom(99);
    const tanks: GeometricTank[] = [
      { shape: 'vertical_cylinder', diameterMm: 800, heightMm: 1800 },
      { shape: 'rectangular', lengthMm: 1000, widthMm: 700, heightMm: 1200 },
      { shape: 'horizontal_cylinder', diameterMm: 1250, lengthMm: 2800 },
      { shape: 'horizontal_capsule', diameterMm: 300, lengthMm: 900 },
    ];
    for (const tank of tanks) {
      for (let i = 0; i < 200; i++) {
        const h = random.next() * tankHeightMm(tank);
        close(heightAtVolume(tank, volumeAtHeight(tank, h)), h, 1e-6, tank.shape);
      }
      assert.equal(heightAtVolume(tank, -1), 0);
      assert.equal(heightAtVolume(tank, tankCapacityLitres(tank) * 2), tankHeightMm(tank));
    }
  });

  it('a capacity-only tank has a capacity and nothing else', () => {
    assert.equal(tankCapacityLitres({ shape: 'capacity', litres: 47.6 }), 47.6);
  });
});
