/**
 * Builds the cloud sync agent for the daemon (a composition root): the store as
 * its outbox, the credential file in the data directory, and heartbeats from the
 * sensor hub. Absent when cloud.enabled is false, so `daemon.sync` is undefined
 * and nothing leaves the Pi. Otherwise (the default) the agent runs; without a
 * credential file it waits in state 'not-provisioned' and starts syncing, to the URL
 * in that file, as soon as `easygas provision` writes it: no restart, and the URL is
 * never written twice.
 */
import type { ConfigSink, SyncStatus } from '../../cloud-sync/client/sync-agent.js';
import { credentialPath, readCredentialFile } from '../../cloud-sync/client/credential-file.js';
import type { Heartbeat, SensorSnapshot as WireSensor } from '../../cloud-sync/protocol/index.js';
import type { GatewayConfig } from '../config/schema.js';
import type { AppLogger } from '../logging.js';
import type { SensorSnapshot } from '../sampling/sensor-hub.js';
import type { ReadingStore } from '../store/reading-store.js';
import { storeOutbox } from './store-outbox.js';

/** What the daemon exposes as `daemon.sync` (the control API's GET /sync and POST /sync/now). */
export interface SyncControl {
  status(): SyncStatus;
  syncNow(): Promise<SyncStatus>;
  /** A calibration was measured on the gateway: upload it with the next pass. */
  calibrationsChanged(): void;
}


export interface SyncComponent extends SyncControl {
  start(): void;
  stop(): Promise<void>;
}

/** What the daemon hands the factory once its hub exists. */
export interface SyncParts {
  readonly store: ReadingStore;
  readonly sensors: () => readonly SensorSnapshot[];
  readonly clockSynced: () => boolean;
  readonly startedAtMono: () => number;
  readonly monotonic: () => number;
}

export type SyncFactory = (parts: SyncParts) => SyncComponent;

export interface SyncWiringOptions {
  readonly config: GatewayConfig;
  readonly dataDir: string;
  readonly version: string;
  readonly logger: AppLogger;
  /** Config down / calibrations up; absent: the agent only uploads. */
  readonly configSink?: ConfigSink;
}

/**
 * The factory the daemon calls, or undefined when cloud.enabled is false. The sync
 * client (axios, the protocol's validators) is loaded only when sync is enabled: an
 * offline gateway does not carry it in memory.
 */
export async function syncFactory(options: SyncWiringOptions): Promise<SyncFactory | undefined> {
  const { cloud } = options.config;
  if (cloud.enabled === false) return undefined;
  warnOfUnusedUrl(options);
  const { SyncAgent } = await import('../../cloud-sync/client/sync-agent.js');
  return (parts) =>
    new SyncAgent({
      outbox: storeOutbox(parts.store),
      credentialPath: credentialPath(options.dataDir),
      logger: options.logger,
      batchMaxRecords: cloud.batchMaxRecords,
      batchMaxBytes: cloud.batchMaxBytes,
      heartbeatIntervalMs: cloud.heartbeat,
      retryMaxMs: cloud.retryMax,
      connectTimeoutMs: cloud.connectTimeout,
      requestTimeoutMs: cloud.requestTimeout,
      heartbeat: () => buildHeartbeat(options.version, parts),
      ...(options.configSink === undefined ? {} : { config: options.configSink }),
    });
}

/** cloud.url only says where to provision: a different URL there does not move a provisioned gateway. */
function warnOfUnusedUrl({ config, dataDir, logger }: SyncWiringOptions): void {
  const held = readCredentialFile(credentialPath(dataDir));
  const url = config.cloud.url;
  if (!held.ok || url === undefined || sameUrl(url, held.credential.cloudUrl)) return;
  logger.warn(
    { configured: url, provisioned: held.credential.cloudUrl },
    `cloud.url is ${url}, but this gateway was provisioned against ${held.credential.cloudUrl} and syncs there; to move it: easygas provision --force --cloud ${url} --code CODE`,
  );
}

function sameUrl(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

/** The heartbeat from the daemon's parts (exported for the protocol test against the real cloud). */
export async function buildHeartbeat(version: string, parts: SyncParts): Promise<Heartbeat> {
  const backlog = await parts.store.backlog().then((b) => b.total, () => 0);
  return {
    version,
    uptimeSeconds: Math.max(0, Math.round((parts.monotonic() - parts.startedAtMono()) / 1000)),
    clock: { synced: parts.clockSynced() },
    backlog: { records: backlog },
    sensors: parts.sensors().slice(0, 256).map(wireSensor),
  };
}

/**
 * A sensor in the heartbeat: its health, and only a good value with its own time (the
 * last one taken while ok), so the cloud never receives a faulty or warming-up number.
 */
export function wireSensor(s: SensorSnapshot): WireSensor {
  const reading = s.reading?.quality === 'ok' ? s.reading : s.lastGood;
  return {
    id: s.id,
    name: s.name.slice(0, 120) || s.id,
    kind: s.kind,
    health: s.health,
    ...(reading === undefined ? {} : { lastReadingAt: reading.at, value: reading.value, unit: reading.unit }),
  };
}
