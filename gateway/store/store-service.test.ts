import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { DB_FILE_NAME } from './recovery.js';
import { StoreService, type StoreServiceOptions } from './store-service.js';
import { gasEvent, reading, readings, tempDir } from './test-support/fixtures.js';

function service(t: TestContext, options: Partial<StoreServiceOptions> = {}): { svc: StoreService; clock: ManualClock; dir: string } {
  const clock = new ManualClock();
  const dir = options.dataDir ?? tempDir(t);
  const svc = new StoreService({ dataDir: dir, clock, ...options });
  t.after(() => svc.close());
  return { svc, clock, dir };
}

/** The values of every reading in the store, journaled or in SQLite, by seq. */
const values = (svc: StoreService): number[] =>
  svc.store.outbox(0, { maxRecords: 1e6, maxBytes: Infinity }).flatMap((r) => (r.record === 'reading' ? [r.value] : []));

/** The values of the readings in SQLite itself. */
const inSqlite = (svc: StoreService): number[] =>
  svc.store.connection.prepare('SELECT value FROM readings ORDER BY seq').pluck().all() as number[];

test('readings are batched on the clock; events are written at once', async (t) => {
  const { svc, clock } = service(t, { batchIntervalMs: 1000 });
  for (const r of readings(0, 3)) svc.appendReading(r);
  const seqs: number[] = [];
  svc.recordEvent(gasEvent(), { onCommitted: (seq) => seqs.push(seq) });
  assert.deepEqual(seqs, [1], 'the event did not wait for the batch');
  assert.equal(svc.stats().openBatch, 3);
  assert.deepEqual(values(svc), []);
  await clock.advance(1000);
  assert.deepEqual(values(svc), [0, 1, 2]);
  assert.deepEqual(inSqlite(svc), [], 'durable in the journal, not yet in SQLite');
});

test('flush journals the open batch and moves the journal into SQLite (shutdown)', (t) => {
  const { svc } = service(t);
  svc.appendReading(reading(5));
  assert.deepEqual(svc.flush(), { pending: 0 });
  assert.deepEqual(inSqlite(svc), [5]);
  assert.equal(svc.stats().store?.journalBytes, 0);
});

test('a full disk: nothing throws; journaled readings wait for SQLite, an event in memory; all land once, when space returns', async (t) => {
  const { svc, clock } = service(t, { batchMaxRows: 500 });
  svc.appendReading(reading(0));
  svc.flush();
  const db = svc.store.connection;
  db.pragma('incremental_vacuum'); // no free page left inside the file either (migrations free some)
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.pragma(`max_page_count = ${pages}`); // the "disk" is full: no new page can be allocated

  const committed: number[] = [];
  const big = 'x'.repeat(8000); // needs new pages, whatever free space is left
  assert.doesNotThrow(() => {
    for (let i = 1; i <= 2000; i++) svc.appendReading(reading(i));
    svc.recordEvent(gasEvent({ message: `gas ${big}` }), { onCommitted: (seq) => committed.push(seq) });
    for (let i = 2001; i <= 2100; i++) svc.appendReading(reading(i));
    svc.flush();
  });
  const stalled = svc.stats();
  assert.equal(stalled.writer.state, 'queueing');
  assert.equal(stalled.writer.lastFault?.code, 'SQLITE_FULL');
  assert.equal(stalled.writer.queuedEvents, 1);
  // Readings before the event went to the journal; the writer keeps the ones after it in order behind it.
  assert.equal(stalled.store?.pendingReadings, 2000);
  assert.equal(stalled.writer.queuedReadings, 100);
  assert.ok(stalled.transferFailures > 0);
  assert.match(stalled.lastTransferError ?? '', /full/);
  assert.deepEqual(committed, []);
  assert.equal(db.inTransaction, false);
  assert.equal(values(svc).length, 2001, 'journaled readings are in every query meanwhile');

  db.pragma('max_page_count = 1073741823'); // space is back
  await clock.advance(60_000);
  const healed = svc.stats();
  assert.equal(healed.writer.state, 'ok');
  assert.equal(healed.lastTransferError, undefined);
  assert.equal(healed.store?.pendingReadings, 100, 'the retried transfer moved the 2000; the 100 behind the event were journaled since');
  await clock.advance(30 * 60_000); // the next regular transfer
  assert.equal(svc.stats().store?.pendingReadings, 0);
  assert.equal(committed.length, 1);
  const stored = inSqlite(svc);
  assert.deepEqual([...stored].sort((a, b) => a - b), Array.from({ length: 2101 }, (_, i) => i), 'every reading once');
  assert.equal(svc.events().length, 1);
  const seqs = db.prepare('SELECT seq FROM readings UNION ALL SELECT seq FROM events ORDER BY seq').pluck().all();
  assert.equal(new Set(seqs).size, 2102);
});

test('the store cannot be opened at first: writes wait and land once it can', async (t) => {
  const parent = tempDir(t);
  const dir = join(parent, 'data');
  writeFileSync(dir, 'a file where the data directory should be');
  const { svc, clock } = service(t, { dataDir: dir });
  assert.doesNotThrow(() => svc.recordEvent(gasEvent()));
  svc.appendReading(reading(1));
  svc.flush();
  assert.throws(() => svc.events(), (err: Error & { code?: string }) => err.code === 'data_dir');
  assert.match(svc.stats().openError ?? '', /cannot create the data directory/);
  assert.equal(svc.stats().writer.queuedEvents, 1);

  rmSync(dir);
  await clock.advance(60_000);
  assert.equal(svc.events().length, 1);
  assert.deepEqual(values(svc), [1]);
  assert.equal(svc.stats().openError, undefined);
});

test('SQLite reporting corruption at run time: reopened with a full check; a sound file is kept', async (t) => {
  const { svc, clock } = service(t);
  svc.appendReading(reading(1));
  svc.flush();
  const store = svc.store;
  const original = store.appendReadings.bind(store);
  store.appendReadings = () => {
    store.appendReadings = original;
    throw Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
  };
  svc.appendReading(reading(2));
  svc.flush();
  assert.equal(store.isOpen, false, 'the suspect connection was closed');
  await clock.advance(1000);
  assert.deepEqual(values(svc), [1, 2]);
  assert.deepEqual(svc.recoveries, []);
});

test('a file damaged under a running store is moved aside on reopen; queued data goes to the fresh one', (t) => {
  const { svc, dir } = service(t);
  svc.appendReading(reading(1));
  svc.flush();
  const lastSeq = svc.store.lastSeq;
  svc.store.close(); // as if the connection had been lost
  writeFileSync(join(dir, DB_FILE_NAME), Buffer.alloc(8192, 3));
  svc.appendReading(reading(2));
  svc.recordEvent(gasEvent());
  svc.flush();
  assert.equal(svc.recoveries.length, 1);
  const events = svc.events();
  assert.deepEqual(events.map((e) => e.type), ['gas', 'store_recovered']);
  assert.ok((events.at(-1)?.seq ?? 0) > lastSeq);
  assert.deepEqual(values(svc), [2]);
});

test('a resent message (same session, after a worker restart) is recognised, not inserted twice', (t) => {
  const dir = tempDir(t);
  const clock = new ManualClock();
  const first = new StoreService({ dataDir: dir, clock, session: 'client-1' });
  for (let ref = 1; ref <= 10; ref++) first.appendReading(reading(ref), ref);
  let firstSeq = 0;
  first.recordEvent(gasEvent(), { ref: 11, onCommitted: (seq) => (firstSeq = seq) });
  first.flush();
  first.close(); // the worker "died" after committing, before its acknowledgements arrived

  const committedThrough: number[] = [];
  const second = new StoreService({
    dataDir: dir, clock, session: 'client-1', onReadingsCommitted: (through) => committedThrough.push(through),
  });
  t.after(() => second.close());
  for (let ref = 1; ref <= 10; ref++) second.appendReading(reading(ref), ref);
  let resentSeq = 0;
  second.recordEvent(gasEvent(), { ref: 11, onCommitted: (seq) => (resentSeq = seq) });
  for (let ref = 12; ref <= 15; ref++) second.appendReading(reading(ref), ref);
  second.flush();

  assert.deepEqual(values(second), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15]);
  assert.equal(second.events().length, 1);
  assert.equal(resentSeq, firstSeq, 'the resent event is acknowledged with its original seq');
  assert.deepEqual(committedThrough, [15]);
  assert.deepEqual(second.stats().resentSkipped, { readings: 10, events: 1 });
});

test('another session (a new client) is not mistaken for a resend', (t) => {
  const dir = tempDir(t);
  const clock = new ManualClock();
  const first = new StoreService({ dataDir: dir, clock, session: 'a' });
  first.appendReading(reading(1), 1);
  first.recordEvent(gasEvent(), { ref: 2 });
  first.close();
  const second = new StoreService({ dataDir: dir, clock, session: 'b' });
  t.after(() => second.close());
  second.appendReading(reading(1), 1);
  second.recordEvent(gasEvent(), { ref: 2 });
  second.flush();
  assert.equal(second.stats().store?.readings, 2);
  assert.equal(second.events().length, 2);
});

test('retention runs after flushes and its counters show in stats', (t) => {
  const { svc } = service(t, { retention: { maxSizeBytes: 128 * 1024, minIntervalMs: 0, chunkRows: 200 } });
  for (let i = 0; i < 6000; i++) svc.appendReading(reading(i, { at: reading(0).at + i * 10_000 }));
  svc.flush();
  const stats = svc.stats();
  assert.ok(stats.lastRetention !== undefined);
  assert.ok((stats.store?.counters.downsampled_rows_in ?? 0) > 0);
  assert.ok((stats.store?.usedBytes ?? Infinity) <= 128 * 1024);
});

test('after close, writes are dropped without throwing and events report it', (t) => {
  const { svc } = service(t);
  svc.close();
  assert.doesNotThrow(() => svc.appendReading(reading(1)));
  const dropped: string[] = [];
  svc.recordEvent(gasEvent(), { onDropped: (why) => dropped.push(why) });
  assert.deepEqual(dropped, ['the store is closed']);
  assert.throws(() => svc.events(), /closed/);
});
