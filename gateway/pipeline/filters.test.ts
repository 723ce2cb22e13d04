import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gaussian, seededRandom } from '../../hardware/sim/random.js';
import { applyFilters, initialFilterState, median, type FilterState } from './filters.js';
import type { FilterSpec } from './specs.js';

const close = (actual: number | undefined, expected: number, tolerance: number, what = ''): void =>
  assert.ok(actual !== undefined && Math.abs(actual - expected) <= tolerance, `${what} ${actual} vs ${expected} (±${tolerance})`);

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Feeds values one per `intervalMs` and returns the outputs (undefined where held back). */
function run(spec: FilterSpec, values: readonly number[], intervalMs = 1000, start: FilterState = initialFilterState) {
  let state = start;
  const out: (number | undefined)[] = [];
  values.forEach((v, i) => {
    const r = applyFilters(spec, deepFreeze(state), v, i * intervalMs);
    state = r.state;
    out.push(r.value);
    assert.equal(r.value === undefined, r.rejected === 'spike' || r.rejected === 'unconfirmed');
  });
  return { state, out };
}

const ultrasonicFilter: FilterSpec = {
  medianWindow: 5,
  spike: { maxRatePerMinute: 60, confirmSamples: 3 },
  emaTimeConstantMs: 10_000,
};

describe('median', () => {
  it('takes the middle of odd and the mean of the middle two of even lists', () => {
    assert.equal(median([5, 1, 3]), 3);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.equal(median([7]), 7);
  });
});

describe('applyFilters', () => {
  it('with everything off passes values through unchanged', () => {
    const { out } = run({ medianWindow: 1, emaTimeConstantMs: 0 }, [1, 50, -3]);
    assert.deepEqual(out, [1, 50, -3]);
  });

  it('the median drops a lone spike even without the spike guard', () => {
    const { out } = run({ medianWindow: 3, emaTimeConstantMs: 0 }, [10, 10, 90, 10, 10]);
    assert.deepEqual(out, [10, 10, 10, 10, 10]);
  });

  it('the EMA takes its alpha from the interval: irregular steps land where one step would', () => {
    const spec: FilterSpec = { medianWindow: 1, emaTimeConstantMs: 60_000 };
    const first = applyFilters(spec, initialFilterState, 0, 0);
    // A step to 100 held for one time constant reaches 1 − 1/e of the way …
    const one = applyFilters(spec, first.state, 100, 60_000);
    close(one.value, 100 * (1 - Math.exp(-1)), 1e-9, 'one step');
    // … whether it is sampled once or at irregular instants in between.
    let state = first.state;
    let value: number | undefined;
    for (const t of [3_000, 4_000, 20_000, 21_000, 45_000, 60_000]) ({ state, value } = applyFilters(spec, state, 100, t));
    close(value, 100 * (1 - Math.exp(-1)), 1e-9, 'irregular steps');
  });

  it('holds back a value that moves faster than maxRatePerMinute', () => {
    const { out } = run(ultrasonicFilter, [50, 50.1, 95, 50.2, 50.1]);
    assert.equal(out[2], undefined);
    for (const i of [1, 3, 4]) close(out[i], 50.1, 0.15, `sample ${i}`);
  });

  it('lets a real step (a refill) through after confirmSamples agreeing values', () => {
    const values = [20, 20.1, 19.9, 20, 80, 80.2, 79.9, 80.1, 80, 80.1];
    const { out, state } = run(ultrasonicFilter, values);
    // (The first value waits for the second.) 80 is held, confirmed by three more
    // values near it, and accepted at the fourth.
    assert.deepEqual(
      out.map((v) => v === undefined),
      [true, false, false, false, true, true, true, false, false, false],
    );
    close(out[7], 80.05, 0.2, 'first value after the step');
    close(out[9], 80.05, 0.2, 'later');
    assert.equal(state.held.length, 0);
  });

  it('a step with confirmSamples 0 goes through at once', () => {
    const { out } = run({ medianWindow: 1, emaTimeConstantMs: 0, spike: { maxRatePerMinute: 1, confirmSamples: 0 } }, [20, 80, 20]);
    assert.deepEqual(out, [20, 80, 20]);
  });

  it('at start, waits for a second value that agrees with the first, so a first spike never comes out', () => {
    const { out } = run(ultrasonicFilter, [3, 55, 55.1, 55]);
    assert.deepEqual(out.slice(0, 2), [undefined, undefined]);
    close(out[2], 55.05, 0.01, 'the two agreeing values');
    // A spike in between is skipped over: 55 agrees with the 55 before the spike.
    const skipped = run(ultrasonicFilter, [55, -7, 55.1]);
    close(skipped.out[2], 55.05, 0.01, 'skipping the spike');
  });

  it('at start, takes the median of confirmSamples + 1 values when none agree (noisy sensor)', () => {
    const { out } = run(ultrasonicFilter, [10, 20, 30, 40, 50]);
    assert.deepEqual(out.slice(0, 3), [undefined, undefined, undefined]);
    assert.equal(out[3], 25);
  });

  it('lets a slow, real drain through untouched by the spike guard', () => {
    // 0.5 %/min, well under 60 %/min.
    const values = Array.from({ length: 600 }, (_, i) => 90 - (i * 0.5) / 60);
    const { out } = run(ultrasonicFilter, values);
    assert.ok(out.slice(1).every((v) => v !== undefined));
    close(out.at(-1), values.at(-1) ?? NaN, 0.2, 'tracks the drain');
  });

  it('an ultrasonic trace with 5 % spikes and dropouts comes out clean (property over seeds)', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed);
      const truth = 55;
      const values: number[] = [];
      for (let i = 0; i < 2000; i++) {
        const u = random.next();
        if (u < 0.05) values.push(random.next() * 140 - 20); // a spike anywhere, even impossible values
        else if (u < 0.07) values.push(-40); // a dropout read as the maximum range
        else values.push(gaussian(random, truth, 0.15));
      }
      const { out } = run(ultrasonicFilter, values);
      const emitted = out.filter((v): v is number => v !== undefined);
      assert.ok(emitted.length > 1800, `seed ${seed}: only ${emitted.length} values`);
      for (const v of emitted) close(v, truth, 0.5, `seed ${seed}`);
    }
  });

  it('never mutates the state it is given', () => {
    // run() deep-freezes every state it passes in; a write would throw in strict mode.
    assert.doesNotThrow(() => run(ultrasonicFilter, [1, 2, 90, 3, 4, 80, 80, 80, 80, 80]));
  });
});
