/** /api/notifications: what the cloud told you, newest first. */
import { Type } from 'typebox';
import { currentUser } from '../auth/guards.js';
import type { CloudApp, CloudContext } from '../context.js';
import { notFound } from '../errors.js';
import { IdParams, errors } from '../api/common.js';
import { NotificationView, NotificationsQuery } from '../api/sensor-schemas.js';
import { notificationView } from '../api/views.js';

const security = [{ user: [] }];

export function notificationRoutes(app: CloudApp, ctx: CloudContext): void {
  const { repo, clock } = ctx;

  app.get(
    '/api/notifications',
    {
      onRequest: ctx.userAuth,
      schema: {
        tags: ['notifications'],
        summary: 'Your notifications, newest first (before: a createdAt to page from)',
        security,
        querystring: NotificationsQuery,
        response: { 200: Type.Array(NotificationView), ...errors(400, 401) },
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
        tags: ['notifications'],
        summary: 'Mark every unread notification read',
        security,
        response: { 200: Type.Object({ updated: Type.Integer({ description: 'how many were unread' }) }), ...errors(401) },
      },
    },
    async (request) => ({ updated: await repo.notifications.markAllRead(currentUser(request).id, clock.now()) }),
  );

  app.post(
    '/api/notifications/:id/read',
    {
      onRequest: ctx.userAuth,
      schema: { tags: ['notifications'], summary: 'Mark a notification read', security, params: IdParams, response: { 200: NotificationView, ...errors(400, 401, 404) } },
    },
    async (request) => {
      const n = await repo.notifications.markRead(currentUser(request).id, request.params.id, clock.now());
      if (n === undefined) throw notFound('notification', request.params.id);
      return notificationView(n);
    },
  );
}
