/** Where users are told (channel addresses) and what was sent there (deliveries, attempts). */
import type { Notification } from './types.js';

export type AddressKind = 'email' | 'sms' | 'webhook' | 'push';

export interface ChannelAddress {
  readonly id: string;
  readonly userId: string;
  readonly kind: AddressKind;
  /** The email, the E.164 phone, the webhook URL, the push endpoint. */
  readonly target: string;
  readonly verifiedAt: number | null;
  readonly disabledAt: number | null;
  /** Why it was turned off (the provider's refusal), for the user. */
  readonly disabledReason: string | null;
  readonly createdAt: number;
  /** Set for an emergency contact: someone the user added, told only of an alarm the user leaves unacknowledged. */
  readonly contactName: string | null;
}

export interface NewChannelAddress {
  readonly kind: AddressKind;
  readonly target: string;
  /** The webhook's signing secret, or the push subscription's keys as JSON. */
  readonly secret: string | null;
  /** Set for an address that needs no proof (push, webhook, sms); null waits for the link. */
  readonly verifiedAt: number | null;
  readonly verifyTokenHash: string | null;
  readonly verifyExpiresAt: number | null;
  /** An emergency contact's name; none (or null) for the user's own address. */
  readonly contactName?: string | null;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'gone' | 'skipped';

export interface DeliveryAttempt {
  readonly at: number;
  /** delivered | retry | failed | gone */
  readonly outcome: string;
  readonly providerMessageId: string | null;
  readonly errorCode: string | null;
  readonly error: string | null;
}

export interface Delivery {
  readonly id: string;
  readonly notificationId: string;
  readonly channel: AddressKind;
  readonly target: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly providerMessageId: string | null;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface DeliveryWithAttempts extends Delivery {
  readonly log: readonly DeliveryAttempt[];
}

/** What the sender needs for one delivery. */
export interface DeliveryWork {
  readonly delivery: Delivery;
  readonly notification: Notification;
  /** Undefined once the address was deleted. */
  readonly address?: ChannelAddress & { readonly secret: string | null };
  /** For an emergency contact's delivery: whose alarm it is and where. */
  readonly contact?: ContactContext;
}

/** What a message to an emergency contact says about the owner. */
export interface ContactContext {
  readonly ownerEmail: string;
  /** The gateway's name (the home), when the notification is about one. */
  readonly place: string | null;
}

/** The summary shown with a notification: null when it went to no channel. */
export type DeliverySummary = 'pending' | 'delivered' | 'failed' | null;
