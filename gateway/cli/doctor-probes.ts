/**
 * The real DoctorProbes of this machine. When a gateway is running, its devices
 * are probed through its API (a live read), so doctor never opens a bus the
 * daemon holds; otherwise the I2C bus is opened directly for one read.
 */
import { existsSync, statfsSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { credentialPath, readCredentialFile } from '../../cloud-sync/client/credential-file.js';
import { findHeaderGpioChip } from '../../hardware/linux/gpio-chip.js';
import { openI2cBus } from '../../hardware/linux/i2c-bus-backend.js';
import type { LiveRead } from '../api/live-read.js';
import type { StatusView } from '../api/status-view.js';
import { clockSyncProbe } from '../system/clock-sync.js';
import { packageInfo } from '../system/package-info.js';
import type { ApiClient } from './api-client.js';
import { CliError } from './cli-io.js';
import { sendHeartbeat } from './cloud-calls.js';
import type { CheckResult, DoctorProbes, I2cAnswer } from './doctor-checks.js';

export interface RealProbeOptions {
  readonly dataDir: string;
  /** The running gateway's API, when one answers. */
  readonly gateway?: ApiClient;
  /** Sensor ids by "bus:address", to probe a chip through the running gateway. */
  readonly sensorsByChip: ReadonlyMap<string, string>;
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (err: NodeJS.ErrnoException) => resolve(err.code !== 'EADDRINUSE'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

function freeBytes(path: string): number {
  let dir = path;
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  const stats = statfsSync(dir);
  return stats.bavail * stats.bsize;
}

async function probeI2cDirect(bus: number, address: number): Promise<I2cAnswer> {
  try {
    const opened = await openI2cBus(bus);
    try {
      await opened.transaction((io) => io.read(address, 1));
      return { ok: true };
    } finally {
      await opened.close();
    }
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}

export function realProbes(options: RealProbeOptions): DoctorProbes {
  const user = userInfo();
  const { gateway } = options;
  return {
    devRoot: '/dev',
    procRoot: '/proc',
    bootDirs: ['/boot/firmware', '/boot'],
    groupFile: '/etc/group',
    runDir: '/run/systemd',
    user: { name: user.username, uid: user.uid, gid: user.gid },
    findHeaderChip: (root) => findHeaderGpioChip(root),
    async probeI2c(bus, address) {
      const sensor = options.sensorsByChip.get(`${bus}:${address}`);
      if (gateway === undefined || sensor === undefined) return probeI2cDirect(bus, address);
      const read = await gateway.post<LiveRead>(`/api/sensors/${encodeURIComponent(sensor)}/read`);
      return read.fault === undefined ? { ok: true } : { ok: false, reason: `${read.fault.message} (read by the running gateway)` };
    },
    portFree,
    freeBytes,
    clockSynced: (runDir) => clockSyncProbe({ runDir, now: Date.now })(),
    async cloudCheck(): Promise<CheckResult | undefined> {
      const read = readCredentialFile(credentialPath(options.dataDir));
      if (!read.ok) return undefined;
      const stored = read.credential;
      try {
        await sendHeartbeat(stored.cloudUrl, stored.credential, { version: packageInfo().version, uptimeSeconds: 0, clock: { synced: true }, backlog: { records: 0 }, sensors: [] });
        return { name: 'cloud', status: 'pass', detail: `${stored.cloudUrl} accepts gateway ${stored.gatewayId}` };
      } catch (err) {
        if (err instanceof CliError) return { name: 'cloud', status: 'fail', detail: err.message, fix: err.hint };
        throw err;
      }
    },
    async gatewayBrokerPort() {
      if (gateway === undefined) return undefined;
      const { mqtt } = await gateway.get<StatusView>('/api/status');
      if (mqtt?.state !== 'listening' || mqtt.url === undefined) return undefined;
      return Number(new URL(mqtt.url).port);
    },
  };
}
