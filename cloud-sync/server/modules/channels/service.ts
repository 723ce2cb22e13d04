/**
 * Where the actor is told: email addresses (verified by a link before alarms go
 * to them), SMS numbers (normalised to E.164), webhooks (with a signing secret
 * shown once) and browsers' push subscriptions. An email or a number given with a
 * contact name is an emergency contact instead (at most MAX_CONTACTS): told only
 * of a critical alarm the user leaves unacknowledged (contact-deliveries.ts).
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

export type ChannelsStorage = Pick<Repository, 'addresses' | 'outbox' | 'transaction' | 'notifications' | 'deliveries' | 'users'>;

/** Emergency contacts per user: enough for a household's neighbours and family, few enough that an alarm is not a broadcast. */
export const MAX_CONTACTS = 5;
export const MAX_CONTACT_NAME = 60;

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

  /**
   * Adds (or re-sends the link of) an email address; alarms go to it once its link
   * is opened. With a contact name it is an emergency contact, whose link says who
   * added them and why.
   */
  async addEmail(actor: Actor, email: string, contactName?: string): Promise<ChannelAddress> {
    const now = this.clock.now();
    const token = newToken('ev');
    const target = email.trim().toLowerCase();
    const name = contactNameOf(contactName);
    const owner = name === null ? undefined : await this.repo.users.byId(actor.userId);
    const address = await this.repo.transaction(async (tx) => {
      if (name !== null) await checkContactRoom(tx, actor.userId, 'email', target);
      const added = await tx.addresses.add(
        actor.userId,
        { kind: 'email', target, secret: null, verifiedAt: null, verifyTokenHash: sha256(token), verifyExpiresAt: now + (this.options.verifyTtlMs ?? 86_400_000), contactName: name },
        now,
      );
      if (added.verifiedAt === null) {
        const link = `${this.options.publicUrl}/verify-email?token=${token}`;
        const message: AccountEmail =
          name === null
            ? {
                to: target,
                id: randomUUID(),
                title: 'Confirm this address for EasyGas alarms',
                body: 'Open the link below to receive EasyGas alarms at this address. If you did not ask for this, ignore this email.',
                link,
                at: now,
              }
            : contactInvitation(target, name, owner?.email ?? 'An EasyGas user', link, now);
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

  /** Adds a mobile number (E.164); with a contact name, an emergency contact's. */
  addSms(actor: Actor, phone: string, contactName?: string): Promise<ChannelAddress> {
    const name = contactNameOf(contactName);
    const number = normalisePhoneNumber(phone);
    if (!number.ok) throw invalid('body.phone', `not a mobile number: ${number.reason}`);
    const now = this.clock.now();
    return this.repo.transaction(async (tx) => {
      if (name !== null) await checkContactRoom(tx, actor.userId, 'sms', number.e164);
      return tx.addresses.add(actor.userId, { kind: 'sms', target: number.e164, secret: null, verifiedAt: now, verifyTokenHash: null, verifyExpiresAt: null, contactName: name }, now);
    });
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
    // A contact hears only of an unacknowledged alarm; a test from someone else's account would only puzzle them.
    if (address.contactName !== null) throw invalid('params.id', 'an emergency contact is not sent tests: they are told only of an alarm left unacknowledged');
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

/** The contact name as given, trimmed; null for the user's own address; a validation error when it is empty or too long. */
function contactNameOf(given: string | undefined): string | null {
  if (given === undefined) return null;
  const name = given.trim();
  // eslint-disable-next-line no-control-regex
  if (name.length < 1 || name.length > MAX_CONTACT_NAME || /[\u0000-\u001f\u007f]/.test(name)) {
    throw invalid('body.contactName', `must be 1 to ${MAX_CONTACT_NAME} characters of text (spaces around it do not count)`);
  }
  return name;
}

/** Refuses a contact beyond MAX_CONTACTS; adding one already there again (to refresh it) is not another. */
async function checkContactRoom(tx: Pick<Repository, 'addresses'>, userId: string, kind: 'email' | 'sms', target: string): Promise<void> {
  const others = (await tx.addresses.list(userId)).filter((a) => a.contactName !== null && !(a.kind === kind && a.target === target));
  if (others.length >= MAX_CONTACTS) {
    throw invalid('body.contactName', `you have ${others.length} emergency contacts, the most allowed: remove one (DELETE /api/channels/:id) before adding another`);
  }
}

/** The contact's verification email: who added them, for what, and that nothing comes unless they open the link. */
function contactInvitation(to: string, name: string, ownerEmail: string, link: string, at: number): AccountEmail {
  return {
    to,
    id: randomUUID(),
    title: `${ownerEmail} added you as an emergency contact for gas and leak alarms`,
    body:
      `Hello ${name},\n\n${ownerEmail} added you as an emergency contact for gas and leak alarms in their EasyGas home monitoring. ` +
      'If a gas or water leak alarm goes unacknowledged by them through every reminder, you will get one email about it, and one when it is over; nothing else.\n\n' +
      'Open the link below to agree. If you do not know this person or do not want this, ignore this email: nothing will be sent to you.',
    link,
    at,
  };
}
