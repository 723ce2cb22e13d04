/** /api/notifications: what the cloud told you, newest first. */
import { Type } from 'typebox';
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, ok } from '../../api/answers.js';
import { IdParams } from '../../api/common.js';
import { NotificationView, NotificationsQuery } from './schemas.js';
import { notificationView } from '../../api/views.js';
import { NotificationsService } from './service.js';

const config = requirePermission('notifications:own');

/** Registered with the prefix /api/notifications. */
export const notificationsModule = userScope((app: CloudApp) => {
  const notifications = new NotificationsService(app.cloud.repo, app.cloud.clock);

  app.get(
    '',
    {
      config,
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
      const list = await notifications.list(currentActor(request), {
        limit: request.query.limit ?? 50,
        unreadOnly: request.query.unreadOnly ?? false,
        ...(request.query.before === undefined ? {} : { before: request.query.before }),
      });
      return list.map(notificationView);
    },
  );

  app.post(
    '/read-all',
    {
      config,
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
    async (request) => ({ updated: await notifications.markAllRead(currentActor(request)) }),
  );

  app.post(
    '/:id/read',
    {
      config,
      schema: {
        operationId: 'markNotificationRead',
        tags: ['notifications'],
        summary: 'Mark a notification read',
        description: 'Sets readAt (once: marking it again keeps the first time).',
        params: IdParams,
        response: { 200: ok(NotificationView, 'The notification, read.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => notificationView(await notifications.markRead(currentActor(request), request.params.id)),
  );
});
