/**
 * Per-user limits per channel (an SMS storm costs money): at most N sends per
 * rolling hour to a user on a channel. A delivery over the limit is held (a
 * pending delivery whose last error starts with HELD, retried when the oldest send
 * leaves the window); the first send the window allows carries every held one in
 * one digest. The rule for alarms: a critical notification is never held on
 * email, push or webhook (they cost nothing and are how a gas alarm reaches
 * people at once); on SMS the limit holds for every severity, because the alarm
 * has already gone out free on the other channels. An emergency contact's
 * message is never held: it is bounded already (one alarm and its "resolved").
 */
import type { AddressKind, DeliveryWork } from '../../../storage/delivery-types.js';
import type { Repository } from '../../../storage/repository.js';
import { HELD } from '../../../storage/repositories/deliveries.js';
import type { Notification } from '../../../storage/types.js';
import type { NotificationMessage } from '../channels/index.js';
import { deliveryMessage, type MessageLinksBase } from './delivery-message.js';

/** Sends per user and channel per rolling hour; a channel not named has no limit. */
export type ChannelLimits = Partial<Readonly<Record<AddressKind, number>>>;

export const DEFAULT_CHANNEL_LIMITS: ChannelLimits = { sms: 10 };
export const LIMIT_WINDOW_MS = 3_600_000;

export function exemptFromLimit(n: Pick<Notification, 'severity'>, channel: AddressKind): boolean {
  return n.severity === 'critical' && channel !== 'sms';
}

export type LimitDecision =
  | { readonly held: true; readonly retryAfterMs: number; readonly reason: string }
  | { readonly held: false; readonly bundled: readonly DeliveryWork[] }
  | { readonly held: 'in-digest' };

/** Whether this delivery waits, goes now with the held ones of its target, or rides in another's digest. */
export async function applyLimit(repo: Pick<Repository, 'deliveries'>, work: DeliveryWork, limits: ChannelLimits, now: number): Promise<LimitDecision> {
  const channel = work.delivery.channel;
  const limit = limits[channel];
  if (limit === undefined || exemptFromLimit(work.notification, channel) || work.contact !== undefined) return { held: false, bundled: [] };
  const send = await repo.deliveries.takeSend(work.delivery.id, work.notification.userId, channel, now - LIMIT_WINDOW_MS, limit, now);
  if (!send.taken) {
    if ('inDigest' in send) return { held: 'in-digest' };
    const retryAfterMs = Math.max(1_000, send.oldest + LIMIT_WINDOW_MS - now);
    return { held: true, retryAfterMs, reason: `${HELD}over the limit of ${limit} ${channel} per hour: sent in one digest when the hour allows` };
  }
  const bundled: DeliveryWork[] = [];
  for (const id of send.bundled) {
    const held = await repo.deliveries.work(id);
    if (held !== undefined) bundled.push(held);
  }
  return { held: false, bundled };
}

/** Held again (the digest did not go): the reason a bundled delivery shows. */
export const HELD_AGAIN = `${HELD}its digest was not sent: in the next one`;

const RANK = { info: 0, resolved: 0, warning: 1, critical: 2 } as const;

/** One message for several notifications, newest state last; its severity is the worst of them. */
export function digestMessage(deliveryId: string, notifications: readonly Notification[], base: MessageLinksBase): NotificationMessage {
  const messages = [...notifications].sort((a, b) => a.createdAt - b.createdAt).map((n) => deliveryMessage(deliveryId, n, base));
  const worst = messages.reduce((a, b) => (RANK[b.severity] > RANK[a.severity] ? b : a));
  const lines = messages.map((m) => `- ${new Date(m.occurredAt).toISOString().slice(0, 16).replace('T', ' ')} UTC: ${m.title}`);
  return {
    ...worst,
    topicKey: `digest|${notifications[0]?.userId ?? ''}`,
    kind: 'digest',
    title: `${messages.length} EasyGas notifications`,
    body: `Held back by your per-hour limit for this channel, in the order they came:\n${lines.join('\n')}`,
    occurredAt: Math.max(...messages.map((m) => m.occurredAt)),
  };
}
