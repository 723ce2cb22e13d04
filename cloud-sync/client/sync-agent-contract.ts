/**
 * The sync agent's contract with the gateway: its options, the sinks it calls and
 * the status it reports. Kept apart from the agent's loop (sync-agent.ts).
 */
import type { CalibrationUpload, DeviceConfig, Heartbeat } from '../protocol/index.js';
import type { Outbox } from './outbox.js';

export type SyncState = 'idle' | 'syncing' | 'backoff' | 'unauthorized' | 'not-provisioned' | 'disabled';

export interface SyncStatus {
  readonly state: SyncState;
  /** Records the cloud has not acknowledged yet (refreshed every few seconds). */
  readonly backlog: number;
  /** UTC ms of the last batch the cloud acknowledged. */
  readonly lastSyncAt?: number;
  /** What went wrong last, and what to do about it; cleared by a success. */
  readonly lastError?: string;
  /** The cloud's watermark: every record with seq ≤ cursor is in the cloud. */
  readonly cursor?: number;
  readonly gatewayId?: string;
  readonly cloudUrl?: string;
  /** Failures in a row (0 after a success). */
  readonly retries: number;
  /** Totals since start. */
  readonly sent: { readonly batches: number; readonly records: number; readonly bytes: number; readonly duplicates: number };
}

/** The gateway's side of config down and calibrations up (gateway/app adapts SensorOverrides). */
export interface ConfigSink {
  /** The cloud config version applied and persisted locally; undefined before the first. */
  heldVersion(): number | undefined;
  /** Validates and applies (without a restart) and persists; returns problems per rule/sensor. */
  apply(config: DeviceConfig): Promise<readonly string[]> | readonly string[];
  /** Calibrations measured on the gateway and not yet uploaded; undefined when none. */
  localCalibrations?(): CalibrationUpload | undefined;
  /** The upload was stored by the cloud. */
  calibrationsUploaded?(upload: CalibrationUpload): void;
}

export interface SyncLogger {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

export interface SyncAgentOptions {
  readonly outbox: Outbox;
  /** `<dataDir>/cloud-credential.json`; re-read when it changes. */
  readonly credentialPath: string;
  /** Builds the heartbeat (version, backlog, sensors, clock); absent: no heartbeats. */
  readonly heartbeat?: () => Promise<Heartbeat> | Heartbeat;
  readonly config?: ConfigSink;
  readonly logger?: SyncLogger;
  readonly batchMaxRecords?: number;
  /** Default 256 KiB of JSON before gzip. */
  readonly batchMaxBytes?: number;
  /** Default 60 s. */
  readonly heartbeatIntervalMs?: number;
  /** Ceiling of the backoff. Default 60 s. */
  readonly retryMaxMs?: number;
  /** Ceiling after a failed connect (nothing answered): how soon a returning network is noticed. Default 5 s. */
  readonly reconnectMaxMs?: number;
  /** How often an idle agent looks for new records. Default 1 s. */
  readonly pollIntervalMs?: number;
  /** How often a missing or refused credential file is looked at again. Default 5 s. */
  readonly credentialCheckMs?: number;
  readonly connectTimeoutMs?: number;
  readonly requestTimeoutMs?: number;
  readonly random?: () => number;
  readonly now?: () => number;
  /** Called after every pass of the loop (metrics, tests). */
  readonly onPass?: (status: SyncStatus) => void;
}
