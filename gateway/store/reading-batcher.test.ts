import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import type { ReadingItem } from './records.js';
import { ReadingBatcher } from './reading-batcher.js';
import { reading } from './test-support/fixtures.js';

function setup(options: { intervalMs?: number; maxRows?: number } = {}) {
  const clock = new ManualClock();
  const batches: number[][] = [];
  const batcher = new ReadingBatcher({
    clock,
    ...options,
    onBatch: (items: ReadingItem[]) => batches.push(items.map((i) => i.reading.value)),
  });
  const add = (...values: number[]): void => values.forEach((v) => batcher.add({ reading: reading(v) }));
  return { clock, batches, batcher, add };
}

test('a batch closes batchIntervalMs after its first reading', async () => {
  const { clock, batches, add } = setup({ intervalMs: 1000 });
  add(1);
  await clock.advance(600);
  add(2);
  await clock.advance(399);
  assert.deepEqual(batches, []);
  await clock.advance(1);
  assert.deepEqual(batches, [[1, 2]]);
  add(3);
  await clock.advance(1000);
  assert.deepEqual(batches, [[1, 2], [3]]);
});

test('a batch closes at batchMaxRows without waiting, and the next one starts its own timer', async () => {
  const { clock, batches, add } = setup({ intervalMs: 1000, maxRows: 3 });
  add(1, 2, 3, 4);
  assert.deepEqual(batches, [[1, 2, 3]]);
  await clock.advance(1000);
  assert.deepEqual(batches, [[1, 2, 3], [4]]);
});

test('defaults are 1 s and 500 rows', () => {
  const { batcher } = setup();
  assert.equal(batcher.intervalMs, 1000);
  assert.equal(batcher.maxRows, 500);
});

test('flush closes the open batch now and leaves no timer; an empty flush does nothing', () => {
  const { clock, batches, batcher, add } = setup();
  batcher.flush();
  assert.deepEqual(batches, []);
  add(1, 2);
  assert.equal(batcher.size, 2);
  batcher.flush();
  assert.deepEqual(batches, [[1, 2]]);
  assert.equal(batcher.size, 0);
  assert.equal(clock.pending, 0);
});

test('no timer runs while there is nothing to write', () => {
  const { clock } = setup();
  assert.equal(clock.pending, 0);
});
