import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PendingReadings, mergeBySeq, mergeByTime, mergeLatest } from './pending-readings.js';
import type { StoredReading } from './records.js';
import { readingRow, storedReading } from './row-codec.js';
import { T0, reading } from './test-support/fixtures.js';

const row = (seq: number, at = seq, sensorId = `tank-${seq % 3}`) => readingRow(reading(seq, { at: T0 + at * 1000, sensorId }), seq);
const stored = (seq: number, at = seq, sensorId?: string): StoredReading => storedReading(row(seq, at, sensorId));

test('after and countAfter find their place by seq, gaps included', () => {
  const pending = new PendingReadings();
  pending.push([row(3), row(4), row(7), row(8), row(9)]);
  assert.deepEqual(pending.after(0, 10).map((r) => r.seq), [3, 4, 7, 8, 9]);
  assert.deepEqual(pending.after(4, 2).map((r) => r.seq), [7, 8]);
  assert.deepEqual(pending.after(5, 10).map((r) => r.seq), [7, 8, 9]);
  assert.deepEqual(pending.after(9, 10), []);
  assert.deepEqual([pending.countAfter(0), pending.countAfter(4), pending.countAfter(8), pending.countAfter(9)], [5, 3, 1, 0]);
  assert.deepEqual([pending.minSeq, pending.maxSeq, pending.size], [3, 9, 5]);
});

test('a row pushed again or out of order is kept once, in seq order', () => {
  const pending = new PendingReadings();
  pending.push([row(1), row(5)]);
  pending.push([row(3), row(5), row(1), row(6)]);
  assert.deepEqual(pending.rows.map((r) => r.seq), [1, 3, 5, 6]);
  pending.clear();
  assert.deepEqual([pending.size, pending.minSeq, pending.maxSeq], [0, undefined, 0]);
});

test('forSensor filters by sensor and time window, ordered by time', () => {
  const pending = new PendingReadings();
  pending.push([row(1, 50, 'a'), row(2, 10, 'a'), row(3, 20, 'b'), row(4, 30, 'a')]);
  assert.deepEqual(pending.forSensor('a', T0, T0 + 1e9).map((r) => r.seq), [2, 4, 1]);
  assert.deepEqual(pending.forSensor('a', T0 + 10_000, T0 + 50_000).map((r) => r.seq), [2, 4], 'since inclusive, until exclusive');
});

test('latestBySensor takes the newest time, then the highest seq', () => {
  const pending = new PendingReadings();
  pending.push([row(1, 50, 'a'), row(2, 10, 'a'), row(3, 20, 'b'), row(4, 20, 'b')]);
  assert.deepEqual(pending.latestBySensor().map((r) => [r.sensorId, r.seq]), [['a', 1], ['b', 4]]);
});

test('mergeBySeq interleaves sources and keeps a seq once', () => {
  const merged = mergeBySeq([[stored(1), stored(4)], [stored(2), stored(4, 99)], [stored(3)]]);
  assert.deepEqual(merged.map((r) => [r.seq, r.at]), [[1, T0 + 1000], [2, T0 + 2000], [3, T0 + 3000], [4, T0 + 4000]]);
});

test('mergeByTime orders by time then seq and cuts at the limit', () => {
  const merged = mergeByTime([stored(1, 10), stored(2, 30)], [stored(5, 20), stored(6, 30), stored(7, 5)], 4);
  assert.deepEqual(merged.map((r) => r.seq), [7, 1, 5, 2]);
});

test('mergeLatest keeps the newest per sensor from either side, ordered by sensor id', () => {
  const merged = mergeLatest([stored(1, 10, 'b'), stored(2, 40, 'a')], [stored(5, 20, 'b'), stored(6, 30, 'a'), stored(7, 1, 'c')]);
  assert.deepEqual(merged.map((r) => [r.sensorId, r.seq]), [['a', 2], ['b', 5], ['c', 7]]);
});
