/**
 * GatewayStore's read side: SQLite's rows merged with the readings still pending in
 * the journal, so that a query answers the same before and after a transfer.
 */
import type { PendingReadings } from './pending-readings.js';
import { mergeBySeq, mergeByTime, mergeLatest } from './pending-readings.js';
import type { EventQuery, OutboxLimits, OutboxRecord, ReadingQuery, StoredEvent, StoredReading } from './records.js';
import { storedEvent, storedReading, type EventRow, type ReadingRow } from './row-codec.js';
import type { StoreStatements } from './store-statements.js';

const DEFAULT_OUTBOX_RECORDS = 500;
const DEFAULT_OUTBOX_BYTES = 256 * 1024;
const DEFAULT_READING_LIMIT = 10_000;
const DEFAULT_EVENT_LIMIT = 100;

export function readingsFor(stmt: StoreStatements, pending: PendingReadings, sensorId: string, query: ReadingQuery): StoredReading[] {
  const since = query.since ?? Number.MIN_SAFE_INTEGER;
  const until = query.until ?? Number.MAX_SAFE_INTEGER;
  const limit = query.limit ?? DEFAULT_READING_LIMIT;
  const stored = (stmt.seriesOfSensor.all(sensorId) as number[]).flatMap(
    (series) => (stmt.readingsOfSeries.all(series, since, until, limit) as ReadingRow[]).map(storedReading),
  );
  return mergeByTime(stored, pending.forSensor(sensorId, since, until), limit);
}

export function latestReadings(stmt: StoreStatements, pending: PendingReadings): StoredReading[] {
  return mergeLatest((stmt.latestReadings.all() as ReadingRow[]).map(storedReading), pending.latestBySensor());
}

export function events(stmt: StoreStatements, query: EventQuery): StoredEvent[] {
  const statement = query.activeOnly === true ? stmt.activeEvents : stmt.events;
  const rows = statement.all(query.since ?? Number.MIN_SAFE_INTEGER, query.limit ?? DEFAULT_EVENT_LIMIT) as EventRow[];
  return rows.map(storedEvent);
}

/**
 * Records after `afterSeq` in seq order: SQLite's readings, pending readings and
 * events. The first maxRecords of their union are among the first maxRecords of
 * each, so no record in (afterSeq, last returned seq] is ever left out, whichever
 * source it sits in (an event committed after readings that are still pending, say).
 */
export function outbox(stmt: StoreStatements, pending: PendingReadings, afterSeq: number, limits: OutboxLimits): OutboxRecord[] {
  const maxRecords = Math.max(1, limits.maxRecords ?? DEFAULT_OUTBOX_RECORDS);
  const maxBytes = limits.maxBytes ?? DEFAULT_OUTBOX_BYTES;
  const candidates = mergeBySeq<OutboxRecord>([
    (stmt.readingsAfter.all(afterSeq, maxRecords) as ReadingRow[]).map(storedReading),
    pending.after(afterSeq, maxRecords),
    (stmt.eventsAfter.all(afterSeq, maxRecords) as EventRow[]).map(storedEvent),
  ]);
  const out: OutboxRecord[] = [];
  let bytes = 0;
  for (const next of candidates) {
    if (out.length >= maxRecords) break;
    bytes += Buffer.byteLength(JSON.stringify(next));
    if (bytes > maxBytes && out.length > 0) break; // one record always goes, or the sync would stall
    out.push(next);
  }
  return out;
}

/** Stored and pending reading rows, and events, with a seq above `afterSeq`. */
export function countAfter(stmt: StoreStatements, pending: PendingReadings, afterSeq: number): { readings: number; events: number } {
  return {
    readings: (stmt.countReadingsAfter.get(afterSeq) as number) + pending.countAfter(afterSeq),
    events: stmt.countEventsAfter.get(afterSeq) as number,
  };
}
