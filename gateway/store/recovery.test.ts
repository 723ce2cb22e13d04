import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { ManualClock } from '../../hardware/sim/manual-clock.js';
import { GatewayStore } from './gateway-store.js';
import { LATEST_SCHEMA_VERSION } from './migrations.js';
import { DB_FILE_NAME, asidePath, openGatewayStore, type OpenedStore } from './recovery.js';
import { StoreError } from './store-errors.js';
import { gasEvent, readings, tempDir } from './test-support/fixtures.js';

const NOW = Date.UTC(2026, 2, 14, 9, 26, 53);

/** A real store with 10 000 readings and an event, closed cleanly (WAL checkpointed). */
function healthyStore(dir: string): { path: string; lastSeq: number } {
  const store = GatewayStore.open(join(dir, DB_FILE_NAME));
  for (let b = 0; b < 20; b++) store.appendReadings(readings(b * 500, 500));
  store.appendEvent(gasEvent());
  const lastSeq = store.lastSeq;
  store.close();
  return { path: join(dir, DB_FILE_NAME), lastSeq };
}

function reopen(t: TestContext, dir: string): OpenedStore {
  const opened = openGatewayStore(dir, { clock: new ManualClock(NOW) });
  t.after(() => opened.store.close());
  return opened;
}

/** The checks every recovery must pass: opens, records where the old file went, keeps it, never reuses a seq. */
function assertRecovered(opened: OpenedStore, damagedBytes: Buffer, lastSeqBefore: number, code: RegExp): void {
  const { store, recovery } = opened;
  assert.ok(recovery, 'the damaged file was noticed');
  assert.match(recovery.code ?? '', code);
  assert.equal(recovery.movedTo, `${recovery.path}.corrupt-20260314T092653Z`);
  assert.deepEqual(readFileSync(recovery.movedTo), damagedBytes, 'the old file is kept aside, unchanged');

  const events = store.events();
  assert.equal(events.length, 1);
  const [event] = events;
  assert.equal(event?.type, 'store_recovered');
  assert.equal(event?.seq, recovery.eventSeq);
  assert.equal(event?.data?.movedTo, recovery.movedTo);
  assert.match(event?.message ?? '', /moved to .*corrupt-20260314T092653Z/);
  assert.ok(recovery.eventSeq > lastSeqBefore, 'the fresh database continues after the old seqs');
  assert.equal(store.counters().recoveries, 1);
  assert.equal(store.connection.pragma('integrity_check', { simple: true }), 'ok');
  const { firstSeq } = store.appendReadings(readings(0, 1));
  assert.equal(firstSeq, recovery.eventSeq + 1);
}

test('a healthy database opens as it is', (t) => {
  const dir = tempDir(t);
  const { lastSeq } = healthyStore(dir);
  const { store, recovery } = reopen(t, dir);
  assert.equal(recovery, undefined);
  assert.equal(store.lastSeq, lastSeq);
  assert.equal(store.stats().readings, 10_000);
});

test('a missing data directory and database are created', (t) => {
  const dir = join(tempDir(t), 'a', 'b');
  const { store, recovery } = reopen(t, dir);
  assert.equal(recovery, undefined);
  assert.ok(existsSync(join(dir, DB_FILE_NAME)));
  assert.equal(store.lastSeq, 0);
});

test('garbage where the header should be: moved aside and replaced', (t) => {
  const dir = tempDir(t);
  const { path, lastSeq } = healthyStore(dir);
  const damaged = Buffer.alloc(8192, 'not a database ');
  writeFileSync(path, damaged);
  assertRecovered(reopen(t, dir), damaged, lastSeq, /SQLITE_NOTADB/);
});

test('a truncated file: moved aside and replaced', (t) => {
  const dir = tempDir(t);
  const { path, lastSeq } = healthyStore(dir);
  truncateSync(path, Math.floor(statSync(path).size / 2));
  const damaged = readFileSync(path);
  assertRecovered(reopen(t, dir), damaged, lastSeq, /SQLITE_CORRUPT/);
});

test('one flipped byte inside a table page: quick_check finds it; moved aside and replaced', (t) => {
  const dir = tempDir(t);
  const { path, lastSeq } = healthyStore(dir);
  const probe = new Database(path, { readonly: true });
  const leaves = probe.prepare("SELECT pageno FROM dbstat WHERE name = 'readings' AND pagetype = 'leaf'").pluck().all() as number[];
  const pageSize = probe.pragma('page_size', { simple: true }) as number;
  probe.close();
  const page = leaves[Math.floor(leaves.length / 2)]!;
  const bytes = readFileSync(path);
  bytes[(page - 1) * pageSize + 3]! ^= 0x40; // the page header's cell count
  writeFileSync(path, bytes);
  // The damage is invisible to a plain open: only the check notices it.
  const plain = GatewayStore.open(path, { reserveSeqs: false });
  plain.close();
  writeFileSync(path, bytes);

  assertRecovered(reopen(t, dir), bytes, lastSeq, /SQLITE_CORRUPT/);
});

test('the -wal and -shm files go aside with the database', (t) => {
  const dir = tempDir(t);
  const { path } = healthyStore(dir);
  writeFileSync(path, Buffer.alloc(4096, 7));
  writeFileSync(`${path}-wal`, 'stale wal');
  writeFileSync(`${path}-shm`, 'stale shm');
  const { recovery } = reopen(t, dir);
  assert.ok(recovery);
  assert.deepEqual(recovery.movedFiles, [recovery.movedTo, `${recovery.movedTo}-wal`, `${recovery.movedTo}-shm`]);
  assert.equal(readFileSync(`${recovery.movedTo}-wal`, 'utf8'), 'stale wal');
});

test('something that cannot be opened at all (a directory) is moved aside', (t) => {
  const dir = tempDir(t);
  mkdirSync(join(dir, DB_FILE_NAME));
  writeFileSync(join(dir, DB_FILE_NAME, 'inside'), 'x');
  const { store, recovery } = reopen(t, dir);
  assert.match(recovery?.code ?? '', /SQLITE_CANTOPEN/);
  assert.ok(existsSync(join(recovery!.movedTo, 'inside')));
  assert.equal(store.events()[0]?.type, 'store_recovered');
});

test('a database from a newer easygas is refused, not replaced', (t) => {
  const dir = tempDir(t);
  const path = join(dir, DB_FILE_NAME);
  const db = new Database(path);
  db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
  db.close();
  const before = readFileSync(path);
  assert.throws(
    () => openGatewayStore(dir, { clock: new ManualClock(NOW) }),
    (err: unknown) => err instanceof StoreError && err.code === 'newer_schema',
  );
  assert.deepEqual(readFileSync(path), before);
});

test('a data directory that cannot be created gives a hint', (t) => {
  const file = join(tempDir(t), 'plain-file');
  writeFileSync(file, '');
  assert.throws(
    () => openGatewayStore(join(file, 'data'), { clock: new ManualClock(NOW) }),
    (err: unknown) => err instanceof StoreError && err.code === 'data_dir' && /--data-dir/.test(err.hint),
  );
});

test('a damaged file that cannot be moved aside is reported, with what to do', (t) => {
  if (process.getuid?.() === 0) {
    t.skip('root may rename in a read-only directory');
    return;
  }
  const dir = tempDir(t);
  writeFileSync(join(dir, DB_FILE_NAME), Buffer.alloc(4096, 1));
  chmodSync(dir, 0o555);
  t.after(() => chmodSync(dir, 0o755));
  assert.throws(
    () => openGatewayStore(dir, { clock: new ManualClock(NOW) }),
    (err: unknown) => err instanceof StoreError && err.code === 'unrecoverable',
  );
});

test('a damaged database is replaced and the fresh one still gets the journal\'s readings, to be sent', (t) => {
  const dir = tempDir(t);
  const { path, lastSeq } = healthyStore(dir);
  // The daemon ran on and was killed: these readings are only in the journal.
  const running = GatewayStore.open(path);
  running.ack(lastSeq);
  running.appendReadings(readings(20_000, 5));
  running.close({ transfer: false });
  writeFileSync(path, Buffer.alloc(8192, 'not a database '));

  const { store, recovery } = reopen(t, dir);
  assert.ok(recovery);
  assert.deepEqual(store.journalReplay, { readings: 5, alreadyStored: 0, droppedBytes: 0 });
  const kept = store.outbox(store.ackedSeq).filter((r) => r.record === 'reading');
  assert.deepEqual(kept.map((r) => r.seq), [lastSeq + 1, lastSeq + 2, lastSeq + 3, lastSeq + 4, lastSeq + 5], 'in the fresh file, unacknowledged');
  assert.deepEqual(kept.map((r) => r.record === 'reading' && r.value), [20_000, 20_001, 20_002, 20_003, 20_004]);
  assert.ok(recovery.eventSeq > lastSeq + 5, 'the store_recovered event comes after them');
  assert.equal(store.pendingReadings, 0);
});

test('two recoveries in the same second get distinct names', (t) => {
  const dir = tempDir(t);
  const path = join(dir, DB_FILE_NAME);
  const first = asidePath(path, NOW);
  writeFileSync(first, '');
  const second = asidePath(path, NOW);
  assert.equal(second, `${first}-2`);
});
