import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from './manual-clock.js';
import { scaledClock } from './scaled-clock.js';

describe('scaledClock', () => {
  it('runs wall time, monotonic time and timers N times faster than its base', async () => {
    const base = new ManualClock(Date.UTC(2026, 10, 24, 12));
    const fast = scaledClock(base, 60);
    const fired: number[] = [];
    fast.setTimeout(() => fired.push(fast.monotonic()), 60_000); // one simulated minute
    await base.advance(999);
    assert.equal(fired.length, 0);
    await base.advance(1);
    assert.deepEqual(fired, [60_000]);
    assert.equal(fast.now(), Date.UTC(2026, 10, 24, 12, 1));
    const handle = fast.setTimeout(() => fired.push(-1), 6_000);
    fast.clearTimeout(handle);
    await base.advance(1_000);
    assert.deepEqual(fired, [60_000]);
  });

  it('refuses a speed that is not positive', () => {
    assert.throws(() => scaledClock(new ManualClock(), 0), RangeError);
    assert.throws(() => scaledClock(new ManualClock(), Number.NaN), RangeError);
  });
});
