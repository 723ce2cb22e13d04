/**
 * Delivery beyond the notifications table (email, push) is pluggable: the outbox
 * worker calls `deliver` for each notification committed with channels
 * (events/notification-delivery.ts). The log notifier is the default; a real one
 * (the channels) implements the same interface.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Notification } from '../storage/types.js';

export interface Notifier {
  /** A rejection is retried by the outbox worker with back-off, up to its attempt limit. */
  deliver(notification: Notification): Promise<void>;
}

export function logNotifier(logger: Pick<FastifyBaseLogger, 'info'>): Notifier {
  return {
    deliver(n) {
      if (n.channels.length > 0) {
        logger.info(
          { notification: n.id, user: n.userId, channels: n.channels, type: n.type, severity: n.severity },
          `notify ${n.channels.join('+')}: ${n.title}`,
        );
      }
      return Promise.resolve();
    },
  };
}
