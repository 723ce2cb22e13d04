/** Rule rows ↔ domain rules, the same for both databases. */
import type { AlertRuleType, CalibrationMap, CalibrationSpec, DeviceRule } from '../../protocol/index.js';
import { bool, parseChannels, parseJson, strOrNull } from './rows.js';
import { cloudSensorId } from './sensor-ids.js';
import type { AlertRule, RuleParams } from './types.js';

export interface RuleRow {
  id: string;
  user_id: string;
  gateway_id: string;
  local_id: string;
  name: string | null;
  type: string;
  params: unknown;
  enabled: unknown;
  notify: unknown;
  created_at: unknown;
  updated_at: unknown;
}

export function ruleFromRow(row: RuleRow): AlertRule {
  return {
    id: row.id,
    userId: row.user_id,
    gatewayId: row.gateway_id,
    sensorId: cloudSensorId(row.gateway_id, row.local_id),
    name: strOrNull(row.name),
    type: row.type as AlertRuleType,
    params: parseJson<RuleParams>(row.params, {}),
    enabled: bool(row.enabled),
    notify: parseChannels(row.notify),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function deviceRuleFromRow(row: RuleRow): DeviceRule {
  // The row was written from a validated RuleDraft, so type and params belong together.
  return {
    id: row.id,
    sensorId: row.local_id,
    enabled: bool(row.enabled),
    updatedAt: Number(row.updated_at),
    type: row.type,
    params: parseJson<RuleParams>(row.params, {}),
  } as DeviceRule;
}

export function calibrationsFromRows(rows: readonly { sensor_local_id: string; calibration: unknown; updated_at: unknown }[]): CalibrationMap {
  const map: CalibrationMap = {};
  for (const row of rows) {
    map[row.sensor_local_id] = {
      calibration: parseJson<CalibrationSpec>(row.calibration, { type: 'identity' }),
      updatedAt: Number(row.updated_at),
    };
  }
  return map;
}
