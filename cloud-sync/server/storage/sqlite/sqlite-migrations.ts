/**
 * The SQLite schema, as numbered migrations applied in order, each in its own
 * transaction. Append new versions; never edit one that has shipped.
 *
 * Readings are keyed (gateway, seq) — the idempotency key — WITHOUT ROWID so the
 * key is the table; (sensor, ts) is indexed for range scans and covers the history
 * aggregate. Integers are epoch ms; booleans 0/1; JSON as text.
 */
import type { Database } from 'better-sqlite3';

export const SQLITE_MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    `CREATE TABLE users (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('customer', 'supplier', 'admin')),
      phone TEXT,
      preferences TEXT NOT NULL,
      token_version INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL)`,
    `CREATE TABLE refresh_tokens (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      family_id TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      expires_at INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      used_at INTEGER,
      revoked_at INTEGER)`,
    `CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id)`,
    `CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id)`,
    `CREATE TABLE claim_codes (
      code_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      expires_at INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      used_at INTEGER)`,
    `CREATE TABLE gateways (
      pk INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      version TEXT,
      credential_hash TEXT UNIQUE,
      acked_seq INTEGER NOT NULL DEFAULT 0,
      config_version INTEGER NOT NULL DEFAULT 0,
      presence TEXT NOT NULL DEFAULT 'unknown',
      last_seen_at INTEGER,
      heartbeat TEXT,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL)`,
    `CREATE INDEX gateways_user ON gateways(user_id)`,
    `CREATE INDEX gateways_presence ON gateways(presence, last_seen_at)`,
    `CREATE TABLE ingest_coverage (
      gateway_pk INTEGER NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      after_seq INTEGER NOT NULL,
      last_seq INTEGER NOT NULL,
      PRIMARY KEY (gateway_pk, after_seq, last_seq))`,
    `CREATE TABLE sensors (
      pk INTEGER PRIMARY KEY,
      gateway_pk INTEGER NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      local_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      unit TEXT,
      name TEXT,
      health TEXT,
      last_reading_at INTEGER,
      first_seen_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      UNIQUE (gateway_pk, local_id))`,
    `CREATE TABLE readings (
      gateway_pk INTEGER NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      sensor_pk INTEGER NOT NULL REFERENCES sensors(pk) ON DELETE CASCADE,
      ts INTEGER NOT NULL,
      value REAL NOT NULL,
      unit TEXT NOT NULL,
      raw REAL,
      percent REAL,
      litres REAL,
      ppm REAL,
      quality TEXT NOT NULL,
      clock_synced INTEGER NOT NULL,
      min REAL NOT NULL,
      max REAL NOT NULL,
      cnt INTEGER NOT NULL,
      seq_end INTEGER,
      ts_end INTEGER,
      received_at INTEGER NOT NULL,
      PRIMARY KEY (gateway_pk, seq)) WITHOUT ROWID`,
    `CREATE INDEX readings_sensor_ts ON readings(sensor_pk, ts, value, min, max, cnt)`,
    `CREATE INDEX readings_spans ON readings(gateway_pk, seq_end) WHERE seq_end IS NOT NULL`,
    `CREATE TABLE events (
      pk INTEGER PRIMARY KEY,
      gateway_pk INTEGER NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      seq INTEGER,
      source TEXT NOT NULL,
      ts INTEGER NOT NULL,
      type TEXT NOT NULL,
      sensor_local_id TEXT,
      state TEXT,
      severity TEXT NOT NULL,
      severe INTEGER NOT NULL DEFAULT 0,
      value REAL,
      unit TEXT,
      threshold REAL,
      message TEXT NOT NULL,
      clock_synced INTEGER NOT NULL,
      data TEXT,
      received_at INTEGER NOT NULL,
      UNIQUE (gateway_pk, seq))`,
    `CREATE INDEX events_gateway_ts ON events(gateway_pk, ts)`,
    `CREATE TABLE alert_rules (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      gateway_pk INTEGER NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      sensor_pk INTEGER NOT NULL REFERENCES sensors(pk) ON DELETE CASCADE,
      name TEXT,
      type TEXT NOT NULL,
      params TEXT NOT NULL,
      enabled INTEGER NOT NULL,
      notify TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL)`,
    `CREATE INDEX alert_rules_user ON alert_rules(user_id)`,
    `CREATE INDEX alert_rules_gateway ON alert_rules(gateway_pk)`,
    `CREATE TABLE calibrations (
      gateway_pk INTEGER NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      sensor_local_id TEXT NOT NULL,
      calibration TEXT NOT NULL,
      updated_at INTEGER NOT NULL,
      received_at INTEGER NOT NULL,
      PRIMARY KEY (gateway_pk, sensor_local_id))`,
    `CREATE TABLE notifications (
      pk INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      gateway_pk INTEGER REFERENCES gateways(pk) ON DELETE CASCADE,
      sensor_local_id TEXT,
      rule_id TEXT,
      type TEXT NOT NULL,
      severity TEXT NOT NULL,
      title TEXT NOT NULL,
      message TEXT NOT NULL,
      channels TEXT NOT NULL,
      event_at INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      read_at INTEGER)`,
    `CREATE INDEX notifications_user ON notifications(user_id, created_at)`,
    `CREATE INDEX notifications_gateway ON notifications(gateway_pk)`,
  ],
];

export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

/** Applies the missing migrations; refuses a database a newer server has migrated further. */
export function migrateSqlite(db: Database, now: number): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations').get() as { v: number };
  if (row.v > SQLITE_MIGRATIONS.length) {
    throw new SchemaTooNewError(
      `the cloud database is at schema version ${row.v}, but this easygas knows only ${SQLITE_MIGRATIONS.length}: upgrade easygas`,
    );
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
  for (let version = row.v + 1; version <= SQLITE_MIGRATIONS.length; version++) {
    const steps = SQLITE_MIGRATIONS[version - 1] ?? [];
    db.transaction(() => {
      for (const step of steps) db.exec(step);
      record.run(version, now);
    })();
  }
  return SQLITE_MIGRATIONS.length;
}
