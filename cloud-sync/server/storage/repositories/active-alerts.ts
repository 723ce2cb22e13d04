/**
 * One active alert per gateway, sensor and kind, from the event that raised it
 * until the one that clears it: a repeat of the raised condition (the gateway
 * resending its alarm after a reconnect, with a new sequence number) updates the
 * row and sends nothing; the clear sends one "resolved" on the alarm's channels;
 * an unacknowledged critical alarm is escalated from here (every N minutes, up
 * to M times, on every channel), then told to the user's emergency contacts once.
 * A condition re-seen after its last notification grew older than the late-event
 * threshold (a gateway back from days offline) sends one reminder of it.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { ActiveAlertRepository } from '../repository.js';
import type { Severity } from '../../../protocol/index.js';
import type { Notification, NotificationDraft, PolicyEvent } from '../types.js';
import { contactsToldOf, createContactDeliveries } from './contact-deliveries.js';
import { createDeliveries } from './deliveries.js';
import { notificationById } from './notification-rows.js';

export function alertKey(gatewayPk: number, event: Pick<PolicyEvent, 'sensorId' | 'type'>): string {
  return `${gatewayPk}|${event.sensorId ?? ''}|${event.type}`;
}

export interface ActiveAlert {
  readonly notificationId: string;
  readonly severity: Severity;
  /** When it last went out: raised, repeated or reminded. */
  readonly notifiedAt: number;
}

export async function activeAlert(db: Db, key: string): Promise<ActiveAlert | undefined> {
  const row = await db.kysely.selectFrom('active_alerts').select(['notification_id', 'severity', 'raised_at', 'notified_at']).where('alert_key', '=', key).executeTakeFirst();
  return row === undefined ? undefined : { notificationId: row.notification_id, severity: row.severity as Severity, notifiedAt: Number(row.notified_at ?? row.raised_at) };
}

/**
 * The active condition got worse (a gas warning became the alarm): its new
 * notification takes the alert over, and escalation counts from now.
 */
export async function raiseAlert(db: Db, key: string, notification: Notification, now: number): Promise<void> {
  await db.kysely
    .updateTable('active_alerts')
    .set({ notification_id: notification.id, severity: notification.severity, raised_at: now, updated_at: now, notified_at: now, escalations: 0, acknowledged_at: null, contacts_told_at: null })
    .where('alert_key', '=', key)
    .execute();
}

/** The raised condition again: remembered, not sent again. */
export async function repeatAlert(db: Db, key: string, now: number): Promise<void> {
  await db.kysely.updateTable('active_alerts').set((eb) => ({ updated_at: now, repeats: eb('repeats', '+', 1) })).where('alert_key', '=', key).execute();
}

/**
 * The raised condition again, long after it last went out (the gateway was offline
 * for days): one reminder of the same notification on its own channels, not a new alert.
 */
export async function remindAlert(db: Db, key: string, notificationId: string, now: number): Promise<number> {
  await db.kysely.updateTable('active_alerts').set((eb) => ({ updated_at: now, notified_at: now, repeats: eb('repeats', '+', 1) })).where('alert_key', '=', key).execute();
  const notification = await notificationById(db, notificationId);
  return notification === undefined ? 0 : createDeliveries(db, notification, now);
}

export async function openAlert(db: Db, key: string, notification: Notification, now: number): Promise<void> {
  await db.kysely
    .insertInto('active_alerts')
    .values({ alert_key: key, user_id: notification.userId, notification_id: notification.id, severity: notification.severity, raised_at: now, updated_at: now, notified_at: now })
    .execute();
}

/**
 * Ends the alert; returns the draft of its one "resolved" notification (on the
 * alarm's own channels) and the emergency contacts told of it, who hear it too.
 */
export async function closeAlert(db: Db, key: string, event: PolicyEvent): Promise<{ draft: NotificationDraft; contacts: string[] } | undefined> {
  const active = await activeAlert(db, key);
  if (active === undefined) return undefined;
  await db.kysely.deleteFrom('active_alerts').where('alert_key', '=', key).execute();
  const raised = await notificationById(db, active.notificationId);
  if (raised === undefined) return undefined;
  const contacts = await contactsToldOf(db, raised.id);
  if (raised.channels.length === 0 && contacts.length === 0) return undefined;
  const draft: NotificationDraft = {
    type: `${event.type}_cleared`,
    severity: 'info',
    title: `${raised.title}: resolved`,
    message: event.message,
    channels: [...raised.channels],
    sensorId: event.sensorId ?? null,
    ruleId: null,
    eventAt: event.at,
  };
  return { draft, contacts };
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
    escalate(key, now, intervalMs, maxRepeats) {
      return db.atomic(async (tx) => {
        // Due-ness is checked again in the update itself: two ticks that both found the alert due
        // (a timer's and a test's, or two processes racing a lease) count one repeat, not two.
        const counted = await tx.kysely
          .updateTable('active_alerts')
          .set((eb) => ({ escalations: eb('escalations', '+', 1), notified_at: now }))
          .where('alert_key', '=', key)
          .where('acknowledged_at', 'is', null)
          .where('escalations', '<', maxRepeats)
          .where(sql<number>`raised_at + (escalations + 1) * ${intervalMs}`, '<=', now)
          .executeTakeFirst();
        if (Number(counted.numUpdatedRows) !== 1) return 0;
        const row = await tx.kysely.selectFrom('active_alerts').select('notification_id').where('alert_key', '=', key).executeTakeFirstOrThrow();
        const notification = await notificationById(tx, row.notification_id);
        return notification === undefined ? 0 : createDeliveries(tx, notification, now, { everyChannel: true });
      });
    },
    async contactsDue(now, intervalMs, maxRepeats) {
      const rows = await db.kysely
        .selectFrom('active_alerts')
        .select(['alert_key', 'raised_at'])
        .where('severity', '=', 'critical')
        .where('acknowledged_at', 'is', null)
        .where('contacts_told_at', 'is', null)
        .where('escalations', '>=', maxRepeats)
        .execute();
      // One interval after the last reminder: the owner had that long to answer it.
      return rows.filter((r) => Number(r.raised_at) + (maxRepeats + 1) * intervalMs <= now).map((r) => r.alert_key);
    },
    tellContacts(key, now) {
      return db.atomic(async (tx) => {
        // The compare-and-set is the "once": a second run (or process) finds contacts_told_at set.
        const claimed = await tx.kysely
          .updateTable('active_alerts')
          .set({ contacts_told_at: now })
          .where('alert_key', '=', key)
          .where('contacts_told_at', 'is', null)
          .where('acknowledged_at', 'is', null)
          .where('severity', '=', 'critical')
          .executeTakeFirst();
        if (Number(claimed.numUpdatedRows) !== 1) return 0;
        const row = await tx.kysely.selectFrom('active_alerts').select('notification_id').where('alert_key', '=', key).executeTakeFirstOrThrow();
        const notification = await notificationById(tx, row.notification_id);
        return notification === undefined ? 0 : createContactDeliveries(tx, notification, now);
      });
    },
  };
}
