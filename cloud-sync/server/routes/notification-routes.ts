/** /api/notifications: what the cloud told you, newest first. */
import { Type } from 'typebox';
import { currentUser } from '../auth/guards.js';
import type { CloudApp, CloudContext } from '../context.js';
import { notFound } from '../errors.js';
import { fails, ok } from '../api/answers.js';
import { IdParams } from '../api/common.js';
import { NotificationView, NotificationsQuery } from '../api/sensor-schemas.js';
import { notificationView } from '../api/views.js';

export function notificationRoutes(app: CloudApp, ctx: CloudContext): void {
  const { repo, clock } = ctx;

  app.get(
    '/api/notifications',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'listNotifications',
        tags: ['notifications'],
        summary: 'Your notifications, newest first (before: a createdAt to page from)',
        description: 'At most `limit` (default 50, up to 200); `before` (epoch ms: the createdAt of the last one of a page) pages to older ones; `unreadOnly` hides read ones.',
        querystring: NotificationsQuery,
        response: { 200: ok(Type.Array(NotificationView), 'The notifications, newest first.') },
      },
    },
    async (request) => {
      const list = await repo.notifications.list(currentUser(request).id, {
        limit: request.query.limit ?? 50,
        unreadOnly: request.query.unreadOnly ?? false,
        ...(request.query.before === undefined ? {} : { before: request.query.before }),
      });
      return list.map(notificationView);
    },
  );

  app.post(
    '/api/notifications/read-all',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'markAllNotificationsRead',
        tags: ['notifications'],
        summary: 'Mark every unread notification read',
        description: 'Sets readAt on each unread notification of the user; read ones keep their first readAt.',
        response: {
          200: ok(Type.Object({ updated: Type.Integer({ description: 'how many were unread' }) }, { title: 'MarkedRead' }), 'How many notifications were marked read.'),
        },
      },
    },
    async (request) => ({ updated: await repo.notifications.markAllRead(currentUser(request).id, clock.now()) }),
  );

  app.post(
    '/api/notifications/:id/read',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'markNotificationRead',
        tags: ['notifications'],
        summary: 'Mark a notification read',
        description: 'Sets readAt (once: marking it again keeps the first time).',
        params: IdParams,
        response: { 200: ok(NotificationView, 'The notification, read.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => {
      const n = await repo.notifications.markRead(currentUser(request).id, request.params.id, clock.now());
      if (n === undefined) throw notFound('notification', request.params.id);
      return notificationView(n);
    },
  );
}
