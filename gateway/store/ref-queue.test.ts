import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RefQueue } from './ref-queue.js';

const refs = (q: RefQueue<{ ref: number }>): number[] => q.toArray().map((x) => x.ref);

test('dropThrough removes acknowledged refs from the front only', () => {
  const q = new RefQueue<{ ref: number }>();
  for (const ref of [1, 2, 3, 5, 8]) q.push({ ref });
  q.dropThrough(3);
  assert.deepEqual(refs(q), [5, 8]);
  q.dropThrough(4);
  assert.deepEqual(refs(q), [5, 8]);
  q.dropThrough(100);
  assert.deepEqual(refs(q), []);
  assert.equal(q.length, 0);
});

test('trimTo keeps the newest and reports how many went', () => {
  const q = new RefQueue<{ ref: number }>();
  for (let ref = 1; ref <= 5; ref++) q.push({ ref });
  assert.equal(q.trimTo(2), 3);
  assert.deepEqual(refs(q), [4, 5]);
  assert.equal(q.trimTo(10), 0);
});

test('remove takes one item out of the middle', () => {
  const q = new RefQueue<{ ref: number }>();
  for (let ref = 1; ref <= 3; ref++) q.push({ ref });
  q.remove(2);
  assert.deepEqual(refs(q), [1, 3]);
});

test('stays fast with a long queue trimmed on every push', () => {
  const q = new RefQueue<{ ref: number }>();
  const start = performance.now();
  for (let ref = 1; ref <= 200_000; ref++) {
    q.push({ ref });
    q.trimTo(20_000);
  }
  assert.equal(q.length, 20_000);
  assert.equal(q.toArray()[0]?.ref, 180_001);
  // O(n) per trim (Array#splice) takes tens of seconds here; amortised O(1) takes milliseconds.
  assert.ok(performance.now() - start < 2000, `${performance.now() - start} ms`);
});
