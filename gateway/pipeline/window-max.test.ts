import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../hardware/sim/random.js';
import { WINDOW_BUCKETS, emptyWindowMax, pushWindowMax } from './window-max.js';

describe('pushWindowMax', () => {
  it('covers at least the window and at most one bucket more (property against brute force)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const random = seededRandom(seed);
      const windowMs = 60_000 + random.next() * 3_600_000;
      const bucketMs = windowMs / WINDOW_BUCKETS;
      let state = emptyWindowMax;
      const seen: { mono: number; value: number }[] = [];
      let mono = 0;
      for (let i = 0; i < 3000; i++) {
        mono += random.next() * windowMs * 0.05;
        const value = random.next() * 100;
        seen.push({ mono, value });
        const out = pushWindowMax(state, windowMs, value, mono);
        state = out.state;
        const maxSince = (from: number): number => Math.max(...seen.filter((s) => s.mono >= from).map((s) => s.value));
        assert.ok(out.max >= maxSince(mono - windowMs), `seed ${seed} #${i}: below the exact window max`);
        assert.ok(out.max <= maxSince(mono - windowMs - bucketMs), `seed ${seed} #${i}: reaches back too far`);
        assert.ok(state.past.length <= WINDOW_BUCKETS + 1, `seed ${seed}: ${state.past.length} buckets`);
      }
    }
  });

  it('forgets everything after a silence longer than the window', () => {
    const first = pushWindowMax(emptyWindowMax, 1000, 90, 0);
    const later = pushWindowMax(first.state, 1000, 10, 5000);
    assert.equal(later.max, 10);
  });
});
