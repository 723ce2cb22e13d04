/**
 * The store as the gateway runs it: GatewayStore + batching + the failure-proof
 * writer + the journal's transfers into SQLite + retention + self-healing reopen.
 * Synchronous apart from its clock's timers; the worker (store-worker.ts) and the
 * in-process adapter (in-process-store.ts) both host one. Writes never throw;
 * queries throw when the database cannot be opened.
 *
 * A batch (every batchIntervalMs or batchMaxRows) is ONE append to readings.journal
 * and durable from then on; the journal's readings move into SQLite in one
 * transaction every transferIntervalMs, at transferMaxRows, on flush and close, and
 * before retention shrinks the database. The acked cursor is written at most every
 * ackPersistIntervalMs (it rides along with transfers and events for free).
 */
import { renameSync, rmSync, statSync } from 'node:fs';
import type { Clock } from '../../hardware/clock.js';
import { silentLogger, type Logger } from '../../hardware/logger.js';
import type { Reading } from '../pipeline/types.js';
import type { GatewayStore } from './gateway-store.js';
import { ReadingBatcher } from './reading-batcher.js';
import type {
  Backlog, EventQuery, OutboxLimits, OutboxRecord, ReadingItem, ReadingQuery, SeqRange, StorableEvent,
  StoredEvent, StoredReading, StoreMetrics, StoreStats, WriteOrigin,
} from './records.js';
import { openGatewayStore, type RecoveryReport } from './recovery.js';
import { Retention, type RetentionConfig, type RetentionReport } from './retention.js';
import { JournalTransfers } from './journal-transfers.js';
import { describeError, errorCode, type WriteFailureKind } from './store-errors.js';
import { StoreWriter, type EventItem, type WriterStats } from './store-writer.js';

/** Settings of the store; plain data, so they can be handed to a worker. */
export interface StoreConfig {
  /** Id for a new database (an existing one keeps its own). */
  readonly gatewayId?: string;
  readonly batchIntervalMs?: number;
  readonly batchMaxRows?: number;
  readonly retention?: Partial<RetentionConfig>;
  readonly maxQueuedReadings?: number;
  readonly maxQueuedEvents?: number;
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  readonly busyTimeoutMs?: number;
  /** Journaled readings move into SQLite at most this long after the first of them. Default 30 min: fewer, larger transfers wear the SD card less (each rewrites a dozen pages besides the new rows; see the disk-bytes bench). */
  readonly transferIntervalMs?: number;
  /** …or as soon as this many are pending. Default 5000. */
  readonly transferMaxRows?: number;
  /**
   * Pending readings held while SQLite cannot take them (a full disk): past this, batches
   * wait in the writer's queue instead. Default 4 × transferMaxRows.
   */
  readonly maxPendingReadings?: number;
  /** An acknowledged cursor is written to SQLite at most this late (sooner with a transfer or event). Default 5 min. */
  readonly ackPersistIntervalMs?: number;
}

export interface StoreServiceOptions extends StoreConfig {
  readonly dataDir: string;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** The writing client's session (worker mode): resent messages are recognised by (session, ref). */
  readonly session?: string;
  /** A batch committed (or was already committed): readings with ref ≤ throughRef are durable. */
  readonly onReadingsCommitted?: (throughRef: number, range: SeqRange) => void;
}

export interface EventOptions {
  readonly ref?: number;
  readonly onCommitted?: (seq: number) => void;
  readonly onDropped?: (reason: string) => void;
}

export interface FlushResult {
  /** Records still waiting in memory because the store cannot be written. */
  readonly pending: number;
}

export interface StoreServiceStats {
  /** Undefined while the database is not open. */
  readonly store?: StoreStats;
  readonly openError?: string;
  readonly writer: WriterStats;
  readonly openBatch: number;
  readonly recoveries: readonly RecoveryReport[];
  readonly lastRetention?: RetentionReport;
  /** Resent messages (after a worker restart) found already committed, hence not inserted again. */
  readonly resentSkipped: { readonly readings: number; readonly events: number };
  /** Moves of the journal into SQLite that failed (since start); the readings stayed pending and durable. */
  readonly transferFailures: number;
  readonly lastTransferError?: string;
}

const DEFAULT_TRANSFER_INTERVAL_MS = 30 * 60_000;
const DEFAULT_TRANSFER_MAX_ROWS = 5000;

export interface BackupResult {
  readonly path: string;
  readonly bytes: number;
  /** The newest seq in the copy. */
  readonly lastSeq: number;
}

export class StoreService {
  readonly #options: StoreServiceOptions;
  readonly #logger: Logger;
  readonly #writer: StoreWriter;
  readonly #batcher: ReadingBatcher;
  #store: GatewayStore | undefined;
  #retention: Retention | undefined;
  #suspectCorrupt = false;
  #openError: string | undefined;
  #lastRetention: RetentionReport | undefined;
  readonly #recoveries: RecoveryReport[] = [];
  readonly #resentSkipped = { readings: 0, events: 0 };
  readonly #transfers: JournalTransfers;
  #closed = false;

  constructor(options: StoreServiceOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#writer = new StoreWriter(
      {
        writeReadings: (items) => this.#writeReadings(items),
        writeEvent: (item) => this.#writeEvent(item),
        addCounters: (deltas) => this.#open().addCounters(deltas),
      },
      {
        clock: options.clock,
        logger: this.#logger,
        ...pick(options, ['maxQueuedReadings', 'maxQueuedEvents', 'retryInitialMs', 'retryMaxMs']),
        onFailure: (kind, err) => this.#onWriteFailure(kind, err),
        onReadingsCommitted: (items, range) => this.#readingsCommitted(items, range),
      },
    );
    const intervalMs = options.transferIntervalMs ?? DEFAULT_TRANSFER_INTERVAL_MS;
    const maxRows = Math.max(1, options.transferMaxRows ?? DEFAULT_TRANSFER_MAX_ROWS);
    this.#transfers = new JournalTransfers({
      clock: options.clock,
      logger: this.#logger,
      intervalMs,
      maxRows,
      maxPending: options.maxPendingReadings ?? Math.max(4 * maxRows, maxRows + (options.batchMaxRows ?? 500)),
      ackPersistMs: options.ackPersistIntervalMs ?? intervalMs,
      retryInitialMs: options.retryInitialMs ?? 500,
      retryMaxMs: options.retryMaxMs ?? 30_000,
      current: () => (this.#store?.isOpen === true ? this.#store : undefined),
      open: () => this.#open(),
      onFailure: (kind, err) => this.#onWriteFailure(kind, err),
    });
    this.#batcher = new ReadingBatcher({
      clock: options.clock,
      ...(options.batchIntervalMs !== undefined && { intervalMs: options.batchIntervalMs }),
      ...(options.batchMaxRows !== undefined && { maxRows: options.batchMaxRows }),
      onBatch: (items) => {
        this.#writer.writeReadings(items);
        this.#runRetention(false);
      },
    });
    try {
      this.#open();
    } catch {
      // Logged by #open; the writer retries opening with its first write.
    }
  }

  /** The recoveries performed since start (normally none). */
  get recoveries(): readonly RecoveryReport[] {
    return this.#recoveries;
  }

  /** The open store, opening (and healing) it on demand; throws when that fails. For tests and tools. */
  get store(): GatewayStore {
    return this.#open();
  }

  appendReading(reading: Reading, ref?: number): void {
    if (this.#closed) return;
    this.#batcher.add(ref === undefined ? { reading } : { reading, ref });
  }

  recordEvent(event: StorableEvent, options: EventOptions = {}): void {
    this.#writer.writeEvent({ event, ...options });
  }

  readingsFor(sensorId: string, query?: ReadingQuery): StoredReading[] {
    return this.#open().readingsFor(sensorId, query);
  }

  latestReadings(): StoredReading[] {
    return this.#open().latestReadings();
  }

  events(query?: EventQuery): StoredEvent[] {
    return this.#open().events(query);
  }

  outbox(afterSeq: number, limits?: OutboxLimits): OutboxRecord[] {
    return this.#open().outbox(afterSeq, limits);
  }

  /** In memory at once; in SQLite within ackPersistIntervalMs (or with the next transfer or event), and on close. */
  ack(seq: number): number {
    const store = this.#open();
    const acked = store.ack(seq);
    this.#transfers.ackMoved(store);
    return acked;
  }

  backlog(): Backlog {
    return this.#open().backlog();
  }

  stats(): StoreServiceStats {
    let store: StoreStats | undefined;
    try {
      store = this.#open().stats();
    } catch {
      // Reported through openError.
    }
    return {
      ...(store !== undefined && { store }),
      ...(this.#openError !== undefined && { openError: this.#openError }),
      writer: this.#writer.stats(),
      openBatch: this.#batcher.size,
      recoveries: [...this.#recoveries],
      ...(this.#lastRetention !== undefined && { lastRetention: this.#lastRetention }),
      resentSkipped: { ...this.#resentSkipped },
      transferFailures: this.#transfers.failures,
      ...(this.#transfers.lastError !== undefined && { lastTransferError: this.#transfers.lastError }),
    };
  }

  metrics(): StoreMetrics {
    const writer = this.#writer.stats();
    const base = { queuedReadings: writer.queuedReadings, queuedEvents: writer.queuedEvents, transferFailures: this.#transfers.failures };
    let store: GatewayStore;
    try {
      store = this.#open();
    } catch {
      return { open: false, counters: {}, usedBytes: 0, walBytes: 0, journalBytes: 0, pendingReadings: 0, lastSeq: 0, ackedSeq: 0, ...base };
    }
    return { open: true, ...store.metrics(), ...base };
  }

  /** Journals the open batch, retries anything queued and moves the journal into SQLite, now. */
  flush(): FlushResult {
    this.#batcher.flush();
    const pending = this.#writer.drain();
    this.#transfers.transfer();
    this.#runRetention(false);
    return { pending };
  }

  /** Flushes, then copies the database page by page (SQLite's online backup API): writers go on meanwhile. */
  async backup(path: string): Promise<BackupResult> {
    this.flush();
    const store = this.#open();
    const { lastSeq } = store.metrics();
    // Into a file beside it, then renamed: the target is never half a backup, and may be any old file.
    const partial = `${path}.partial`;
    rmSync(partial, { force: true });
    try {
      await store.connection.backup(partial);
      renameSync(partial, path);
    } finally {
      rmSync(partial, { force: true });
    }
    return { path, bytes: statSync(path).size, lastSeq };
  }

  /** Flushes (journal and transfer), stops timers and closes the database; returns what could not be written. */
  close(): FlushResult {
    if (this.#closed) return { pending: 0 };
    this.#batcher.flush();
    this.#closed = true;
    const pending = this.#writer.close();
    this.#transfers.stop();
    this.#transfers.transfer();
    this.#store?.close(); // writes the acked cursor, also when the transfer failed
    this.#store = undefined;
    return { pending };
  }

  #open(): GatewayStore {
    if (this.#store?.isOpen === true) return this.#store;
    if (this.#closed) throw new Error('the store is closed');
    try {
      const opened = openGatewayStore(this.#options.dataDir, {
        clock: this.#options.clock,
        fullCheck: this.#suspectCorrupt,
        ...pick(this.#options, ['gatewayId', 'busyTimeoutMs']),
      });
      this.#store = opened.store;
      this.#suspectCorrupt = false;
      this.#openError = undefined;
      // Retention works on SQLite's rows: the journal's go in first.
      const beforeShrink = (): void => this.#transfers.transferQuietly();
      this.#retention = new Retention(opened.store, this.#options.clock, this.#options.retention, this.#logger, beforeShrink);
      if (opened.recovery !== undefined) {
        this.#recoveries.push(opened.recovery);
        this.#logger.error({ ...opened.recovery }, `store database was damaged; moved to ${opened.recovery.movedTo}`);
      }
      this.#logger.info({ path: opened.store.path, lastSeq: opened.store.lastSeq, ackedSeq: opened.store.ackedSeq }, 'store open');
      this.#transfers.afterOpen(opened.store);
      return opened.store;
    } catch (err) {
      const message = describeError(err);
      if (message !== this.#openError) {
        const hint = (err as { hint?: unknown }).hint;
        this.#logger.error({ err: message, code: errorCode(err), hint }, 'store cannot be opened');
      }
      this.#openError = message;
      throw err;
    }
  }

  #writeReadings(items: readonly ReadingItem[]): SeqRange {
    const store = this.#open();
    this.#transfers.beforeAppend(store, items.length); // a failure here makes the writer keep the batch and retry
    const range = this.#appendReadings(store, items);
    this.#transfers.afterAppend(store);
    return range;
  }

  #appendReadings(store: GatewayStore, items: readonly ReadingItem[]): SeqRange {
    const session = this.#options.session;
    if (session === undefined) return store.appendReadings(items.map((i) => i.reading));
    // A resent reading at or below the committed mark was written before the worker died.
    const committed = store.committedReadingsThrough(session);
    let through = committed;
    const fresh: Reading[] = [];
    for (const item of items) {
      if (item.ref !== undefined && item.ref <= committed) continue;
      fresh.push(item.reading);
      if (item.ref !== undefined) through = Math.max(through, item.ref);
    }
    const origin: WriteOrigin = { session, through };
    const range = store.appendReadings(fresh, origin);
    this.#countResent('readings', items.length - fresh.length);
    return range;
  }

  #writeEvent(item: EventItem): number {
    const session = this.#options.session;
    const store = this.#open();
    if (session === undefined || item.ref === undefined) return store.appendEvent(item.event);
    const ref = `${session}:${item.ref}`;
    const existing = store.eventSeqByRef(ref);
    if (existing === undefined) return store.appendEvent(item.event, ref);
    this.#countResent('events', 1);
    return existing;
  }

  /** Resends found already committed: rare (a worker crash), so a separate small write is fine. */
  #countResent(what: 'readings' | 'events', n: number): void {
    if (n === 0) return;
    this.#resentSkipped[what] += n;
    try {
      this.#store?.addCounters({ [`resent_${what}_skipped`]: n });
    } catch {
      // Kept in memory (stats().resentSkipped); the data itself is safe.
    }
  }

  #readingsCommitted(items: readonly ReadingItem[], range: SeqRange): void {
    let through = 0;
    for (const item of items) if (item.ref !== undefined && item.ref > through) through = item.ref;
    if (through > 0) this.#options.onReadingsCommitted?.(through, range);
  }

  #onWriteFailure(kind: WriteFailureKind, err: unknown): void {
    if (kind === 'corrupt') {
      // Reopen through recovery with a full integrity check; a damaged file is moved aside. Nothing more is
      // written to it: the journal keeps the pending readings for whichever file comes next.
      this.#suspectCorrupt = true;
      this.#store?.close({ transfer: false });
      this.#store = undefined;
    } else if (errorCode(err) === 'SQLITE_FULL') {
      this.#runRetention(true);
    }
  }

  #runRetention(force: boolean): void {
    const retention = this.#retention;
    if (retention === undefined || this.#store?.isOpen !== true) return;
    try {
      const report = force ? retention.run() : retention.maybeRun();
      if (report !== undefined && (report.pruned > 0 || report.downsampledIn > 0 || report.overBudget)) {
        this.#lastRetention = report;
      }
    } catch (err) {
      this.#logger.warn({ err: describeError(err), code: errorCode(err) }, 'store retention failed; will retry');
    }
  }
}

function pick<T extends object, K extends keyof T>(source: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const key of keys) if (source[key] !== undefined) out[key] = source[key];
  return out;
}
