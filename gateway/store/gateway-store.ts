/**
 * The gateway's store: readings and events under ONE increasing seq, the acked
 * cursor of the cloud sync, and counters, over one better-sqlite3 connection.
 *
 * Readings become durable in readings.journal (one small append per batch, see
 * reading-journal.ts) and are moved into SQLite by transfer(), every few minutes,
 * in one transaction; until then they are held in memory and every query sees them
 * as stored. Events are committed to SQLite at once (synchronous=FULL). The acked
 * cursor is kept in memory and written with the next commit that writes meta
 * (a transfer, an event) or by persistAck(): after a crash the sync resends a few
 * minutes of records at most, which the cloud upserts.
 *
 * Synchronous; throws on I/O errors. The writer above it decides what a failure
 * means (store-writer.ts), recovery.ts decides what a damaged file means.
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import type { Reading } from '../pipeline/types.js';
import { schemaVersion } from './migrations.js';
import type { JournaledReadings, JournalReplay } from './journaled-readings.js';
import { JournalChangedError } from './reading-journal.js';
import type {
  Backlog, EventQuery, OutboxLimits, OutboxRecord, ReadingQuery, SeqRange, StorableEvent,
  StoredEvent, StoredReading, StoreMetrics, StoreStats, WriteOrigin,
} from './records.js';
import { ReadingIds } from './reading-ids.js';
import { eventParams, isStorableReading, readingRow, rowParams } from './row-codec.js';
import { SeqReserver } from './seq-reservation.js';
import { classifyWriteFailure, describeError, isCorruption } from './store-errors.js';
import * as queries from './store-queries.js';
import { configureConnection, prepareStatements, writeImmediate, type StoreStatements } from './store-statements.js';
import { ORIGIN_KEY, TRANSFER_MARKER_KEY, openCursors } from './store-cursors.js';
import { fileSize, pageUsage } from './store-size.js';

export interface GatewayStoreOptions {
  /** Id for a NEW database (an existing one keeps its own). Default: the one in `<db>.seq.json`, else a random UUID. */
  readonly gatewayId?: string;
  /** How long a write waits for a lock held by another connection. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /** Keep `<db>.seq.json` so a replaced database never reuses a seq. Default true. */
  readonly reserveSeqs?: boolean;
}

export type { JournalReplay } from './journaled-readings.js';

export interface TransferResult {
  /** Readings moved out of the journal (including any SQLite already had). */
  readonly readings: number;
  /** Of those, rows SQLite refused for what they are: counted as readings_rejected. */
  readonly refused: number;
}


export class GatewayStore {
  readonly path: string;
  readonly journalReplay: JournalReplay;
  readonly #db: BetterSqlite3.Database;
  readonly #readings: JournaledReadings;
  readonly #reserver: SeqReserver;
  readonly #gatewayId: string;
  #lastSeq: number;
  #ackedSeq: number;
  #ackDirty = false;
  #outboxedThrough = 0;
  readonly #stmt: StoreStatements;

  /**
   * Opens (creating if needed), migrates and replays the journal into SQLite; throws
   * SqliteError or StoreError. No integrity check: see recovery.ts.
   */
  static open(path: string, options: GatewayStoreOptions = {}): GatewayStore {
    const db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      return new GatewayStore(db, path, options);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  private constructor(db: BetterSqlite3.Database, path: string, options: GatewayStoreOptions) {
    this.path = path;
    this.#db = db;
    configureConnection(db, path);
    this.#stmt = prepareStatements(db);

    const opened = openCursors(db, this.#stmt, path, options);
    this.#gatewayId = opened.gatewayId;
    this.#readings = opened.readings;
    this.#lastSeq = opened.lastSeq;
    this.#ackedSeq = opened.ackedSeq;
    const { reservation, reservationPath } = opened;
    const reservedThrough = reservation?.gatewayId === this.#gatewayId ? reservation.reservedThrough : 0;
    // The database itself is the primary record; a missed reservation only weakens recovery. Counted, retried.
    this.#reserver = new SeqReserver(reservationPath, this.#gatewayId, reservedThrough, () =>
      this.#readings.count('seq_reservation_failures', 1));
    this.#reserver.reserve(this.#lastSeq + 1);

    let transferError: string | undefined;
    try {
      this.transfer();
    } catch (err) {
      if (isCorruption(err)) throw err; // recovery moves the file aside; the fresh one replays the journal
      transferError = describeError(err);
    }
    this.journalReplay = { ...this.#readings.replay, ...(transferError !== undefined && { transferError }) };
  }

  get gatewayId(): string {
    return this.#gatewayId;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  get ackedSeq(): number {
    return this.#ackedSeq;
  }

  /** The acked cursor moved since it was last written to SQLite. */
  get ackUnsaved(): boolean {
    return this.#ackDirty;
  }

  /** Readings in the journal, not yet in SQLite. */
  get pendingReadings(): number {
    return this.#readings.pending.size;
  }

  get journalBytes(): number {
    return this.#readings.journalBytes;
  }

  /** Rows at or below this seq may be in flight to the cloud: retention must not rewrite them. */
  get protectedThrough(): number {
    return Math.max(this.#ackedSeq, this.#outboxedThrough);
  }

  get isOpen(): boolean {
    return this.#db.open;
  }

  /** The connection, for retention and tests in this folder. */
  get connection(): BetterSqlite3.Database {
    return this.#db;
  }

  /** The highest message ref of `session` already durable (0 when none): resent readings at or below it are skipped. */
  committedReadingsThrough(session: string): number {
    const origin = this.#readings.origin;
    return origin?.session === session ? origin.through : 0;
  }

  /**
   * Appends to the journal with one write (durable once this returns); readings
   * without a finite value are counted as rejected, not stored. Throws on an I/O
   * error, and then no seq was used.
   */
  appendReadings(readings: readonly Reading[], origin?: WriteOrigin): SeqRange {
    const storable = readings.filter(isStorableReading);
    const rejected = readings.length - storable.length;
    const firstSeq = this.#lastSeq + 1;
    const lastSeq = firstSeq + storable.length - 1;
    const newOrigin = origin !== undefined && !this.#readings.isCurrentOrigin(origin);
    if (storable.length === 0 && rejected === 0 && !newOrigin) return { firstSeq, lastSeq };
    this.#reserver.reserve(lastSeq);
    const rows = storable.map((r, k) => readingRow(r, firstSeq + k));
    try {
      this.#readings.append(rows, rejected, origin);
    } catch (err) {
      if (!(err instanceof JournalChangedError)) throw err;
      // Something else truncated or replaced the file: what it held is still pending here. Into SQLite, and afresh.
      this.transfer();
      this.#readings.append(rows, rejected, origin);
    }
    this.#lastSeq = Math.max(this.#lastSeq, lastSeq);
    return { firstSeq, lastSeq };
  }

  /**
   * Moves the pending readings into SQLite in ONE transaction, committed with
   * synchronous=FULL (the journal is emptied right after, so they must be on the
   * disk first), together with last_seq, the acked cursor, the origin mark, the
   * counters and the journal's generation:size; then empties the journal. Idempotent:
   * a row already in SQLite is left alone, and a replay skips what the marker covers.
   */
  transfer(): TransferResult {
    const journaled = this.#readings;
    const rows = journaled.pending.rows;
    if (rows.length === 0 && !journaled.hasUnsaved && !this.#ackDirty) {
      journaled.emptyJournal();
      return { readings: 0, refused: 0 };
    }
    const marker = journaled.marker;
    const origin = journaled.unsavedOrigin;
    let inserted = 0;
    let refused = 0;
    this.#db.pragma('synchronous = FULL');
    try {
      writeImmediate(this.#db, () => {
        inserted = 0;
        refused = 0;
        const ids = new ReadingIds(this.#db);
        for (const row of rows) {
          try {
            inserted += this.#stmt.insertReadingOrIgnore.run(rowParams(row, ids)).changes;
          } catch (err) {
            if (classifyWriteFailure(err) !== 'rejected') throw err;
            refused++;
          }
        }
        this.#stmt.setMeta.run('last_seq', String(this.#lastSeq));
        this.#stmt.setMeta.run(TRANSFER_MARKER_KEY, marker);
        if (this.#ackDirty) this.#stmt.setMeta.run('acked_seq', String(this.#ackedSeq));
        if (origin !== undefined) this.#stmt.setMeta.run(ORIGIN_KEY, JSON.stringify(origin));
        const counters = new Map(journaled.unsavedCounters);
        counters.set('readings_written', (counters.get('readings_written') ?? 0) + inserted);
        counters.set('readings_rejected', (counters.get('readings_rejected') ?? 0) + refused);
        if (rows.length > 0) counters.set('journal_transfers', 1);
        for (const [name, n] of counters) if (n !== 0) this.#stmt.bumpCounter.run(name, n);
      });
    } finally {
      this.#db.pragma('synchronous = NORMAL');
    }
    this.#ackDirty = false;
    journaled.committed();
    return { readings: rows.length, refused };
  }

  /**
   * Appends one event in its own transaction, committed with synchronous=FULL so it
   * survives a power cut. With a `ref` already stored, returns that event's seq instead.
   */
  appendEvent(event: StorableEvent, ref?: string): number {
    const existing = ref !== undefined ? this.eventSeqByRef(ref) : undefined;
    if (existing !== undefined) return existing;
    const seq = this.#lastSeq + 1;
    this.#reserver.reserve(seq);
    const saveAck = this.#ackDirty;
    this.#db.pragma('synchronous = FULL');
    try {
      writeImmediate(this.#db, () => {
        this.#stmt.insertEvent.run(eventParams(event, seq, ref ?? null));
        this.#stmt.setMeta.run('last_seq', String(seq));
        if (saveAck) this.#stmt.setMeta.run('acked_seq', String(this.#ackedSeq)); // the same page: free
        this.#stmt.bumpCounter.run('events_written', 1);
      });
    } finally {
      this.#db.pragma('synchronous = NORMAL');
    }
    this.#lastSeq = seq;
    if (saveAck) this.#ackDirty = false;
    return seq;
  }

  /** The seq of the event stored with this writer reference, if any. */
  eventSeqByRef(ref: string): number | undefined {
    return this.#stmt.eventSeqByRef.get(ref) as number | undefined;
  }

  /** Rows of one sensor, oldest first (downsampled rows included). */
  readingsFor(sensorId: string, query: ReadingQuery = {}): StoredReading[] {
    return queries.readingsFor(this.#stmt, this.#readings.pending, sensorId, query);
  }

  /** The newest row (by time) of every sensor. */
  latestReadings(): StoredReading[] {
    return queries.latestReadings(this.#stmt, this.#readings.pending);
  }

  /** Events, newest first. */
  events(query: EventQuery = {}): StoredEvent[] {
    return queries.events(this.#stmt, query);
  }

  /**
   * Records after `afterSeq`, readings (in SQLite or pending) and events interleaved
   * in seq order. Every record with a seq in (afterSeq, last returned seq] is in the
   * batch: seqs absorbed by a downsampled row (seq..seqEnd), skipped by a database
   * replacement or refused at transfer have no record.
   */
  outbox(afterSeq: number, limits: OutboxLimits = {}): OutboxRecord[] {
    const out = queries.outbox(this.#stmt, this.#readings.pending, afterSeq, limits);
    const last = out.at(-1);
    if (last !== undefined) this.#outboxedThrough = Math.max(this.#outboxedThrough, last.seq);
    return out;
  }

  /**
   * Moves the acked cursor forward (never back, never past lastSeq); returns it. In
   * memory at once; written to SQLite with the next transfer or event, by
   * persistAck(), or on close.
   */
  ack(seq: number): number {
    const target = Math.min(Math.floor(seq), this.#lastSeq);
    if (!Number.isFinite(target) || target <= this.#ackedSeq) return this.#ackedSeq;
    this.#ackedSeq = target;
    this.#ackDirty = true;
    return target;
  }

  /** Writes the acked cursor if it moved; true when it wrote. */
  persistAck(): boolean {
    if (!this.#ackDirty) return false;
    const acked = this.#ackedSeq;
    writeImmediate(this.#db, () => this.#stmt.setMeta.run('acked_seq', String(acked)));
    this.#ackDirty = acked !== this.#ackedSeq;
    return true;
  }

  backlog(): Backlog {
    const { readings, events } = queries.countAfter(this.#stmt, this.#readings.pending, this.#ackedSeq);
    return { ackedSeq: this.#ackedSeq, lastSeq: this.#lastSeq, readings, events, total: readings + events };
  }

  /** (page_count − freelist_count) × page_size of the SQLite file (the journal is not counted: it stays small). */
  usedBytes(): number {
    return pageUsage(this.#db).usedBytes;
  }

  /** Commits counter increments now (rare events: drops, recoveries, retention). */
  addCounters(deltas: Readonly<Record<string, number>>): void {
    const entries = Object.entries(deltas).filter(([, n]) => n !== 0);
    if (entries.length === 0) return;
    writeImmediate(this.#db, () => {
      for (const [name, n] of entries) this.#stmt.bumpCounter.run(name, n);
    });
  }

  /** The persistent counters, with what the next transfer will add (pending readings count as written). */
  counters(): Record<string, number> {
    const rows = this.#stmt.counters.all() as { name: string; value: number }[];
    const out: Record<string, number> = Object.fromEntries(rows.map((row) => [row.name, row.value]));
    const add = (name: string, n: number): void => {
      if (n !== 0) out[name] = (out[name] ?? 0) + n;
    };
    for (const [name, n] of this.#readings.unsavedCounters) add(name, n);
    add('readings_written', this.#readings.pending.size);
    return out;
  }

  /** What a metrics scrape needs: counters and sizes, no table scan. */
  metrics(): Pick<StoreMetrics, 'counters' | 'usedBytes' | 'walBytes' | 'journalBytes' | 'pendingReadings' | 'lastSeq' | 'ackedSeq'> {
    return {
      counters: this.counters(),
      usedBytes: this.usedBytes(),
      walBytes: fileSize(`${this.path}-wal`),
      journalBytes: this.#readings.journalBytes,
      pendingReadings: this.#readings.pending.size,
      lastSeq: this.#lastSeq,
      ackedSeq: this.#ackedSeq,
    };
  }

  stats(): StoreStats {
    const counts = this.#stmt.rowCounts.get() as { readings: number; downsampled: number | null; events: number };
    return {
      path: this.path,
      gatewayId: this.#gatewayId,
      schemaVersion: schemaVersion(this.#db),
      ...pageUsage(this.#db),
      fileBytes: fileSize(this.path),
      walBytes: fileSize(`${this.path}-wal`),
      journalBytes: this.#readings.journalBytes,
      readings: counts.readings + this.#readings.pending.size,
      pendingReadings: this.#readings.pending.size,
      downsampledReadings: counts.downsampled ?? 0,
      events: counts.events,
      lastSeq: this.#lastSeq,
      ackedSeq: this.#ackedSeq,
      counters: this.counters(),
    };
  }

  /**
   * Transfers what is pending and writes the acked cursor (best effort: the journal
   * keeps what could not be moved), then closes. `transfer: false` closes a
   * connection suspected of damage without writing to it.
   */
  close(options: { readonly transfer?: boolean } = {}): void {
    if (!this.#db.open) return;
    if (options.transfer !== false) {
      try {
        this.transfer();
      } catch {
        try {
          this.persistAck();
        } catch {
          // A resend after restart, which the cloud upserts.
        }
      }
    }
    this.#db.close();
  }


}
