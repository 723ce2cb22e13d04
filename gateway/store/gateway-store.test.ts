import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { GatewayStore } from './gateway-store.js';
import { JOURNAL_FILE_NAME } from './reading-journal.js';
import type { StoredReading } from './records.js';
import { SEQ_RESERVATION_BLOCK, readSeqReservation, seqReservationPath } from './seq-reservation.js';
import { T0, gasEvent, reading, readings, systemEvent, tempDir } from './test-support/fixtures.js';

function open(t: TestContext, dir = tempDir(t)): { store: GatewayStore; path: string } {
  const path = join(dir, 'gateway.db');
  const store = GatewayStore.open(path);
  t.after(() => store.close());
  return { store, path };
}

/** Every seq with a row in SQLite (after moving the journal in). */
function allSeqs(store: GatewayStore): number[] {
  store.transfer();
  return store.connection
    .prepare('SELECT seq FROM readings UNION ALL SELECT seq FROM events ORDER BY seq')
    .pluck()
    .all() as number[];
}

test('readings and events share one increasing seq, with no gaps', (t) => {
  const { store } = open(t);
  assert.deepEqual(store.appendReadings(readings(0, 3)), { firstSeq: 1, lastSeq: 3 });
  assert.equal(store.appendEvent(gasEvent()), 4);
  assert.deepEqual(store.appendReadings(readings(3, 2)), { firstSeq: 5, lastSeq: 6 });
  assert.equal(store.appendEvent(systemEvent()), 7);
  assert.deepEqual(store.outbox(0).map((r) => r.seq), [1, 2, 3, 4, 5, 6, 7], 'in the store, journaled or not');
  assert.deepEqual(allSeqs(store), [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(store.lastSeq, 7);
});

test('an empty batch writes nothing and returns an empty range', (t) => {
  const { store } = open(t);
  store.appendReadings(readings(0, 2));
  assert.deepEqual(store.appendReadings([]), { firstSeq: 3, lastSeq: 2 });
  assert.equal(store.lastSeq, 2);
});

test('the next seq survives a reopen even after the newest rows were deleted', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'gateway.db');
  const first = GatewayStore.open(path);
  first.appendReadings(readings(0, 10));
  first.appendEvent(gasEvent());
  first.transfer();
  // Whatever removed the newest rows (a prune, a hand edit), max(seq) is now 5: seq 6..11 must not come back.
  first.connection.exec('DELETE FROM readings WHERE seq > 5; DELETE FROM events');
  first.close();
  const second = GatewayStore.open(path);
  t.after(() => second.close());
  assert.equal(second.lastSeq, 11);
  assert.deepEqual(second.appendReadings(readings(10, 1)), { firstSeq: 12, lastSeq: 12 });
});

test('a failed journal write allocates no seq and changes nothing', (t) => {
  const dir = tempDir(t);
  const { store } = open(t, dir);
  store.appendReadings(readings(0, 2));
  const journal = join(dir, JOURNAL_FILE_NAME);
  rmSync(journal);
  mkdirSync(journal); // every write to it now fails (EISDIR)
  assert.throws(() => store.appendReadings([reading(3), reading(4)]), (err: Error & { code?: string }) => err.code === 'EISDIR');
  assert.equal(store.lastSeq, 2);
  assert.equal(store.pendingReadings, 2);
  rmSync(journal, { recursive: true });
  // The file lost what it held: the store moves that into SQLite from memory, then journals afresh.
  assert.deepEqual(store.appendReadings([reading(4)]), { firstSeq: 3, lastSeq: 3 });
  assert.deepEqual(allSeqs(store), [1, 2, 3]);
  assert.deepEqual(store.readingsFor('tank-1').map((r) => r.value), [1, 4]);
});

test('a row SQLite refuses at transfer is counted as rejected; the rest of the transfer goes in', (t) => {
  const { store } = open(t);
  store.appendReadings(readings(0, 2));
  store.connection.exec('CREATE TRIGGER no_more BEFORE INSERT ON readings WHEN NEW.value = 99 BEGIN SELECT RAISE(ABORT, \'refused\'); END');
  store.appendReadings([reading(3), reading(99), reading(4)]);
  assert.deepEqual(store.transfer(), { readings: 5, refused: 1 });
  assert.equal(store.connection.inTransaction, false);
  assert.deepEqual(allSeqs(store), [1, 2, 3, 5], 'seq 4 stays unused: a gap the outbox allows');
  assert.equal(store.pendingReadings, 0);
  assert.deepEqual(store.counters(), { journal_transfers: 1, reading_batches: 2, readings_rejected: 1, readings_written: 4 });
});

test('readings without a finite value are counted as rejected, not stored; bad optional numbers become absent', (t) => {
  const { store } = open(t);
  const range = store.appendReadings([reading(1), reading(2, { value: Number.NaN }), reading(3, { ppm: Number.POSITIVE_INFINITY })]);
  assert.deepEqual(range, { firstSeq: 1, lastSeq: 2 });
  const rows = store.readingsFor('tank-0');
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.ppm, undefined);
  assert.deepEqual(store.counters(), { reading_batches: 1, readings_rejected: 1, readings_written: 2 });
  store.transfer();
  assert.deepEqual(store.counters(), { journal_transfers: 1, reading_batches: 1, readings_rejected: 1, readings_written: 2 }, 'the same, committed');
});

test('a stored reading keeps every field of the pipeline reading', (t) => {
  const { store } = open(t);
  const r = reading(7, { kind: 'gas', ppm: 1200, quality: 'warming_up', clockSynced: false });
  store.appendReadings([r]);
  const [stored] = store.readingsFor(r.sensorId);
  assert.deepEqual(stored, {
    record: 'reading', seq: 1, sensorId: r.sensorId, sensorKind: 'gas', at: r.at, value: r.value, unit: r.unit,
    raw: r.raw, percent: r.percent, litres: r.litres, ppm: 1200, quality: 'warming_up', clockSynced: false,
  } satisfies StoredReading);
});

test('an event commits with synchronous=FULL and readings go back to NORMAL afterwards', (t) => {
  const { store } = open(t);
  const db = store.connection;
  const trace: string[] = [];
  const pragma = db.pragma.bind(db);
  db.pragma = (source: string, options?: { simple?: boolean }): unknown => {
    trace.push(source);
    return pragma(source, options);
  };
  db.function('mark', () => (trace.push('insert'), 0));
  db.exec('CREATE TRIGGER probe BEFORE INSERT ON events BEGIN SELECT mark(); END');
  store.appendEvent(gasEvent());
  assert.deepEqual(trace, ['synchronous = FULL', 'insert', 'synchronous = NORMAL']);
  trace.length = 0;
  store.appendReadings(readings(0, 2));
  assert.deepEqual(trace, []); // batches stay on NORMAL
});

test('events keep their fields; a system event keeps its data', (t) => {
  const { store } = open(t);
  store.appendEvent(gasEvent({ severe: true }));
  store.appendEvent(systemEvent({ type: 'store_recovered', data: { movedTo: '/x' }, sensorId: undefined }));
  const [recovered, gas] = store.events();
  assert.equal(recovered?.type, 'store_recovered');
  assert.deepEqual(recovered?.data, { movedTo: '/x' });
  assert.equal(recovered?.state, undefined);
  assert.deepEqual(
    { ...gas },
    { record: 'event', seq: 1, at: T0, type: 'gas', sensorId: 'kitchen-gas', state: 'raised', severity: 'critical',
      severe: true, value: 25, unit: '%LEL', threshold: 20, message: gasEvent().message, clockSynced: true },
  );
});

test('an event with a known ref is not inserted twice', (t) => {
  const { store } = open(t);
  const seq = store.appendEvent(gasEvent(), 'session-a:7');
  assert.equal(store.appendEvent(gasEvent(), 'session-a:7'), seq);
  assert.equal(store.appendEvent(gasEvent(), 'session-a:8'), seq + 1);
  assert.equal(store.events().length, 2);
});

test('readingsFor filters by sensor and time, oldest first, with a limit', (t) => {
  const { store } = open(t);
  store.appendReadings(readings(0, 30)); // tank-0 at i = 0, 3, 6, …
  const all = store.readingsFor('tank-0');
  assert.deepEqual(all.map((r) => r.value), [0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
  const window = store.readingsFor('tank-0', { since: T0 + 6000, until: T0 + 15_000 });
  assert.deepEqual(window.map((r) => r.value), [6, 9, 12]);
  assert.deepEqual(store.readingsFor('tank-0', { limit: 2 }).map((r) => r.value), [0, 3]);
  assert.deepEqual(store.readingsFor('nope'), []);
});

test('latestReadings gives the newest row of each sensor', (t) => {
  const { store } = open(t);
  store.appendReadings(readings(0, 30));
  store.appendReadings([reading(1, { sensorId: 'water', at: T0 - 5000, value: 77 })]);
  const latest = store.latestReadings();
  assert.deepEqual(latest.map((r) => [r.sensorId, r.value]), [['tank-0', 27], ['tank-1', 28], ['tank-2', 29], ['water', 77]]);
});

test('events: newest first, since, limit, and activeOnly keeps conditions still raised', (t) => {
  const { store } = open(t);
  store.appendEvent(gasEvent({ at: T0 }));
  store.appendEvent(gasEvent({ sensorId: 'cellar-leak', condition: 'water_leak', at: T0 + 1 }));
  store.appendEvent(gasEvent({ state: 'cleared', severity: 'info', at: T0 + 2 }));
  store.appendEvent(systemEvent({ at: T0 + 3 }));
  store.appendEvent(gasEvent({ sensorId: 'tank-0', condition: 'low_level', severity: 'warning', at: T0 + 4 }));
  store.appendEvent(gasEvent({ sensorId: 'tank-0', condition: 'low_level', severity: 'critical', at: T0 + 5 }));
  assert.deepEqual(store.events().map((e) => e.seq), [6, 5, 4, 3, 2, 1]);
  assert.deepEqual(store.events({ since: T0 + 3, limit: 2 }).map((e) => e.seq), [6, 5]);
  const active = store.events({ activeOnly: true });
  assert.deepEqual(active.map((e) => [e.sensorId, e.type, e.severity]), [
    ['tank-0', 'low_level', 'critical'],
    ['cellar-leak', 'water_leak', 'critical'],
  ]);
});

test('outbox interleaves readings and events in seq order and honours its limits', (t) => {
  const { store } = open(t);
  store.appendReadings(readings(0, 3));
  store.appendEvent(gasEvent());
  store.appendReadings(readings(3, 3));
  assert.deepEqual(store.outbox(0).map((r) => [r.record, r.seq]), [
    ['reading', 1], ['reading', 2], ['reading', 3], ['event', 4], ['reading', 5], ['reading', 6], ['reading', 7],
  ]);
  assert.deepEqual(store.outbox(2, { maxRecords: 3 }).map((r) => r.seq), [3, 4, 5]);
  assert.deepEqual(store.outbox(6).map((r) => r.seq), [7]);
  assert.deepEqual(store.outbox(7), []);
  const oneRecordBytes = Buffer.byteLength(JSON.stringify(store.outbox(0, { maxRecords: 1 })[0]));
  assert.deepEqual(store.outbox(0, { maxBytes: oneRecordBytes * 2 + 10 }).map((r) => r.seq), [1, 2]);
  // A record bigger than the limit still goes, alone, or the sync would stall forever.
  assert.deepEqual(store.outbox(0, { maxBytes: 1 }).map((r) => r.seq), [1]);
});

test('ack moves forward only, never past the last seq, and survives a reopen', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'gateway.db');
  const store = GatewayStore.open(path);
  store.appendReadings(readings(0, 10));
  assert.equal(store.ack(4), 4);
  assert.equal(store.ack(2), 4);
  assert.equal(store.ack(Number.NaN), 4);
  assert.equal(store.ack(1_000), 10); // a seq not yet allocated must not mark future rows as synced
  assert.deepEqual(store.backlog(), { ackedSeq: 10, lastSeq: 10, readings: 0, events: 0, total: 0 });
  store.close();
  const again = GatewayStore.open(path);
  t.after(() => again.close());
  assert.equal(again.ackedSeq, 10);
});

test('backlog counts the rows after the acked cursor', (t) => {
  const { store } = open(t);
  store.appendReadings(readings(0, 5));
  store.appendEvent(gasEvent());
  store.appendReadings(readings(5, 2));
  store.ack(3);
  assert.deepEqual(store.backlog(), { ackedSeq: 3, lastSeq: 8, readings: 4, events: 1, total: 5 });
});

test('stats report sizes, row counts, seqs and counters', (t) => {
  const { store, path } = open(t);
  store.appendReadings(readings(0, 100));
  store.appendEvent(gasEvent());
  store.addCounters({ custom: 2 });
  const stats = store.stats();
  assert.equal(stats.path, path);
  assert.equal(stats.readings, 100);
  assert.equal(stats.events, 1);
  assert.equal(stats.lastSeq, 101);
  assert.equal(stats.usedBytes, (stats.pageCount - stats.freelistCount) * stats.pageSize);
  assert.ok(stats.walBytes > 0);
  assert.equal(stats.pendingReadings, 100);
  assert.ok(stats.journalBytes > 100 * 15 && stats.journalBytes < 100 * 40, `${stats.journalBytes} journal bytes for 100 readings`);
  assert.deepEqual(stats.counters, { custom: 2, events_written: 1, reading_batches: 1, readings_written: 100 });
  const metrics = store.metrics();
  assert.deepEqual(metrics.counters, stats.counters);
  assert.deepEqual([metrics.usedBytes, metrics.journalBytes, metrics.pendingReadings, metrics.lastSeq], [stats.usedBytes, stats.journalBytes, 100, 101]);
  store.transfer();
  const after = store.stats();
  assert.deepEqual([after.readings, after.pendingReadings, after.journalBytes], [100, 0, 0]);
});

test('a replaced database continues after the reserved seqs and keeps the gateway id', (t) => {
  const dir = tempDir(t);
  const path = join(dir, 'gateway.db');
  const first = GatewayStore.open(path);
  first.appendReadings(readings(0, 5));
  const id = first.gatewayId;
  first.close();
  const reservation = readSeqReservation(seqReservationPath(path));
  assert.equal(reservation?.gatewayId, id);
  assert.ok((reservation?.reservedThrough ?? 0) >= 5);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });

  const fresh = GatewayStore.open(path);
  t.after(() => fresh.close());
  assert.equal(fresh.gatewayId, id);
  const { firstSeq } = fresh.appendReadings(readings(5, 1));
  assert.ok(firstSeq > 5, `seq ${firstSeq} would reuse one the cloud already has`);
  assert.equal(fresh.ackedSeq, firstSeq - 1); // nothing below it to send
});

test('the reservation moves ahead in blocks, before the seqs are used', (t) => {
  const { store, path } = open(t);
  const first = readSeqReservation(seqReservationPath(path))?.reservedThrough ?? 0;
  assert.equal(first, 1 + SEQ_RESERVATION_BLOCK);
  store.appendReadings(readings(0, 10));
  assert.equal(readSeqReservation(seqReservationPath(path))?.reservedThrough, first); // not rewritten per batch
  store.transfer();
  store.connection.prepare("UPDATE meta SET value = ? WHERE key = 'last_seq'").run(String(first));
  store.close();
  const again = GatewayStore.open(path);
  t.after(() => again.close());
  again.appendReadings(readings(10, 1));
  assert.ok((readSeqReservation(seqReservationPath(path))?.reservedThrough ?? 0) >= first + 1);
});

test('close is idempotent', (t) => {
  const { store } = open(t);
  store.close();
  store.close();
  assert.equal(store.isOpen, false);
});
