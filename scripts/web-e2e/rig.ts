/**
 * What the dashboard's end-to-end tests stand on: the bundle built from the current
 * source, a real cloud (runCloud, SQLite, port 0) serving it, and helpers to put a
 * week of history through the real ingest route for a second gateway.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { runCloud, type RunningCloud } from '../../cloud-sync/server/main.js';
import type { CloudOptions } from '../../cloud-sync/server/options.js';
import { buildWeb } from '../web/bundle.js';

export interface Rig {
  readonly dir: string;
  readonly cloud: RunningCloud;
  close(): Promise<void>;
}

/** `overrides`: more of the cloud's options (the notification channels of a test). */
export async function startRig(overrides: Omit<CloudOptions, 'db' | 'logger'> = {}): Promise<Rig> {
  const dir = mkdtempSync(join(tmpdir(), 'easygas-web-'));
  const web = await buildWeb(join(dir, 'web'));
  const cloud = await runCloud({
    port: 0,
    db: join(dir, 'cloud.db'),
    logger: pino({ level: 'silent' }),
    print: () => undefined,
    // A light scrypt: sign-ins are not what is under test. Short offline window: the chart's gap.
    overrides: { webRoot: web.outDir, passwordCost: { N: 1024, r: 8, p: 1 }, authRateLimit: { max: 1000, windowMs: 60_000 }, ...overrides },
  });
  return {
    dir,
    cloud,
    async close() {
      await cloud.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function api<T>(cloud: RunningCloud, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${cloud.url}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;

/**
 * A second gateway, registered with a claim code like any other, that uploads a week
 * of a water tank's hourly readings (a refill on day 3, a 6-hour outage yesterday)
 * and a sudden-drop warning that was raised and cleared.
 */
export async function seedHistoryGateway(
  cloud: RunningCloud,
  token: string,
  now: number,
  options: { readonly days?: number; readonly stepMs?: number } = {},
): Promise<{ gatewayId: string; sensorId: string; readings: number }> {
  const days = options.days ?? 7;
  const step = options.stepMs ?? 10 * MINUTE;
  const { code } = await api<{ code: string }>(cloud, 'POST', '/api/devices/claim-codes', {}, token);
  const { gatewayId, credential } = await api<{ gatewayId: string; credential: string }>(cloud, 'POST', '/api/devices/register', { code, name: 'Garden shed Pi', version: 'seed' });
  const records: unknown[] = [];
  let seq = 0;
  let level = 64;
  const start = now - days * 24 * HOUR;
  for (let at = start; at < now - 5 * MINUTE; at += step) {
    const outage = at > now - 30 * HOUR && at < now - 24 * HOUR;
    level -= 0.06 + 0.05 * Math.sin(at / (5 * HOUR));
    if (Math.abs(at - (start + 3 * 24 * HOUR)) < step / 2 || level < 8) level = 92;
    if (outage) continue;
    const percent = Math.round(level * 10) / 10;
    records.push({ record: 'reading', seq: ++seq, sensorId: 'rain-tank', sensorKind: 'level', at, value: percent, unit: '%', percent, litres: Math.round(percent * 30) / 10, quality: 'ok', clockSynced: true });
  }
  records.push({ record: 'event', seq: ++seq, at: now - 50 * HOUR, type: 'sudden_drop', sensorId: 'rain-tank', state: 'raised', severity: 'warning', message: 'Rain tank fell 8 points in 30 minutes', clockSynced: true });
  records.push({ record: 'event', seq: seq + 1, at: now - 49 * HOUR, type: 'sudden_drop', sensorId: 'rain-tank', state: 'cleared', severity: 'warning', message: 'Rain tank is steady again', clockSynced: true });
  for (let i = 0; i < records.length; i += 500) {
    const chunk = records.slice(i, i + 500);
    const first = chunk[0] as { seq: number };
    const last = chunk[chunk.length - 1] as { seq: number };
    await api(cloud, 'POST', '/api/sensors/data', { afterSeq: first.seq - 1, lastSeq: last.seq, records: chunk }, credential);
  }
  await api(cloud, 'POST', '/api/devices/heartbeat', {
    version: 'seed',
    uptimeSeconds: 100,
    clock: { synced: true },
    backlog: { records: 0 },
    sensors: [{ id: 'rain-tank', name: 'Rain tank', kind: 'level', health: 'ok', lastReadingAt: now - 10 * MINUTE, value: level, unit: '%' }],
  }, credential);
  return { gatewayId, sensorId: `${gatewayId}:rain-tank`, readings: seq - 1 };
}
