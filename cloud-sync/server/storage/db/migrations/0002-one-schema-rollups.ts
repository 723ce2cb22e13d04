/**
 * One schema on both databases, rollups, retention:
 * - the index drift of version 1 goes (alert_rules_sensor on SQLite too; the
 *   partial gateways_online index on both);
 * - rollups: per sensor, min/max/Σ value·count/count (and the level sums) per
 *   5-minute and per hourly bucket, filled here from the readings already stored
 *   and kept by ingest from now on;
 * - gateways.raw_pruned_before, the horizon below which retention may have
 *   pruned raw readings;
 * - schema_migrations gets version 2, so an older easygas refuses this database
 *   ("upgrade easygas") rather than trying to create its tables.
 * Plain SQL that both databases run the same, except the table options.
 */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './column-types.js';

export const LEGACY_GUARD_VERSION = 2;

export function oneSchemaRollupsMigration(dialect: Dialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const s = db.schema;
      await s.createIndex('alert_rules_sensor').ifNotExists().on('alert_rules').column('sensor_pk').execute();
      await s.dropIndex('gateways_presence').ifExists().execute();
      await s.createIndex('gateways_online').ifNotExists().on('gateways').column('last_seen_at').where(sql.ref('presence'), '=', 'online').execute();
      await s.alterTable('gateways').addColumn('raw_pruned_before', t.int, (c) => c.notNull().defaultTo(0)).execute();

      await s
        .createTable('rollups')
        .addColumn('sensor_pk', t.int, (c) => c.notNull().references('sensors.pk').onDelete('cascade'))
        .addColumn('span_ms', t.int, (c) => c.notNull())
        .addColumn('bucket', t.int, (c) => c.notNull())
        .addColumn('min', t.real, (c) => c.notNull())
        .addColumn('max', t.real, (c) => c.notNull())
        .addColumn('sum', t.real, (c) => c.notNull())
        .addColumn('cnt', t.int, (c) => c.notNull())
        .addColumn('ok_cnt', t.int, (c) => c.notNull())
        .addColumn('pct_sum', t.real, (c) => c.notNull())
        .addColumn('pct_cnt', t.int, (c) => c.notNull())
        .addColumn('lit_sum', t.real, (c) => c.notNull())
        .addColumn('lit_cnt', t.int, (c) => c.notNull())
        .addPrimaryKeyConstraint('rollups_pkey', ['sensor_pk', 'span_ms', 'bucket'])
        .$call((b) => (t.isPostgres ? b : b.modifyEnd(sql`without rowid`)))
        .execute();
      await sql`INSERT INTO rollups (sensor_pk, span_ms, bucket, min, max, sum, cnt, ok_cnt, pct_sum, pct_cnt, lit_sum, lit_cnt)
        SELECT sensor_pk, 300000, (ts / 300000) * 300000, MIN(min), MAX(max), SUM(value * cnt), SUM(cnt),
          SUM(CASE WHEN quality = 'ok' THEN cnt ELSE 0 END),
          COALESCE(SUM(CASE WHEN quality = 'ok' THEN percent * cnt END), 0),
          SUM(CASE WHEN quality = 'ok' AND percent IS NOT NULL THEN cnt ELSE 0 END),
          COALESCE(SUM(CASE WHEN quality = 'ok' THEN litres * cnt END), 0),
          SUM(CASE WHEN quality = 'ok' AND litres IS NOT NULL THEN cnt ELSE 0 END)
        FROM readings GROUP BY sensor_pk, ts / 300000`.execute(db);
      await sql`INSERT INTO rollups (sensor_pk, span_ms, bucket, min, max, sum, cnt, ok_cnt, pct_sum, pct_cnt, lit_sum, lit_cnt)
        SELECT sensor_pk, 3600000, (bucket / 3600000) * 3600000, MIN(min), MAX(max), SUM(sum), SUM(cnt), SUM(ok_cnt),
          SUM(pct_sum), SUM(pct_cnt), SUM(lit_sum), SUM(lit_cnt)
        FROM rollups WHERE span_ms = 300000 GROUP BY sensor_pk, bucket / 3600000`.execute(db);

      await sql`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at ${sql.raw(t.int)} NOT NULL)`.execute(db);
      await sql`INSERT INTO schema_migrations (version, applied_at) VALUES (${LEGACY_GUARD_VERSION}, 0)`.execute(db);
    },
  };
}
