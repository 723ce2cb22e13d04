import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MS_PER_MINUTE } from './daily-profile.js';
import { WaterLeakScenario } from './water-leak.js';

const T0 = Date.UTC(2026, 0, 3, 1, 45); // 07:15 in India
const WET_FOR = 40 * MS_PER_MINUTE;
const FLICKER = 3 * MS_PER_MINUTE;
const DRYING = T0 + WET_FOR;

function underSink(seed = 1, flickerMs = FLICKER): WaterLeakScenario {
  return new WaterLeakScenario({ seed, events: [{ wetAtMs: T0, wetForMs: WET_FOR, flickerMs }] });
}

/** The wet/dry pattern over the drying window, one sample per 50 ms. */
function pattern(leak: WaterLeakScenario): boolean[] {
  return Array.from({ length: FLICKER / 50 }, (_, i) => leak.wetAt(DRYING + i * 50));
}

describe('WaterLeakScenario', () => {
  it('is dry before, solidly wet during the event, and dry after drying', () => {
    const leak = underSink();
    assert.equal(leak.wetAt(T0 - 1), false);
    for (let t = T0; t < DRYING; t += 7_001) assert.equal(leak.wetAt(t), true);
    assert.equal(leak.wetAt(DRYING - 1), true);
    assert.equal(leak.wetAt(DRYING + FLICKER), false);
    assert.equal(leak.wetAt(DRYING + FLICKER + 3_600_000), false);
  });

  it('flickers while drying: many short bounces, wet early and dry late', () => {
    const samples = pattern(underSink());
    const edges = samples.filter((wet, i) => i > 0 && wet !== samples[i - 1]).length;
    assert.ok(edges >= 20, `edges ${edges}`);
    const third = samples.length / 3;
    const wetShare = (from: number, to: number): number => samples.slice(from, to).filter(Boolean).length / (to - from);
    assert.ok(wetShare(0, third) > 0.65, `early ${wetShare(0, third)}`);
    assert.ok(wetShare(2 * third, samples.length) < 0.35, `late ${wetShare(2 * third, samples.length)}`);
    // Some wet spells are shorter than a second: a debounce has something to filter.
    let shortest = Number.POSITIVE_INFINITY;
    let run = 0;
    for (const wet of samples) {
      if (wet) run += 50;
      else if (run > 0) [shortest, run] = [Math.min(shortest, run), 0];
    }
    assert.ok(shortest < 1000, `shortest wet spell ${shortest} ms`);
  });

  it('dries cleanly without flicker', () => {
    const leak = underSink(1, 0);
    assert.equal(leak.wetAt(DRYING - 1), true);
    assert.equal(leak.wetAt(DRYING), false);
    assert.equal(leak.nextChangeAfter(T0 - 5), T0);
    assert.equal(leak.nextChangeAfter(T0), DRYING);
    assert.equal(leak.nextChangeAfter(DRYING), null);
  });

  it('names the next edge exactly, agreeing with a scan of wetAt', () => {
    const leak = underSink(4);
    const edges: number[] = [];
    for (let t: number | null = T0 - 1000; t !== null; t = leak.nextChangeAfter(t)) edges.push(t);
    edges.shift();
    assert.equal(edges[0], T0);
    // Scan at a resolution finer than a slot and collect every change.
    const scanned: number[] = [];
    let previous = leak.wetAt(T0 - 1000);
    for (let t = T0 - 1000; t <= DRYING + FLICKER + 1000; t += t < DRYING - 1000 ? 1000 : 10) {
      const wet = leak.wetAt(t);
      if (wet !== previous) scanned.push(t);
      previous = wet;
    }
    assert.deepEqual(edges, scanned);
  });

  it('flickers the same for a seed and differently for another', () => {
    assert.deepEqual(pattern(underSink(7)), pattern(underSink(7)));
    assert.notDeepEqual(pattern(underSink(7)), pattern(underSink(8)));
  });

  it('reports the latest time asked, and ignores a step backwards', () => {
    const leak = underSink();
    leak.advanceTo(T0 + 1000);
    assert.deepEqual(leak.state, { timeMs: T0 + 1000, wet: true });
    leak.advanceTo(T0 - 1000);
    assert.deepEqual(leak.state, { timeMs: T0 + 1000, wet: true });
  });
});
