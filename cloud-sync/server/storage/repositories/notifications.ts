/**
 * Notifications, and what ingest and presence share with them: loading what the
 * notification policy needs, and storing an event's notifications in the event's
 * own transaction (so a resent event never notifies twice).
 */
import { randomUUID } from 'node:crypto';
import { severityRank, type AlertRuleType } from '../../../protocol/index.js';
import type { Db } from '../db/database.js';
import type { NotificationRepository } from '../repository.js';
import { deliveredWhenLate, LATE_AFTER_MS, remindsOfActive } from '../policy-events.js';
import { notificationFromRow } from '../row-mappers.js';
import { activeAlert, alertKey, closeAlert, openAlert, raiseAlert, remindAlert, repeatAlert } from './active-alerts.js';
import { createContactDeliveries } from './contact-deliveries.js';
import { createDeliveries } from './deliveries.js';
import { selectNotifications } from './notification-rows.js';
import { enqueueOutbox } from './outbox.js';
import { bool, parseChannels, parsePreferences } from '../rows.js';
import type { Notification, NotificationDraft, NotificationPolicy, PolicyContext, PolicyEvent } from '../types.js';

/** The outbox kind of "deliver this notification through its channels". */
export const NOTIFICATION_DELIVERY = 'notification.deliver';

/** The notification and, when it goes beyond the app, its delivery in the outbox: one commit. */
function insertDraft(db: Db, userId: string, gatewayPk: number | null, draft: NotificationDraft, now: number, onlyAddressId?: string): Promise<Notification> {
  return db.atomic(async (tx) => {
    const notification = await insertRow(tx, userId, gatewayPk, draft, now);
    if (notification.channels.length > 0 || onlyAddressId !== undefined) {
      await enqueueOutbox(tx, NOTIFICATION_DELIVERY, notification, now);
      await createDeliveries(tx, notification, now, onlyAddressId === undefined ? {} : { onlyAddressId });
    }
    return notification;
  });
}

async function insertRow(db: Db, userId: string, gatewayPk: number | null, draft: NotificationDraft, now: number): Promise<Notification> {
  const id = randomUUID();
  await db.kysely
    .insertInto('notifications')
    .values({
      id,
      user_id: userId,
      gateway_pk: gatewayPk,
      sensor_local_id: draft.sensorId,
      rule_id: draft.ruleId,
      type: draft.type,
      severity: draft.severity,
      title: draft.title,
      message: draft.message,
      channels: JSON.stringify(draft.channels),
      event_at: draft.eventAt,
      created_at: now,
    })
    .execute();
  return notificationFromRow(await selectNotifications(db).where('n.id', '=', id).executeTakeFirstOrThrow());
}

/** What the policy needs about a gateway's owner, rules and sensor names. */
export async function policyContext(db: Db, gatewayPk: number): Promise<PolicyContext> {
  const gateway = await db.kysely
    .selectFrom('gateways as g')
    .innerJoin('users as u', 'u.id', 'g.user_id')
    .select(['g.id', 'g.name', 'g.user_id', 'u.preferences'])
    .where('g.pk', '=', gatewayPk)
    .executeTakeFirst();
  if (gateway === undefined) throw new Error(`gateway ${gatewayPk} vanished`);
  const rules = await db.kysely
    .selectFrom('alert_rules as r')
    .innerJoin('sensors as s', 's.pk', 'r.sensor_pk')
    .select(['r.id', 's.local_id', 'r.type', 'r.enabled', 'r.notify'])
    .where('r.gateway_pk', '=', gatewayPk)
    .execute();
  const names = await db.kysely.selectFrom('sensors').select(['local_id', 'name']).where('gateway_pk', '=', gatewayPk).where('name', 'is not', null).execute();
  return {
    userId: gateway.user_id,
    preferences: parsePreferences(gateway.preferences),
    gateway: { id: gateway.id, name: gateway.name },
    rules: rules.map((r) => ({ id: r.id, sensorId: r.local_id, type: r.type as AlertRuleType, enabled: bool(r.enabled), notify: parseChannels(r.notify) })),
    sensorNames: new Map(names.map((n) => [n.local_id, n.name ?? ''])),
  };
}

/**
 * Runs the policy over new events and stores what it decides; call inside the
 * events' transaction. A raised condition already active notifies no one again
 * (unless it last went out over `lateAfterMs` ago: one reminder); its clear sends
 * one "resolved", to the emergency contacts told of it too (active-alerts.ts).
 */
export async function notify(db: Db, gatewayPk: number, events: readonly PolicyEvent[], policy: NotificationPolicy, now: number, lateAfterMs = LATE_AFTER_MS): Promise<Notification[]> {
  if (events.length === 0) return [];
  const context = await policyContext(db, gatewayPk);
  const created: Notification[] = [];
  for (const event of events) {
    const key = event.state === undefined ? undefined : alertKey(gatewayPk, event);
    if (key !== undefined && event.state === 'cleared') {
      const closed = await closeAlert(db, key, event);
      if (closed === undefined) continue;
      const resolved = await insertDraft(db, context.userId, gatewayPk, deliveredWhenLate(closed.draft, event, now, lateAfterMs), now);
      await createContactDeliveries(db, resolved, now, closed.contacts);
      created.push(resolved);
      continue;
    }
    const active = key === undefined ? undefined : await activeAlert(db, key);
    // The same condition again notifies no one; the same condition grown worse (warning → alarm) does.
    if (active !== undefined && severityRank(event.severity) <= severityRank(active.severity)) {
      await (remindsOfActive(active.notifiedAt, event, now, lateAfterMs) ? remindAlert(db, key!, active.notificationId, now) : repeatAlert(db, key!, now));
      continue;
    }
    const draft = policy(event, context);
    if (draft === undefined) continue;
    const notification = await insertDraft(db, context.userId, gatewayPk, deliveredWhenLate(draft, event, now, lateAfterMs), now);
    created.push(notification);
    if (key !== undefined) await (active === undefined ? openAlert(db, key, notification, now) : raiseAlert(db, key, notification, now));
  }
  return created;
}

/** An event the cloud raised itself (device_offline / device_online). */
export async function cloudEvent(db: Db, gatewayPk: number, event: PolicyEvent, now: number): Promise<void> {
  await db.kysely
    .insertInto('events')
    .values({
      gateway_pk: gatewayPk,
      seq: null,
      source: 'cloud',
      ts: event.at,
      type: event.type,
      sensor_local_id: null,
      state: event.state ?? null,
      severity: event.severity,
      severe: false,
      message: event.message,
      clock_synced: true,
      received_at: now,
    })
    .execute();
}

export function notifications(db: Db): NotificationRepository {
  return {
    async list(userId, options) {
      const rows = await selectNotifications(db)
        .where('n.user_id', '=', userId)
        .$if(options.before !== undefined, (q) => q.where('n.created_at', '<', options.before ?? 0))
        .$if(options.unreadOnly === true, (q) => q.where('n.read_at', 'is', null))
        .orderBy('n.created_at', 'desc')
        .orderBy('n.pk', 'desc')
        .limit(options.limit)
        .execute();
      return rows.map(notificationFromRow);
    },
    async create(userId, gatewayId, draft, now, options = {}) {
      const gateway =
        gatewayId === null ? undefined : await db.kysely.selectFrom('gateways').select('pk').where('id', '=', gatewayId).where('user_id', '=', userId).executeTakeFirst();
      return insertDraft(db, userId, gateway?.pk ?? null, draft, now, options.onlyAddressId);
    },
    async markRead(userId, id, now) {
      await db.kysely
        .updateTable('notifications')
        .set((eb) => ({ read_at: eb.fn.coalesce('read_at', eb.val(now)) }))
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .execute();
      const row = await selectNotifications(db).where('n.id', '=', id).where('n.user_id', '=', userId).executeTakeFirst();
      return row === undefined ? undefined : notificationFromRow(row);
    },
    async markAllRead(userId, now) {
      const result = await db.kysely.updateTable('notifications').set({ read_at: now }).where('user_id', '=', userId).where('read_at', 'is', null).executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
