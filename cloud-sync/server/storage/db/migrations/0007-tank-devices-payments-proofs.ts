/**
 * Issue 19, the remaining pieces:
 * - tank_device_credentials: one HTTP-only level device per tank, its token stored
 *   hashed (re-issuing replaces it), with the optional distance geometry that turns
 *   an ultrasonic distance into a percent;
 * - tank_levels.reading_id: the device's own reading id, unique per tank, so a
 *   retried report stores nothing new;
 * - order_proofs: the signature image of a delivery (checked PNG/JPEG, base64 text
 *   on both databases), written in the delivery's own transaction.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './column-types.js';

export function tankDevicesPaymentsProofsMigration(dialect: Dialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const s = db.schema;
      await s
        .createTable('tank_device_credentials')
        .addColumn('tank_id', 'text', (c) => c.primaryKey().references('tanks.id').onDelete('cascade'))
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('empty_distance_mm', t.real)
        .addColumn('full_distance_mm', t.real)
        .addColumn('created_at', t.int, (c) => c.notNull())
        .execute();
      await s.alterTable('tank_levels').addColumn('reading_id', 'text').execute();
      // NULLs are distinct on both databases: manual levels (no reading id) never clash.
      await s
        .createTable('order_proofs')
        .addColumn('order_id', 'text', (c) => c.primaryKey().references('orders.id').onDelete('cascade'))
        .addColumn('content_type', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', t.int, (c) => c.notNull())
        .execute();
      await s.createIndex('tank_levels_reading').unique().on('tank_levels').columns(['tank_id', 'reading_id']).execute();
    },
  };
}
