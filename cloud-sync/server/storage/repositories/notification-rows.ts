/** Reading notifications back, shared by the notifications, deliveries and active alerts. */
import type { Db } from '../db/database.js';
import { notificationFromRow } from '../row-mappers.js';
import type { Notification } from '../types.js';

export function selectNotifications(db: Db) {
  return db.kysely
    .selectFrom('notifications as n')
    .leftJoin('gateways as g', 'g.pk', 'n.gateway_pk')
    .select([
      'n.id', 'n.user_id', 'g.id as gateway_id', 'n.sensor_local_id', 'n.rule_id', 'n.type', 'n.severity', 'n.title', 'n.message', 'n.channels',
      'n.event_at', 'n.created_at', 'n.read_at',
    ]);
}

export async function notificationById(db: Db, id: string): Promise<Notification | undefined> {
  const row = await selectNotifications(db).where('n.id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : notificationFromRow(row);
}
