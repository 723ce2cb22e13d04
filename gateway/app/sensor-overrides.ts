/**
 * Calibrations and rule thresholds changed while the gateway runs — measured by
 * `easygas calibrate`, or sent down from the cloud — kept in
 * `<dataDir>/sensor-overrides.json` so they hold through reboots without network.
 * The config file stays the homeowner's (and is read-only to the service); an
 * override is validated by the config's own schema before it is accepted, and
 * applied live through the listeners (the daemon swaps the sensor's spec).
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../hardware/logger.js';
import type { ConfigIssue } from '../config/issues.js';
import type { ConfigDocument } from '../config/migrate.js';
import type { GatewayConfig } from '../config/schema.js';
import type { SensorConfig } from '../config/schema/sensors.js';
import { applySensorOverride, sensorDocument, type SensorOverride } from '../config/sensor-override.js';

export type OverrideSource = 'local' | 'cloud';

export interface OverridePart<T> {
  readonly value: T;
  /** UTC ms of the change (the newer of local and cloud wins when they meet). */
  readonly updatedAt: number;
  readonly source: OverrideSource;
}

export interface SensorOverrideRecord {
  readonly calibration?: OverridePart<unknown>;
  readonly rules?: OverridePart<Readonly<Record<string, unknown>>>;
}

interface OverridesFile {
  readonly version: 1;
  readonly sensors: Readonly<Record<string, SensorOverrideRecord>>;
  /** The cloud config version last applied (the sync agent's ETag). */
  readonly cloudConfigVersion?: string;
}

export const OVERRIDES_FILE = 'sensor-overrides.json';

export type SetResult =
  | { readonly ok: true; readonly sensor: SensorConfig }
  | { readonly ok: false; readonly issues: readonly ConfigIssue[] };

export class SensorOverrides {
  readonly #path: string;
  readonly #document: ConfigDocument;
  readonly #logger: Logger;
  readonly #listeners = new Set<(sensor: SensorConfig) => void>();
  #file: OverridesFile;

  private constructor(path: string, document: ConfigDocument, file: OverridesFile, logger: Logger) {
    this.#path = path;
    this.#document = document;
    this.#file = file;
    this.#logger = logger;
  }

  /** Reads the file; a damaged one is moved aside (and said so), never fatal. */
  static load(options: { readonly dataDir: string; readonly document: ConfigDocument; readonly logger: Logger; readonly now: () => number }): SensorOverrides {
    const path = join(options.dataDir, OVERRIDES_FILE);
    let file: OverridesFile = { version: 1, sensors: {} };
    if (existsSync(path)) {
      try {
        const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<OverridesFile>;
        if (parsed.version !== 1 || typeof parsed.sensors !== 'object' || parsed.sensors === null) throw new Error('not a version 1 overrides file');
        file = parsed as OverridesFile;
      } catch (err) {
        const aside = `${path}.corrupt-${new Date(options.now()).toISOString().replace(/[:.]/g, '-')}`;
        renameSync(path, aside);
        options.logger.error({ err, aside }, 'sensor overrides file was unreadable: moved aside, running on the config file alone');
      }
    }
    return new SensorOverrides(path, options.document, file, options.logger);
  }

  onChange(listener: (sensor: SensorConfig) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  get cloudConfigVersion(): string | undefined {
    return this.#file.cloudConfigVersion;
  }

  setCloudConfigVersion(version: string): void {
    this.#file = { ...this.#file, cloudConfigVersion: version };
    this.#persist();
  }

  record(sensorId: string): SensorOverrideRecord | undefined {
    return this.#file.sensors[sensorId];
  }

  records(): Readonly<Record<string, SensorOverrideRecord>> {
    return this.#file.sensors;
  }

  /** The config's sensors with every stored override that still validates applied. */
  sensors(config: GatewayConfig): SensorConfig[] {
    return config.sensors.map((sensor) => {
      const record = this.#file.sensors[sensor.id];
      if (record === undefined) return sensor;
      const result = this.#apply(sensor.id, record);
      if (result.ok) return result.sensor;
      this.#logger.warn(
        { sensor: sensor.id, issues: result.issues.map((i) => `${i.path}: ${i.message}`) },
        'a stored calibration/rule override no longer fits the config and is ignored',
      );
      return sensor;
    });
  }

  /**
   * Validates and stores an override, then tells the listeners. Parts not given
   * keep their stored value.
   */
  set(sensorId: string, override: SensorOverride, source: OverrideSource, at: number): SetResult {
    const current = this.#file.sensors[sensorId] ?? {};
    const next: SensorOverrideRecord = {
      ...current,
      ...(override.calibration !== undefined ? { calibration: { value: override.calibration, updatedAt: at, source } } : {}),
      ...(override.rules !== undefined ? { rules: { value: { ...current.rules?.value, ...override.rules }, updatedAt: at, source } } : {}),
    };
    const result = this.#apply(sensorId, next);
    if (!result.ok) return result;
    this.#file = { ...this.#file, sensors: { ...this.#file.sensors, [sensorId]: next } };
    this.#persist();
    this.#notify(result.sensor);
    return result;
  }

  /** Drops a sensor's override part (back to the config file's value). */
  clear(sensorId: string, part: 'calibration' | 'rules'): SetResult {
    const { [part]: _dropped, ...rest } = this.#file.sensors[sensorId] ?? {};
    const result = this.#apply(sensorId, rest);
    if (!result.ok) return result;
    const sensors = { ...this.#file.sensors };
    if (Object.keys(rest).length === 0) delete sensors[sensorId];
    else sensors[sensorId] = rest;
    this.#file = { ...this.#file, sensors };
    this.#persist();
    this.#notify(result.sensor);
    return result;
  }

  #apply(sensorId: string, record: SensorOverrideRecord): SetResult {
    const doc = sensorDocument(this.#document, sensorId);
    if (doc === undefined) return { ok: false, issues: [{ path: 'sensors', message: `no sensor "${sensorId}" in the config` }] };
    return applySensorOverride(doc, {
      ...(record.calibration !== undefined ? { calibration: record.calibration.value } : {}),
      ...(record.rules !== undefined ? { rules: record.rules.value } : {}),
    });
  }

  #notify(sensor: SensorConfig): void {
    for (const listener of this.#listeners) {
      try {
        listener(sensor);
      } catch (err) {
        this.#logger.error({ err, sensor: sensor.id }, 'applying a sensor override failed');
      }
    }
  }

  /** Write to a temp file, fsync, rename: a power cut leaves the old or the new file, never half. */
  #persist(): void {
    const tmp = `${this.#path}.tmp`;
    const fd = openSync(tmp, 'w', 0o640);
    try {
      writeSync(fd, `${JSON.stringify(this.#file, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.#path);
  }
}
