/**
 * The schema as the two hand-written migrators shipped it (their version 1), in
 * one description. A database those migrators made already has it: then this
 * migration only adopts it. Never edit a migration that has shipped; add one.
 *
 * Readings are keyed (gateway, seq), the idempotency key, WITHOUT ROWID on SQLite
 * so the key is the table; (sensor, ts) is indexed for range scans and covers the
 * history aggregate (INCLUDE on PostgreSQL, extra key columns on SQLite, which has
 * no INCLUDE). The two index differences of version 1 are kept here as they
 * shipped and removed by 0002.
 */
import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './column-types.js';

/** The version the old migrators recorded in schema_migrations, or 0. */
export async function legacyVersion(db: Kysely<unknown>, dialect: Dialect): Promise<number> {
  const exists =
    dialect === 'postgres'
      ? ((await sql<{ t: string | null }>`SELECT to_regclass('schema_migrations')::text AS t`.execute(db)).rows[0]?.t ?? null) !== null
      : (await sql<{ n: number }>`SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`.execute(db)).rows[0]?.n === 1;
  if (!exists) return 0;
  const { rows } = await sql<{ v: number | null }>`SELECT MAX(version) AS v FROM schema_migrations`.execute(db);
  return Number(rows[0]?.v ?? 0);
}

export function initialMigration(dialect: Dialect) {
  const t = columnTypes(dialect);
  const pkColumn = t.isPostgres ? ('bigint' as const) : ('integer' as const);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      if ((await legacyVersion(db, dialect)) >= 1) return;
      const s = db.schema;
      const withoutRowid = <T extends string, C extends string>(b: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
        t.isPostgres ? b : b.modifyEnd(sql`without rowid`);
      // SQLite's INTEGER PRIMARY KEY is the rowid; PostgreSQL needs an identity.
      const surrogate = (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => (t.isPostgres ? c.generatedAlwaysAsIdentity().primaryKey() : c.primaryKey());

      await s.createTable('settings').addColumn('name', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
      await s
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role IN ('customer', 'supplier', 'admin')`))
        .addColumn('phone', 'text')
        .addColumn('preferences', t.json, (c) => c.notNull())
        .addColumn('token_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.int, (c) => c.notNull())
        .execute();
      await s
        .createTable('refresh_tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('family_id', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('expires_at', t.int, (c) => c.notNull())
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addColumn('used_at', t.int)
        .addColumn('revoked_at', t.int)
        .execute();
      await s.createIndex('refresh_tokens_family').on('refresh_tokens').column('family_id').execute();
      await s.createIndex('refresh_tokens_user').on('refresh_tokens').column('user_id').execute();
      await s
        .createTable('claim_codes')
        .addColumn('code_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('expires_at', t.int, (c) => c.notNull())
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addColumn('used_at', t.int)
        .execute();
      await s
        .createTable('gateways')
        .addColumn('pk', pkColumn, surrogate)
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('version', 'text')
        .addColumn('credential_hash', 'text', (c) => c.unique())
        .addColumn('acked_seq', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('config_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('presence', 'text', (c) => c.notNull().defaultTo('unknown'))
        .addColumn('last_seen_at', t.int)
        .addColumn('heartbeat', t.json)
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.int, (c) => c.notNull())
        .execute();
      await s.createIndex('gateways_user').on('gateways').column('user_id').execute();
      if (t.isPostgres) {
        await s.createIndex('gateways_online').on('gateways').column('last_seen_at').where(sql.ref('presence'), '=', 'online').execute();
      } else {
        await s.createIndex('gateways_presence').on('gateways').columns(['presence', 'last_seen_at']).execute();
      }
      await s
        .createTable('ingest_coverage')
        .addColumn('gateway_pk', t.int, (c) => c.notNull().references('gateways.pk').onDelete('cascade'))
        .addColumn('after_seq', t.int, (c) => c.notNull())
        .addColumn('last_seq', t.int, (c) => c.notNull())
        .addPrimaryKeyConstraint('ingest_coverage_pkey', ['gateway_pk', 'after_seq', 'last_seq'])
        .execute();
      await s
        .createTable('sensors')
        .addColumn('pk', pkColumn, surrogate)
        .addColumn('gateway_pk', t.int, (c) => c.notNull().references('gateways.pk').onDelete('cascade'))
        .addColumn('local_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('unit', 'text')
        .addColumn('name', 'text')
        .addColumn('health', 'text')
        .addColumn('last_reading_at', t.int)
        .addColumn('first_seen_at', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.int, (c) => c.notNull())
        .addUniqueConstraint('sensors_gateway_pk_local_id_key', ['gateway_pk', 'local_id'])
        .execute();
      await withoutRowid(
        s
          .createTable('readings')
          .addColumn('gateway_pk', t.int, (c) => c.notNull().references('gateways.pk').onDelete('cascade'))
          .addColumn('seq', t.int, (c) => c.notNull())
          .addColumn('sensor_pk', t.int, (c) => c.notNull().references('sensors.pk').onDelete('cascade'))
          .addColumn('ts', t.int, (c) => c.notNull())
          .addColumn('value', t.real, (c) => c.notNull())
          .addColumn('unit', 'text', (c) => c.notNull())
          .addColumn('raw', t.real)
          .addColumn('percent', t.real)
          .addColumn('litres', t.real)
          .addColumn('ppm', t.real)
          .addColumn('quality', 'text', (c) => c.notNull())
          .addColumn('clock_synced', t.bool, (c) => c.notNull())
          .addColumn('min', t.real, (c) => c.notNull())
          .addColumn('max', t.real, (c) => c.notNull())
          .addColumn('cnt', 'integer', (c) => c.notNull())
          .addColumn('seq_end', t.int)
          .addColumn('ts_end', t.int)
          .addColumn('received_at', t.int, (c) => c.notNull())
          .addPrimaryKeyConstraint('readings_pkey', ['gateway_pk', 'seq']),
      ).execute();
      if (t.isPostgres) await sql`CREATE INDEX readings_sensor_ts ON readings(sensor_pk, ts) INCLUDE (value, min, max, cnt)`.execute(db);
      else await s.createIndex('readings_sensor_ts').on('readings').columns(['sensor_pk', 'ts', 'value', 'min', 'max', 'cnt']).execute();
      await s.createIndex('readings_spans').on('readings').columns(['gateway_pk', 'seq_end']).where(sql.ref('seq_end'), 'is not', null).execute();
      await s
        .createTable('events')
        .addColumn('pk', pkColumn, surrogate)
        .addColumn('gateway_pk', t.int, (c) => c.notNull().references('gateways.pk').onDelete('cascade'))
        .addColumn('seq', t.int)
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('ts', t.int, (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('sensor_local_id', 'text')
        .addColumn('state', 'text')
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('severe', t.bool, (c) => c.notNull().defaultTo(t.isPostgres ? false : 0))
        .addColumn('value', t.real)
        .addColumn('unit', 'text')
        .addColumn('threshold', t.real)
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('clock_synced', t.bool, (c) => c.notNull())
        .addColumn('data', t.json)
        .addColumn('received_at', t.int, (c) => c.notNull())
        .addUniqueConstraint('events_gateway_pk_seq_key', ['gateway_pk', 'seq'])
        .execute();
      await s.createIndex('events_gateway_ts').on('events').columns(['gateway_pk', 'ts']).execute();
      await s
        .createTable('alert_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('gateway_pk', t.int, (c) => c.notNull().references('gateways.pk').onDelete('cascade'))
        .addColumn('sensor_pk', t.int, (c) => c.notNull().references('sensors.pk').onDelete('cascade'))
        .addColumn('name', 'text')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('params', t.json, (c) => c.notNull())
        .addColumn('enabled', t.bool, (c) => c.notNull())
        .addColumn('notify', t.json, (c) => c.notNull())
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.int, (c) => c.notNull())
        .execute();
      await s.createIndex('alert_rules_user').on('alert_rules').column('user_id').execute();
      await s.createIndex('alert_rules_gateway').on('alert_rules').column('gateway_pk').execute();
      if (t.isPostgres) await s.createIndex('alert_rules_sensor').on('alert_rules').column('sensor_pk').execute();
      await s
        .createTable('calibrations')
        .addColumn('gateway_pk', t.int, (c) => c.notNull().references('gateways.pk').onDelete('cascade'))
        .addColumn('sensor_local_id', 'text', (c) => c.notNull())
        .addColumn('calibration', t.json, (c) => c.notNull())
        .addColumn('updated_at', t.int, (c) => c.notNull())
        .addColumn('received_at', t.int, (c) => c.notNull())
        .addPrimaryKeyConstraint('calibrations_pkey', ['gateway_pk', 'sensor_local_id'])
        .execute();
      await s
        .createTable('notifications')
        .addColumn('pk', pkColumn, surrogate)
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('gateway_pk', t.int, (c) => c.references('gateways.pk').onDelete('cascade'))
        .addColumn('sensor_local_id', 'text')
        .addColumn('rule_id', 'text')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('channels', t.json, (c) => c.notNull())
        .addColumn('event_at', t.int, (c) => c.notNull())
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addColumn('read_at', t.int)
        .execute();
      await s.createIndex('notifications_user').on('notifications').columns(['user_id', 'created_at']).execute();
      await s.createIndex('notifications_gateway').on('notifications').column('gateway_pk').execute();
    },
  };
}
