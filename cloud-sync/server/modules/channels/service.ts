/**
 * Where the actor is told: email addresses (verified by a link before alarms go
 * to them), SMS numbers (normalised to E.164), webhooks (with a signing secret
 * shown once) and browsers' push subscriptions.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../auth/actor.js';
import { newToken, sha256 } from '../../auth/secrets.js';
import type { ServerClock } from '../../clock.js';
import { apiError, notFound } from '../../errors.js';
import type { ChannelAddress } from '../../storage/delivery-types.js';
import type { Repository } from '../../storage/repository.js';
import type { NotificationDraft } from '../../storage/types.js';
import { newWebhookSecret, normalisePhoneNumber } from '../notifications/channels/index.js';
import { ACCOUNT_EMAIL, type AccountEmail } from '../notifications/delivery/account-email.js';

export type ChannelsStorage = Pick<Repository, 'addresses' | 'outbox' | 'transaction' | 'notifications' | 'deliveries'>;

export interface ChannelsOptions {
  /** The dashboard's public address, for the verification link. */
  readonly publicUrl: string;
  /** How long a verification link works (default 24 h). */
  readonly verifyTtlMs?: number;
  /** Wakes the outbox worker after a commit that wrote an email. */
  readonly wake: () => void;
}

const KIND_WORDS: Readonly<Record<ChannelAddress['kind'], string>> = { email: 'email address', sms: 'phone', webhook: 'webhook', push: 'browser' };

/** The notification "Send a test" creates: info, so it looks like what it is. */
function channelTestDraft(address: ChannelAddress, now: number): NotificationDraft {
  return {
    type: 'test',
    severity: 'info',
    title: `Test: EasyGas notifications reach this ${KIND_WORDS[address.kind]}`,
    message: `You asked for this test in your notification settings. Alarms and warnings come to ${address.kind === 'push' ? 'this browser' : address.target} like this.`,
    channels: address.kind === 'email' || address.kind === 'push' ? [address.kind] : [],
    sensorId: null,
    ruleId: null,
    eventAt: now,
  };
}

function invalid(field: string, message: string) {
  const issue = { path: field, message };
  return apiError('EASYGAS_VALIDATION', { summary: `invalid body: ${field}: ${message}` }, { issues: [issue] });
}

export class ChannelsService {
  constructor(
    private readonly repo: ChannelsStorage,
    private readonly clock: ServerClock,
    private readonly options: ChannelsOptions,
  ) {}

  list(actor: Actor): Promise<ChannelAddress[]> {
    return this.repo.addresses.list(actor.userId);
  }

  /** Adds (or re-sends the link of) an email address; alarms go to it once its link is opened. */
  async addEmail(actor: Actor, email: string): Promise<ChannelAddress> {
    const now = this.clock.now();
    const token = newToken('ev');
    const target = email.trim().toLowerCase();
    const address = await this.repo.transaction(async (tx) => {
      const added = await tx.addresses.add(
        actor.userId,
        { kind: 'email', target, secret: null, verifiedAt: null, verifyTokenHash: sha256(token), verifyExpiresAt: now + (this.options.verifyTtlMs ?? 86_400_000) },
        now,
      );
      if (added.verifiedAt === null) {
        const message: AccountEmail = {
          to: target,
          id: randomUUID(),
          title: 'Confirm this address for EasyGas alarms',
          body: 'Open the link below to receive EasyGas alarms at this address. If you did not ask for this, ignore this email.',
          link: `${this.options.publicUrl}/verify-email?token=${token}`,
          at: now,
        };
        await tx.outbox.enqueue(ACCOUNT_EMAIL, message, now);
      }
      return added;
    });
    this.options.wake();
    return address;
  }

  async verifyEmail(token: string): Promise<ChannelAddress> {
    const address = await this.repo.addresses.verify(sha256(token), this.clock.now());
    if (address === undefined) throw apiError('EASYGAS_LINK_INVALID', {});
    return address;
  }

  addSms(actor: Actor, phone: string): Promise<ChannelAddress> {
    const number = normalisePhoneNumber(phone);
    if (!number.ok) throw invalid('body.phone', `not a mobile number: ${number.reason}`);
    return this.repo.addresses.add(actor.userId, { kind: 'sms', target: number.e164, secret: null, verifiedAt: this.clock.now(), verifyTokenHash: null, verifyExpiresAt: null }, this.clock.now());
  }

  async addWebhook(actor: Actor, url: string): Promise<{ address: ChannelAddress; secret: string }> {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw invalid('body.url', 'must be an absolute http(s) URL');
    }
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw invalid('body.url', 'must be an http(s) URL');
    if (parsed.username !== '' || parsed.password !== '') throw invalid('body.url', 'must not carry a user or password: the signature proves the sender');
    const secret = newWebhookSecret();
    const address = await this.repo.addresses.add(
      actor.userId,
      { kind: 'webhook', target: parsed.toString(), secret, verifiedAt: this.clock.now(), verifyTokenHash: null, verifyExpiresAt: null },
      this.clock.now(),
    );
    return { address, secret };
  }

  async addPush(actor: Actor, subscription: { endpoint: string; keys: { p256dh: string; auth: string } }): Promise<ChannelAddress> {
    let endpoint: URL;
    try {
      endpoint = new URL(subscription.endpoint);
    } catch {
      throw invalid('body.endpoint', 'must be the https URL of PushSubscription.endpoint');
    }
    if (endpoint.protocol !== 'https:') throw invalid('body.endpoint', 'must be an https URL (PushSubscription.endpoint)');
    const keys = JSON.stringify({ p256dh: subscription.keys.p256dh, auth: subscription.keys.auth });
    return this.repo.addresses.add(
      actor.userId,
      { kind: 'push', target: endpoint.toString(), secret: keys, verifiedAt: this.clock.now(), verifyTokenHash: null, verifyExpiresAt: null },
      this.clock.now(),
    );
  }

  /** Idempotent: the browser wants it gone, whether or not it still was here. */
  async removePush(actor: Actor, endpoint: string): Promise<void> {
    let target = endpoint;
    try {
      target = new URL(endpoint).toString();
    } catch {
      // Not a URL: nothing is stored under it either.
    }
    await this.repo.addresses.removeTarget(actor.userId, 'push', target);
  }

  /**
   * Sends a test notification to this one address through the outbox, at once
   * (quiet hours do not hold back what the user just asked for). An address that
   * is not verified or was turned off is refused: nothing would be sent to it.
   */
  async test(actor: Actor, id: string): Promise<{ notificationId: string; deliveryId: string }> {
    const address = await this.repo.addresses.byId(id);
    if (address?.userId !== actor.userId) throw notFound('channel address', id);
    if (address.disabledAt !== null) throw apiError('EASYGAS_CHANNEL_DISABLED', { id, reason: address.disabledReason ?? 'refused by its provider' });
    if (address.verifiedAt === null) throw apiError('EASYGAS_CHANNEL_UNVERIFIED', { id });
    const now = this.clock.now();
    const notification = await this.repo.notifications.create(actor.userId, null, channelTestDraft(address, now), now, { onlyAddressId: address.id });
    this.options.wake();
    const delivery = (await this.repo.deliveries.forNotification(actor.userId, notification.id))?.[0];
    // Only when the address was removed (or refused) between the check and the commit.
    if (delivery === undefined) throw notFound('channel address', id);
    return { notificationId: notification.id, deliveryId: delivery.id };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    if (!(await this.repo.addresses.remove(actor.userId, id))) throw notFound('channel address', id);
  }
}
