/**
 * The store as the rest of the gateway sees it. Two implementations: StoreClient
 * (the store in a worker_thread, so a slow SD card never stalls the alarm path) and
 * InProcessStore (same engine on the caller's thread, for tests and benchmarks).
 */
import type { Reading } from '../pipeline/types.js';
import type {
  Backlog, EventQuery, OutboxLimits, OutboxRecord, ReadingQuery, StorableEvent, StoredEvent, StoredReading, StoreMetrics,
} from './records.js';
import type { BackupResult, FlushResult, StoreServiceStats } from './store-service.js';

export interface ReadingStore {
  /** Fire-and-forget: never throws, never blocks. Durable once its batch commits (≤ batchIntervalMs). */
  appendReading(reading: Reading): void;
  /**
   * Fire-and-forget: never throws, never blocks; written at once, not batched.
   * `onCommitted` runs with the event's seq once it is durable (synchronous=FULL).
   */
  recordEvent(event: StorableEvent, onCommitted?: (seq: number) => void): void;
  /** One sensor's rows, oldest first. */
  readingsFor(sensorId: string, query?: ReadingQuery): Promise<StoredReading[]>;
  /** The newest row of every sensor. */
  latestReadings(): Promise<StoredReading[]>;
  /** Events, newest first. */
  events(query?: EventQuery): Promise<StoredEvent[]>;
  /** Records after `afterSeq` in seq order, for the sync agent. */
  outbox(afterSeq: number, limits?: OutboxLimits): Promise<OutboxRecord[]>;
  /** Moves the durable acked cursor (never backwards); resolves with the cursor. */
  ack(seq: number): Promise<number>;
  backlog(): Promise<Backlog>;
  stats(): Promise<ReadingStoreStats>;
  /** Counters and sizes for a metrics scrape: cheap enough to ask every few seconds. */
  metrics(): Promise<StoreMetrics>;
  /** Commits the open batch and retries anything queued; resolves with what still waits in memory. */
  flush(): Promise<FlushResult>;
  /** Flushes and closes; later writes are dropped (and counted). */
  close(): Promise<FlushResult>;
  /**
   * A consistent copy of gateway.db at `path`, taken with SQLite's online backup API while
   * the store keeps writing (the open batch is flushed into it first).
   */
  backup(path: string): Promise<BackupResult>;
}


export interface ReadingStoreStats extends StoreServiceStats {
  /** Worker mode only. */
  readonly worker?: WorkerStats;
}

export interface WorkerStats {
  readonly restarts: number;
  readonly running: boolean;
  /** Messages sent to the worker and not yet acknowledged as committed (resent after a restart). */
  readonly unacknowledgedReadings: number;
  readonly unacknowledgedEvents: number;
  /** Readings dropped from the resend buffer because it was full (lost only if the worker dies too). */
  readonly resendOverflow: number;
  readonly lastExit?: string;
}
