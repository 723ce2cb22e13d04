/**
 * Store-and-forward drain (issue 6): a gateway comes back online with a backlog
 * (1,000,000 readings; --quick 20,000) and its SyncAgent ships it, one batch in
 * flight, gzipped, into a local cloud (SQLite, then PostgreSQL). Beside each figure,
 * its same-run baseline:
 * - readings/s against the cloud's own ingest rate: one client POSTing ready-made
 *   batches of the same size back to back (no store, no gzip) to the same cloud;
 * - the gateway's peak RSS during the drain against its RSS with the store open, idle;
 * - bytes on the wire per reading (gzipped bodies) against the plain JSON the
 *   baseline sent.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { credentialPath, writeCredentialFile } from '../../cloud-sync/client/credential-file.js';
import { freshPostgresSchema } from '../../cloud-sync/server/storage/test-support/postgres.js';
import { provision, readings, request, startCloudProcess } from './cloud-fixtures.js';
import type { Bench, BenchContext, Figure } from './harness.js';

const root = resolve(import.meta.dirname, '..', '..');
const BATCH = 500;

interface Sizes {
  readonly backlog: number;
  readonly baselineRows: number;
}
const FULL: Sizes = { backlog: 1_000_000, baselineRows: 200_000 };
const QUICK: Sizes = { backlog: 20_000, baselineRows: 10_000 };

interface DrainResult {
  readonly records: number;
  readonly sent: number;
  readonly seconds: number;
  readonly bytes: number;
  readonly idleRssMb: number;
  readonly peakRssMb: number;
}

function runChild<T>(args: object): Promise<T> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/sync-drain-child.ts', JSON.stringify(args)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    let result: T | undefined;
    if (child.stdout !== null) createInterface({ input: child.stdout }).on('line', (line) => (result = JSON.parse(line) as T));
    child.once('error', fail);
    child.once('close', (code) => (code === 0 && result !== undefined ? done(result) : fail(new Error(`sync-drain child (${JSON.stringify(args)}) exited ${code}: ${err}`))));
  });
}

/** The cloud's own rate: ready-made batches POSTed back to back by one client. */
async function cloudIngestRate(url: string, credential: string, rows: number): Promise<{ rate: number; bytesPerReading: number }> {
  const start = Date.now() - 30 * 24 * 3_600_000;
  const bodies = Array.from({ length: Math.ceil(rows / BATCH) + 1 }, (_, b) =>
    JSON.stringify({ afterSeq: b * BATCH, lastSeq: (b + 1) * BATCH, records: readings(b * BATCH + 1, BATCH, start) }),
  );
  await request(url, 'POST', '/api/sensors/data', { token: credential, body: bodies[0] ?? '' }); // warm-up
  const timed = bodies.slice(1);
  const began = performance.now();
  for (const body of timed) await request(url, 'POST', '/api/sensors/data', { token: credential, body });
  const seconds = (performance.now() - began) / 1000;
  const bytes = timed.reduce((sum, b) => sum + Buffer.byteLength(b), 0);
  return { rate: (timed.length * BATCH) / seconds, bytesPerReading: bytes / (timed.length * BATCH) };
}

async function backends(context: BenchContext): Promise<{ label: string; db: string; pgSchema?: string; cleanup: () => Promise<void> }[]> {
  const list: { label: string; db: string; pgSchema?: string; cleanup: () => Promise<void> }[] = [
    { label: 'SQLite', db: join(context.tmpDir, 'sync-cloud.db'), cleanup: () => Promise.resolve() },
  ];
  const got = await freshPostgresSchema().catch((error: unknown) => ({ ok: false as const, reason: String(error) }));
  if (got.ok) list.push({ label: 'PostgreSQL', db: got.fresh.url, pgSchema: got.fresh.schema, cleanup: () => got.fresh.drop() });
  else context.log(`PostgreSQL skipped: ${got.reason}`);
  return list;
}

export const syncDrainBench: Bench = {
  name: 'sync-drain',
  description: 'gateway sync agent draining a backlog into a local cloud (SQLite, PostgreSQL): rate vs the cloud ingest rate, peak RSS, bytes per reading',
  async run(context) {
    const sizes = context.quick ? QUICK : FULL;
    const template = join(context.tmpDir, 'gateway-template');
    mkdirSync(template, { recursive: true });
    const fillStart = performance.now();
    await runChild({ mode: 'fill', dataDir: template, count: sizes.backlog });
    context.log(`filled a gateway store with ${sizes.backlog} readings in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);
    const figures: Figure[] = [];
    for (const backend of await backends(context)) {
      const cloud = await startCloudProcess(backend.db, backend.pgSchema);
      try {
        const { gateways } = await provision(cloud.url, 2);
        const [baseGw, syncGw] = gateways;
        if (baseGw === undefined || syncGw === undefined) throw new Error('provisioning failed');
        const baseline = await cloudIngestRate(cloud.url, baseGw.credential, sizes.baselineRows);
        const dataDir = join(context.tmpDir, `gateway-${backend.label}`);
        cpSync(template, dataDir, { recursive: true });
        writeCredentialFile(credentialPath(dataDir), { version: 1, cloudUrl: cloud.url, gatewayId: syncGw.gatewayId, credential: syncGw.credential, provisionedAt: Date.now() });
        const drain = await runChild<DrainResult>({ mode: 'drain', dataDir, batchMaxRecords: BATCH });
        if (drain.sent < sizes.backlog) throw new Error(`drained ${drain.sent} of ${sizes.backlog} readings`);
        const rate = drain.records / drain.seconds;
        context.log(`${backend.label}: drained ${drain.records} in ${drain.seconds.toFixed(1)} s (${rate.toFixed(0)}/s); cloud ingest ${baseline.rate.toFixed(0)}/s; peak RSS ${drain.peakRssMb.toFixed(0)} MB`);
        figures.push(
          {
            name: `sync drain ${backend.label}`,
            value: rate,
            unit: 'readings/s',
            baseline: baseline.rate,
            baselineName: `the cloud's own ingest rate: ready-made batches of ${BATCH} POSTed back to back`,
            target: { on: 'ratio', op: '>=', limit: 0.8 },
            note: `${drain.records} readings, batches of ${BATCH}, one in flight, gzip; store in a worker thread`,
          },
          {
            name: `sync drain peak RSS ${backend.label}`,
            value: drain.peakRssMb,
            unit: 'MB',
            baseline: drain.idleRssMb,
            baselineName: 'the same process with the store open, before the drain',
            target: { on: 'value', op: '<', limit: 150 },
          },
          {
            name: `sync bytes per reading ${backend.label}`,
            value: drain.bytes / drain.sent,
            unit: 'B',
            baseline: baseline.bytesPerReading,
            baselineName: 'the same readings as plain JSON',
            note: 'request bodies only (HTTP headers: ~250 B per batch of 500)',
          },
        );
      } finally {
        await cloud.stop();
        await backend.cleanup();
      }
    }
    return figures;
  },
};
