/**
 * The cloud's domain events: what a committed change means, told once to whoever
 * listens (the live WebSocket hub, the outbox worker's wake-up). Each names the
 * user allowed to see it; `topic` is what a browser subscribes to. Events are
 * small (they cross processes as a PostgreSQL NOTIFY, at most ~8 kB): a browser
 * that needs more fetches it through the API.
 */
import type { Severity } from '../../protocol/index.js';
import type { Notification, Presence } from '../storage/types.js';

/** The newest reading of one sensor in a batch. */
export interface LiveReading {
  /** The cloud sensor id "<gatewayId>:<sensorId>". */
  readonly sensorId: string;
  readonly at: number;
  readonly value: number;
  readonly unit: string;
  readonly quality: string;
  readonly percent?: number;
  readonly litres?: number;
}

export interface ReadingsIngested {
  readonly type: 'readings.ingested';
  readonly userId: string;
  readonly gatewayId: string;
  /** How many readings the batch stored. */
  readonly stored: number;
  readonly readings: readonly LiveReading[];
}

export interface EventRaised {
  readonly type: 'event.raised';
  readonly userId: string;
  readonly gatewayId: string;
  readonly event: {
    readonly type: string;
    readonly sensorId: string | null;
    readonly state: 'raised' | 'cleared' | null;
    readonly severity: Severity;
    readonly message: string;
    readonly at: number;
  };
}

export interface NotificationCreated {
  readonly type: 'notification.created';
  readonly userId: string;
  readonly notification: Notification;
}

export interface PresenceChanged {
  readonly type: 'presence.changed';
  readonly userId: string;
  readonly gatewayId: string;
  readonly presence: Presence;
  readonly at: number;
}

/** Every session of the user ended (sign out everywhere, a password change; later a disabled or deleted account). Never sent to a browser. */
export interface AccessRevoked {
  readonly type: 'access.revoked';
  readonly userId: string;
}

/**
 * A refill order was placed or changed status (or window): the pages of both parties
 * refetch it. One event per party, each naming its own user (the hub routes by it).
 */
export interface OrderChanged {
  readonly type: 'order.changed';
  /** The customer, or the supplier's account. */
  readonly userId: string;
  /** Whose copy this is: the customer reads /api/orders, the supplier /api/supplier/orders. */
  readonly party: 'customer' | 'supplier';
  readonly order: {
    readonly id: string;
    readonly number: string;
    readonly tankId: string;
    readonly status: string;
    /** What happened: place, acknowledge, schedule, reschedule, dispatch, deliver, cancel, reject. */
    readonly action: string;
    readonly at: number;
  };
}

export type DomainEvent = ReadingsIngested | EventRaised | NotificationCreated | PresenceChanged | AccessRevoked | OrderChanged;

/** What a browser subscribes to. */
export const LIVE_TOPICS = ['readings', 'events', 'notifications', 'presence', 'orders'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];

export function topicOf(event: DomainEvent): LiveTopic | undefined {
  switch (event.type) {
    case 'readings.ingested':
      return 'readings';
    case 'event.raised':
      return 'events';
    case 'notification.created':
      return 'notifications';
    case 'presence.changed':
      return 'presence';
    case 'order.changed':
      return 'orders';
    case 'access.revoked':
      return undefined;
  }
}
