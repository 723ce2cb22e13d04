/**
 * The leak watch's other half (slow-leak.test.ts has the leak): the simulated home
 * with no leak raises no "possible leak" through a day and a night. Its own file,
 * as each of the two runs the whole daemon through 22–30 simulated hours.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startRig } from '../app/test-support/daemon-rig.js';

const HOUR = 3_600_000;

describe('no false leak on the simulated home', () => {
  it('the quiet home, with no leak, raises no possible leak through a day and a night', async () => {
    const rig = await startRig();
    try {
      await rig.clock.advance(30 * HOUR);
      assert.deepEqual(rig.conditions.filter((e) => e.condition === 'possible_leak').map((e) => e.message), []);
    } finally {
      await rig.stop();
    }
  });
});
