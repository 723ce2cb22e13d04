import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crc32 } from './crc32.js';
import { decodeJournal, encodeBatch, encodeHeader, type JournalBatch } from './journal-codec.js';
import { readingRow, type ReadingRow } from './row-codec.js';
import { reading } from './test-support/fixtures.js';

const GENERATION = Buffer.alloc(16, 0xab);
const HEADER = encodeHeader(GENERATION).length;

/** A journal as the store writes it: the header, then each batch with the strings defined so far. */
function journalOf(batches: readonly JournalBatch[]): { bytes: Buffer; ends: number[] } {
  const strings = new Map<string, number>();
  const parts = [encodeHeader(GENERATION)];
  const ends: number[] = [];
  let length = parts[0]!.length;
  for (const batch of batches) {
    const { frame, newStrings } = encodeBatch(batch, strings);
    for (const s of newStrings) strings.set(s, strings.size);
    parts.push(frame);
    length += frame.length;
    ends.push(length);
  }
  return { bytes: Buffer.concat(parts), ends };
}

const rows = (from: number, count: number): ReadingRow[] => Array.from({ length: count }, (_, k) => readingRow(reading(from + k), from + k));

const BATCHES: JournalBatch[] = [
  { rows: rows(1, 3), rejected: 0 },
  { rows: [readingRow(reading(4, { kind: 'gas', ppm: 1234.5, percent: undefined, litres: undefined, clockSynced: false }), 7)], rejected: 2,
    origin: { session: 'client-a', through: 41 } },
  { rows: [], rejected: 0, origin: { session: 'client-a', through: 42 } },
  { rows: rows(8, 2), rejected: 0 },
];

test('batches come back exactly as written: every column, origins, rejected counts', () => {
  const { bytes, ends } = journalOf(BATCHES);
  const decoded = decodeJournal(bytes);
  assert.equal(decoded.generation, GENERATION.toString('hex'));
  assert.equal(decoded.problem, undefined);
  assert.equal(decoded.validBytes, bytes.length);
  assert.deepEqual(decoded.batches, BATCHES.map((b, i) => ({ ...b, end: ends[i] })));
});

test('odd values survive: fractional and negative times, huge and tiny numbers, any text', () => {
  const odd = readingRow(
    reading(1, { sensorId: 'cuve-été-🚰', unit: 'µS/cm', at: -1234.4, value: Number.MAX_VALUE, raw: -Number.MIN_VALUE, percent: 0, litres: -0 }),
    2 ** 40,
  );
  const { bytes } = journalOf([{ rows: [odd], rejected: 0 }]);
  assert.deepEqual(decodeJournal(bytes).batches[0]?.rows, [odd]);
});

test('a string is written once per journal; later frames refer to it', () => {
  const strings = new Map<string, number>();
  const first = encodeBatch({ rows: rows(1, 1), rejected: 0 }, strings);
  assert.deepEqual(first.newStrings, ['tank-1', 'level', '%', 'ok']);
  for (const s of first.newStrings) strings.set(s, strings.size);
  const again = encodeBatch({ rows: [readingRow(reading(4), 2)], rejected: 0 }, strings);
  assert.deepEqual(again.newStrings, []);
  assert.ok(again.frame.length < first.frame.length);
  // A level reading with raw (a fraction: 8 bytes), and integral value, percent and litres (1 byte each): 24 bytes;
  // the frame around it, 13.
  assert.equal(again.frame.length, 24 + 13);
});

test('integers go as varints, everything else as float64, and both come back exactly', () => {
  const base = readingRow(reading(1), 1);
  const odd: ReadingRow[] = [
    { ...base, seq: 1, ts: 1.5, value: -0, raw: 2 ** 50, percent: 2 ** 50 + 2, litres: -(2 ** 50), ppm: Number.MIN_SAFE_INTEGER },
    { ...base, seq: 2, ts: 2 ** 52, value: -7, raw: 0.1 + 0.2, percent: null, litres: 0, ppm: 1e300 },
    { ...base, seq: 3, ts: -5, value: 3, raw: null, percent: -1.5, litres: null, ppm: null },
    { ...base, seq: 4, ts: 1_767_225_600_000, value: 0, raw: 0, percent: null, litres: null, ppm: null },
  ];
  const decoded = decodeJournal(journalOf([{ rows: odd, rejected: 0 }]).bytes).batches[0]?.rows;
  assert.deepEqual(decoded, odd);
  assert.ok(Object.is(decoded?.[0]?.value, -0), '-0 stays -0');
});

test('a journal written before schema 2 (every number a float64, "B" frames) is still read', () => {
  // Written by easygas 0.1 (journal-codec.ts of that version): the header, then two batches.
  const v1 = Buffer.from(
    'EgAAADWyWthIAaurq6urq6urq6urq6urq6t2AAAAkxbKD0IBAAYGdGFuay0xBWxldmVsASUCb2sGdGFuay0yA2dhcwIBAAECAw8AgL6qbbd5QgAAAAAAAPA/' +
      'arx0kxgE8D8AAAAAAADwPwAAAAAAAABAAgQFAgMSAAD9qm23eUIAAAAAAAAAQNV46SYxCPA/AAAAAABKk0A9AAAASrBvk0IABwkBCGNsaWVudC1hAQQAAQID' +
      'DwAAeqttt3lCAAAAAAAAEECq8dJNYhDwPwAAAAAAABBAAAAAAAAAIEA=',
    'base64',
  );
  const decoded = decodeJournal(v1);
  assert.equal(decoded.problem, undefined);
  assert.deepEqual(decoded.batches.map(({ end: _end, ...batch }) => batch), [
    { rows: [readingRow(reading(1), 1), readingRow(reading(2, { kind: 'gas', ppm: 1234.5, percent: undefined, litres: undefined, clockSynced: false }), 3)], rejected: 1 },
    { rows: [readingRow(reading(4), 4)], rejected: 0, origin: { session: 'client-a', through: 9 } },
  ]);
  // Appending goes on in the current format after them, with the strings they defined.
  const strings = new Map(decoded.strings.map((text, i) => [text, i]));
  const next = encodeBatch({ rows: [readingRow(reading(7), 5)], rejected: 0 }, strings);
  assert.deepEqual(next.newStrings, []);
  assert.deepEqual(decodeJournal(Buffer.concat([v1, next.frame])).batches.at(-1)?.rows, [readingRow(reading(7), 5)]);
});

test('a journal cut at any byte keeps exactly the batches that were complete, and never throws', () => {
  const { bytes, ends } = journalOf(BATCHES);
  for (let cut = 0; cut <= bytes.length; cut++) {
    const decoded = decodeJournal(bytes.subarray(0, cut));
    const complete = ends.filter((end) => end <= cut).length;
    assert.equal(decoded.batches.length, complete, `cut at ${cut}`);
    const boundary = cut === 0 || cut === ends[complete - 1] || (complete === 0 && cut === HEADER);
    assert.equal(decoded.problem === undefined, boundary, `cut at ${cut}: ${decoded.problem}`);
    assert.equal(decoded.validBytes, complete > 0 ? ends[complete - 1] : cut >= HEADER ? HEADER : 0);
  }
});

test('any flipped bit in a frame is detected: that batch and the ones after it are dropped, never misread', () => {
  const { bytes, ends } = journalOf(BATCHES);
  const start = ends[1]!;
  const end = ends[2]!;
  for (let i = start; i < end; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const damaged = Buffer.from(bytes);
      damaged[i]! ^= 1 << bit;
      const decoded = decodeJournal(damaged);
      assert.equal(decoded.batches.length, 2, `byte ${i} bit ${bit}`);
      assert.equal(decoded.validBytes, start);
      assert.ok(decoded.problem !== undefined);
    }
  }
});

test('zeros after the last batch (a power cut) are dropped with a reason', () => {
  const { bytes, ends } = journalOf(BATCHES);
  const decoded = decodeJournal(Buffer.concat([bytes, Buffer.alloc(4096)]));
  assert.equal(decoded.batches.length, BATCHES.length);
  assert.equal(decoded.validBytes, ends.at(-1));
  assert.match(decoded.problem ?? '', /impossible frame length 0/);
});

test('bytes that do not start with a header are not a journal', () => {
  const { bytes } = journalOf(BATCHES);
  const headerless = bytes.subarray(HEADER);
  const decoded = decodeJournal(headerless);
  assert.equal(decoded.generation, undefined);
  assert.deepEqual(decoded.batches, []);
  assert.equal(decoded.validBytes, 0);
  assert.match(decoded.problem ?? '', /does not start with a header/);
  assert.deepEqual(decodeJournal(Buffer.alloc(0)), { batches: [], strings: [], validBytes: 0 });
});

test('a journal of another version is refused, not guessed at', () => {
  const header = Buffer.from(encodeHeader(GENERATION));
  header[9] = 2; // the version byte, with a CRC that matches it
  header.writeUInt32LE(crc32(header.subarray(8)), 4);
  assert.match(decodeJournal(header).problem ?? '', /journal version 2/);
});

test('rows must ascend by seq', () => {
  assert.throws(() => encodeBatch({ rows: [...rows(5, 1), ...rows(5, 1)], rejected: 0 }, new Map()), /ascending seqs/);
});
