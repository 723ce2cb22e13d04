import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialLadder, interruptLadder, observeLadder, settleLadder, type LadderState, type LevelCondition } from './rule-ladder.js';

/** Level k holds at value ≥ k × 10 (no hysteresis): 0 clear, 1 from 10, 2 from 20. */
const atLeast: LevelCondition<null> = (_rule, v, k) => v >= k * 10;
const timing = { raiseAfterMs: 100, clearAfterMs: 50 };

function see(state: LadderState, value: number, mono: number): LadderState {
  return settleLadder(observeLadder(state, atLeast, null, value, mono), timing, mono);
}

describe('rule ladder', () => {
  it('raises a level after raiseAfterMs and clears it after clearAfterMs', () => {
    let s = initialLadder(2);
    s = see(s, 15, 0);
    assert.equal(see(s, 15, 99).active, 0);
    s = see(s, 15, 100);
    assert.equal(s.active, 1);
    s = see(s, 5, 200);
    assert.equal(see(s, 5, 249).active, 1);
    assert.equal(see(s, 5, 250).active, 0);
  });

  it('goes straight to the highest level that has held long enough', () => {
    let s = initialLadder(2);
    s = see(s, 25, 0);
    s = see(s, 25, 100);
    assert.equal(s.active, 2);
  });

  it('a value wobbling between two levels still reaches the lower one (the conditions are nested)', () => {
    let s = initialLadder(2);
    for (let t = 0; t <= 100; t += 10) s = see(s, t % 20 === 0 ? 25 : 15, t);
    assert.equal(s.active, 1);
  });

  it('settles nothing while interrupted, and restarts a pending clear at the next observation', () => {
    let s = see(see(initialLadder(1), 15, 0), 15, 100);
    assert.equal(s.active, 1);
    s = see(s, 5, 110); // clear pending from 110
    s = interruptLadder(s);
    assert.equal(settleLadder(s, timing, 1000).active, 1, 'blind: holds');
    s = see(s, 5, 1000); // observed again: the clear restarts at 1000
    assert.equal(s.active, 1);
    assert.equal(see(s, 5, 1049).active, 1);
    assert.equal(see(s, 5, 1050).active, 0);
  });

  it('returns the same object when nothing changes', () => {
    const s = see(initialLadder(1), 5, 0);
    assert.equal(observeLadder(s, atLeast, null, 6, 10), s);
    assert.equal(settleLadder(s, timing, 10), s);
  });
});
