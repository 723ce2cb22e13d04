/** Schemas every area of the API shares: ids, nullable helpers, timestamps (answers: api/answers.ts). */
import { Type, type TSchema } from 'typebox';
import { CLOUD_SENSOR_ID_PATTERN } from '../storage/sensor-ids.js';

export const Uuid = Type.String({ format: 'uuid', errorMessage: 'must be an id (a UUID such as 3f2b8c1e-…)' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const CloudSensorId = Type.String({
  pattern: CLOUD_SENSOR_ID_PATTERN,
  errorMessage: 'must be a sensor id: "<gatewayId>:<sensorId>", as listed by GET /api/sensors',
});
export const SensorIdParams = Type.Object({ id: CloudSensorId }, { additionalProperties: false });

export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

export const Timestamp = Type.Integer({ description: 'UTC epoch milliseconds' });
