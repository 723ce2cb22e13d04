import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { projectLevels } from './level-projection.js';
import { HOUR } from './local-time.js';

const FROM = Date.UTC(2026, 2, 1);
const base = { from: FROM, level: 60, rates: Array.from({ length: 90 * 24 }, () => 2.4), sigma: 0.5, relative: 0.01, z: 1.2816, hours: 90 * 24 };

describe('level projection', () => {
  it('falls at the expected rate, every 6 hours, with a band that widens and stays around the median', () => {
    const curve = projectLevels(base);
    assert.deepEqual(curve[0], { at: FROM, p10: 60, p50: 60, p90: 60 });
    const day = curve.find((p) => p.at === FROM + 24 * HOUR);
    assert.ok(day !== undefined && Math.abs(day.p50 - 57.6) < 1e-9, JSON.stringify(day));
    assert.ok(curve.every((p, i) => i === 0 || p.at - (curve[i - 1]?.at ?? 0) === 6 * HOUR || p === curve[curve.length - 1]));
    const widths = curve.map((p) => p.p90 - p.p10);
    const growing = widths.slice(0, widths.findIndex((w, i) => i > 0 && (curve[i]?.p10 ?? 0) === 0));
    assert.ok(growing.every((w, i) => i === 0 || w >= (growing[i - 1] ?? 0)), 'the band widens until it meets empty');
    assert.equal(curve[curve.length - 1]?.p90, 0, 'it ends once the high edge is empty');
    assert.ok(curve.length < 40 * 4, 'and not at the horizon');
  });

  it('stops at the horizon when the tank will not empty by then', () => {
    const curve = projectLevels({ ...base, rates: base.rates.map(() => 0.1), hours: 48 });
    assert.equal(curve[curve.length - 1]?.at, FROM + 48 * HOUR);
    assert.ok((curve[curve.length - 1]?.p50 ?? 0) > 59);
  });

  it('non-finite inputs give finite, ordered points: an unknown spread is the whole tank', () => {
    for (const bad of [{ sigma: Number.NaN }, { sigma: Number.POSITIVE_INFINITY }, { relative: Number.NaN }, { rates: [Number.NaN, Number.POSITIVE_INFINITY, -5, 2] }, { level: Number.NaN }, { hours: 0 }]) {
      const curve = projectLevels({ ...base, hours: 24, ...bad });
      assert.ok(curve.length >= 1, JSON.stringify(bad));
      for (const p of curve) {
        for (const v of [p.at, p.p10, p.p50, p.p90]) assert.ok(Number.isFinite(v), `${JSON.stringify(bad)}: ${JSON.stringify(p)}`);
        assert.ok(p.p10 <= p.p50 && p.p50 <= p.p90, `${JSON.stringify(bad)}: ${JSON.stringify(p)}`);
      }
    }
  });
});
