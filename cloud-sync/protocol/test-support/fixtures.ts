/** Records shaped exactly as the gateway's store hands them out (gateway/store/records.ts). */
import type { EventRecord, IngestBatch, ReadingRecord } from '../records.js';

export function reading(seq: number, overrides: Partial<ReadingRecord> = {}): ReadingRecord {
  return {
    record: 'reading',
    seq,
    sensorId: 'lpg',
    sensorKind: 'level',
    at: Date.UTC(2026, 0, 1) + seq * 60_000,
    value: 50,
    unit: '%',
    raw: 412.5,
    percent: 50,
    litres: 11.2,
    quality: 'ok',
    clockSynced: true,
    ...overrides,
  };
}

export function event(seq: number, overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    record: 'event',
    seq,
    at: Date.UTC(2026, 0, 1) + seq * 60_000,
    type: 'gas',
    sensorId: 'kitchen-gas',
    state: 'raised',
    severity: 'critical',
    severe: false,
    value: 12,
    unit: '%LEL',
    threshold: 10,
    message: 'Gas at 12 %LEL in the kitchen',
    clockSynced: true,
    ...overrides,
  };
}

export function batch(afterSeq: number, lastSeq: number, records: IngestBatch['records']): IngestBatch {
  return { afterSeq, lastSeq, records };
}
