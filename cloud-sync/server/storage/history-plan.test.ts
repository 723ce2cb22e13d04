import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planHistory } from './history-plan.js';

const M = 60_000;
const H = 60 * M;
const D = 24 * H;

describe('history plan', () => {
  it('reads a year at 1-day buckets from hourly rollups, with 5-minute and raw edges', () => {
    const from = Date.UTC(2025, 0, 1, 10, 2, 7);
    const to = from + 365 * D + 20 * M;
    const plan = planHistory(from, to, D);
    assert.deepEqual(plan.map((s) => s.source), ['raw', 300_000, H, 300_000, 'raw']);
    assert.deepEqual([plan[0]?.from, plan[0]?.to], [from, Date.UTC(2025, 0, 1, 10, 5)]);
    assert.equal(plan[1]?.to, Date.UTC(2025, 0, 1, 11), 'the 5-minute rollups reach the hour');
    const hourly = plan[2];
    assert.ok(hourly !== undefined && (hourly.to - hourly.from) / H <= 8_760);
    assert.equal(plan[plan.length - 1]?.to, to);
    for (let i = 1; i < plan.length; i++) assert.equal(plan[i]?.from, plan[i - 1]?.to, 'contiguous, no overlap');
  });

  it('uses only rollups that divide the bucket, and raw rows when none does', () => {
    assert.deepEqual(planHistory(0, 2 * H, 15 * M).map((s) => s.source), [300_000]);
    assert.deepEqual(planHistory(0, 2 * H, 90_000), [{ source: 'raw', from: 0, to: 2 * H }]);
    assert.deepEqual(planHistory(7 * M, 9 * M, H), [{ source: 'raw', from: 7 * M, to: 9 * M }], 'too short for any rollup');
    assert.deepEqual(planHistory(5, 5, H), []);
  });

  it('rounds a pruned raw edge out to its 5-minute rollup, and keeps raw rows after the horizon', () => {
    const plan = planHistory(2 * M, 3 * H + 2 * M, H, 2 * H);
    assert.deepEqual(plan, [
      { source: 300_000, from: 0, to: 5 * M },
      { source: 300_000, from: 5 * M, to: H },
      { source: H, from: H, to: 3 * H },
      { source: 'raw', from: 3 * H, to: 3 * H + 2 * M },
    ]);
    assert.deepEqual(planHistory(2 * M, 4 * M, 60_000, 2 * H), [{ source: 'raw', from: 2 * M, to: 4 * M }], 'no rollup fits a 1-minute bucket');
  });
});
