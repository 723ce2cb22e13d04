/**
 * The readings side of GatewayStore between two transfers: the journal file, the
 * rows it holds that SQLite does not have yet (in memory, for queries), the
 * counter increments and the writing client's origin mark that go into SQLite with
 * the next transfer. GatewayStore owns the SQLite half and calls committed() once a
 * transaction holds everything here.
 */
import { dirname, join } from 'node:path';
import { PendingReadings } from './pending-readings.js';
import {
  JOURNAL_FILE_NAME, ReadingJournal, formatTransferMarker, parseTransferMarker, untransferred,
} from './reading-journal.js';
import type { WriteOrigin } from './records.js';
import type { ReadingRow } from './row-codec.js';

/** What opening found in readings.journal (normally nothing: the last close emptied it). */
export interface JournalReplay {
  /** Journaled readings SQLite did not have yet (after a crash or kill -9): moved in at open, or pending if that failed. */
  readonly readings: number;
  /** Journaled readings SQLite already had (a crash came between a transfer's commit and the truncation). */
  readonly alreadyStored: number;
  /** A torn or damaged tail cut off after the last intact batch. */
  readonly droppedBytes: number;
  readonly problem?: string;
  /** Why moving them into SQLite at open failed (they stay pending, and durable in the journal). */
  readonly transferError?: string;
}

export class JournaledReadings {
  readonly pending = new PendingReadings();
  readonly replay: JournalReplay;
  readonly #journal: ReadingJournal;
  readonly #counters = new Map<string, number>();
  #origin: WriteOrigin | undefined;
  #originDirty = false;

  /**
   * Opens `readings.journal` beside the database. `transferred` is the marker the
   * last transfer committed (batches it covers are skipped); `origin` the committed mark (JSON).
   */
  constructor(dbPath: string, transferred: string | undefined, origin: string | undefined) {
    const { journal, load } = ReadingJournal.open(join(dirname(dbPath), JOURNAL_FILE_NAME));
    this.#journal = journal;
    this.#origin = parseOrigin(origin);
    const found = untransferred(load, parseTransferMarker(transferred));
    this.pending.push(found.rows);
    this.count('reading_batches', found.batches);
    this.count('readings_rejected', found.rejected);
    if (load.droppedBytes > 0) {
      this.count('journal_damaged_tails', 1);
      this.count('journal_dropped_bytes', load.droppedBytes);
    }
    if (found.origin !== undefined) this.#setOrigin(found.origin);
    this.replay = {
      readings: found.rows.length,
      alreadyStored: found.skippedReadings,
      droppedBytes: load.droppedBytes,
      ...(load.problem !== undefined && { problem: load.problem }),
    };
  }

  get journalBytes(): number {
    return this.#journal.size;
  }

  /** The latest origin mark, committed or journaled. */
  get origin(): WriteOrigin | undefined {
    return this.#origin;
  }

  /** Something the next transfer has to commit besides rows. */
  get hasUnsaved(): boolean {
    return this.#counters.size > 0 || this.#originDirty;
  }

  /** The origin mark, when it changed since the last commit. */
  get unsavedOrigin(): WriteOrigin | undefined {
    return this.#originDirty ? this.#origin : undefined;
  }

  get unsavedCounters(): ReadonlyMap<string, number> {
    return this.#counters;
  }

  /** What a commit records so that a replay skips everything journaled so far. */
  get marker(): string {
    return formatTransferMarker({ generation: this.#journal.generation, offset: this.#journal.size });
  }

  /** True when `origin` would change nothing. */
  isCurrentOrigin(origin: WriteOrigin): boolean {
    return origin.session === this.#origin?.session && origin.through === this.#origin.through;
  }

  /** One write to the journal, then the rows are pending; throws (changing nothing) when the write fails. */
  append(rows: readonly ReadingRow[], rejected: number, origin: WriteOrigin | undefined): void {
    this.#journal.append({ rows, rejected, ...(origin !== undefined && { origin }) });
    this.pending.push(rows);
    this.count('reading_batches', 1);
    this.count('readings_rejected', rejected);
    if (origin !== undefined) this.#setOrigin(origin);
  }

  /** Adds to a counter at the next transfer. */
  count(name: string, n: number): void {
    if (n !== 0) this.#counters.set(name, (this.#counters.get(name) ?? 0) + n);
  }

  /** A SQLite transaction now holds everything here: forget it and empty the journal. */
  committed(): void {
    this.pending.clear();
    this.#counters.clear();
    this.#originDirty = false;
    this.emptyJournal();
  }

  /** Starts a new journal generation, when everything journaled is in SQLite. */
  emptyJournal(): void {
    if (this.#journal.size === 0) return;
    try {
      this.#journal.reset();
    } catch {
      // The committed marker tells a replay to skip what is there; appends go on after it.
    }
  }

  #setOrigin(origin: WriteOrigin): void {
    this.#origin = origin;
    this.#originDirty = true;
  }
}

function parseOrigin(text: string | undefined): WriteOrigin | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = JSON.parse(text) as Partial<WriteOrigin>;
    return typeof parsed.session === 'string' && typeof parsed.through === 'number'
      ? { session: parsed.session, through: parsed.through }
      : undefined;
  } catch {
    return undefined;
  }
}
