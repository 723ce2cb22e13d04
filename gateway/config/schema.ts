/**
 * gateway.yaml as ONE zod schema: the TypeScript type of the parsed config and the
 * validation that produces it. Sections live in ./schema/; this file assembles them
 * and runs the checks that span sections.
 *
 * Parsed values are normalised: durations are milliseconds, sizes bytes, I2C
 * addresses numbers, header pins BCM lines (`gpio`), per-kind defaults filled.
 */
import { z } from 'zod';
import { crossCheck } from './schema/cross-checks.js';
import { mqttSection } from './schema/mqtt.js';
import {
  alarmsSection,
  apiSection,
  cloudSection,
  gatewaySection,
  hardwareSection,
  logSection,
  outputsSection,
  storeSection,
} from './schema/sections.js';
import { sensorSchema } from './schema/sensors.js';
import { evenWhenPartsFail, partsOf } from './schema/sound-parts.js';

/** The config format this easygas writes and reads; older files are migrated (migrate.ts). */
export const CONFIG_VERSION = 1;

const VERSION_MISSING = `missing — add \`version: ${CONFIG_VERSION}\` as the first line of the file`;

export const gatewayConfigSchema = z
  .strictObject({
    version: z.literal(CONFIG_VERSION, {
      error: (issue) => (issue.input === undefined ? VERSION_MISSING : `must be ${CONFIG_VERSION}`),
    }),
    gateway: gatewaySection.prefault({}),
    log: logSection.prefault({}),
    store: storeSection.prefault({}),
    hardware: hardwareSection.prefault({}),
    sensors: z.array(sensorSchema, { error: 'must be a list of sensors (each item starts with "- id: …")' }).default([]),
    outputs: outputsSection.prefault({}),
    alarms: alarmsSection.prefault({}),
    mqtt: mqttSection.prefault({}),
    cloud: cloudSection.prefault({}),
    api: apiSection.prefault({}),
  })
  .superRefine((value, ctx) => crossCheck(value, partsOf(ctx)), evenWhenPartsFail);

/** The parsed config: what the daemon runs on. */
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
/** What may be written in gateway.yaml (defaults optional, durations as text). */
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;

export type { SensorConfig, SensorInput } from './schema/sensors.js';
export type { SourceConfig, SourceInput, Driver } from './schema/sources.js';
export type { CalibrationConfig, LevelConfig } from './schema/calibration.js';
export type { ResolvedRules, RulesInput } from './schema/rules.js';
export type { FilterOverride, HealthOverride } from './schema/tuning.js';
export type { MqttConfig } from './schema/mqtt.js';
export { DEFAULT_INTERVAL, SENSOR_KINDS } from './schema/sensors.js';
export { DRIVERS_FOR_KIND } from './schema/sources.js';
export { RULES_FOR_KIND } from './schema/rules.js';
