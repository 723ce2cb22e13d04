/**
 * The PostgreSQL schema as numbered migrations, applied in one transaction under an
 * advisory lock so several API servers starting together migrate once.
 *
 * Partitioning: readings are NOT partitioned. Idempotency needs a unique key on
 * (gateway, seq), and a partitioned table's unique keys must contain the partition
 * key; time partitioning would weaken it to (gateway, seq, ts). The (sensor, ts)
 * B-tree with INCLUDE columns makes a history query an index-only range scan,
 * which is what matters up to a few hundred million rows. When retention by
 * dropping old data is needed, hash-partition by gateway_pk (part of the key) or
 * move to (gateway, seq, ts) deliberately.
 */
import type pg from 'pg';

export const PG_MIGRATIONS: readonly (readonly string[])[] = [
  [
    `CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    `CREATE TABLE users (
      id TEXT PRIMARY KEY,
      email TEXT NOT NULL UNIQUE,
      password_hash TEXT NOT NULL,
      name TEXT NOT NULL,
      role TEXT NOT NULL CHECK (role IN ('customer', 'supplier', 'admin')),
      phone TEXT,
      preferences JSONB NOT NULL,
      token_version INTEGER NOT NULL DEFAULT 0,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL)`,
    `CREATE TABLE refresh_tokens (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      family_id TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      expires_at BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      used_at BIGINT,
      revoked_at BIGINT)`,
    `CREATE INDEX refresh_tokens_family ON refresh_tokens(family_id)`,
    `CREATE INDEX refresh_tokens_user ON refresh_tokens(user_id)`,
    `CREATE TABLE claim_codes (
      code_hash TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      expires_at BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      used_at BIGINT)`,
    `CREATE TABLE gateways (
      pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      name TEXT NOT NULL,
      version TEXT,
      credential_hash TEXT UNIQUE,
      acked_seq BIGINT NOT NULL DEFAULT 0,
      config_version INTEGER NOT NULL DEFAULT 0,
      presence TEXT NOT NULL DEFAULT 'unknown',
      last_seen_at BIGINT,
      heartbeat JSONB,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL)`,
    `CREATE INDEX gateways_user ON gateways(user_id)`,
    `CREATE INDEX gateways_online ON gateways(last_seen_at) WHERE presence = 'online'`,
    `CREATE TABLE ingest_coverage (
      gateway_pk BIGINT NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      after_seq BIGINT NOT NULL,
      last_seq BIGINT NOT NULL,
      PRIMARY KEY (gateway_pk, after_seq, last_seq))`,
    `CREATE TABLE sensors (
      pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      gateway_pk BIGINT NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      local_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      unit TEXT,
      name TEXT,
      health TEXT,
      last_reading_at BIGINT,
      first_seen_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL,
      UNIQUE (gateway_pk, local_id))`,
    `CREATE TABLE readings (
      gateway_pk BIGINT NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      seq BIGINT NOT NULL,
      sensor_pk BIGINT NOT NULL REFERENCES sensors(pk) ON DELETE CASCADE,
      ts BIGINT NOT NULL,
      value DOUBLE PRECISION NOT NULL,
      unit TEXT NOT NULL,
      raw DOUBLE PRECISION,
      percent DOUBLE PRECISION,
      litres DOUBLE PRECISION,
      ppm DOUBLE PRECISION,
      quality TEXT NOT NULL,
      clock_synced BOOLEAN NOT NULL,
      min DOUBLE PRECISION NOT NULL,
      max DOUBLE PRECISION NOT NULL,
      cnt INTEGER NOT NULL,
      seq_end BIGINT,
      ts_end BIGINT,
      received_at BIGINT NOT NULL,
      PRIMARY KEY (gateway_pk, seq))`,
    `CREATE INDEX readings_sensor_ts ON readings(sensor_pk, ts) INCLUDE (value, min, max, cnt)`,
    `CREATE INDEX readings_spans ON readings(gateway_pk, seq_end) WHERE seq_end IS NOT NULL`,
    `CREATE TABLE events (
      pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      gateway_pk BIGINT NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      seq BIGINT,
      source TEXT NOT NULL,
      ts BIGINT NOT NULL,
      type TEXT NOT NULL,
      sensor_local_id TEXT,
      state TEXT,
      severity TEXT NOT NULL,
      severe BOOLEAN NOT NULL DEFAULT FALSE,
      value DOUBLE PRECISION,
      unit TEXT,
      threshold DOUBLE PRECISION,
      message TEXT NOT NULL,
      clock_synced BOOLEAN NOT NULL,
      data JSONB,
      received_at BIGINT NOT NULL,
      UNIQUE (gateway_pk, seq))`,
    `CREATE INDEX events_gateway_ts ON events(gateway_pk, ts)`,
    `CREATE TABLE alert_rules (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      gateway_pk BIGINT NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      sensor_pk BIGINT NOT NULL REFERENCES sensors(pk) ON DELETE CASCADE,
      name TEXT,
      type TEXT NOT NULL,
      params JSONB NOT NULL,
      enabled BOOLEAN NOT NULL,
      notify JSONB NOT NULL,
      created_at BIGINT NOT NULL,
      updated_at BIGINT NOT NULL)`,
    `CREATE INDEX alert_rules_user ON alert_rules(user_id)`,
    `CREATE INDEX alert_rules_gateway ON alert_rules(gateway_pk)`,
    `CREATE INDEX alert_rules_sensor ON alert_rules(sensor_pk)`,
    `CREATE TABLE calibrations (
      gateway_pk BIGINT NOT NULL REFERENCES gateways(pk) ON DELETE CASCADE,
      sensor_local_id TEXT NOT NULL,
      calibration JSONB NOT NULL,
      updated_at BIGINT NOT NULL,
      received_at BIGINT NOT NULL,
      PRIMARY KEY (gateway_pk, sensor_local_id))`,
    `CREATE TABLE notifications (
      pk BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      gateway_pk BIGINT REFERENCES gateways(pk) ON DELETE CASCADE,
      sensor_local_id TEXT,
      rule_id TEXT,
      type TEXT NOT NULL,
      severity TEXT NOT NULL,
      title TEXT NOT NULL,
      message TEXT NOT NULL,
      channels JSONB NOT NULL,
      event_at BIGINT NOT NULL,
      created_at BIGINT NOT NULL,
      read_at BIGINT)`,
    `CREATE INDEX notifications_user ON notifications(user_id, created_at)`,
    `CREATE INDEX notifications_gateway ON notifications(gateway_pk)`,
  ],
];

/** Applies the missing migrations; refuses a database a newer server has migrated further. */
export async function migratePostgres(client: pg.PoolClient, now: number): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query("SELECT pg_advisory_xact_lock(hashtext('easygas-cloud-migrations'))");
    await client.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const { rows } = await client.query<{ v: number }>('SELECT COALESCE(MAX(version), 0)::int AS v FROM schema_migrations');
    const current = rows[0]?.v ?? 0;
    if (current > PG_MIGRATIONS.length) {
      throw new Error(`the cloud database is at schema version ${current}, but this easygas knows only ${PG_MIGRATIONS.length}: upgrade easygas`);
    }
    for (let version = current + 1; version <= PG_MIGRATIONS.length; version++) {
      for (const step of PG_MIGRATIONS[version - 1] ?? []) await client.query(step);
      await client.query('INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)', [version, now]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return PG_MIGRATIONS.length;
}
