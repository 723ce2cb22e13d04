/**
 * What the gateway's store keeps and hands out: the input events it accepts, the
 * rows it returns, the outbox records the sync agent ships, and its statistics.
 * Plain, JSON-safe data so it crosses a worker_thread boundary unchanged.
 */
import type { ConditionEvent, Quality, Reading, SensorKind, Severity } from '../pipeline/types.js';

/**
 * An event that is not a rule's verdict: the store moved a corrupt file aside, the
 * daemon started, an alarm was silenced. `type` is open so other parts can add theirs.
 */
export interface SystemEvent {
  readonly type: string;
  readonly at: number;
  readonly clockSynced: boolean;
  readonly severity: Severity;
  readonly message: string;
  readonly sensorId?: string;
  /** Details for logs and the cloud (paths, counts); must be JSON-serialisable. */
  readonly data?: Readonly<Record<string, unknown>>;
}

/** Everything `appendEvent`/`recordEvent` accept. */
export type StorableEvent = ConditionEvent | SystemEvent;

export function isConditionEvent(event: StorableEvent): event is ConditionEvent {
  return 'condition' in event;
}

/** A reading as stored: one raw reading, or a downsampled row that replaced several. */
export interface StoredReading {
  readonly record: 'reading';
  readonly seq: number;
  readonly sensorId: string;
  readonly sensorKind: SensorKind;
  readonly at: number;
  /** For a downsampled row: the average over the rows it replaced. */
  readonly value: number;
  readonly unit: string;
  readonly raw?: number;
  readonly percent?: number;
  readonly litres?: number;
  readonly ppm?: number;
  /** For a downsampled row: 'ok' only when every replaced reading was ok. */
  readonly quality: Quality;
  /** For a downsampled row: true only when every replaced reading was. */
  readonly clockSynced: boolean;
  /** Present on a downsampled row: it replaces `count` readings of this sensor, seq..seqEnd, at..atEnd. */
  readonly downsampled?: DownsampledSpan;
}

export interface DownsampledSpan {
  readonly seqEnd: number;
  readonly atEnd: number;
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

export interface StoredEvent {
  readonly record: 'event';
  readonly seq: number;
  readonly at: number;
  /** The condition of a ConditionEvent, or a SystemEvent's type. */
  readonly type: string;
  readonly sensorId?: string;
  readonly state?: 'raised' | 'cleared';
  readonly severity: Severity;
  readonly severe: boolean;
  readonly value?: number;
  readonly unit?: string;
  readonly threshold?: number;
  readonly message: string;
  readonly clockSynced: boolean;
  readonly data?: Readonly<Record<string, unknown>>;
}

/** One outbox entry, readings and events interleaved in seq order. */
export type OutboxRecord = StoredReading | StoredEvent;

export interface SeqRange {
  readonly firstSeq: number;
  /** Equals firstSeq - 1 when nothing was written. */
  readonly lastSeq: number;
}

export interface ReadingQuery {
  /** Inclusive lower bound on `at` (UTC epoch ms). */
  readonly since?: number;
  /** Exclusive upper bound on `at`. */
  readonly until?: number;
  /** Default 10 000. Rows come oldest first, so a limit keeps the start of the range. */
  readonly limit?: number;
}

export interface EventQuery {
  /** Inclusive lower bound on `at`. */
  readonly since?: number;
  /** Default 100. Events come newest first. */
  readonly limit?: number;
  /** Only conditions whose latest event for their sensor is 'raised'. */
  readonly activeOnly?: boolean;
}

export interface OutboxLimits {
  /** Default 500. */
  readonly maxRecords?: number;
  /** Approximate JSON size of the batch; at least one record is always returned. Default 256 KiB. */
  readonly maxBytes?: number;
}

export interface Backlog {
  readonly ackedSeq: number;
  readonly lastSeq: number;
  /** Stored rows after the acked cursor (a downsampled row counts once). */
  readonly readings: number;
  readonly events: number;
  readonly total: number;
}

export interface StoreStats {
  readonly path: string;
  readonly gatewayId: string;
  readonly schemaVersion: number;
  readonly pageSize: number;
  readonly pageCount: number;
  readonly freelistCount: number;
  /** (page_count − freelist_count) × page_size: what the size budget is measured on. */
  readonly usedBytes: number;
  readonly fileBytes: number;
  readonly walBytes: number;
  /** readings.journal: batches not yet moved into SQLite. */
  readonly journalBytes: number;
  /** Every reading row the store holds, in SQLite or pending in the journal. */
  readonly readings: number;
  /** Readings durable in the journal, not yet moved into SQLite (they are still in every query). */
  readonly pendingReadings: number;
  readonly downsampledReadings: number;
  readonly events: number;
  readonly lastSeq: number;
  readonly ackedSeq: number;
  /** Persistent counters: writes, prunes, downsamples, drops, recoveries (with what the next transfer adds). */
  readonly counters: Readonly<Record<string, number>>;
}

/** What a Prometheus scrape reads of the store: no row counts (a table scan), only what is at hand. */
export interface StoreMetrics {
  /** False while the database cannot be opened (see stats().openError). */
  readonly open: boolean;
  /** The persistent counters (StoreStats.counters). */
  readonly counters: Readonly<Record<string, number>>;
  readonly usedBytes: number;
  readonly walBytes: number;
  readonly journalBytes: number;
  readonly pendingReadings: number;
  readonly lastSeq: number;
  readonly ackedSeq: number;
  /** Waiting in memory while writes fail. */
  readonly queuedReadings: number;
  readonly queuedEvents: number;
  readonly transferFailures: number;
  /** Times the store worker was restarted (worker mode). */
  readonly workerRestarts?: number;
}

/** A reading on its way to the store, with the writer's reference for de-duplication. */
export interface ReadingItem {
  readonly reading: Reading;
  /** The client's message id (worker mode); readings with a ref at or below the stored mark are skipped. */
  readonly ref?: number;
}

/** Identifies the writing client across worker restarts, so a resent message is not inserted twice. */
export interface WriteOrigin {
  readonly session: string;
  /** The highest message ref in this write. */
  readonly through: number;
}
