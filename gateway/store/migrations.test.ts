import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { GatewayStore } from './gateway-store.js';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, schemaVersion, type Migration } from './migrations.js';
import { StoreError } from './store-errors.js';
import { tempDir } from './test-support/fixtures.js';

test('a new database gets every table, the latest version, WAL and incremental auto_vacuum', (t) => {
  const store = GatewayStore.open(join(tempDir(t), 'gateway.db'));
  t.after(() => store.close());
  const db = store.connection;
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
  assert.deepEqual(tables, ['counters', 'events', 'meta', 'readings']);
  const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").pluck().all();
  assert.ok(indexes.includes('readings_sensor_ts'));
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
