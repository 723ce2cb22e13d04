/**
 * The outbox handler that sends one delivery through its channel and logs the
 * attempt: delivered; a retry (the outbox worker waits with the one back-off, or
 * the provider's Retry-After) until the delivery is older than `giveUpAfterMs` or
 * has had `maxAttempts` tries, then `failed`; an address the provider refused is
 * turned off, a gone one deleted. A delivery already settled (another process sent
 * it, or a lease ran out mid-send) is not sent again.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { HandlerResult, OutboxHandler, SettleWrite } from '../../../events/outbox-worker.js';
import type { CloudMetrics } from '../../../metrics.js';
import type { DeliveryStatus, DeliveryWork } from '../../../storage/delivery-types.js';
import type { Repository } from '../../../storage/repository.js';
import type { Channels, NotificationMessage, SendOutcome } from '../channels/index.js';
import { applyLimit, digestMessage, HELD_AGAIN, type ChannelLimits } from './delivery-limits.js';
import { contactMessage } from './contact-message.js';
import { deliveryMessage, pushKeys, type MessageLinksBase } from './delivery-message.js';

export interface DeliveryPolicy extends MessageLinksBase {
  /** Tries before a delivery fails (keep ≤ the outbox worker's maxAttempts). */
  readonly maxAttempts: number;
  /** A delivery still not through after this long fails (default 1 h). */
  readonly giveUpAfterMs: number;
  /** Per-user sends per channel per hour (delivery-limits.ts); none when absent. */
  readonly limits?: ChannelLimits;
}

export const DEFAULT_GIVE_UP_AFTER_MS = 3_600_000;

type Storage = Pick<Repository, 'deliveries' | 'addresses'>;

async function sendVia(channels: Channels, work: DeliveryWork, message: NotificationMessage): Promise<SendOutcome | 'not-configured' | 'unreadable'> {
  const address = work.address;
  if (address === undefined) return 'unreadable';
  switch (work.delivery.channel) {
    case 'email':
      return channels.email === undefined ? 'not-configured' : channels.email.send(message, { email: address.target });
    case 'sms':
      return channels.sms === undefined ? 'not-configured' : channels.sms.send(message, { phone: address.target });
    case 'webhook':
      return address.secret === null ? 'unreadable' : channels.webhook.send(message, { url: address.target, secret: address.secret });
    case 'push': {
      const keys = pushKeys(address);
      if (keys === undefined) return 'unreadable';
      return channels.push === undefined ? 'not-configured' : channels.push.send(message, { endpoint: address.target, keys });
    }
  }
}

export function deliverySender(repo: Storage, channels: Channels, policy: DeliveryPolicy, now: () => number, metrics: CloudMetrics, logger: FastifyBaseLogger): OutboxHandler {
  return async (payload, item): Promise<HandlerResult> => {
    const { deliveryId } = payload as { deliveryId: string };
    const work = await repo.deliveries.work(deliveryId);
    if (work === undefined || work.delivery.status !== 'pending') return { status: 'done' };
    const channel = work.delivery.channel;
    if (work.address === undefined || work.address.disabledAt !== null) {
      await repo.deliveries.settle(deliveryId, 'skipped', 'the address was removed or turned off before sending', now());
      metrics.deliveries.inc({ channel, outcome: 'skipped' });
      return { status: 'done', outcome: 'gone' };
    }
    const limited = await applyLimit(repo, work, policy.limits ?? {}, now());
    // Another delivery's digest carries this one: it settles this one once sent, or gives it back.
    if (limited.held === 'in-digest') return { status: 'retry', error: 'in a digest being sent', retryAfterMs: 60_000 };
    if (limited.held) {
      await repo.deliveries.record(deliveryId, { at: now(), outcome: 'held', providerMessageId: null, errorCode: 'RATE_LIMITED', error: limited.reason }, 'pending', now());
      return { status: 'retry', error: limited.reason, retryAfterMs: limited.retryAfterMs };
    }
    const bundled = limited.bundled;
    const message =
      work.contact !== undefined
        ? contactMessage(deliveryId, work.notification, work.contact, policy)
        : bundled.length === 0
          ? deliveryMessage(deliveryId, work.notification, policy)
          : digestMessage(deliveryId, [...bundled.map((b) => b.notification), work.notification], policy);
    const outcome = await sendVia(channels, work, message);
    const at = now();
    const heldAgain = (tx: Storage) =>
      Promise.all(bundled.map((held) => tx.deliveries.record(held.delivery.id, { at, outcome: 'held', providerMessageId: null, errorCode: 'RATE_LIMITED', error: HELD_AGAIN }, 'pending', at)));
    // The attempt's log line (and what follows from it) commits with the outbox row's settling: one commit per send.
    const logged =
      (status: DeliveryStatus, attempt: { outcome: string; providerMessageId?: string; errorCode?: string; error?: string }, then?: (tx: Storage) => Promise<unknown>): SettleWrite =>
      async (tx) => {
        await tx.deliveries.record(
          deliveryId,
          { at, outcome: attempt.outcome, providerMessageId: attempt.providerMessageId ?? null, errorCode: attempt.errorCode ?? null, error: attempt.error ?? null },
          status,
          at,
        );
        await then?.(tx);
      };
    if (outcome === 'not-configured' || outcome === 'unreadable') {
      const error = outcome === 'not-configured' ? `the ${channel} channel is not configured on this server` : `the ${channel} address is incomplete: add it again`;
      metrics.deliveries.inc({ channel, outcome: 'failed' });
      const errorCode = outcome === 'not-configured' ? 'CHANNEL_NOT_CONFIGURED' : 'ADDRESS_INCOMPLETE';
      return { status: 'done', outcome: 'failed', error, commit: logged('failed', { outcome: 'failed', errorCode, error }, heldAgain) };
    }
    metrics.deliveries.inc({ channel, outcome: outcome.status });
    const address = work.address;
    switch (outcome.status) {
      case 'delivered': {
        const digested = (tx: Storage) =>
          Promise.all(bundled.map((held) => tx.deliveries.record(held.delivery.id, { at, outcome: 'digest', providerMessageId: outcome.providerMessageId, errorCode: null, error: null }, 'delivered', at)));
        return { status: 'done', commit: logged('delivered', { outcome: 'delivered', providerMessageId: outcome.providerMessageId }, digested) };
      }
      case 'gone':
        return {
          status: 'done',
          outcome: 'gone',
          error: outcome.error.message,
          commit: logged('gone', { outcome: 'gone', errorCode: outcome.error.code, error: outcome.error.message }, (tx) => Promise.all([heldAgain(tx), tx.addresses.forget(address.id)])),
        };
      case 'failed': {
        const rejected = outcome.addressRejected === true;
        const then = (tx: Storage) => Promise.all([heldAgain(tx), rejected ? tx.addresses.disable(address.id, outcome.error.message, at) : undefined]);
        return { status: 'done', outcome: 'failed', error: outcome.error.message, commit: logged('failed', { outcome: 'failed', errorCode: outcome.error.code, error: outcome.error.message }, then) };
      }
      case 'retry': {
        const givingUp = item.attempts + 1 >= policy.maxAttempts || at - work.delivery.createdAt >= policy.giveUpAfterMs;
        if (givingUp) {
          const error = `gave up after ${item.attempts + 1} tries: ${outcome.error.message}`;
          metrics.deliveries.inc({ channel, outcome: 'failed' });
          logger.error({ delivery: deliveryId, channel, error: outcome.error.code }, 'delivery: gave up');
          return { status: 'done', outcome: 'failed', error, commit: logged('failed', { outcome: 'failed', errorCode: outcome.error.code, error }, heldAgain) };
        }
        return {
          status: 'retry',
          error: outcome.error.message,
          ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }),
          commit: logged('pending', { outcome: 'retry', errorCode: outcome.error.code, error: outcome.error.message }, heldAgain),
        };
      }
    }
  };
}
