/**
 * Runtime overrides of one sensor's calibration and rules — what `easygas
 * calibrate` measures and what alert rules edited in the cloud send down. They
 * are merged into the sensor's block of the config document and validated by the
 * very schema the YAML file goes through, so an override can never make a sensor
 * that the config file could not.
 */
import { configErrorMap, expandIssues, formatPath, type ConfigIssue } from './issues.js';
import type { ConfigDocument } from './migrate.js';
import { sensorSchema, type SensorConfig } from './schema/sensors.js';

export interface SensorOverride {
  /** A calibration block as the config file would write it (replaces the file's). */
  readonly calibration?: unknown;
  /** Rule blocks by name (lowLevel, gas, …) merged over the file's: thresholds change, the rest stays. */
  readonly rules?: Readonly<Record<string, unknown>>;
}

export type OverrideResult =
  | { readonly ok: true; readonly sensor: SensorConfig }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The sensor's block in the validated document, by id. */
export function sensorDocument(document: ConfigDocument, sensorId: string): Record<string, unknown> | undefined {
  const sensors = document.sensors;
  if (!Array.isArray(sensors)) return undefined;
  return sensors.find((s): s is Record<string, unknown> => isRecord(s) && s.id === sensorId);
}

export function applySensorOverride(sensorDoc: Readonly<Record<string, unknown>>, override: SensorOverride): OverrideResult {
  const merged: Record<string, unknown> = { ...sensorDoc };
  if (override.calibration !== undefined) merged.calibration = override.calibration;
  if (override.rules !== undefined) {
    const fileRules = isRecord(sensorDoc.rules) ? sensorDoc.rules : {};
    const rules: Record<string, unknown> = { ...fileRules };
    for (const [name, block] of Object.entries(override.rules)) {
      const base = fileRules[name];
      rules[name] = isRecord(base) && isRecord(block) ? { ...base, ...block } : block;
    }
    merged.rules = rules;
  }
  const parsed = sensorSchema.safeParse(merged, { error: configErrorMap });
  if (parsed.success) return { ok: true, sensor: parsed.data };
  const issues = expandIssues(parsed.error.issues, sensorSchema, merged).map((i) => ({
    path: formatPath(i.path),
    message: i.message,
  }));
  return { ok: false, issues };
}
