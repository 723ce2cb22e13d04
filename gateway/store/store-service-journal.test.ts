/**
 * StoreService driving the journal: when readings move into SQLite, when the acked
 * cursor is written, how much waits in memory when SQLite cannot take it, and that
 * close leaves nothing behind in the journal.
 */
import assert from 'node:assert/strict';
import { statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import type { Logger } from '../../hardware/logger.js';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { GatewayStore } from './gateway-store.js';
import { JOURNAL_FILE_NAME } from './reading-journal.js';
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

const inSqlite = (svc: StoreService): number =>
  svc.store.connection.prepare('SELECT count(*) FROM readings').pluck().get() as number;
const savedAck = (svc: StoreService): number =>
  Number(svc.store.connection.prepare("SELECT value FROM meta WHERE key = 'acked_seq'").pluck().get());

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (_: object, msg?: string) => void lines.push(`${level}: ${msg ?? ''}`);
  return { lines, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

test('journaled readings move into SQLite transferIntervalMs after the first of them', async (t) => {
  const { svc, clock } = service(t, { batchIntervalMs: 1000, transferIntervalMs: 60_000 });
  for (let s = 0; s < 90; s++) {
    svc.appendReading(reading(s));
    await clock.advance(1000);
  }
  // One batch a second from 1 s on; the first transfer came 60 s after the first batch (at 61 s, just before that
  // second's batch), the next is due 60 s after the first batch that followed it (at 121 s).
  assert.equal(inSqlite(svc), 60);
  assert.equal(svc.stats().store?.pendingReadings, 30);
  await clock.advance(30_999);
  assert.equal(inSqlite(svc), 60);
  await clock.advance(1);
  assert.equal(inSqlite(svc), 90);
  assert.equal(svc.stats().store?.journalBytes, 0);
});

test('…or as soon as transferMaxRows are pending', (t) => {
  const { svc } = service(t, { batchMaxRows: 10, transferMaxRows: 25 });
  for (const r of readings(0, 20)) svc.appendReading(r);
  assert.deepEqual([inSqlite(svc), svc.stats().store?.pendingReadings], [0, 20]);
  for (const r of readings(20, 10)) svc.appendReading(r); // the third batch of 10 makes 30 ≥ 25
  assert.deepEqual([inSqlite(svc), svc.stats().store?.pendingReadings], [30, 0]);
});

test('close moves everything into SQLite and leaves the journal empty', (t) => {
  const dir = tempDir(t);
  const svc = new StoreService({ dataDir: dir, clock: new ManualClock() });
  for (const r of readings(0, 7)) svc.appendReading(r);
  svc.flush();
  svc.ack(3);
  for (const r of readings(7, 3)) svc.appendReading(r); // still in the open batch
  assert.deepEqual(svc.close(), { pending: 0 });
  assert.equal(statSync(join(dir, JOURNAL_FILE_NAME)).size, 0);
  const store = GatewayStore.open(join(dir, DB_FILE_NAME));
  t.after(() => store.close());
  assert.equal(store.connection.prepare('SELECT count(*) FROM readings').pluck().get(), 10);
  assert.equal(store.ackedSeq, 3);
});

test('the acked cursor is written at most every ackPersistIntervalMs, and rides along with a transfer', async (t) => {
  const { svc, clock } = service(t, { transferIntervalMs: 600_000, ackPersistIntervalMs: 30_000 });
  for (const r of readings(0, 20)) svc.appendReading(r);
  svc.flush();
  for (let seq = 1; seq <= 10; seq++) {
    svc.ack(seq); // a sync agent acknowledging every second
    await clock.advance(1000);
  }
  assert.equal(savedAck(svc), 0, 'not one write per ack');
  await clock.advance(20_000);
  assert.equal(savedAck(svc), 10, 'written within 30 s of the first unsaved ack');
  svc.ack(15);
  svc.flush(); // a transfer: the cursor goes with it
  assert.equal(savedAck(svc), 15);
});

test('SQLite cannot take readings: the journal holds a bounded number, then batches wait in the writer', async (t) => {
  const { svc, clock } = service(t, { batchMaxRows: 10, transferMaxRows: 20, maxPendingReadings: 50 });
  svc.appendReading(reading(0));
  svc.flush();
  const db = svc.store.connection;
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`); // SQLite's "disk" is full
  for (const r of readings(1, 200)) svc.appendReading(r);
  svc.flush();
  const stats = svc.stats();
  const pending = stats.store?.pendingReadings ?? 0;
  assert.ok(pending <= 50 && pending >= 40, `${pending} pending`);
  assert.ok(stats.writer.queuedReadings >= 50, `${stats.writer.queuedReadings} queued`);
  // Some transfers fitted in the last page's free space before SQLite filled up.
  assert.equal(inSqlite(svc) + pending + stats.writer.queuedReadings, 201, 'nothing lost, nothing dropped');
  assert.equal(stats.writer.state, 'queueing');
  assert.equal(stats.writer.lastFault?.code, 'SQLITE_FULL');

  db.pragma('max_page_count = 1073741823');
  await clock.advance(60_000);
  svc.flush();
  assert.equal(inSqlite(svc), 201);
  assert.equal(svc.stats().writer.state, 'ok');
});

test('opening after a crash replays the journal, says so in the log, and a damaged tail is a warning', (t) => {
  const dir = tempDir(t);
  const first = GatewayStore.open(join(dir, DB_FILE_NAME));
  first.appendReadings(readings(0, 4));
  first.appendReadings(readings(4, 4));
  first.close({ transfer: false });
  const journal = join(dir, JOURNAL_FILE_NAME);
  truncateSync(journal, statSync(journal).size - 3); // a kill -9 in the middle of the second batch's write

  const logger = recordingLogger();
  const { svc } = service(t, { dataDir: dir, logger });
  assert.equal(inSqlite(svc), 4);
  assert.ok(logger.lines.some((l) => l.startsWith('warn: readings journal ended in a torn or damaged batch')));
  assert.ok(logger.lines.some((l) => l.startsWith('info: readings journal replayed into SQLite')));
});

test('events still commit at once; a reading journaled before an event is in the outbox before it', (t) => {
  const { svc } = service(t);
  svc.appendReading(reading(1));
  svc.flush(); // journaled… and transferred by the flush
  svc.appendReading(reading(2));
  svc.flush();
  const seqs: number[] = [];
  svc.recordEvent(gasEvent(), { onCommitted: (seq) => seqs.push(seq) });
  assert.deepEqual(seqs, [3]);
  assert.deepEqual(svc.outbox(0).map((r) => r.record), ['reading', 'reading', 'event']);
});
