import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import {
  JOURNAL_FILE_NAME, JournalChangedError, ReadingJournal, formatTransferMarker, parseTransferMarker, untransferred,
} from './reading-journal.js';
import { readingRow, type ReadingRow } from './row-codec.js';
import { reading, tempDir } from './test-support/fixtures.js';

const rows = (from: number, count: number): ReadingRow[] => Array.from({ length: count }, (_, k) => readingRow(reading(from + k), from + k));

function journalPath(t: TestContext): string {
  return join(tempDir(t), JOURNAL_FILE_NAME);
}

test('a missing journal opens empty and is created by the first append; a reopen finds every batch', (t) => {
  const path = journalPath(t);
  const { journal, load } = ReadingJournal.open(path);
  assert.deepEqual({ ...load, generation: '' }, { generation: '', batches: [], fileBytes: 0, droppedBytes: 0 });
  assert.equal(existsSync(path), false, 'opening writes nothing');
  journal.append({ rows: rows(1, 2), rejected: 0 });
  journal.append({ rows: rows(3, 1), rejected: 1, origin: { session: 's', through: 9 } });
  assert.equal(statSync(path).size, journal.size);

  const again = ReadingJournal.open(path);
  assert.equal(again.load.generation, journal.generation);
  assert.deepEqual(again.load.batches.map((b) => [b.rows.map((r) => r.seq), b.rejected, b.origin]), [
    [[1, 2], 0, undefined],
    [[3], 1, { session: 's', through: 9 }],
  ]);
});

test('appends after a reopen go on with the same strings and generation', (t) => {
  const path = journalPath(t);
  ReadingJournal.open(path).journal.append({ rows: rows(1, 3), rejected: 0 });
  const { journal } = ReadingJournal.open(path);
  const before = journal.size;
  journal.append({ rows: rows(4, 3), rejected: 0 }); // the same sensors, units…: no string defined again
  const { load } = ReadingJournal.open(path);
  assert.deepEqual(load.batches.flatMap((b) => b.rows), rows(1, 6));
  assert.ok(journal.size - before < 3 * 46 + 14);
});

test('a torn tail is cut off at open, so the next append follows the last good batch', (t) => {
  const path = journalPath(t);
  const first = ReadingJournal.open(path).journal;
  first.append({ rows: rows(1, 2), rejected: 0 });
  const good = first.size;
  first.append({ rows: rows(3, 2), rejected: 0 });
  truncateSync(path, first.size - 5); // killed in the middle of writing the second batch

  const { journal, load } = ReadingJournal.open(path);
  assert.deepEqual(load.batches.flatMap((b) => b.rows.map((r) => r.seq)), [1, 2]);
  assert.equal(load.droppedBytes, first.size - 5 - good);
  assert.match(load.problem ?? '', /torn frame/);
  assert.equal(statSync(path).size, good);
  journal.append({ rows: rows(3, 1), rejected: 0 });
  assert.deepEqual(ReadingJournal.open(path).load.batches.flatMap((b) => b.rows.map((r) => r.seq)), [1, 2, 3]);
});

test('a file that is not a journal is emptied and a new one starts', (t) => {
  const path = journalPath(t);
  writeFileSync(path, 'not a journal at all');
  const { journal, load } = ReadingJournal.open(path);
  assert.deepEqual(load.batches, []);
  assert.equal(load.droppedBytes, 20);
  assert.equal(statSync(path).size, 0);
  journal.append({ rows: rows(1, 1), rejected: 0 });
  assert.equal(ReadingJournal.open(path).load.batches.length, 1);
});

test('bytes left behind by an append that failed half-way are cut before the next append', (t) => {
  const path = journalPath(t);
  const { journal } = ReadingJournal.open(path);
  journal.append({ rows: rows(1, 1), rejected: 0 });
  appendFileSync(path, Buffer.from([9, 9, 9])); // as if a write had failed and could not be undone
  journal.append({ rows: rows(2, 1), rejected: 0 });
  const { load } = ReadingJournal.open(path);
  assert.equal(load.droppedBytes, 0);
  assert.deepEqual(load.batches.flatMap((b) => b.rows.map((r) => r.seq)), [1, 2]);
});

test('a journal shortened by something else is reported, not appended to blindly', (t) => {
  const path = journalPath(t);
  const { journal } = ReadingJournal.open(path);
  journal.append({ rows: rows(1, 1), rejected: 0 });
  truncateSync(path, 0);
  assert.throws(() => journal.append({ rows: rows(2, 1), rejected: 0 }), JournalChangedError);
  assert.equal(statSync(path).size, 0, 'nothing written after the gap');
});

test('reset empties the file and starts a new generation', (t) => {
  const path = journalPath(t);
  const { journal } = ReadingJournal.open(path);
  journal.append({ rows: rows(1, 1), rejected: 0 });
  const old = journal.generation;
  journal.reset();
  assert.equal(statSync(path).size, 0);
  assert.equal(journal.size, 0);
  assert.notEqual(journal.generation, old);
  journal.append({ rows: rows(2, 1), rejected: 0 });
  const { load } = ReadingJournal.open(path);
  assert.equal(load.generation, journal.generation);
  assert.deepEqual(load.batches.flatMap((b) => b.rows.map((r) => r.seq)), [2]);
});

test('untransferred: a marker of this generation skips what it covers; another generation skips nothing', (t) => {
  const path = journalPath(t);
  const { journal } = ReadingJournal.open(path);
  journal.append({ rows: rows(1, 2), rejected: 1, origin: { session: 's', through: 1 } });
  const marker = { generation: journal.generation, offset: journal.size };
  journal.append({ rows: rows(3, 2), rejected: 2, origin: { session: 's', through: 2 } });
  journal.append({ rows: [], rejected: 0 });
  const { load } = ReadingJournal.open(path);

  const after = untransferred(load, marker);
  assert.deepEqual(after.rows.map((r) => r.seq), [3, 4]);
  assert.equal(after.rejected, 2);
  assert.deepEqual(after.origin, { session: 's', through: 2 });
  assert.equal(after.skippedReadings, 2);

  const all = untransferred(load, { generation: '00', offset: 1e9 });
  assert.deepEqual(all.rows.map((r) => r.seq), [1, 2, 3, 4]);
  assert.equal(all.rejected, 3);
  assert.deepEqual(untransferred(load, undefined).rows.length, 4);
});

test('transfer markers round-trip and junk is ignored', () => {
  assert.deepEqual(parseTransferMarker(formatTransferMarker({ generation: 'ab12', offset: 345 })), { generation: 'ab12', offset: 345 });
  assert.equal(parseTransferMarker(undefined), undefined);
  assert.equal(parseTransferMarker('nope'), undefined);
});

test('the file holds exactly what was appended, header first', (t) => {
  const path = journalPath(t);
  const { journal } = ReadingJournal.open(path);
  journal.append({ rows: rows(1, 1), rejected: 0 });
  const bytes = readFileSync(path);
  assert.equal(bytes.readUInt32LE(0), 18, 'the header frame: type, version, 16-byte generation');
  assert.equal(bytes.subarray(10, 26).toString('hex'), journal.generation);
});
