import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { IngestAck, IngestBatch } from './records.js';
import { validator } from './validator.js';
import { batch, event, reading } from './test-support/fixtures.js';

const batches = validator(IngestBatch);

function issuesOf(value: unknown): string[] {
  const parsed = batches.parse(value);
  return parsed.ok ? [] : parsed.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('IngestBatch schema', () => {
  it('accepts the records the gateway store hands out, raw and downsampled, condition and system events', () => {
    const value = batch(0, 5, [
      reading(1),
      reading(2, { downsampled: { seqEnd: 40, atEnd: Date.UTC(2026, 0, 2), count: 30, min: 48, max: 52 }, quality: 'noisy' }),
      event(3),
      event(4, { type: 'store_recovered', sensorId: undefined, state: undefined, severity: 'warning', data: { movedTo: '/var/lib/x.corrupt', bytes: 4096 } }),
      reading(5, { sensorId: 'roof-tank', sensorKind: 'leak', unit: 'wet', value: 0, raw: 0, percent: undefined, litres: undefined, clockSynced: false }),
    ]);
    // undefined members vanish on the wire, as JSON.stringify drops them.
    assert.deepEqual(issuesOf(JSON.parse(JSON.stringify(value))), []);
  });

  it('names every bad field of every record, by path', () => {
    const bad = JSON.parse(JSON.stringify(batch(0, 9, [reading(1), reading(2), event(3)]))) as { records: Record<string, unknown>[] };
    bad.records[0]!.value = '50';
    bad.records[1]!.sensorKind = 'pressure';
    bad.records[2]!.severity = 'fatal';
    bad.records[2]!.colour = 'red';
    assert.deepEqual(issuesOf(bad), [
      'records[0].value: must be a number',
      'records[1].sensorKind: must be one of "level", "gas", "leak", "temperature"',
      'records[2].severity: must be one of "info", "warning", "critical"',
      'records[2].colour: is not a known field: remove it (check its spelling)',
    ]);
  });

  it('judges a record by the kind its `record` tag names', () => {
    assert.deepEqual(issuesOf({ afterSeq: 0, lastSeq: 1, records: [{ record: 'reeding', seq: 1 }] }), [
      'records[0].record: must be one of "reading", "event"',
    ]);
    const noMessage = JSON.parse(JSON.stringify({ afterSeq: 0, lastSeq: 1, records: [{ ...event(1), message: undefined }] })) as unknown;
    assert.deepEqual(issuesOf(noMessage), ['records[0].message: is required']);
  });

  it('refuses numbers JSON can smuggle in: 1e400 (Infinity), 1e300, fractions of a seq', () => {
    const text = JSON.stringify(batch(0, 2, [reading(1), reading(2)])).replace('"value":50', '"value":1e400').replace('"seq":2', '"seq":2.5');
    assert.deepEqual(issuesOf(JSON.parse(text)), ['records[0].value: must be a number', 'records[1].seq: must be an integer']);
    assert.deepEqual(issuesOf(batch(0, 1, [reading(1, { litres: 1e300 })])), ['records[0].litres: must be at most 1000000000']);
    assert.deepEqual(issuesOf({ afterSeq: 0, lastSeq: 2 ** 60, records: [] }), ['lastSeq: must be at most 9007199254740991']);
  });

  it('caps the number of issues it reports for a flood of garbage', () => {
    const flood = { afterSeq: 0, lastSeq: 1000, records: Array.from({ length: 1000 }, () => 7) };
    assert.equal(issuesOf(flood).length, 20);
  });

  it('describes the ack', () => {
    assert.equal(validator(IngestAck).check({ ackedSeq: 5, stored: 3, duplicates: 2 }), true);
    assert.equal(validator(IngestAck).check({ ackedSeq: -1, stored: 3, duplicates: 2 }), false);
  });
});
