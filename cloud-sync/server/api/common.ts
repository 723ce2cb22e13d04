/** Schemas every area of the API shares: ids, error answers, nullable helpers. */
import { Type, type TSchema } from 'typebox';
import { ApiErrorBody } from '../../protocol/index.js';
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

/** The error answers a route documents, by status code. */
export function errors(...codes: readonly (400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 503 | 507)[]): Record<number, typeof ApiErrorBody> {
  return Object.fromEntries(codes.map((c) => [c, ApiErrorBody]));
}

/** 204 and 304 answers carry no body. */
export const Empty = Type.Unsafe<undefined>({ description: 'no content' });
