import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeRows, planBuckets } from './downsample.js';
import type { ReadingRow } from './row-codec.js';

function row(seq: number, ts: number, value: number, overrides: Partial<ReadingRow> = {}): ReadingRow {
  return {
    seq, sensor_id: 'tank', kind: 'level', ts, value, raw: value * 2, percent: value, litres: null, ppm: null,
    unit: '%', quality: 'ok', clock_synced: 1, seq_end: null, ts_end: null, min: null, max: null, count: null,
    ...overrides,
  };
}

test('merging raw rows gives min/avg/max/count and keeps the first seq and the last seq it replaces', () => {
  const merged = mergeRows([row(10, 1000, 4), row(12, 2000, 8), row(15, 3000, 6)]);
  assert.deepEqual(merged, {
    seq: 10, ts: 1000, value: 6, raw: 12, percent: 6, litres: null, ppm: null, quality: 'ok', clock_synced: 1,
    seq_end: 15, ts_end: 3000, min: 4, max: 8, count: 3,
  });
});

test('merging downsampled rows weights them by their count', () => {
  const a = row(1, 0, 10, { seq_end: 9, ts_end: 900, min: 5, max: 15, count: 9 }); // 9 readings averaging 10
  const b = row(20, 1000, 20); // one raw reading
  const merged = mergeRows([a, b]);
  assert.equal(merged.count, 10);
  assert.equal(merged.value, (10 * 9 + 20) / 10);
  assert.equal(merged.min, 5);
  assert.equal(merged.max, 20);
  assert.equal(merged.seq, 1);
  assert.equal(merged.seq_end, 20);
  assert.equal(merged.ts_end, 1000);
});

test('a bucket is ok only if every reading was; otherwise it carries the most frequent other quality', () => {
  assert.equal(mergeRows([row(1, 0, 1), row(2, 1, 1, { quality: 'noisy' })]).quality, 'noisy');
  assert.equal(
    mergeRows([row(1, 0, 1, { quality: 'stuck' }), row(2, 1, 1, { quality: 'noisy', count: 3 }), row(3, 2, 1)]).quality,
    'noisy',
  );
  assert.equal(mergeRows([row(1, 0, 1), row(2, 1, 1)]).quality, 'ok');
});

test('a bucket is clock-synced only if every reading was; optional columns average over rows that have them', () => {
  const merged = mergeRows([row(1, 0, 1, { clock_synced: 0, ppm: 100 }), row(2, 1, 3)]);
  assert.equal(merged.clock_synced, 0);
  assert.equal(merged.ppm, 100);
});

test('planBuckets groups by sensor, unit and time bucket, and leaves single rows alone', () => {
  const rows = [
    row(1, 0, 1),
    row(2, 100, 1, { sensor_id: 'other' }),
    row(3, 200, 3),
    row(4, 299_999, 5),
    row(5, 300_000, 9), // next 5 min bucket, alone
    row(6, 400, 1, { unit: 'L' }), // a unit change is never averaged with the old unit
  ];
  const plans = planBuckets(rows, 300_000);
  assert.equal(plans.length, 1);
  assert.deepEqual(plans[0]?.deleted, [3, 4]);
  assert.equal(plans[0]?.rowsIn, 3);
  assert.equal(plans[0]?.merged.seq, 1);
  assert.equal(plans[0]?.merged.seq_end, 4);
  assert.equal(plans[0]?.merged.value, 3);
});
