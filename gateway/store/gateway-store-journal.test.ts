/**
 * GatewayStore with its journal: readings are durable once journaled, every query
 * sees them before they reach SQLite, and a crash at any step of a transfer neither
 * loses nor doubles anything. "A crash" here is what a kill -9 leaves: the journal
 * file as written, SQLite as committed, nothing of the process's memory.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { GatewayStore } from './gateway-store.js';
import { JOURNAL_FILE_NAME } from './reading-journal.js';
import { T0, gasEvent, reading, readings, tempDir } from './test-support/fixtures.js';

interface Dir {
  readonly dir: string;
  readonly db: string;
  readonly journal: string;
}

function dataDir(t: TestContext): Dir {
  const dir = tempDir(t);
  return { dir, db: join(dir, 'gateway.db'), journal: join(dir, JOURNAL_FILE_NAME) };
}

function open(t: TestContext, d: Dir): GatewayStore {
  const store = GatewayStore.open(d.db);
  t.after(() => store.close());
  return store;
}

/** A kill -9: nothing more is written, the files stay as they are. */
function crash(store: GatewayStore): void {
  store.close({ transfer: false });
}

const sqliteSeqs = (store: GatewayStore): number[] =>
  store.connection.prepare('SELECT seq FROM readings ORDER BY seq').pluck().all() as number[];

/** Everything a client can ask, as one value to compare. */
function view(store: GatewayStore): unknown {
  return {
    tank0: store.readingsFor('tank-0'),
    window: store.readingsFor('tank-1', { since: T0 + 4000, until: T0 + 40_000, limit: 5 }),
    latest: store.latestReadings(),
    outbox: store.outbox(0, { maxRecords: 1000 }),
    page: store.outbox(3, { maxRecords: 4 }),
    backlog: store.backlog(),
    readings: store.stats().readings,
    counters: store.counters(),
  };
}

test('every query answers the same before and after the transfer', (t) => {
  const store = open(t, dataDir(t));
  store.appendReadings(readings(0, 10));
  store.transfer();
  store.appendEvent(gasEvent());
  store.appendReadings(readings(10, 20)); // pending: newer and older (by time) than what SQLite has
  store.appendReadings([reading(30, { sensorId: 'tank-0', at: T0 - 60_000 })]);
  store.ack(5);
  assert.equal(store.pendingReadings, 21);
  const before = view(store);
  const { readings: moved } = store.transfer();
  assert.equal(moved, 21);
  assert.equal(store.pendingReadings, 0);
  const after = view(store) as { counters: Record<string, number> };
  const { counters: beforeCounters, ...beforeRest } = before as { counters: Record<string, number> };
  const { counters: afterCounters, ...afterRest } = after;
  assert.deepEqual(afterRest, beforeRest);
  assert.deepEqual({ ...afterCounters, journal_transfers: 0 }, { ...beforeCounters, journal_transfers: 0 });
});

test('an event committed after readings still in the journal: the outbox hands out the readings first', (t) => {
  const store = open(t, dataDir(t));
  store.appendReadings(readings(0, 3)); // seq 1..3, journaled
  const eventSeq = store.appendEvent(gasEvent()); // seq 4, in SQLite at once
  assert.deepEqual(store.outbox(0, { maxRecords: 2 }).map((r) => r.seq), [1, 2]);
  assert.deepEqual(store.outbox(0).map((r) => [r.record, r.seq]), [['reading', 1], ['reading', 2], ['reading', 3], ['event', eventSeq]]);
  store.ack(eventSeq);
  assert.deepEqual(store.backlog(), { ackedSeq: 4, lastSeq: 4, readings: 0, events: 0, total: 0 });
});

test('a crash before any transfer: the next open replays the journal into SQLite and empties it', (t) => {
  const d = dataDir(t);
  const first = GatewayStore.open(d.db);
  first.appendReadings(readings(0, 5));
  first.appendReadings([reading(5), reading(6, { value: Number.NaN })]);
  first.appendReadings(readings(7, 3), { session: 'client', through: 17 });
  const expected = view(first);
  crash(first);
  assert.ok(statSync(d.journal).size > 0);

  const second = open(t, d);
  assert.deepEqual(second.journalReplay, { readings: 9, alreadyStored: 0, droppedBytes: 0 });
  assert.deepEqual(sqliteSeqs(second), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(statSync(d.journal).size, 0);
  assert.equal(second.pendingReadings, 0);
  assert.deepEqual(view(second), { ...(expected as object), counters: { ...(expected as { counters: object }).counters, journal_transfers: 1 } });
  assert.equal(second.committedReadingsThrough('client'), 17, 'a resending client is recognised');
  assert.equal(second.appendReadings([reading(10)]).firstSeq, 10);
});

test('a crash between a transfer commit and the journal truncation: nothing twice, counters exact', (t) => {
  const d = dataDir(t);
  const first = GatewayStore.open(d.db);
  first.appendReadings(readings(0, 4));
  first.appendReadings([reading(4, { value: Number.NaN })]);
  const journal = readFileSync(d.journal);
  first.transfer();
  crash(first);
  writeFileSync(d.journal, journal); // the truncation never happened

  const second = open(t, d);
  assert.deepEqual(second.journalReplay, { readings: 0, alreadyStored: 4, droppedBytes: 0 });
  assert.deepEqual(sqliteSeqs(second), [1, 2, 3, 4]);
  assert.deepEqual(second.counters(), { journal_transfers: 1, reading_batches: 2, readings_rejected: 1, readings_written: 4 });
  assert.equal(statSync(d.journal).size, 0, 'emptied now');
});

test('even without the transfer marker, a replay inserts nothing twice (INSERT OR IGNORE on seq)', (t) => {
  const d = dataDir(t);
  const first = GatewayStore.open(d.db);
  first.appendReadings(readings(0, 4));
  const journal = readFileSync(d.journal);
  first.transfer();
  first.connection.prepare("DELETE FROM meta WHERE key = 'journal.transferred'").run();
  crash(first);
  writeFileSync(d.journal, journal);

  const second = open(t, d);
  assert.equal(second.journalReplay.readings, 4);
  assert.deepEqual(sqliteSeqs(second), [1, 2, 3, 4]);
  assert.equal(second.counters().readings_written, 4, 'only rows actually inserted are counted');
});

test('a torn last batch is dropped and counted; the batches before it are kept', (t) => {
  const d = dataDir(t);
  const first = GatewayStore.open(d.db);
  first.appendReadings(readings(0, 3));
  first.appendReadings(readings(3, 3));
  crash(first);
  truncateSync(d.journal, statSync(d.journal).size - 7); // killed while writing the second batch

  const second = open(t, d);
  assert.equal(second.journalReplay.readings, 3);
  assert.ok(second.journalReplay.droppedBytes > 0);
  assert.match(second.journalReplay.problem ?? '', /torn frame/);
  assert.deepEqual(sqliteSeqs(second), [1, 2, 3]);
  const counters = second.counters();
  assert.equal(counters.journal_damaged_tails, 1);
  assert.equal(counters.journal_dropped_bytes, second.journalReplay.droppedBytes);
  // The torn batch's seqs were never handed out (not durable, not in any query): the next batch takes them.
  assert.equal(second.lastSeq, 3);
});

test('the seq after a crash continues from the journal, also past meta.last_seq', (t) => {
  const d = dataDir(t);
  const first = GatewayStore.open(d.db);
  first.appendEvent(gasEvent()); // meta.last_seq = 1
  first.appendReadings(readings(0, 50)); // 2..51, journaled only
  crash(first);
  const second = open(t, d);
  assert.equal(second.lastSeq, 51);
  assert.equal(second.appendEvent(gasEvent()), 52);
});

test('a transfer commits with synchronous=FULL (the journal is emptied right after); a transfer with nothing to do writes nothing', (t) => {
  const d = dataDir(t);
  const store = open(t, d);
  store.appendReadings(readings(0, 3));
  const db = store.connection;
  const trace: string[] = [];
  const pragma = db.pragma.bind(db);
  db.pragma = (source: string, options?: { simple?: boolean }): unknown => {
    trace.push(source);
    return pragma(source, options);
  };
  db.function('mark', () => (trace.push('insert'), 0));
  db.exec('CREATE TRIGGER probe BEFORE INSERT ON readings BEGIN SELECT mark(); END');
  store.transfer();
  assert.deepEqual(trace, ['synchronous = FULL', 'insert', 'insert', 'insert', 'synchronous = NORMAL']);
  trace.length = 0;
  const wal = statSync(`${d.db}-wal`).size;
  assert.deepEqual(store.transfer(), { readings: 0, refused: 0 });
  assert.deepEqual(trace, []);
  assert.equal(statSync(`${d.db}-wal`).size, wal);
});

test('ack: in memory at once, in SQLite with the next transfer, event, persistAck or close', (t) => {
  const d = dataDir(t);
  const store = GatewayStore.open(d.db);
  const saved = (): number => Number(store.connection.prepare("SELECT value FROM meta WHERE key = 'acked_seq'").pluck().get());
  store.appendReadings(readings(0, 10));
  assert.equal(store.ack(3), 3);
  assert.equal(store.backlog().ackedSeq, 3);
  assert.equal(saved(), 0, 'no write per ack');
  assert.equal(store.ackUnsaved, true);
  store.transfer();
  assert.equal(saved(), 3);
  store.ack(5);
  store.appendEvent(gasEvent());
  assert.equal(saved(), 5);
  store.ack(7);
  assert.equal(store.persistAck(), true);
  assert.equal(saved(), 7);
  assert.equal(store.persistAck(), false, 'nothing new');
  store.ack(8);
  store.close();
  const again = open(t, d);
  assert.equal(again.ackedSeq, 8);
});

test('after a crash the acked cursor is the last one saved: the sync resends from there, which the cloud upserts', (t) => {
  const d = dataDir(t);
  const first = GatewayStore.open(d.db);
  first.appendReadings(readings(0, 10));
  first.ack(4);
  first.persistAck();
  first.ack(9);
  crash(first);
  const second = open(t, d);
  assert.equal(second.ackedSeq, 4);
  assert.deepEqual(second.outbox(second.ackedSeq).map((r) => r.seq), [5, 6, 7, 8, 9, 10]);
});

test('the journal costs tens of bytes per reading, not pages', (t) => {
  const d = dataDir(t);
  const store = open(t, d);
  store.appendReadings(readings(0, 1));
  const before = statSync(d.journal).size;
  for (let i = 1; i <= 100; i++) store.appendReadings([reading(i)]); // one batch per reading: the worst case
  const perReading = (statSync(d.journal).size - before) / 100;
  assert.ok(perReading < 64, `${perReading} bytes per one-reading batch`);
});
