/**
 * `<dataDir>/readings.journal`: where a batch of readings becomes durable with ONE
 * small append instead of a SQLite commit (which costs several 4 KiB WAL pages).
 * No fsync, the same promise as SQLite's synchronous=NORMAL: what write() returned
 * survives a kill -9 (the page cache belongs to the kernel), not necessarily a power
 * cut. GatewayStore moves the journal's readings into SQLite every few minutes and
 * then truncates it.
 *
 * Every truncation starts a new generation (a random id in the header frame), so a
 * crash between that SQLite commit and the truncation is recognised on replay: the
 * commit records `generation:offset` (see GatewayStore.transfer).
 *
 * One store per data directory: the file is not locked, the owning GatewayStore
 * assumes it is the only writer.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import {
  GENERATION_BYTES, decodeJournal, encodeBatch, encodeHeader, type DecodedBatch, type JournalBatch,
} from './journal-codec.js';
import type { WriteOrigin } from './records.js';
import type { ReadingRow } from './row-codec.js';
import { errorCode } from './store-errors.js';

export const JOURNAL_FILE_NAME = 'readings.journal';

/** What opening found in the file. */
export interface JournalLoad {
  readonly generation: string;
  /** Every intact batch, in order. */
  readonly batches: readonly DecodedBatch[];
  /** The file's size before a damaged tail was cut off. */
  readonly fileBytes: number;
  /** Bytes cut off after the last intact frame (a torn write or damage); 0 normally. */
  readonly droppedBytes: number;
  /** Why those bytes were dropped. */
  readonly problem?: string;
}

/** The file no longer has the bytes this journal wrote: truncated, replaced or deleted by something else. */
export class JournalChangedError extends Error {
  readonly code = 'journal_changed';
}

export class ReadingJournal {
  readonly path: string;
  #generation: Buffer;
  #strings: Map<string, number>;
  #size: number;

  /** Reads the journal (a missing file is an empty one) and cuts off a damaged tail, so appends follow good frames. */
  static open(path: string): { journal: ReadingJournal; load: JournalLoad } {
    const bytes = readOrEmpty(path);
    const decoded = decodeJournal(bytes);
    const keep = decoded.generation === undefined ? 0 : decoded.validBytes;
    if (keep < bytes.length) truncateSync(path, keep);
    const generation = decoded.generation !== undefined ? Buffer.from(decoded.generation, 'hex') : randomBytes(GENERATION_BYTES);
    const strings = new Map(decoded.strings.map((s, i) => [s, i]));
    const journal = new ReadingJournal(path, generation, keep > 0 ? strings : new Map<string, number>(), keep);
    const load: JournalLoad = {
      generation: journal.generation,
      batches: keep > 0 ? decoded.batches : [],
      fileBytes: bytes.length,
      droppedBytes: bytes.length - keep,
      ...(decoded.problem !== undefined && { problem: decoded.problem }),
    };
    return { journal, load };
  }

  private constructor(path: string, generation: Buffer, strings: Map<string, number>, size: number) {
    this.path = path;
    this.#generation = generation;
    this.#strings = strings;
    this.#size = size;
  }

  /** This life's id, hex. */
  get generation(): string {
    return this.#generation.toString('hex');
  }

  /** Bytes of intact frames in the file. */
  get size(): number {
    return this.#size;
  }

  /**
   * Appends the batch with one write() (with the header when the file is empty).
   * Throws on an I/O error, leaving the file and this object as they were; throws
   * JournalChangedError when the file lost bytes this journal had written.
   */
  append(batch: JournalBatch): void {
    const { frame, newStrings } = encodeBatch(batch, this.#strings);
    const data = this.#size === 0 ? Buffer.concat([encodeHeader(this.#generation), frame]) : frame;
    const fd = openSync(this.path, 'a');
    try {
      const actual = fstatSync(fd).size;
      if (actual < this.#size) {
        throw new JournalChangedError(`${this.path} has ${actual} bytes, but ${this.#size} were written to it`);
      }
      // Left over from an append that failed half-way and could not be undone then.
      if (actual > this.#size) ftruncateSync(fd, this.#size);
      try {
        const written = writeSync(fd, data);
        if (written !== data.length) {
          throw Object.assign(new Error(`short write to ${this.path} (${written} of ${data.length} bytes)`), { code: 'EIO' });
        }
      } catch (err) {
        try {
          ftruncateSync(fd, this.#size); // a partial frame would hide every later one from a replay
        } catch {
          // Cut before the next append (above).
        }
        throw err;
      }
    } finally {
      closeSync(fd);
    }
    this.#size += data.length;
    for (const s of newStrings) this.#strings.set(s, this.#strings.size);
  }

  /** Empties the file and starts a new generation. Throws (changing nothing) when the file cannot be truncated. */
  reset(): void {
    try {
      truncateSync(this.path, 0);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
    }
    this.#generation = randomBytes(GENERATION_BYTES);
    this.#strings = new Map();
    this.#size = 0;
  }
}

/** The file's bytes; a missing file is an empty one. */
export function readOrEmpty(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    if (errorCode(err) === 'ENOENT') return Buffer.alloc(0);
    throw err;
  }
}

/** What a SQLite commit records about the journal it emptied: the journal's generation and its size then. */
export interface TransferMarker {
  readonly generation: string;
  readonly offset: number;
}

export function formatTransferMarker(marker: TransferMarker): string {
  return `${marker.generation}:${marker.offset}`;
}

export function parseTransferMarker(text: string | undefined): TransferMarker | undefined {
  const match = /^([0-9a-f]+):(\d+)$/.exec(text ?? '');
  return match?.[1] !== undefined && match[2] !== undefined ? { generation: match[1], offset: Number(match[2]) } : undefined;
}

/** The journal's content that SQLite does not have yet. */
export interface Untransferred {
  readonly rows: ReadingRow[];
  readonly rejected: number;
  /** The last origin mark among these batches. */
  readonly origin?: WriteOrigin;
  /** Readings of batches the last commit already moved (a crash came between it and the truncation). */
  readonly skippedReadings: number;
  /** The batches (journal appends) these rows came in. */
  readonly batches: number;
}

/** The batches written after `marker` (all of them when the marker is of another generation or absent). */
export function untransferred(load: JournalLoad, marker: TransferMarker | undefined): Untransferred {
  const rows: ReadingRow[] = [];
  let rejected = 0;
  let origin: WriteOrigin | undefined;
  let skippedReadings = 0;
  let batches = 0;
  for (const batch of load.batches) {
    if (marker?.generation === load.generation && batch.end <= marker.offset) {
      skippedReadings += batch.rows.length;
      continue;
    }
    for (const row of batch.rows) rows.push(row);
    batches++;
    rejected += batch.rejected;
    if (batch.origin !== undefined) origin = batch.origin;
  }
  return { rows, rejected, ...(origin !== undefined && { origin }), skippedReadings, batches };
}
