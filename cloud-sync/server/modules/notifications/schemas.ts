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
  },
  { title: 'Notification' },
);

export const NotificationsQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    before: Type.Optional(Type.Integer({ minimum: 0 })),
    unreadOnly: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
