/**
 * Between the pipeline's values and SQLite rows: parameters for INSERTs and the
 * stored records rebuilt from rows. Non-finite optional numbers become NULL so a
 * bad value never makes a batch fail.
 */
import type { Quality, Reading, SensorKind, Severity } from '../pipeline/types.js';
import type { ReadingIds } from './reading-ids.js';
import { isConditionEvent, type StorableEvent, type StoredEvent, type StoredReading } from './records.js';

export interface ReadingRow {
  readonly seq: number;
  readonly sensor_id: string;
  readonly kind: string;
  readonly ts: number;
  readonly value: number;
  readonly raw: number | null;
  readonly percent: number | null;
  readonly litres: number | null;
  readonly ppm: number | null;
  readonly unit: string;
  readonly quality: string;
  readonly clock_synced: number;
  readonly seq_end: number | null;
  readonly ts_end: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly count: number | null;
}

export interface EventRow {
  readonly seq: number;
  readonly ts: number;
  readonly type: string;
  readonly sensor_id: string | null;
  readonly state: string | null;
  readonly severity: string;
  readonly severe: number;
  readonly value: number | null;
  readonly unit: string | null;
  readonly threshold: number | null;
  readonly message: string;
  readonly clock_synced: number;
  readonly data: string | null;
}

/** A reading as the view reading_rows shows it (schema v2 stores numbers for the text columns). */
export const READING_COLUMNS =
  'seq, sensor_id, kind, ts, value, raw, percent, litres, ppm, unit, quality, clock_synced, seq_end, ts_end, min, max, count';
export const EVENT_COLUMNS =
  'seq, ts, type, sensor_id, state, severity, severe, value, unit, threshold, message, clock_synced, data';

/** For moving journaled readings into SQLite: a row already there (a replay after a crash) is left as it is. */
export const INSERT_READING_OR_IGNORE_SQL =
  'INSERT OR IGNORE INTO readings (seq, series, ts, value, raw, percent, litres, ppm, quality, clock_synced) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
export const INSERT_EVENT_SQL =
  'INSERT INTO events (seq, ts, type, sensor_id, state, severity, severe, value, unit, threshold, message, clock_synced, data, ref) ' +
  'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

type Param = string | number | null;

const finiteOrNull = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

/**
 * A reading the store can keep: it has an id, a time, a finite value and the text
 * columns SQLite requires. Checked before a reading is journaled, so a row never
 * reaches SQLite only to be refused there.
 */
export function isStorableReading(r: Reading): boolean {
  return (
    typeof r.sensorId === 'string' && r.sensorId !== '' && Number.isFinite(r.at) && Number.isFinite(r.value) &&
    typeof r.kind === 'string' && typeof r.unit === 'string' && typeof r.quality === 'string'
  );
}

/** A storable reading as the row SQLite will hold: the exact values a query returns, journaled or not. */
export function readingRow(r: Reading, seq: number): ReadingRow {
  return {
    seq,
    sensor_id: r.sensorId,
    kind: r.kind,
    ts: Math.round(r.at),
    value: r.value,
    raw: finiteOrNull(r.raw),
    percent: finiteOrNull(r.percent),
    litres: finiteOrNull(r.litres),
    ppm: finiteOrNull(r.ppm),
    unit: r.unit,
    quality: r.quality,
    clock_synced: r.clockSynced ? 1 : 0,
    seq_end: null,
    ts_end: null,
    min: null,
    max: null,
    count: null,
  };
}

/** INSERT parameters of a raw (not downsampled) row, in INSERT_READING_OR_IGNORE_SQL's order. */
export function rowParams(row: ReadingRow, ids: ReadingIds): Param[] {
  return [
    row.seq, ids.series(row), row.ts, row.value, row.raw, row.percent, row.litres, row.ppm, ids.quality(row.quality),
    row.clock_synced,
  ];
}

export function eventParams(e: StorableEvent, seq: number, ref: string | null): Param[] {
  // An event is never refused for a bad time: it is kept at 0 and flagged unsynchronised.
  const ts = Number.isFinite(e.at) ? Math.round(e.at) : 0;
  const synced = Number.isFinite(e.at) && e.clockSynced ? 1 : 0;
  if (isConditionEvent(e)) {
    return [
      seq, ts, e.condition, e.sensorId, e.state, e.severity, e.severe ? 1 : 0,
      finiteOrNull(e.value), e.unit ?? null, finiteOrNull(e.threshold), e.message, synced, null, ref,
    ];
  }
  return [
    seq, ts, e.type, e.sensorId ?? null, null, e.severity, 0, null, null, null, e.message, synced,
    encodeData(e.data), ref,
  ];
}

function encodeData(data: Readonly<Record<string, unknown>> | undefined): string | null {
  if (data === undefined) return null;
  try {
    return JSON.stringify(data);
  } catch (err) {
    return JSON.stringify({ unserialisable: err instanceof Error ? err.message : String(err) });
  }
}

export function storedReading(row: ReadingRow): StoredReading {
  const base: StoredReading = {
    record: 'reading',
    seq: row.seq,
    sensorId: row.sensor_id,
    sensorKind: row.kind as SensorKind,
    at: row.ts,
    value: row.value,
    unit: row.unit,
    ...(row.raw !== null && { raw: row.raw }),
    ...(row.percent !== null && { percent: row.percent }),
    ...(row.litres !== null && { litres: row.litres }),
    ...(row.ppm !== null && { ppm: row.ppm }),
    quality: row.quality as Quality,
    clockSynced: row.clock_synced === 1,
  };
  if (row.seq_end === null) return base;
  return {
    ...base,
    downsampled: {
      seqEnd: row.seq_end,
      atEnd: row.ts_end ?? row.ts,
      min: row.min ?? row.value,
      max: row.max ?? row.value,
      count: row.count ?? 1,
    },
  };
}

export function storedEvent(row: EventRow): StoredEvent {
  return {
    record: 'event',
    seq: row.seq,
    at: row.ts,
    type: row.type,
    ...(row.sensor_id !== null && { sensorId: row.sensor_id }),
    ...(row.state !== null && { state: row.state as 'raised' | 'cleared' }),
    severity: row.severity as Severity,
    severe: row.severe === 1,
    ...(row.value !== null && { value: row.value }),
    ...(row.unit !== null && { unit: row.unit }),
    ...(row.threshold !== null && { threshold: row.threshold }),
    message: row.message,
    clockSynced: row.clock_synced === 1,
    ...(row.data !== null && { data: decodeData(row.data) }),
  };
}

function decodeData(text: string): Readonly<Record<string, unknown>> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { text };
  }
}
