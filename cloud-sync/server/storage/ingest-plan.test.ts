import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reading } from './test-support/seed.js';
import { advanceWatermark, isCovered, planIngest } from './ingest-plan.js';

describe('watermark', () => {
  it('extends from a batch that starts at or below it, never moves back', () => {
    assert.deepEqual(advanceWatermark(10, [], { afterSeq: 10, lastSeq: 20 }), { watermark: 20, pending: [] });
    assert.deepEqual(advanceWatermark(10, [], { afterSeq: 5, lastSeq: 15 }), { watermark: 15, pending: [] });
    assert.deepEqual(advanceWatermark(30, [], { afterSeq: 5, lastSeq: 15 }), { watermark: 30, pending: [] });
  });

  it('remembers a range beyond a gap and absorbs it, merged, once the gap closes', () => {
    const a = advanceWatermark(10, [], { afterSeq: 20, lastSeq: 30 });
    assert.deepEqual(a, { watermark: 10, pending: [{ afterSeq: 20, lastSeq: 30 }] });
    const b = advanceWatermark(a.watermark, a.pending, { afterSeq: 30, lastSeq: 40 });
    assert.deepEqual(b, { watermark: 10, pending: [{ afterSeq: 20, lastSeq: 40 }] });
    const c = advanceWatermark(b.watermark, b.pending, { afterSeq: 10, lastSeq: 20 });
    assert.deepEqual(c, { watermark: 40, pending: [] });
  });

  it('keeps the ranges nearest the watermark when there are too many', () => {
    const pending = Array.from({ length: 5 }, (_, i) => ({ afterSeq: 100 + i * 10, lastSeq: 105 + i * 10 }));
    const out = advanceWatermark(0, pending, { afterSeq: 500, lastSeq: 600 }, 3);
    assert.deepEqual(out.pending.map((p) => p.afterSeq), [100, 110, 120]);
  });
});

describe('downsampled coverage', () => {
  const summary = reading(10, { at: 1000, downsampled: { seqEnd: 20, atEnd: 2000, count: 5, min: 1, max: 2 } });
  const span = { sensorId: 'lpg', seq: 10, seqEnd: 20, at: 1000, atEnd: 2000 };

  it('covers the same sensor’s rows inside its seq and time span, and nothing else', () => {
    assert.equal(isCovered(reading(15, { at: 1500 }), [span]), true);
    assert.equal(isCovered(reading(10, { at: 1000 }), [span]), false, 'not its own row');
    assert.equal(isCovered(reading(21, { at: 1500 }), [span]), false);
    assert.equal(isCovered(reading(15, { at: 2500 }), [span]), false, 'outside its time bucket (a clock step)');
    assert.equal(isCovered(reading(15, { at: 1500, sensorId: 'gas' }), [span]), false, 'another sensor interleaved');
  });

  it('plans a batch: covered rows are counted, not inserted; sensors are listed once', () => {
    const plan = planIngest({ afterSeq: 9, lastSeq: 21, records: [summary, reading(12, { at: 1200 }), reading(21, { at: 2100, sensorId: 'gas', sensorKind: 'gas', unit: '%LEL' })] }, []);
    assert.deepEqual(plan.readings.map((r) => r.seq), [10, 21]);
    assert.equal(plan.covered, 1);
    assert.deepEqual([...plan.sensors.entries()], [['lpg', { kind: 'level', unit: '%' }], ['gas', { kind: 'gas', unit: '%LEL' }]]);
  });
});
