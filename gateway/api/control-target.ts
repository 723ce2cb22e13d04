/**
 * The running gateway as the control API sees it: narrow interfaces, so the API
 * can be tested on a rig daemon and never opens a bus, the store or a file itself.
 */
import type { ActiveAlarm } from '../alarms/alarm-book.js';
import type { SilenceOutcome } from '../alarms/alarm-controller.js';
import type { GatewayStatus } from '../app/gateway-daemon.js';
import type { ConfigIssue } from '../config/issues.js';
import type { SensorOverride } from '../config/sensor-override.js';
import type { SensorPipelineSpec } from '../pipeline/specs.js';
import type { RawSample } from '../pipeline/types.js';
import type { SensorSnapshot } from '../sampling/sensor-hub.js';
import type { Backlog, EventQuery, ReadingQuery, StoredEvent, StoredReading, StoreMetrics } from '../store/records.js';
import type { BackupResult } from '../store/store-service.js';
import type { SyncControl } from './sync-control.js';

export interface ControlTarget {
  status(): GatewayStatus;
  /** A live read in the bus's turn: the API never opens a port or bus itself. */
  readNow(sensorId: string): Promise<RawSample | undefined>;
  readonly hub: {
    snapshot(sensorId: string): SensorSnapshot | undefined;
    specOf(sensorId: string): SensorPipelineSpec | undefined;
  };
  readonly alarms: {
    silence(): SilenceOutcome;
    test(): void;
    readonly active: readonly ActiveAlarm[];
    readonly book: { readonly testUntil?: number };
  };
  readonly store: {
    readingsFor(sensorId: string, query?: ReadingQuery): Promise<StoredReading[]>;
    events(query?: EventQuery): Promise<StoredEvent[]>;
    backlog(): Promise<Backlog>;
    metrics(): Promise<StoreMetrics>;
    /** A consistent copy of gateway.db (SQLite's online backup API) while the store keeps writing. */
    backup(path: string): Promise<BackupResult>;
  };
  /** Cloud sync; undefined when it is disabled (or not built into this gateway). */
  readonly sync?: SyncControl;
}

/** Where calibrations measured on site are kept (SensorOverrides in the daemon). */
export interface CalibrationOverrides {
  /** The stored calibration override of a sensor, if any. */
  calibrationOf(sensorId: string): { readonly value: unknown; readonly updatedAt: number; readonly source: string } | undefined;
  /** Validates, persists and applies live; issues when the calibration does not fit the sensor. */
  setCalibration(sensorId: string, override: SensorOverride, at: number): { readonly ok: true } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };
  /** Back to the config file's calibration. */
  clearCalibration(sensorId: string): { readonly ok: true } | { readonly ok: false; readonly issues: readonly ConfigIssue[] };
}

/** Simulate mode only: move the simulated world (calibration rehearsals, tests). */
export interface SimulationControl {
  /** Sets a simulated tank to this percent of its usable capacity; false when the sensor has no simulated tank. */
  setLevelPercent(sensorId: string, percent: number): boolean;
  /** The simulated truth, percent of usable capacity. */
  trueLevelPercent(sensorId: string): number | undefined;
}

export interface GatewayIdentity {
  readonly id: string;
  readonly name: string;
  /** Simulate mode: the gateway's clock (uptime, reading times) runs this many times faster than real time. */
  readonly simulatedSpeed?: number;
}
