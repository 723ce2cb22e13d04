/** What the cloud told the actor: its notifications, newest first, marking them read, and where each was delivered. */
import type { Actor } from '../../auth/actor.js';
import type { ServerClock } from '../../clock.js';
import { notFound } from '../../errors.js';
import type { DeliverySummary, DeliveryWithAttempts } from '../../storage/delivery-types.js';
import type { Repository } from '../../storage/repository.js';
import type { Notification } from '../../storage/types.js';

/** The slice of storage this module reads and writes. */
export type NotificationsStorage = Pick<Repository, 'notifications' | 'deliveries' | 'activeAlerts'>;

export type NotificationWithDelivery = Notification & { readonly delivery: DeliverySummary; readonly awaitingAcknowledgement: boolean };

export class NotificationsService {
  constructor(
    private readonly repo: NotificationsStorage,
    private readonly clock: ServerClock,
  ) {}

  async list(actor: Actor, page: { readonly limit: number; readonly before?: number; readonly unreadOnly: boolean }): Promise<NotificationWithDelivery[]> {
    return this.#withDelivery(await this.repo.notifications.list(actor.userId, page));
  }

  markAllRead(actor: Actor): Promise<number> {
    return this.repo.notifications.markAllRead(actor.userId, this.clock.now());
  }

  async markRead(actor: Actor, id: string): Promise<NotificationWithDelivery> {
    const n = await this.repo.notifications.markRead(actor.userId, id, this.clock.now());
    if (n === undefined) throw notFound('notification', id);
    const [withDelivery] = await this.#withDelivery([n]);
    return withDelivery ?? { ...n, delivery: null, awaitingAcknowledgement: false };
  }

  /** Stops the alarm's reminders (idempotent); `active` says whether it was still an active alarm. */
  async acknowledge(actor: Actor, id: string): Promise<{ active: boolean }> {
    const outcome = await this.repo.activeAlerts.acknowledge(actor.userId, id, this.clock.now());
    if (outcome === 'not_active' && (await this.repo.deliveries.forNotification(actor.userId, id)) === undefined) throw notFound('notification', id);
    return { active: outcome === 'acknowledged' };
  }

  async deliveries(actor: Actor, id: string): Promise<DeliveryWithAttempts[]> {
    const list = await this.repo.deliveries.forNotification(actor.userId, id);
    if (list === undefined) throw notFound('notification', id);
    return list;
  }

  async #withDelivery(list: readonly Notification[]): Promise<NotificationWithDelivery[]> {
    const ids = list.map((n) => n.id);
    const summaries = await this.repo.deliveries.summaries(ids);
    const awaiting = await this.repo.activeAlerts.awaitingAcknowledgement(ids);
    return list.map((n) => ({ ...n, delivery: summaries.get(n.id) ?? null, awaitingAcknowledgement: awaiting.has(n.id) }));
  }
}
