/**
 * tank_forecasts: each sensed tank's latest forecast, written by the hourly tank
 * analysis (anomaly-job.ts) from the rollups, so a supplier's customer list reads
 * one row per tank and sorts by reorder date in SQL instead of analysing every
 * tank per request. A null date comes with its reason.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './column-types.js';

export function tankForecastsMigration(dialect: Dialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('tank_forecasts')
        .addColumn('tank_id', 'text', (c) => c.primaryKey().references('tanks.id').onDelete('cascade'))
        .addColumn('level_at', t.int)
        .addColumn('level_percent', t.real)
        .addColumn('reorder_by', t.int)
        .addColumn('reorder_p10', t.int)
        .addColumn('reorder_p90', t.int)
        .addColumn('reorder_reason', 'text')
        .addColumn('empty_by', t.int)
        .addColumn('empty_p10', t.int)
        .addColumn('empty_p90', t.int)
        .addColumn('empty_reason', 'text')
        .addColumn('computed_at', t.int, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('tank_forecasts_reorder_by').on('tank_forecasts').columns(['reorder_by', 'tank_id']).execute();
      // The customer list finds a supplier's tanks by preference as well as by its orders (orders_by_supplier).
      await db.schema.createIndex('tanks_by_preferred_supplier').on('tanks').column('preferred_supplier_id').execute();
    },
  };
}
