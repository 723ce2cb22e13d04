/**
 * Config down, calibrations up (protocol README "Config down, calibrations up"),
 * over SensorOverrides: the cloud's alert rules and calibrations become 'cloud'
 * overrides, validated by the config's own schema, applied live through the
 * overrides' listeners, and kept in sensor-overrides.json so they hold through a
 * reboot without network. Per sensor and part, the newer `updatedAt` wins: a
 * calibration measured on the Pi after the cloud's edit stays, and goes up.
 */
import type { ConfigSink } from '../../cloud-sync/client/sync-agent.js';
import type { CalibrationUpload, DeviceConfig, DeviceRule } from '../../cloud-sync/protocol/index.js';
import type { Logger } from '../../hardware/logger.js';
import type { SensorOverrides } from './sensor-overrides.js';

/** The config file's rule block for a cloud rule; undefined for rules the cloud judges itself. */
function ruleBlock(rule: DeviceRule): { readonly name: string; readonly block: unknown } | undefined {
  switch (rule.type) {
    case 'low_level':
      return { name: 'lowLevel', block: rule.enabled ? { warningPercent: rule.params.warningPercent, criticalPercent: rule.params.criticalPercent } : false };
    case 'gas':
      return { name: 'gas', block: rule.enabled ? { warningLel: rule.params.warningLel, alarmLel: rule.params.alarmLel } : false };
    case 'sudden_drop':
      return { name: 'suddenDrop', block: rule.enabled ? { dropPercent: rule.params.dropPercent, window: rule.params.windowMinutes * 60_000 } : false };
    case 'device_offline':
      return undefined;
  }
}

export function cloudConfigSink(overrides: SensorOverrides, logger: Logger): ConfigSink {
  return {
    heldVersion() {
      const held = overrides.cloudConfigVersion;
      const n = held === undefined ? NaN : Number(held);
      return Number.isInteger(n) ? n : undefined;
    },

    apply(config: DeviceConfig) {
      const problems: string[] = [];
      const bySensor = new Map<string, { rules: Record<string, unknown>; updatedAt: number }>();
      for (const rule of config.rules) {
        const mapped = ruleBlock(rule);
        if (mapped === undefined) continue;
        const entry = bySensor.get(rule.sensorId) ?? { rules: {}, updatedAt: 0 };
        entry.rules[mapped.name] = mapped.block;
        entry.updatedAt = Math.max(entry.updatedAt, rule.updatedAt);
        bySensor.set(rule.sensorId, entry);
      }
      // The cloud's list replaces its earlier rules as a whole: sensors it no longer lists go back to the file.
      for (const [sensorId, record] of Object.entries(overrides.records())) {
        if (record.rules?.source === 'cloud' && !bySensor.has(sensorId)) report(problems, sensorId, 'rules', overrides.clear(sensorId, 'rules'));
      }
      for (const [sensorId, { rules, updatedAt }] of bySensor) {
        const current = overrides.record(sensorId)?.rules;
        if (current !== undefined && current.source === 'local' && current.updatedAt > updatedAt) continue;
        if (current?.source === 'cloud') overrides.clear(sensorId, 'rules');
        report(problems, sensorId, 'rules', overrides.set(sensorId, { rules }, 'cloud', updatedAt));
      }
      for (const [sensorId, entry] of Object.entries(config.calibrations)) {
        const current = overrides.record(sensorId)?.calibration;
        if (current !== undefined && current.updatedAt >= entry.updatedAt) continue;
        report(problems, sensorId, 'calibration', overrides.set(sensorId, { calibration: entry.calibration }, 'cloud', entry.updatedAt));
      }
      // Held even when parts were refused: the same version would be refused the same way.
      overrides.setCloudConfigVersion(String(config.version));
      if (problems.length > 0) logger.warn({ version: config.version, problems }, 'cloud config: some parts do not fit this gateway and were not applied');
      return problems;
    },

    localCalibrations(): CalibrationUpload | undefined {
      const calibrations: Record<string, { calibration: never; updatedAt: number }> = {};
      for (const [sensorId, record] of Object.entries(overrides.records())) {
        const part = record.calibration;
        if (part?.source === 'local') calibrations[sensorId] = { calibration: part.value as never, updatedAt: part.updatedAt };
      }
      return Object.keys(calibrations).length === 0 ? undefined : { calibrations };
    },
  };
}

function report(problems: string[], sensorId: string, part: string, result: { readonly ok: boolean; readonly issues?: readonly { path: string; message: string }[] }): void {
  if (result.ok) return;
  problems.push(`${sensorId} ${part}: ${(result.issues ?? []).map((i) => `${i.path}: ${i.message}`).join('; ')}`);
}
