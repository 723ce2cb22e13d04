/**
 * Emergency contacts and the alert's notification times (issue 18, policy):
 * - channel_addresses.contact_name: an address with a name is someone the user
 *   added as an emergency contact; it gets no normal notifications, only an
 *   unacknowledged critical alarm after its last reminder (and its "resolved");
 * - active_alerts.contacts_told_at: when that alarm told the contacts (once);
 * - active_alerts.notified_at: when the alert last went out (raise, repeat,
 *   reminder), so a condition re-seen after days offline reminds once; null on
 *   rows from before this migration, which read as raised_at.
 */
import type { Kysely } from 'kysely';
import type { Dialect } from '../database.js';
import { columnTypes } from './column-types.js';

export function emergencyContactsMigration(dialect: Dialect) {
  const t = columnTypes(dialect);
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('channel_addresses').addColumn('contact_name', 'text').execute();
      await db.schema.alterTable('active_alerts').addColumn('contacts_told_at', t.int).execute();
      await db.schema.alterTable('active_alerts').addColumn('notified_at', t.int).execute();
    },
  };
}
