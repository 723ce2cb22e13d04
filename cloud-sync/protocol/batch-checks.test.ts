import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBatch, jsonShapeProblem } from './batch-checks.js';
import { batch, event, reading } from './test-support/fixtures.js';

const messages = (b: Parameters<typeof checkBatch>[0]): string[] => checkBatch(b).map((i) => `${i.path}: ${i.message}`);

describe('checkBatch', () => {
  it('accepts records inside (afterSeq, lastSeq] in increasing order, with gaps', () => {
    assert.deepEqual(messages(batch(10, 20, [reading(11), event(15), reading(20)])), []);
    assert.deepEqual(messages(batch(10, 20, [])), [], 'an empty range is a claim that it holds nothing');
    assert.deepEqual(messages(batch(7, 7, [])), [], 'a probe for the ackedSeq');
  });

  it('refuses a range that runs backwards', () => {
    assert.deepEqual(messages(batch(10, 9, [])), ['lastSeq: must be at least afterSeq (10); it is 9']);
  });

  it('refuses records outside the claimed range, repeated or out of order', () => {
    assert.deepEqual(messages(batch(10, 20, [reading(10), reading(21)])), [
      'records[0].seq: 10 is outside the batch\'s range: afterSeq < seq ≤ lastSeq (10 < seq ≤ 20)',
      'records[1].seq: 21 is outside the batch\'s range: afterSeq < seq ≤ lastSeq (10 < seq ≤ 20)',
    ]);
    assert.deepEqual(messages(batch(10, 20, [reading(12), event(12), reading(11)])), [
      "records[1].seq: must be greater than the previous record's seq (12): records go in seq order, once each",
      "records[2].seq: must be greater than the previous record's seq (12): records go in seq order, once each",
    ]);
  });

  it('checks a downsampled span is well-formed', () => {
    const r = reading(12, { downsampled: { seqEnd: 12, atEnd: 0, count: 3, min: 5, max: 4 } });
    assert.deepEqual(messages(batch(10, 20, [r])), [
      'records[0].downsampled.seqEnd: must be above the row\'s seq (12)',
      `records[0].downsampled.atEnd: must not be before the row's at (${r.at})`,
      'records[0].downsampled.min: must not exceed max (4)',
    ]);
  });

  it('bounds event data in depth and size without recursing into a hostile nesting', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    assert.deepEqual(messages(batch(0, 1, [event(1, { data: { deep } })])), ['records[0].data: must be nested at most 8 levels deep']);
    const big = { blob: 'x'.repeat(9_000) };
    assert.match(messages(batch(0, 1, [event(1, { data: big })]))[0] ?? '', /at most 8192 bytes of JSON \(it is \d+\)/);
    assert.equal(jsonShapeProblem({ a: [1, { b: null }] }, 8, 100), undefined);
    assert.match(jsonShapeProblem(Array.from({ length: 200 }, () => 0), 8, 100) ?? '', /at most 100 bytes/);
  });
});
