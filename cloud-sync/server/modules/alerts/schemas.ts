/** Request and response schemas of /api/alerts. */
import { Type } from 'typebox';
import { NotifyChannel, NotifyChannels, ruleUnion } from '../../../protocol/index.js';
import { CloudSensorId, Nullable, Timestamp } from '../../api/common.js';

const editable = {
  name: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 120 }))),
  /** Default true. */
  enabled: Type.Optional(Type.Boolean()),
  /** Default: the user's channels (email and push). */
  notify: Type.Optional(NotifyChannels),
};

export const AlertCreateBody = ruleUnion({ sensorId: CloudSensorId, ...editable });
export const AlertUpdateBody = ruleUnion(editable);

export const AlertView = Type.Object(
  {
    id: Type.String(),
    sensorId: Type.String(),
    gatewayId: Type.String(),
    name: Nullable(Type.String()),
    type: Type.String(),
    params: Type.Record(Type.String(), Type.Number()),
    enabled: Type.Boolean(),
    notify: Type.Array(NotifyChannel),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { title: 'AlertRule' },
);

export const AlertListQuery = Type.Object({ sensorId: Type.Optional(CloudSensorId) }, { additionalProperties: false });
