/**
 * The outbox handler that delivers a committed notification through the server's
 * Notifier (the log by default; the channels in modules/notifications/channels
 * plug in behind the same interface). A rejection is a retry with back-off.
 */
import type { Notifier } from '../services/notifier.js';
import type { Notification } from '../storage/types.js';
import type { OutboxHandler } from './outbox-worker.js';

export function notificationDelivery(notifier: Notifier): OutboxHandler {
  return async (payload) => {
    await notifier.deliver(payload as Notification);
    return { status: 'done' };
  };
}
