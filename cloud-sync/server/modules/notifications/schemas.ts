/** Request and response schemas of /api/notifications. */
import { Type } from 'typebox';
import { NotifyChannel, Severity } from '../../../protocol/index.js';
import { Nullable, Timestamp } from '../../api/common.js';

export const NotificationView = Type.Object(
  {
    id: Type.String(),
    gatewayId: Nullable(Type.String()),
    sensorId: Nullable(Type.String()),
    ruleId: Nullable(Type.String()),
    type: Type.String(),
    severity: Severity,
    title: Type.String(),
    message: Type.String(),
    channels: Type.Array(NotifyChannel),
    eventAt: Timestamp,
    createdAt: Timestamp,
    readAt: Nullable(Timestamp),
    delivery: Type.Optional(
      Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed'), Type.Null()], {
        description: 'its deliveries: pending while any is being tried, failed when one gave up, null when it went to no address (GET …/deliveries has the log)',
      }),
    ),
    awaitingAcknowledgement: Type.Optional(
      Type.Boolean({ description: 'a critical alarm still active and not acknowledged: it repeats until POST …/acknowledge (or it clears)' }),
    ),
  },
  { title: 'Notification' },
);

export const DeliveryView = Type.Object(
  {
    id: Type.String(),
    channel: Type.Union([Type.Literal('email'), Type.Literal('sms'), Type.Literal('webhook'), Type.Literal('push')]),
    target: Type.String(),
    status: Type.Union([Type.Literal('pending'), Type.Literal('delivered'), Type.Literal('failed'), Type.Literal('gone'), Type.Literal('skipped')]),
    attempts: Type.Integer(),
    providerMessageId: Nullable(Type.String()),
    lastError: Nullable(Type.String()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    log: Type.Array(
      Type.Object({
        at: Timestamp,
        outcome: Type.String({ description: 'delivered, retry, failed or gone' }),
        providerMessageId: Nullable(Type.String()),
        errorCode: Nullable(Type.String()),
        error: Nullable(Type.String()),
      }),
    ),
  },
  { title: 'Delivery' },
);

export const NotificationsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    before: Type.Optional(Type.Integer({ minimum: 0 })),
    unreadOnly: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
