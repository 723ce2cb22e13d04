import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile, toResult } from './harness.js';

describe('bench harness', () => {
  it('computes the ratio to the baseline and judges the target on it', () => {
    const r = toResult({ name: 'ingest', value: 80, unit: 'rows/s', baseline: 100, target: { on: 'ratio', op: '>=', limit: 0.5 } });
    assert.equal(r.ratio, 0.8);
    assert.equal(r.met, true);
    assert.equal(r.target, 'ratio >= 0.5');
    const miss = toResult({ name: 'rss', value: 120, unit: 'MB', target: { on: 'value', op: '<', limit: 80 } });
    assert.equal(miss.met, false);
    assert.equal(miss.ratio, null);
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    assert.equal(percentile(values, 99), 99);
    assert.equal(percentile(values, 50), 50);
    assert.ok(Number.isNaN(percentile([], 50)));
  });
});
