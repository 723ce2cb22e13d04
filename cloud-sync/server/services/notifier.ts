/**
 * Delivery beyond the notifications table (email, push) is pluggable: the server
 * calls `deliver` after the notification is committed. The log notifier is the
 * default; a real one (SMTP, FCM) implements the same interface.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Notification } from '../storage/types.js';

export interface Notifier {
  /** Must not throw for a failed delivery it can retry itself; a rejection is logged and dropped. */
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

/** Fire-and-forget delivery of freshly committed notifications; failures are logged, never thrown. */
export function deliverAll(notifier: Notifier, notifications: readonly Notification[], logger: Pick<FastifyBaseLogger, 'warn'>): void {
  for (const n of notifications) {
    notifier.deliver(n).catch((error: unknown) => logger.warn({ err: error, notification: n.id }, 'notification delivery failed'));
  }
}
