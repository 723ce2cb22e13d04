/**
 * Notifications that reach people (issue 18):
 * - channel_addresses: where a user is told (an email verified by a link, a
 *   phone, a webhook URL with its secret, a browser's push subscription); an
 *   address the provider refused is turned off (disabled_at), never deleted;
 * - notification_deliveries: one per notification and address, written in the
 *   notification's transaction with its outbox row, and its state (pending,
 *   delivered, failed, gone, skipped);
 * - delivery_attempts: each try, for the delivery log the user reads;
 * - active_alerts: one row per raised condition (gateway, sensor, kind) until it
 *   clears: a repeat of it updates the row instead of notifying again, and an
 *   unacknowledged critical one is escalated from here;
 * - password_resets: single-use tokens (hashed) of the password reset email.
 * Numbered 0006: 0005 belongs to another branch; the migrator accepts either order.
 */
import type { ColumnDefinitionBuilder, Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './column-types.js';

export function notificationDeliveriesMigration(dialect: Dialect) {
  const t = columnTypes(dialect);
  const surrogate = (c: ColumnDefinitionBuilder): ColumnDefinitionBuilder => (t.isPostgres ? c.generatedAlwaysAsIdentity().primaryKey() : c.primaryKey());
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      const s = db.schema;
      await s
        .createTable('channel_addresses')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        // The email, the E.164 phone, the webhook URL, the push endpoint: one per user and kind.
        .addColumn('target', 'text', (c) => c.notNull())
        // The webhook's secret, or the push subscription's keys (JSON).
        .addColumn('secret', 'text')
        .addColumn('verified_at', t.int)
        .addColumn('verify_token_hash', 'text', (c) => c.unique())
        .addColumn('verify_expires_at', t.int)
        .addColumn('disabled_at', t.int)
        .addColumn('disabled_reason', 'text')
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addUniqueConstraint('channel_addresses_target', ['user_id', 'kind', 'target'])
        .execute();
      await s
        .createTable('notification_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        // Null once the address is deleted (a push subscription gone): the log stays.
        .addColumn('address_id', 'text', (c) => c.references('channel_addresses.id').onDelete('set null'))
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('provider_message_id', 'text')
        .addColumn('last_error', 'text')
        .addColumn('created_at', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.int, (c) => c.notNull())
        .execute();
      await s.createIndex('notification_deliveries_notification').on('notification_deliveries').column('notification_id').execute();
      await s
        .createTable('delivery_attempts')
        .addColumn('id', t.int, surrogate)
        .addColumn('delivery_id', 'text', (c) => c.notNull().references('notification_deliveries.id').onDelete('cascade'))
        .addColumn('at', t.int, (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('provider_message_id', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error', 'text')
        .execute();
      await s
        .createTable('active_alerts')
        .addColumn('alert_key', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('notification_id', 'text', (c) => c.notNull().references('notifications.id').onDelete('cascade'))
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('raised_at', t.int, (c) => c.notNull())
        .addColumn('updated_at', t.int, (c) => c.notNull())
        .addColumn('repeats', t.int, (c) => c.notNull().defaultTo(0))
        .addColumn('acknowledged_at', t.int)
        .addColumn('escalations', t.int, (c) => c.notNull().defaultTo(0))
        .execute();
      await s
        .createTable('password_resets')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('expires_at', t.int, (c) => c.notNull())
        .addColumn('used_at', t.int)
        .addColumn('created_at', t.int, (c) => c.notNull())
        .execute();
      await s.createIndex('active_alerts_notification').on('active_alerts').column('notification_id').execute();
      await s.createIndex('delivery_attempts_delivery').on('delivery_attempts').column('delivery_id').execute();
    },
  };
}
