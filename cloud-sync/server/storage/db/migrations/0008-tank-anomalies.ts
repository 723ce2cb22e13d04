/**
 * tank_anomalies: each anomaly the cloud's detectors raised on a tank, once. The
 * key (tank, type, the hour it was seen) is the primary key, so the hourly job —
 * run in any API process, or twice — notifies an anomaly exactly once.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './column-types.js';

export function tankAnomaliesMigration(dialect: Dialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('tank_anomalies')
        .addColumn('tank_id', 'text', (c) => c.notNull().references('tanks.id').onDelete('cascade'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', t.int, (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('seen', 'text', (c) => c.notNull())
        .addColumn('notification_id', 'text')
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addPrimaryKeyConstraint('tank_anomalies_pk', ['tank_id', 'type', 'at'])
        .execute();
    },
  };
}
