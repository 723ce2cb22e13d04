/**
 * Notification deliveries: one per notification and address, created in the
 * notification's transaction with one outbox row each (so a process killed after
 * the commit loses none), and the log of every attempt.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { AddressKind, ContactContext, Delivery, DeliveryAttempt, DeliveryStatus, DeliverySummary } from '../delivery-types.js';
import type { DeliveryRepository } from '../repository.js';
import type { Notification } from '../types.js';
import { ADDRESS_COLUMNS, addressFromRow } from './channel-addresses.js';
import { notificationById } from './notification-rows.js';
import { enqueueOutbox } from './outbox.js';
import { parsePreferences } from '../rows.js';
import { quietUntil } from '../../services/quiet-hours.js';

/** The outbox kind of "send one delivery". */
export const DELIVERY_SEND = 'notification.send';

interface DeliveryRow {
  id: string;
  notification_id: string;
  channel: string;
  target: string;
  status: string;
  attempts: number;
  provider_message_id: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMNS = ['id', 'notification_id', 'channel', 'target', 'status', 'attempts', 'provider_message_id', 'last_error', 'created_at', 'updated_at'] as const;

function deliveryFromRow(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    notificationId: row.notification_id,
    channel: row.channel as AddressKind,
    target: row.target,
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    providerMessageId: row.provider_message_id,
    lastError: row.last_error,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/**
 * Which of the user's addresses a notification goes to: its chosen channels, plus
 * webhooks, plus SMS for critical alarms only (an SMS costs money). An escalation
 * goes to every channel.
 */
function wanted(notification: Notification, kind: string, everyChannel: boolean): boolean {
  if (everyChannel) return true;
  if (notification.channels.length === 0) return false;
  switch (kind) {
    case 'email':
      return notification.channels.includes('email');
    case 'push':
      return notification.channels.includes('push');
    case 'sms':
      return notification.severity === 'critical';
    default:
      return kind === 'webhook';
  }
}

export interface DeliveryChoice {
  /** Every address, whatever the notification's channels (an escalation). */
  readonly everyChannel?: boolean;
  /** This one address only, at once even in quiet hours: the test the user asked for. */
  readonly onlyAddressId?: string;
}

/** Writes the deliveries of a notification and their outbox rows; call inside the notification's transaction. */
export async function createDeliveries(db: Db, notification: Notification, now: number, options: DeliveryChoice = {}): Promise<number> {
  const only = options.onlyAddressId;
  // Emergency contacts are not the user's channels: they hear only of an alarm left unacknowledged (contact-deliveries.ts), or a test asked for them.
  const addresses = await db.kysely
    .selectFrom('channel_addresses')
    .select(['id', 'kind', 'target'])
    .where('user_id', '=', notification.userId)
    .where('disabled_at', 'is', null)
    .where('verified_at', 'is not', null)
    .$if(only !== undefined, (q) => q.where('id', '=', only ?? ''))
    .$if(only === undefined, (q) => q.where('contact_name', 'is', null))
    .orderBy('created_at')
    .execute();
  // Quiet hours hold warnings back; a critical alarm (and its escalation) goes at once, and so does a test the user asked for.
  const owner = await db.kysely.selectFrom('users').select('preferences').where('id', '=', notification.userId).executeTakeFirst();
  const sendAt = notification.severity === 'critical' || only !== undefined ? now : quietUntil(now, parsePreferences(owner?.preferences).quietHours);
  let created = 0;
  for (const address of addresses.filter((a) => only !== undefined || wanted(notification, a.kind, options.everyChannel === true))) {
    await writeDelivery(db, notification, address, now, sendAt);
    created++;
  }
  return created;
}

/** One delivery of a notification to one address, with its outbox row (sent from `sendAt`). */
export async function writeDelivery(db: Db, notification: Notification, address: { id: string; kind: string; target: string }, now: number, sendAt: number): Promise<void> {
  const id = randomUUID();
  await db.kysely
    .insertInto('notification_deliveries')
    .values({
      id,
      notification_id: notification.id,
      user_id: notification.userId,
      channel: address.kind,
      address_id: address.id,
      target: address.target,
      status: 'pending',
      created_at: now,
      updated_at: now,
    })
    .execute();
  await enqueueOutbox(db, DELIVERY_SEND, { deliveryId: id }, now, sendAt);
}

/** Whose alarm a contact hears of, and where: the owner's email and the gateway's name. */
async function contactContext(db: Db, notification: Notification): Promise<ContactContext> {
  const owner = await db.kysely.selectFrom('users').select('email').where('id', '=', notification.userId).executeTakeFirst();
  const gateway =
    notification.gatewayId === null ? undefined : await db.kysely.selectFrom('gateways').select('name').where('id', '=', notification.gatewayId).executeTakeFirst();
  return { ownerEmail: owner?.email ?? 'the owner', place: gateway?.name ?? null };
}

function summaryOf(statuses: readonly string[]): DeliverySummary {
  if (statuses.length === 0) return null;
  if (statuses.includes('pending')) return 'pending';
  return statuses.some((s) => s === 'failed') ? 'failed' : 'delivered';
}

/** The last error of a delivery held back by the per-user limit (see delivery-limits.ts). */
export const HELD = 'held: ';
/** The last error of a held delivery another one's digest carries. */
export const IN_DIGEST = 'in the digest of ';
/** The attempt that takes one of a limited channel's sends, logged before the send. */
export const SENDING = 'sending';

export function deliveries(db: Db): DeliveryRepository {
  return {
    async work(id) {
      const row = await db.kysely.selectFrom('notification_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
      if (row === undefined) return undefined;
      const notification = await notificationById(db, row.notification_id);
      if (notification === undefined) return undefined;
      const address =
        row.address_id === null ? undefined : await db.kysely.selectFrom('channel_addresses').select(ADDRESS_COLUMNS).where('id', '=', row.address_id).executeTakeFirst();
      const contact = address?.contact_name === null || address === undefined ? undefined : await contactContext(db, notification);
      return {
        delivery: deliveryFromRow(row),
        notification,
        ...(address === undefined ? {} : { address: addressFromRow(address) }),
        ...(contact === undefined ? {} : { contact }),
      };
    },
    async record(id, attempt, status, now) {
      await db.atomic(async (tx) => {
        await tx.kysely
          .insertInto('delivery_attempts')
          .values({
            delivery_id: id,
            at: attempt.at,
            outcome: attempt.outcome,
            provider_message_id: attempt.providerMessageId,
            error_code: attempt.errorCode,
            error: attempt.error,
          })
          .execute();
        await tx.kysely
          .updateTable('notification_deliveries')
          .set((eb) => ({
            status,
            attempts: eb('attempts', '+', 1),
            updated_at: now,
            last_error: attempt.error,
            provider_message_id: eb.fn.coalesce(eb.val(attempt.providerMessageId), 'provider_message_id'),
          }))
          .where('id', '=', id)
          .execute();
      });
    },
    takeSend(deliveryId, userId, channel, since, limit, now) {
      return db.atomic(async (tx) => {
        // One user's sends are counted one process at a time (SQLite has one writer already).
        if (tx.dialect === 'postgres') await tx.kysely.selectFrom('users').select('id').where('id', '=', userId).forUpdate().execute();
        const self = await tx.kysely.selectFrom('notification_deliveries').select(['target', 'last_error']).where('id', '=', deliveryId).executeTakeFirstOrThrow();
        if (self.last_error?.startsWith(IN_DIGEST) === true) return { taken: false as const, inDigest: true as const };
        const row = await tx.kysely
          .selectFrom('delivery_attempts as a')
          .innerJoin('notification_deliveries as d', 'd.id', 'a.delivery_id')
          .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('a.at').as('oldest')])
          .where('d.user_id', '=', userId)
          .where('d.channel', '=', channel)
          .where('a.outcome', '=', SENDING)
          .where('a.at', '>=', since)
          .executeTakeFirstOrThrow();
        if (Number(row.n) >= limit) return { taken: false as const, oldest: Number(row.oldest ?? now) };
        await tx.kysely.insertInto('delivery_attempts').values({ delivery_id: deliveryId, at: now, outcome: SENDING, provider_message_id: null, error_code: null, error: null }).execute();
        const held = await tx.kysely
          .selectFrom('notification_deliveries')
          .select('id')
          .where('user_id', '=', userId)
          .where('channel', '=', channel)
          .where('target', '=', self.target)
          .where('status', '=', 'pending')
          .where('last_error', 'like', `${HELD}%`)
          .where('id', '<>', deliveryId)
          .orderBy('created_at')
          .orderBy('id')
          .execute();
        const bundled = held.map((r) => r.id);
        if (bundled.length > 0) await tx.kysely.updateTable('notification_deliveries').set({ last_error: `${IN_DIGEST}${deliveryId}`, updated_at: now }).where('id', 'in', bundled).execute();
        return { taken: true as const, bundled };
      });
    },
    async settle(id, status, error, now) {
      await db.kysely.updateTable('notification_deliveries').set({ status, last_error: error, updated_at: now }).where('id', '=', id).where('status', '=', 'pending').execute();
    },
    async forNotification(userId, notificationId) {
      const owned = await db.kysely.selectFrom('notifications').select('id').where('id', '=', notificationId).where('user_id', '=', userId).executeTakeFirst();
      if (owned === undefined) return undefined;
      const rows = await db.kysely.selectFrom('notification_deliveries').select(COLUMNS).where('notification_id', '=', notificationId).orderBy('created_at').orderBy('id').execute();
      if (rows.length === 0) return [];
      const attempts = await db.kysely
        .selectFrom('delivery_attempts')
        .select(['delivery_id', 'at', 'outcome', 'provider_message_id', 'error_code', 'error'])
        .where('delivery_id', 'in', rows.map((r) => r.id))
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        ...deliveryFromRow(row),
        log: attempts
          .filter((a) => a.delivery_id === row.id)
          .map((a): DeliveryAttempt => ({ at: Number(a.at), outcome: a.outcome, providerMessageId: a.provider_message_id, errorCode: a.error_code, error: a.error })),
      }));
    },
    async summaries(notificationIds) {
      const out = new Map<string, DeliverySummary>();
      if (notificationIds.length === 0) return out;
      const rows = await db.kysely.selectFrom('notification_deliveries').select(['notification_id', 'status']).where('notification_id', 'in', [...notificationIds]).execute();
      for (const id of notificationIds) out.set(id, summaryOf(rows.filter((r) => r.notification_id === id).map((r) => r.status)));
      return out;
    },
  };
}
