import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catchUpClock } from './catch-up-clock.js';
import { ManualClock } from './manual-clock.js';

const NOON = Date.UTC(2026, 11, 7, 12);
const HOUR = 3_600_000;

describe('catchUpClock', () => {
  it('starts in the past, runs fast until it reaches the present, then keeps pace and never runs ahead', async () => {
    const base = new ManualClock(NOON);
    // 59 simulated hours behind at 60×: it catches up after one real hour.
    const clock = catchUpClock(base, 60, 59 * HOUR);
    assert.equal(clock.now(), NOON - 59 * HOUR);
    await base.advance(HOUR / 2);
    assert.equal(clock.now(), NOON - 59 * HOUR + 30 * HOUR);
    assert.ok(clock.now() <= base.now());
    await base.advance(HOUR / 2);
    assert.equal(clock.now(), base.now());
    await base.advance(5 * HOUR);
    assert.equal(clock.now(), base.now());
    assert.equal(clock.monotonic(), 60 * HOUR + 5 * HOUR);
  });

  it('fires a timer at its simulated time across the moment it catches up', async () => {
    const base = new ManualClock(NOON);
    const clock = catchUpClock(base, 10, 9 * 60_000); // catches up after one real minute (10 simulated)
    const fired: number[] = [];
    clock.setTimeout(() => fired.push(clock.now()), 5 * 60_000); // inside the time-lapse
    clock.setTimeout(() => fired.push(clock.now()), 12 * 60_000); // 10 fast minutes, then 2 at real pace
    await base.advance(29_999);
    assert.equal(fired.length, 0);
    await base.advance(1);
    assert.deepEqual(fired, [NOON - 9 * 60_000 + 5 * 60_000]);
    await base.advance(60_000 - 30_000 + 2 * 60_000 - 1);
    assert.equal(fired.length, 1);
    await base.advance(1);
    assert.deepEqual(fired.slice(1), [NOON + 3 * 60_000]);
    const handle = clock.setTimeout(() => fired.push(-1), 1_000);
    clock.clearTimeout(handle);
    await base.advance(2_000);
    assert.equal(fired.length, 2);
  });

  it('refuses a speed of 1 or less and a negative lead', () => {
    assert.throws(() => catchUpClock(new ManualClock(), 1, 0), RangeError);
    assert.throws(() => catchUpClock(new ManualClock(), 60, -1), RangeError);
  });
});
