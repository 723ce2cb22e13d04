/** /api/notifications: what the cloud told you, newest first, and where each was delivered. */
import { Type } from 'typebox';
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { fails, ok } from '../../api/answers.js';
import { IdParams } from '../../api/common.js';
import { DeliveryView, NotificationView, NotificationsQuery } from './schemas.js';
import { notificationView } from '../../api/views.js';
import { NotificationsService, type NotificationWithDelivery } from './service.js';

const config = requirePermission('notifications:own');
const tags = ['notifications'];

function view(n: NotificationWithDelivery) {
  return { ...notificationView(n), delivery: n.delivery, awaitingAcknowledgement: n.awaitingAcknowledgement };
}

const readAll = {
  summary: 'Mark every unread notification read',
  description: 'Sets readAt on each unread notification of the user; read ones keep their first readAt.',
  response: {
    200: ok(Type.Object({ updated: Type.Integer({ description: 'how many were unread' }) }, { title: 'MarkedRead' }), 'How many notifications were marked read.'),
  },
};

const readOne = {
  summary: 'Mark a notification read',
  description: 'Sets readAt (once: marking it again keeps the first time).',
  params: IdParams,
  response: { 200: ok(NotificationView, 'The notification, read.'), ...fails('EASYGAS_NOT_FOUND') },
};

/** Registered with the prefix /api/notifications. */
export const notificationsModule = userScope((app: CloudApp) => {
  const notifications = new NotificationsService(app.cloud.repo, app.cloud.clock);

  app.get(
    '',
    {
      config,
      schema: {
        operationId: 'listNotifications',
        tags,
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
      return list.map(view);
    },
  );

  // PATCH is the seed's verb; POST stays for the clients already using it.
  app.post('/read-all', { config, schema: { operationId: 'markAllNotificationsRead', tags, ...readAll } }, async (request) => ({
    updated: await notifications.markAllRead(currentActor(request)),
  }));
  app.patch('/read-all', { config, schema: { operationId: 'patchAllNotificationsRead', tags, ...readAll } }, async (request) => ({
    updated: await notifications.markAllRead(currentActor(request)),
  }));
  app.post('/:id/read', { config, schema: { operationId: 'markNotificationRead', tags, ...readOne } }, async (request) =>
    view(await notifications.markRead(currentActor(request), request.params.id)),
  );
  app.patch('/:id/read', { config, schema: { operationId: 'patchNotificationRead', tags, ...readOne } }, async (request) =>
    view(await notifications.markRead(currentActor(request), request.params.id)),
  );

  app.post(
    '/:id/acknowledge',
    {
      config,
      schema: {
        operationId: 'acknowledgeNotification',
        tags,
        summary: "Acknowledge an alarm: its reminders stop",
        description:
          'A critical alarm not acknowledged is repeated on every channel every few minutes (default 5, up to 3 times). Acknowledging stops that; ' +
          'it is idempotent, and `active` is false when the alarm had already cleared (or never escalates).',
        params: IdParams,
        response: {
          200: ok(Type.Object({ active: Type.Boolean({ description: 'the alarm was still active' }) }, { title: 'Acknowledged' }), 'No more reminders for it.'),
          ...fails('EASYGAS_NOT_FOUND'),
        },
      },
    },
    async (request) => notifications.acknowledge(currentActor(request), request.params.id),
  );

  app.get(
    '/:id/deliveries',
    {
      config,
      schema: {
        operationId: 'listNotificationDeliveries',
        tags,
        summary: "A notification's deliveries and the log of their attempts",
        description: 'One delivery per address it went to (email, SMS, webhook, push), each with every attempt: time, outcome, provider message id, error.',
        params: IdParams,
        response: { 200: ok(Type.Array(DeliveryView), 'The deliveries, oldest first.'), ...fails('EASYGAS_NOT_FOUND') },
      },
    },
    async (request) => (await notifications.deliveries(currentActor(request), request.params.id)).map(({ notificationId: _n, ...d }) => ({ ...d, log: [...d.log] })),
  );
});
