/**
 * The bytes of readings.journal (reading-journal.ts): a header frame, then one
 * batch frame per write. Every frame is
 *
 *   u32 LE payload length | u32 LE CRC-32 of the payload | payload
 *
 * so a torn or damaged frame (a kill -9 in the middle of a write, a bad sector) is
 * recognised by its length or its CRC and never misread. Decoding stops at the
 * first frame that is not intact and keeps every frame before it.
 *
 * Strings (sensor ids, kinds, units, qualities, client sessions) are defined once
 * per journal, in the frame that first uses them, and referred to by index after
 * that; a frame therefore needs the frames before it, which is one more reason to
 * stop at the first bad one.
 *
 *   header: 'H' | u8 version | 16 bytes generation
 *   batch:  'C' | varint rejected | varint session (0 = no origin, else 1 + string index) [| varint through]
 *           | varint new strings, each varint byte length + UTF-8 | varint readings, each:
 *           varint seq step (from the previous seq; the first from 0) | varint sensor, kind, unit, quality
 *           | varint flags | ts | value | each optional (raw, percent, litres, ppm) present
 *   flags:  1 clock synced; 2, 4, 8, 16 raw, percent, litres, ppm present; 32, 64, 128, 256, 512 value, raw,
 *           percent, litres, ppm written as an integer; 1024 ts written as f64
 *
 * An integral number (|x| ≤ 2^50) is a zigzag varint, any other an LE float64, exactly
 * as SQLite keeps it; ts is a zigzag varint of its step from the previous reading's ts
 * in the frame (the first from 0). A leak contact's reading takes 14 bytes (its ts 6 of
 * them), a gas reading 31 after another reading; a frame adds 13 (16 with an origin).
 * 'B' frames, written by easygas before schema 2 with every number a float64, are still read.
 */
import { crc32 } from './crc32.js';
import type { WriteOrigin } from './records.js';
import type { ReadingRow } from './row-codec.js';

export const JOURNAL_VERSION = 1;
export const GENERATION_BYTES = 16;
const FRAME_HEAD = 8;
/** A frame longer than this is damage, not data (a batch is at most a few thousand readings). */
const MAX_FRAME_PAYLOAD = 64 * 1024 * 1024;
const TYPE_HEADER = 0x48; // 'H'
const TYPE_BATCH_F64 = 0x42; // 'B': every number a float64 (easygas before schema 2)
const TYPE_BATCH = 0x43; // 'C'

const SYNCED = 1;
/** Optional columns: the flag saying it is present, and ('C' frames) the one saying it is an integer. */
const OPTIONALS = [
  ['raw', 2, 64],
  ['percent', 4, 128],
  ['litres', 8, 256],
  ['ppm', 16, 512],
] as const;
const INT_VALUE = 32;
const F64_TS = 1024;
const KNOWN_FLAGS_F64 = 31;
const KNOWN_FLAGS = 2047;
/** Integers up to this size go as varints: a zigzag step between two of them stays a safe integer. */
const MAX_VARINT_NUMBER = 2 ** 50;

/** One write's worth of readings. */
export interface JournalBatch {
  /** Ascending seq. */
  readonly rows: readonly ReadingRow[];
  /** Readings of this batch refused for what they are (no finite value): counted, not stored. */
  readonly rejected: number;
  /** The writing client's mark (worker mode), so a resend after a worker restart is recognised. */
  readonly origin?: WriteOrigin;
}

export interface DecodedBatch extends JournalBatch {
  /** Byte offset just after this batch's frame. */
  readonly end: number;
}

export interface DecodedJournal {
  /** Hex id of this journal's life (a new one after every truncation); undefined without a valid header. */
  readonly generation?: string;
  readonly batches: readonly DecodedBatch[];
  /** The string table as of the last good frame: appending goes on from it. */
  readonly strings: readonly string[];
  /** Bytes up to the end of the last good frame. */
  readonly validBytes: number;
  /** Why decoding stopped before the end of the bytes; undefined when it did not. */
  readonly problem?: string;
}

/** A string → index table that grows as frames are written. */
export type StringTable = ReadonlyMap<string, number>;

export function encodeHeader(generation: Uint8Array): Buffer {
  if (generation.length !== GENERATION_BYTES) throw new RangeError(`a generation has ${GENERATION_BYTES} bytes`);
  const out = new ByteWriter(2 + GENERATION_BYTES);
  out.u8(TYPE_HEADER);
  out.u8(JOURNAL_VERSION);
  out.bytes(generation);
  return frame(out.finish());
}

/** The batch's frame, and the strings it defines (in index order) for the caller to add to `strings` once written. */
export function encodeBatch(batch: JournalBatch, strings: StringTable): { frame: Buffer; newStrings: string[] } {
  const added = new Map<string, number>();
  const newStrings: string[] = [];
  const index = (s: string): number => {
    const known = strings.get(s) ?? added.get(s);
    if (known !== undefined) return known;
    const next = strings.size + newStrings.length;
    added.set(s, next);
    newStrings.push(s);
    return next;
  };
  const body = new ByteWriter(32 + batch.rows.length * 48);
  const session = batch.origin !== undefined ? index(batch.origin.session) + 1 : 0;
  let prevSeq = 0;
  let prevTs = 0;
  for (const row of batch.rows) {
    if (!Number.isSafeInteger(row.seq) || row.seq <= prevSeq) throw new RangeError(`journal rows need ascending seqs (${row.seq} after ${prevSeq})`);
    body.varint(row.seq - prevSeq);
    prevSeq = row.seq;
    body.varint(index(row.sensor_id));
    body.varint(index(row.kind));
    body.varint(index(row.unit));
    body.varint(index(row.quality));
    let flags = row.clock_synced === 1 ? SYNCED : 0;
    if (!isVarintNumber(row.ts)) flags |= F64_TS;
    if (isVarintNumber(row.value)) flags |= INT_VALUE;
    for (const [column, present, integer] of OPTIONALS) {
      const x = row[column];
      if (x !== null) flags |= isVarintNumber(x) ? present | integer : present;
    }
    body.varint(flags);
    if (flags & F64_TS) body.f64(row.ts);
    else {
      body.zigzag(row.ts - prevTs);
      prevTs = row.ts; // only varint ones: the decoder does the same
    }
    body.number(row.value, (flags & INT_VALUE) !== 0);
    for (const [column, , integer] of OPTIONALS) {
      const x = row[column];
      if (x !== null) body.number(x, (flags & integer) !== 0);
    }
  }
  const out = new ByteWriter(24 + newStrings.length * 16 + body.length);
  out.u8(TYPE_BATCH);
  out.varint(batch.rejected);
  out.varint(session);
  if (batch.origin !== undefined) out.varint(batch.origin.through);
  out.varint(newStrings.length);
  for (const s of newStrings) {
    const utf8 = Buffer.from(s, 'utf8');
    out.varint(utf8.length);
    out.bytes(utf8);
  }
  out.varint(batch.rows.length);
  out.bytes(body.finish());
  return { frame: frame(out.finish()), newStrings };
}

/** Reads every intact frame from the start; see the file comment for what stops it. */
export function decodeJournal(bytes: Uint8Array): DecodedJournal {
  const strings: string[] = [];
  const batches: DecodedBatch[] = [];
  let generation: string | undefined;
  let pos = 0;
  while (pos < bytes.length) {
    try {
      const payload = readFrame(bytes, pos);
      const type = payload.u8();
      if (generation === undefined) {
        if (type !== TYPE_HEADER) throw new JournalFormatError('the journal does not start with a header');
        const version = payload.u8();
        if (version !== JOURNAL_VERSION) throw new JournalFormatError(`journal version ${version}; this easygas reads ${JOURNAL_VERSION}`);
        const id = Buffer.from(payload.bytes(GENERATION_BYTES)).toString('hex');
        payload.expectEnd();
        generation = id;
      } else {
        if (type !== TYPE_BATCH && type !== TYPE_BATCH_F64) throw new JournalFormatError(`unknown frame type 0x${type.toString(16)}`);
        const batch = decodeBatch(payload, strings, type === TYPE_BATCH_F64);
        batches.push({ ...batch.value, end: payload.frameEnd });
        strings.push(...batch.newStrings);
      }
      pos = payload.frameEnd;
    } catch (err) {
      if (!(err instanceof JournalFormatError)) throw err;
      const problem = `${err.message} at byte ${pos} of ${bytes.length}`;
      return { ...(generation !== undefined && { generation }), batches, strings, validBytes: pos, problem };
    }
  }
  return { ...(generation !== undefined && { generation }), batches, strings, validBytes: pos };
}

class JournalFormatError extends Error {}

function decodeBatch(payload: ByteReader, known: readonly string[], allF64: boolean): { value: JournalBatch; newStrings: string[] } {
  const rejected = payload.varint();
  const session = payload.varint();
  const through = session > 0 ? payload.varint() : 0;
  const newStrings: string[] = [];
  const stringCount = payload.varint();
  for (let i = 0; i < stringCount; i++) newStrings.push(Buffer.from(payload.bytes(payload.varint())).toString('utf8'));
  const string = (i: number): string => {
    const s = i < known.length ? known[i] : newStrings[i - known.length];
    if (s === undefined) throw new JournalFormatError(`string ${i} is not defined`);
    return s;
  };
  const count = payload.varint();
  const rows: ReadingRow[] = [];
  let seq = 0;
  let prevTs = 0; // the last ts written as a varint step; a float64 one does not move it
  for (let i = 0; i < count; i++) {
    const step = payload.varint();
    if (step === 0) throw new JournalFormatError('seqs do not ascend');
    seq += step;
    const sensor = string(payload.varint());
    const kind = string(payload.varint());
    const unit = string(payload.varint());
    const quality = string(payload.varint());
    const flags = allF64 ? payload.u8() | F64_TS : payload.varint();
    if ((flags & ~(allF64 ? KNOWN_FLAGS_F64 | F64_TS : KNOWN_FLAGS)) !== 0) {
      throw new JournalFormatError(`unknown reading flags 0x${flags.toString(16)}`);
    }
    let ts: number;
    if (flags & F64_TS) ts = payload.f64();
    else ts = prevTs += payload.zigzag();
    const value = payload.number((flags & INT_VALUE) !== 0);
    const optional = ([, present, integer]: (typeof OPTIONALS)[number]): number | null =>
      flags & present ? payload.number((flags & integer) !== 0) : null;
    rows.push({
      seq, sensor_id: sensor, kind, ts, value,
      raw: optional(OPTIONALS[0]), percent: optional(OPTIONALS[1]), litres: optional(OPTIONALS[2]), ppm: optional(OPTIONALS[3]),
      unit, quality, clock_synced: flags & SYNCED ? 1 : 0,
      seq_end: null, ts_end: null, min: null, max: null, count: null,
    });
  }
  payload.expectEnd();
  const origin = session > 0 ? { session: string(session - 1), through } : undefined;
  return { value: { rows, rejected, ...(origin !== undefined && { origin }) }, newStrings };
}

/** Written as a varint: an integer small enough (and not -0, which a varint would turn into 0). */
function isVarintNumber(x: number): boolean {
  return Number.isInteger(x) && Math.abs(x) <= MAX_VARINT_NUMBER && !Object.is(x, -0);
}

function frame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEAD + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, FRAME_HEAD);
  return out;
}

/** The payload of the frame at `pos`, checked: complete, plausible length, matching CRC. */
function readFrame(bytes: Uint8Array, pos: number): ByteReader {
  const left = bytes.length - pos;
  if (left < FRAME_HEAD) throw new JournalFormatError(`a torn frame (${left} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset + pos, FRAME_HEAD);
  const length = view.getUint32(0, true);
  if (length === 0 || length > MAX_FRAME_PAYLOAD) throw new JournalFormatError(`an impossible frame length ${length}`);
  if (left < FRAME_HEAD + length) throw new JournalFormatError(`a torn frame (${left} of ${FRAME_HEAD + length} bytes)`);
  const start = pos + FRAME_HEAD;
  if (crc32(bytes, start, start + length) !== view.getUint32(4, true)) throw new JournalFormatError('a frame whose CRC does not match');
  return new ByteReader(bytes, start, start + length);
}

class ByteReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #pos: number;
  readonly frameEnd: number;

  constructor(bytes: Uint8Array, start: number, end: number) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.#pos = start;
    this.frameEnd = end;
  }

  u8(): number {
    this.#need(1);
    return this.#bytes[this.#pos++]!;
  }

  f64(): number {
    this.#need(8);
    const x = this.#view.getFloat64(this.#pos, true);
    this.#pos += 8;
    return x;
  }

  /** An unsigned LEB128 integer up to 2^53 − 1 (arithmetic, not 32-bit bit operations). */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const b = this.u8();
      result += (b & 0x7f) * scale;
      if (b < 0x80) break;
      scale *= 128;
      if (scale > 2 ** 49) throw new JournalFormatError('a varint longer than 8 bytes');
    }
    if (!Number.isSafeInteger(result)) throw new JournalFormatError('a varint beyond 2^53');
    return result;
  }

  /** A signed integer, zigzag-encoded. */
  zigzag(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  number(integer: boolean): number {
    return integer ? this.zigzag() : this.f64();
  }

  bytes(n: number): Uint8Array {
    this.#need(n);
    const out = this.#bytes.subarray(this.#pos, this.#pos + n);
    this.#pos += n;
    return out;
  }

  expectEnd(): void {
    if (this.#pos !== this.frameEnd) throw new JournalFormatError(`${this.frameEnd - this.#pos} bytes left over in a frame`);
  }

  #need(n: number): void {
    if (this.#pos + n > this.frameEnd) throw new JournalFormatError('a frame shorter than its content');
  }
}

class ByteWriter {
  #buf: Buffer;
  #length = 0;

  constructor(capacity: number) {
    this.#buf = Buffer.allocUnsafe(Math.max(16, capacity));
  }

  get length(): number {
    return this.#length;
  }

  u8(x: number): void {
    this.#ensure(1);
    this.#buf[this.#length++] = x;
  }

  f64(x: number): void {
    this.#ensure(8);
    this.#buf.writeDoubleLE(x, this.#length);
    this.#length += 8;
  }

  varint(x: number): void {
    if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`a journal varint must be a safe non-negative integer, not ${x}`);
    let n = x;
    while (n >= 0x80) {
      this.u8((n % 128) | 0x80);
      n = Math.floor(n / 128);
    }
    this.u8(n);
  }

  zigzag(x: number): void {
    this.varint(x >= 0 ? x * 2 : -x * 2 - 1);
  }

  number(x: number, integer: boolean): void {
    if (integer) this.zigzag(x);
    else this.f64(x);
  }

  bytes(b: Uint8Array): void {
    this.#ensure(b.length);
    this.#buf.set(b, this.#length);
    this.#length += b.length;
  }

  finish(): Buffer {
    return this.#buf.subarray(0, this.#length);
  }

  #ensure(n: number): void {
    if (this.#length + n <= this.#buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#length + n));
    this.#buf.copy(bigger, 0, 0, this.#length);
    this.#buf = bigger;
  }
}
