/**
 * Deliveries to emergency contacts: the people a user added (an email or a
 * mobile number with a name) to hear of a critical alarm the user left
 * unacknowledged through every reminder. They get nothing else: createDeliveries
 * leaves them out. A contact told of an alarm hears its "resolved" too; which
 * contacts were told is read back from the alarm's own deliveries, so there is
 * one record of it, the delivery log the user sees.
 */
import type { Db } from '../db/database.js';
import type { Notification } from '../types.js';
import { writeDelivery } from './deliveries.js';

/**
 * Writes one delivery per verified, enabled contact of the notification's user (or
 * only those in `only`), sent at once; call inside the notification's transaction.
 */
export async function createContactDeliveries(db: Db, notification: Notification, now: number, only?: readonly string[]): Promise<number> {
  if (only?.length === 0) return 0;
  const contacts = await db.kysely
    .selectFrom('channel_addresses')
    .select(['id', 'kind', 'target'])
    .where('user_id', '=', notification.userId)
    .where('contact_name', 'is not', null)
    .where('disabled_at', 'is', null)
    .where('verified_at', 'is not', null)
    .where('kind', 'in', ['email', 'sms'])
    .$if(only !== undefined, (q) => q.where('id', 'in', [...(only ?? [])]))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const contact of contacts) await writeDelivery(db, notification, contact, now, now);
  return contacts.length;
}

/** The contacts (address ids) this notification was delivered to, or is being. */
export async function contactsToldOf(db: Db, notificationId: string): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('notification_deliveries as d')
    .innerJoin('channel_addresses as a', 'a.id', 'd.address_id')
    .select('a.id')
    .distinct()
    .where('d.notification_id', '=', notificationId)
    .where('a.contact_name', 'is not', null)
    .execute();
  return rows.map((r) => r.id);
}
