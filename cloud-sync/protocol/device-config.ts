/**
 * What flows down to a gateway: its alert rules and calibrations under one version
 * number. GET /api/devices/config answers with ETag `configEtag(version)`; the sync
 * agent sends it back as If-None-Match and gets 304 while nothing changed.
 */
import { Type, type Static } from 'typebox';
import { CalibrationMap } from './calibration.js';
import { ruleUnion } from './alert-rules.js';
import { EpochMs, LocalSensorId } from './primitives.js';

/** A rule as the gateway sees it: its own sensor id, no notification settings. */
export const DeviceRule = ruleUnion({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  sensorId: LocalSensorId,
  /** A disabled rule stays listed so the gateway drops it. */
  enabled: Type.Boolean(),
  updatedAt: EpochMs,
});
export type DeviceRule = Static<typeof DeviceRule>;

export const DeviceConfig = Type.Object(
  {
    /** Bumped on every rule or calibration change for this gateway. */
    version: Type.Integer({ minimum: 0 }),
    /** Every rule on this gateway's sensors; replace your cloud rules with this set. */
    rules: Type.Array(DeviceRule),
    calibrations: CalibrationMap,
  },
  { title: 'GatewayConfig', additionalProperties: false },
);
export type DeviceConfig = Static<typeof DeviceConfig>;

/** The strong ETag of a config version. */
export function configEtag(version: number): string {
  return `"config-${version}"`;
}
