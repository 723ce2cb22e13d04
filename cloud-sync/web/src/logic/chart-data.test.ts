import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { HistoryPoint } from '../api/types.js';
import { markersIn, shapeHistory } from './chart-data.js';
import { customRange, presetRange, usageDaysFor } from './ranges.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 1);
const pt = (at: number, avg = 50): HistoryPoint => ({ at, min: avg - 1, avg, max: avg + 1, count: 10 });

describe('chart data shaping', () => {
  it('puts epoch seconds on x and min/avg/max in step', () => {
    const data = shapeHistory([pt(T0), pt(T0 + 5 * MIN, 49)], 5 * MIN);
    assert.deepEqual(data.x, [T0 / 1000, (T0 + 5 * MIN) / 1000]);
    assert.deepEqual([data.min, data.avg, data.max], [[49, 48], [50, 49], [51, 50]]);
    assert.deepEqual(data.gaps, []);
  });

  it('breaks the line across an outage with a null, never joining the two sides', () => {
    const before = Array.from({ length: 12 }, (_, i) => pt(T0 + i * 5 * MIN));
    const after = Array.from({ length: 12 }, (_, i) => pt(T0 + 3 * 3_600_000 + i * 5 * MIN));
    const data = shapeHistory([...before, ...after], 5 * MIN);
    assert.equal(data.x.length, 25);
    assert.deepEqual([data.avg[12], data.min[12], data.max[12]], [null, null, null]);
    assert.equal(data.x[12], (T0 + 12 * 5 * MIN) / 1000, 'the gap starts just after the last bucket');
    assert.deepEqual(data.gaps, [{ from: T0 + 60 * MIN, to: T0 + 3 * 3_600_000 }]);
  });

  it('a sensor slower than the buckets is not an outage between its readings', () => {
    // Read every 15 minutes, drawn on 5-minute buckets: two empty buckets between each point.
    const slow = Array.from({ length: 20 }, (_, i) => pt(T0 + i * 15 * MIN));
    assert.deepEqual(shapeHistory(slow, 5 * MIN).gaps, []);
    const withHole = [...slow, pt(T0 + 19 * 15 * MIN + 2 * 3_600_000)];
    assert.equal(shapeHistory(withHole, 5 * MIN).gaps.length, 1);
  });

  it('handles no points and one point', () => {
    assert.deepEqual(shapeHistory([], 60_000).x, []);
    assert.deepEqual(shapeHistory([pt(T0)], 60_000).avg, [50]);
  });

  it('marks refills and events inside the range, oldest first', () => {
    const marks = markersIn(
      T0,
      T0 + 86_400_000,
      [{ at: T0 + 3_600_000, fromPercent: 12, toPercent: 80 }, { at: T0 - 1, fromPercent: 1, toPercent: 2 }],
      [
        { at: T0 + 7_200_000, type: 'gas', state: 'raised', message: 'Gas at 30 %LEL' },
        { at: T0 + 60_000, type: 'device_offline', state: 'raised', message: 'offline' },
      ],
      (v) => `${v}%`,
    );
    assert.deepEqual(marks.map((m) => [m.kind, m.label]), [['offline', 'offline'], ['refill', 'Refill: 12% → 80%'], ['alarm', 'Gas at 30 %LEL']]);
  });
});

describe('chart ranges', () => {
  const now = T0 + 13 * 3_600_000 + 2 * MIN;
  it('presets end a bucket past now and span their length', () => {
    const day = presetRange('24h', now);
    assert.equal(day.to, T0 + 13 * 3_600_000 + 5 * MIN);
    assert.equal(day.to - day.from, 86_400_000);
    const year = presetRange('1y', now);
    assert.equal((year.to - year.from) / year.bucketMs, 8_760, 'a year is 8,760 hourly buckets');
  });

  it('a custom range picks the finest bucket under the point limit, and refuses nonsense', () => {
    const week = customRange(T0, T0 + 7 * 86_400_000);
    assert.ok(!('error' in week) && week.bucket === '5m');
    assert.deepEqual(customRange(T0, T0 - 1), { error: 'The start must be before the end.' });
    assert.ok('error' in customRange(T0, T0 + 400 * 86_400_000));
    assert.equal(usageDaysFor(presetRange('24h', now), now), 7, 'at least a week of bars');
  });
});
