/**
 * Property test: whatever the rows (random, constant, a single point, huge gaps,
 * out of order, duplicated, clock jumps flagged unsynchronised, non-finite
 * values), no NaN or Infinity leaves usage, the forecast or its projection curve,
 * and the curve's band is never upside down.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { prng } from '../../test-support/prng.js';
import { forecast } from './forecast.js';
import type { LevelRow } from './level-series.js';
import { DAY, HOUR } from './local-time.js';
import { analyseUsage } from './usage.js';

const START = Date.UTC(2026, 2, 1);

/** Fails on the first non-finite number anywhere in `value` (Infinity as a JSON null is caught before JSON). */
function assertFinite(value: unknown, path: string): void {
  if (typeof value === 'number') assert.ok(Number.isFinite(value), `${path} = ${value}`);
  else if (Array.isArray(value)) value.forEach((v, i) => assertFinite(v, `${path}[${i}]`));
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) assertFinite(v, `${path}.${k}`);
}

type Shape = (random: () => number) => LevelRow[];

const SHAPES: Record<string, Shape> = {
  random: (r) => Array.from({ length: 1 + Math.floor(r() * 800) }, (_, i) => ({ at: START + i * HOUR, percent: r() * 100, litres: r() < 0.5 ? null : r() * 1000 })),
  constant: (r) => Array.from({ length: 24 * (1 + Math.floor(r() * 40)) }, (_, i) => ({ at: START + i * HOUR, percent: 42, litres: 420 })),
  single: (r) => [{ at: START + Math.floor(r() * 1000) * HOUR, percent: r() * 100, litres: null }],
  empty: () => [],
  'huge gaps': (r) => Array.from({ length: 40 }, (_, i) => ({ at: START + i * (1 + Math.floor(r() * 20)) * DAY, percent: 100 - i * 2 * r(), litres: null })),
  'out of order and duplicated': (r) => {
    const rows = Array.from({ length: 24 * 20 }, (_, i) => ({ at: START + i * HOUR, percent: Math.max(0, 90 - i * 0.1 + r()), litres: null }));
    return [...rows, ...rows.slice(0, 100)].sort(() => r() - 0.5);
  },
  'clock jumps': (r) =>
    Array.from({ length: 24 * 20 }, (_, i) => {
      const jumped = r() < 0.1;
      return { at: START + i * HOUR + (jumped ? (r() - 0.5) * 400 * DAY : 0), percent: 90 - i * 0.1, litres: null, clockSynced: !jumped };
    }),
  'non-finite': (r) =>
    Array.from({ length: 24 * 10 }, (_, i) => ({
      at: r() < 0.02 ? Number.NaN : START + i * HOUR,
      percent: r() < 0.05 ? Number.POSITIVE_INFINITY : r() < 0.05 ? Number.NaN : 80 - i * 0.2,
      litres: r() < 0.05 ? Number.NEGATIVE_INFINITY : null,
    })),
  'zero capacity drain': (r) => Array.from({ length: 24 * 15 }, (_, i) => ({ at: START + i * HOUR, percent: Math.max(0, 30 - i * r() * 0.3), litres: 0 })),
};

describe('analytics never lets NaN or Infinity out', () => {
  for (const [name, shape] of Object.entries(SHAPES)) {
    it(`${name} series`, () => {
      for (let seed = 1; seed <= 12; seed++) {
        const random = prng(seed * 7919 + name.length);
        const rows = shape(random);
        const capacity = [undefined, null, 0, 2000][seed % 4];
        const temperatures = seed % 3 === 0 ? rows.map((row) => ({ at: row.at, celsius: random() * 40 - 10 })) : undefined;
        const usage = analyseUsage(rows, { capacityLitres: capacity, timeZone: seed % 2 === 0 ? 'Europe/London' : 'UTC', ...(temperatures === undefined ? {} : { temperatures }) });
        const lastAt = usage.walk.levels[usage.walk.levels.length - 1]?.at ?? START;
        const outdoor = seed % 2 === 0 ? rows.map((row, i) => ({ at: row.at, celsius: i % 48 < 24 ? -5 : 12 })) : undefined;
        const f = forecast(usage, { now: lastAt + random() * 5 * DAY, reorderPercent: [0, 20, 100][seed % 3] ?? 20, ...(outdoor === undefined ? {} : { outdoor }) });
        const { walk, ...report } = usage;
        assertFinite({ report, walk, f }, `${name} seed ${seed}`);
        for (const d of usage.days) assert.ok(d.percent >= 0, `${name}: negative use on ${d.date}`);
        if (f.emptyBy.ok) assert.ok(f.emptyBy.estimate.p10 <= f.emptyBy.estimate.at, `${name}: band upside down`);
        assert.equal(f.projection.length > 0, f.method !== null, `${name}: a projection exactly when there is a forecast`);
        for (const p of f.projection) {
          assert.ok(p.p10 <= p.p50 && p.p50 <= p.p90 && p.p10 >= 0 && p.p90 <= 100, `${name}: projection band ${JSON.stringify(p)}`);
        }
        assert.ok(f.projection.every((p, i) => i === 0 || p.at > (f.projection[i - 1]?.at ?? 0)), `${name}: projection in time order`);
      }
    });
  }
});
