/**
 * Tanks, suppliers and refill orders (issue 19):
 * - tanks (a customer's, optionally linked to a level sensor) and their manual or
 *   estimated levels;
 * - suppliers (one per supplier account), the postal codes they serve and their
 *   volume price tiers per product;
 * - orders, with their status history and at most one review each.
 * "Never two open orders for one tank" is a unique partial index over the open
 * statuses, so it holds across restarts and API processes (no check-then-insert).
 */
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { OPEN_ORDER_STATUSES } from '../../../modules/orders/order-status.js';
import type { Dialect } from '../database.js';
import { columnTypes } from './column-types.js';

/** The open statuses as an SQL list literal (constants of this codebase, never user input). */
export const OPEN_STATUS_SQL = OPEN_ORDER_STATUSES.map((s) => `'${s}'`).join(', ');

export function tanksSuppliersOrdersMigration(dialect: Dialect) {
  const t = columnTypes(dialect);
  const surrogate = (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => (t.isPostgres ? c.generatedAlwaysAsIdentity().primaryKey() : c.primaryKey());
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const s = db.schema;
      await s
        .createTable('tanks')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('product', 'text', (c) => c.notNull())
        .addColumn('capacity_litres', t.int, (c) => c.notNull())
        .addColumn('low_threshold', t.real, (c) => c.notNull())
        .addColumn('reorder_level', t.real, (c) => c.notNull())
        .addColumn('auto_order', t.bool, (c) => c.notNull())
        .addColumn('preferred_supplier_id', 'text')
        .addColumn('sensor_id', 'text')
        .addColumn('address', t.json, (c) => c.notNull())
        .addColumn('access_notes', 'text')
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.int, (c) => c.notNull())
        .execute();
      await s.createIndex('tanks_by_user').on('tanks').columns(['user_id', 'created_at']).execute();
      await s
        .createTable('tank_levels')
        .addColumn('pk', t.int, surrogate)
        .addColumn('tank_id', 'text', (c) => c.notNull().references('tanks.id').onDelete('cascade'))
        .addColumn('at', t.int, (c) => c.notNull())
        .addColumn('percent', t.real, (c) => c.notNull())
        .addColumn('litres', t.real)
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', t.int, (c) => c.notNull())
        .execute();
      await s.createIndex('tank_levels_by_time').on('tank_levels').columns(['tank_id', 'at']).execute();
      await s
        .createTable('suppliers')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id').onDelete('cascade'))
        .addColumn('company', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('lead_time_days', t.int, (c) => c.notNull())
        .addColumn('active', t.bool, (c) => c.notNull())
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.int, (c) => c.notNull())
        .execute();
      await s
        .createTable('supplier_areas')
        .addColumn('supplier_id', 'text', (c) => c.notNull().references('suppliers.id').onDelete('cascade'))
        .addColumn('postal_code', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('supplier_areas_pk', ['postal_code', 'supplier_id'])
        .execute();
      await s
        .createTable('supplier_prices')
        .addColumn('supplier_id', 'text', (c) => c.notNull().references('suppliers.id').onDelete('cascade'))
        .addColumn('product', 'text', (c) => c.notNull())
        .addColumn('tiers', t.json, (c) => c.notNull())
        .addPrimaryKeyConstraint('supplier_prices_pk', ['supplier_id', 'product'])
        .execute();
      // Orders keep their own copy of what was agreed (price, product, address): a
      // supplier that stops serving a postal code or changes its tiers breaks nothing.
      await s
        .createTable('orders')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('tank_id', 'text', (c) => c.notNull())
        .addColumn('supplier_id', 'text', (c) => c.notNull())
        .addColumn('product', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('litres', t.int, (c) => c.notNull())
        .addColumn('price_per_litre', t.int, (c) => c.notNull())
        .addColumn('total_amount', t.int, (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('window_start', t.int, (c) => c.notNull())
        .addColumn('window_end', t.int, (c) => c.notNull())
        .addColumn('scheduled_start', t.int)
        .addColumn('scheduled_end', t.int)
        .addColumn('actual_litres', t.int)
        .addColumn('delivered_at', t.int)
        .addColumn('driver_notes', 'text')
        .addColumn('notes', 'text')
        .addColumn('cancel_reason', 'text')
        .addColumn('payment_status', 'text', (c) => c.notNull())
        .addColumn('invoice_number', 'text')
        .addColumn('placed_by', 'text', (c) => c.notNull())
        .addColumn('address', t.json, (c) => c.notNull())
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.int, (c) => c.notNull())
        .execute();
      await sql`CREATE UNIQUE INDEX orders_one_open_per_tank ON orders (tank_id) WHERE status IN (${sql.raw(OPEN_STATUS_SQL)})`.execute(db);
      await s.createIndex('orders_by_user').on('orders').columns(['user_id', 'created_at']).execute();
      await s.createIndex('orders_by_supplier').on('orders').columns(['supplier_id', 'created_at']).execute();
      await s
        .createTable('order_history')
        .addColumn('pk', t.int, surrogate)
        .addColumn('order_id', 'text', (c) => c.notNull().references('orders.id').onDelete('cascade'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('by_party', 'text', (c) => c.notNull())
        .addColumn('by_user', 'text')
        .addColumn('notes', 'text')
        .addColumn('at', t.int, (c) => c.notNull())
        .execute();
      await s.createIndex('order_history_by_order').on('order_history').columns(['order_id', 'pk']).execute();
      await s
        .createTable('order_reviews')
        .addColumn('order_id', 'text', (c) => c.primaryKey().references('orders.id').onDelete('cascade'))
        .addColumn('supplier_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('stars', t.int, (c) => c.notNull())
        .addColumn('comment', 'text')
        .addColumn('created_at', t.int, (c) => c.notNull())
        .execute();
      await s.createIndex('order_reviews_by_supplier').on('order_reviews').column('supplier_id').execute();
    },
  };
}
