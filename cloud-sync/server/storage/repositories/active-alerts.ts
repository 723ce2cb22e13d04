/**
 * One active alert per gateway, sensor and kind, from the event that raised it
 * until the one that clears it: a repeat of the raised condition (the gateway
 * resending its alarm after a reconnect, with a new sequence number) updates the
 * row and sends nothing; the clear sends one "resolved" on the alarm's channels;
 * an unacknowledged critical alarm is escalated from here (every N minutes, up
 * to M times, on every channel).
 */
import type { Db } from '../db/database.js';
import type { ActiveAlertRepository } from '../repository.js';
import type { Severity } from '../../../protocol/index.js';
import type { Notification, NotificationDraft, PolicyEvent } from '../types.js';
import { createDeliveries } from './deliveries.js';
import { notificationById } from './notification-rows.js';

export function alertKey(gatewayPk: number, event: Pick<PolicyEvent, 'sensorId' | 'type'>): string {
  return `${gatewayPk}|${event.sensorId ?? ''}|${event.type}`;
}

export async function activeAlert(db: Db, key: string): Promise<{ notificationId: string; severity: Severity } | undefined> {
  const row = await db.kysely.selectFrom('active_alerts').select(['notification_id', 'severity']).where('alert_key', '=', key).executeTakeFirst();
  return row === undefined ? undefined : { notificationId: row.notification_id, severity: row.severity as Severity };
}

/**
 * The active condition got worse (a gas warning became the alarm): its new
 * notification takes the alert over, and escalation counts from now.
 */
export async function raiseAlert(db: Db, key: string, notification: Notification, now: number): Promise<void> {
  await db.kysely
    .updateTable('active_alerts')
    .set({ notification_id: notification.id, severity: notification.severity, raised_at: now, updated_at: now, escalations: 0, acknowledged_at: null })
    .where('alert_key', '=', key)
    .execute();
}

/** The raised condition again: remembered, not sent again. */
export async function repeatAlert(db: Db, key: string, now: number): Promise<void> {
  await db.kysely.updateTable('active_alerts').set((eb) => ({ updated_at: now, repeats: eb('repeats', '+', 1) })).where('alert_key', '=', key).execute();
}

export async function openAlert(db: Db, key: string, notification: Notification, now: number): Promise<void> {
  await db.kysely
    .insertInto('active_alerts')
    .values({ alert_key: key, user_id: notification.userId, notification_id: notification.id, severity: notification.severity, raised_at: now, updated_at: now })
    .execute();
}

/** Ends the alert; returns the draft of its one "resolved" notification (on the alarm's own channels). */
export async function closeAlert(db: Db, key: string, event: PolicyEvent): Promise<NotificationDraft | undefined> {
  const active = await activeAlert(db, key);
  if (active === undefined) return undefined;
  await db.kysely.deleteFrom('active_alerts').where('alert_key', '=', key).execute();
  const raised = await notificationById(db, active.notificationId);
  if (raised === undefined || raised.channels.length === 0) return undefined;
  return {
    type: `${event.type}_cleared`,
    severity: 'info',
    title: `${raised.title}: resolved`,
    message: event.message,
    channels: [...raised.channels],
    sensorId: event.sensorId ?? null,
    ruleId: null,
    eventAt: event.at,
  };
}

export function activeAlerts(db: Db): ActiveAlertRepository {
  return {
    async acknowledge(userId, notificationId, now) {
      const row = await db.kysely.selectFrom('active_alerts').select(['alert_key', 'acknowledged_at']).where('notification_id', '=', notificationId).where('user_id', '=', userId).executeTakeFirst();
      if (row === undefined) return 'not_active';
      if (row.acknowledged_at === null) await db.kysely.updateTable('active_alerts').set({ acknowledged_at: now }).where('alert_key', '=', row.alert_key).execute();
      return 'acknowledged';
    },
    async awaitingAcknowledgement(notificationIds) {
      if (notificationIds.length === 0) return new Set();
      const rows = await db.kysely
        .selectFrom('active_alerts')
        .select('notification_id')
        .where('notification_id', 'in', [...notificationIds])
        .where('severity', '=', 'critical')
        .where('acknowledged_at', 'is', null)
        .execute();
      return new Set(rows.map((r) => r.notification_id));
    },
    async escalationsDue(now, intervalMs, maxRepeats) {
      const rows = await db.kysely
        .selectFrom('active_alerts')
        .select(['alert_key', 'notification_id', 'raised_at', 'escalations'])
        .where('severity', '=', 'critical')
        .where('acknowledged_at', 'is', null)
        .where('escalations', '<', maxRepeats)
        .execute();
      return rows.filter((r) => Number(r.raised_at) + (Number(r.escalations) + 1) * intervalMs <= now).map((r) => r.alert_key);
    },
    escalate(key, now) {
      return db.atomic(async (tx) => {
        const row = await tx.kysely.selectFrom('active_alerts').select(['notification_id', 'acknowledged_at']).where('alert_key', '=', key).executeTakeFirst();
        if (row === undefined || row.acknowledged_at !== null) return 0;
        await tx.kysely.updateTable('active_alerts').set((eb) => ({ escalations: eb('escalations', '+', 1) })).where('alert_key', '=', key).execute();
        const notification = await notificationById(tx, row.notification_id);
        return notification === undefined ? 0 : createDeliveries(tx, notification, now, { everyChannel: true });
      });
    },
  };
}
