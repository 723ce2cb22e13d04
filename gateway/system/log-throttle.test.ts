import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LogThrottle } from './log-throttle.js';

describe('LogThrottle', () => {
  it('logs the first line, then one per window with the suppressed count', () => {
    let t = 0;
    const throttle = new LogThrottle(60_000, () => t);
    assert.equal(throttle.admit('lpg:timeout'), 0);
    t = 2_000;
    assert.equal(throttle.admit('lpg:timeout'), undefined);
    t = 4_000;
    assert.equal(throttle.admit('lpg:timeout'), undefined);
    assert.equal(throttle.admit('water:timeout'), 0, 'keys are independent');
    t = 60_000;
    assert.equal(throttle.admit('lpg:timeout'), 2);
    throttle.reset('lpg:timeout');
    assert.equal(throttle.admit('lpg:timeout'), 0);
  });
});
