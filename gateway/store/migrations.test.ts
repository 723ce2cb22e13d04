import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { GatewayStore } from './gateway-store.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion, type Migration } from './migrations.js';
import { READING_COLUMNS } from './row-codec.js';
import { StoreError } from './store-errors.js';
import { tempDir } from './test-support/fixtures.js';

test('a new database gets every table, the latest version, WAL and incremental auto_vacuum', (t) => {
  const store = GatewayStore.open(join(tempDir(t), 'gateway.db'));
  t.after(() => store.close());
  const db = store.connection;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  assert.deepEqual(tables, ['counters', 'events', 'meta', 'qualities', 'readings', 'series']);
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").pluck().all();
  assert.ok(indexes.includes('readings_series_ts'));
  assert.equal(schemaVersion(db), LATEST_SCHEMA_VERSION);
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  assert.equal(db.pragma('auto_vacuum', { simple: true }), 2); // INCREMENTAL
  assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
  assert.equal(db.pragma('synchronous', { simple: true }), 1); // NORMAL
});

test('migrating twice is a no-op', (t) => {
  const db = new Database(join(tempDir(t), 'x.db'));
  t.after(() => db.close());
  assert.deepEqual(migrate(db), { from: 0, to: LATEST_SCHEMA_VERSION });
  assert.deepEqual(migrate(db), { from: LATEST_SCHEMA_VERSION, to: LATEST_SCHEMA_VERSION });
});

test('a database from a newer easygas is refused with a hint and left byte-for-byte untouched', (t) => {
  const path = join(tempDir(t), 'gateway.db');
  const db = new Database(path);
  db.pragma('journal_mode = DELETE');
  db.exec('CREATE TABLE future (x)');
  db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
  db.close();
  const before = readFileSync(path);

  assert.throws(
    () => GatewayStore.open(path),
    (err: unknown) => err instanceof StoreError && err.code === 'newer_schema' && /Upgrade easygas/.test(err.hint),
  );
  assert.deepEqual(readFileSync(path), before);
});

test('a failing migration rolls back entirely, leaving the previous version', (t) => {
  const db = new Database(join(tempDir(t), 'x.db'));
  t.after(() => db.close());
  const broken: Migration = {
    version: LATEST_SCHEMA_VERSION + 1,
    description: 'half-done',
    up: (d) => {
      d.exec('CREATE TABLE half (x)');
      throw new Error('boom');
    },
  };
  assert.throws(() => migrate(db, [...MIGRATIONS, broken]), /boom/);
  assert.equal(schemaVersion(db), LATEST_SCHEMA_VERSION);
  assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'half'").pluck().get(), 0);
});

test('schema 1 → 2 keeps every reading as it was: text becomes series and quality numbers, summaries one column', (t) => {
  const path = join(tempDir(t), 'gateway.db');
  const db = new Database(path);
  migrate(db, MIGRATIONS.slice(0, 1));
  const insert = db.prepare(`INSERT INTO readings (seq, sensor_id, kind, ts, value, raw, percent, litres, ppm, unit, quality,
    clock_synced, seq_end, ts_end, min, max, count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const v1 = [
    [1, 'lpg', 'level', 1000, 74.99062695172832, 0.7688, 74.99062695172832, 64.79, null, '%', 'ok', 1, null, null, null, null, null],
    [2, 'kitchen-gas', 'gas', 1000, 0.5, 2.47, null, null, 189.3, '%LEL', 'warming_up', 0, null, null, null, null, null],
    [3, 'lpg', 'level', 2000, 70.5, 0.7, 70.5, 60, null, '%', 'stuck', 1, 9, 9000, 70, 71.25, 7],
    [10, 'lpg', 'level', 10_000, 70, 0.69, 70, 59.5, null, 'L', 'a quality of the future', 1, null, null, null, null, null],
  ];
  for (const row of v1) insert.run(row);
  const before = db.prepare(`SELECT ${READING_COLUMNS} FROM readings ORDER BY seq`).all();
  db.close();

  const store = GatewayStore.open(path);
  t.after(() => store.close());
  const after = store.connection;
  assert.equal(schemaVersion(after), LATEST_SCHEMA_VERSION);
  assert.deepEqual(after.prepare(`SELECT ${READING_COLUMNS} FROM reading_rows ORDER BY seq`).all(), before);
  assert.deepEqual(after.prepare('SELECT id, sensor_id, kind, unit FROM series ORDER BY id').all(), [
    { id: 1, sensor_id: 'kitchen-gas', kind: 'gas', unit: '%LEL' },
    { id: 2, sensor_id: 'lpg', kind: 'level', unit: '%' },
    { id: 3, sensor_id: 'lpg', kind: 'level', unit: 'L' },
  ]);
  assert.deepEqual(store.readingsFor('lpg').map((r) => [r.seq, r.unit, r.quality, r.downsampled?.count]),
    [[1, '%', 'ok', undefined], [3, '%', 'stuck', 7], [10, 'L', 'a quality of the future', undefined]],
    "a sensor's series come back as one list, in time order");
  assert.deepEqual(store.latestReadings().map((r) => [r.sensorId, r.seq]), [['kitchen-gas', 2], ['lpg', 10]]);
  assert.equal(after.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'readings_sensor_ts'").pluck().get(), 0);
  assert.equal(after.pragma('integrity_check', { simple: true }), 'ok');
});
