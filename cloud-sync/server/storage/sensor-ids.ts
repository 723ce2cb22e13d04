/**
 * The cloud's sensor id is "<gatewayId>:<sensorId>": readable, stable across
 * re-registration of the same sensor, and needs no lookup table. Gateway ids are
 * UUIDs and sensor ids slugs, so the colon is unambiguous.
 */
const CLOUD_SENSOR_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}):([a-z0-9][a-z0-9_-]{0,63})$/;

export const CLOUD_SENSOR_ID_PATTERN = CLOUD_SENSOR_ID.source;

export function cloudSensorId(gatewayId: string, sensorId: string): string {
  return `${gatewayId}:${sensorId}`;
}

export function parseCloudSensorId(id: string): { readonly gatewayId: string; readonly sensorId: string } | undefined {
  const match = CLOUD_SENSOR_ID.exec(id);
  if (match === null) return undefined;
  return { gatewayId: match[1] ?? '', sensorId: match[2] ?? '' };
}
