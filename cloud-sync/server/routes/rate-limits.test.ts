import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualServerClock } from '../test-support/manual-clock.js';
import { clockedStore } from './rate-limits.js';

function incr(store: { incr: (key: string, cb: (e: Error | null, r: { current: number; ttl: number }) => void, window: number) => void }, key: string, window: number) {
  let out: { current: number; ttl: number } | undefined;
  store.incr(key, (_e, r) => (out = r), window);
  if (out === undefined) throw new Error('no answer');
  return out;
}

describe('clocked rate-limit store', () => {
  it('counts per key within a fixed window on the injected clock', async () => {
    const clock = new ManualServerClock();
    const Store = clockedStore(clock);
    const store = new Store();
    assert.deepEqual(incr(store, 'a', 60_000), { current: 1, ttl: 60_000 });
    await clock.advance(20_000);
    assert.deepEqual(incr(store, 'a', 60_000), { current: 2, ttl: 40_000 });
    assert.deepEqual(incr(store, 'b', 60_000), { current: 1, ttl: 60_000 });
    await clock.advance(40_000);
    assert.deepEqual(incr(store, 'a', 60_000), { current: 1, ttl: 60_000 }, 'a new window');
  });

  it('forgets the oldest keys beyond its size', () => {
    const Store = clockedStore(new ManualServerClock(), 2);
    const store = new Store();
    incr(store, 'a', 1000);
    incr(store, 'a', 1000);
    incr(store, 'b', 1000);
    incr(store, 'c', 1000);
    assert.equal(incr(store, 'a', 1000).current, 1, 'a was evicted');
  });
});
