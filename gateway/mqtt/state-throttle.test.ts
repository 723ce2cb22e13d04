import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { StateThrottle } from './state-throttle.js';

describe('StateThrottle', () => {
  it('publishes the first change at once, then at most one trailing publish per interval', async () => {
    const clock = new ManualClock();
    const published: [string, number][] = [];
    const throttle = new StateThrottle(clock, 1_000, (key) => published.push([key, clock.monotonic()]));
    throttle.touch('a');
    await clock.advance(100);
    throttle.touch('a');
    await clock.advance(100);
    throttle.touch('a');
    throttle.touch('b');
    assert.deepEqual(published, [['a', 0], ['b', 200]], 'one leading publish each; the rest wait');
    await clock.advance(1_000);
    assert.deepEqual(published, [['a', 0], ['b', 200], ['a', 1_000]], 'one trailing publish for the burst');
    await clock.advance(5_000);
    assert.equal(published.length, 3, 'nothing more without changes');
  });

  it('lets an urgent change through at once and cancels the trailing one', async () => {
    const clock = new ManualClock();
    const published: number[] = [];
    const throttle = new StateThrottle(clock, 1_000, () => published.push(clock.monotonic()));
    throttle.touch('a');
    await clock.advance(10);
    throttle.touch('a');
    await clock.advance(10);
    throttle.touch('a', true);
    await clock.advance(5_000);
    assert.deepEqual(published, [0, 20]);
    throttle.touch('a');
    throttle.cancelAll();
    await clock.advance(5_000);
    assert.equal(clock.pending, 0);
  });
});
