/** What the cloud told the actor: its notifications, newest first, and marking them read. */
import type { Actor } from '../../auth/actor.js';
import type { ServerClock } from '../../clock.js';
import { notFound } from '../../errors.js';
import type { Repository } from '../../storage/repository.js';
import type { Notification } from '../../storage/types.js';

/** The slice of storage this module reads and writes. */
export type NotificationsStorage = Pick<Repository, 'notifications'>;

export class NotificationsService {
  constructor(
    private readonly repo: NotificationsStorage,
    private readonly clock: ServerClock,
  ) {}

  list(actor: Actor, page: { readonly limit: number; readonly before?: number; readonly unreadOnly: boolean }): Promise<Notification[]> {
    return this.repo.notifications.list(actor.userId, page);
  }

  markAllRead(actor: Actor): Promise<number> {
    return this.repo.notifications.markAllRead(actor.userId, this.clock.now());
  }

  async markRead(actor: Actor, id: string): Promise<Notification> {
    const n = await this.repo.notifications.markRead(actor.userId, id, this.clock.now());
    if (n === undefined) throw notFound('notification', id);
    return n;
  }
}
