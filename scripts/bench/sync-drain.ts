/**
 * Store-and-forward drain (issue 6): a gateway comes back online with a backlog
 * (1,000,000 readings; --quick 20,000) and its SyncAgent ships it, one batch in
 * flight, gzipped, into a local cloud (SQLite, then PostgreSQL). Beside each figure,
 * its same-run baseline:
 * - readings/s against the cloud's own ingest rate: one client POSTing ready-made
 *   batches of the same size back to back (no store, no gzip), as many readings,
 *   into a twin cloud (fresh database of the same kind): the cloud slows as its
 *   tables grow, so both sides must grow them alike;
 * - the gateway's peak RSS during the drain against its RSS with the store open, idle
 *   (the drain child is compiled to JavaScript first and runs on plain node with
 *   the systemd unit's node flags and environment, as the installed gateway does: under tsx every
 *   thread carries the loader, ~80 MB);
 * - bytes on the wire per reading (gzipped bodies) against the plain JSON the
 *   baseline sent.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { credentialPath, writeCredentialFile } from '../../cloud-sync/client/credential-file.js';
import { freshPostgresSchema } from '../../cloud-sync/server/storage/test-support/postgres.js';
import { provision, readings, request, startCloudProcess } from './cloud-fixtures.js';
import type { Bench, BenchContext, Figure } from './harness.js';
import { unitEnvironment, unitNodeFlags } from './unit-runtime.js';

const root = resolve(import.meta.dirname, '..', '..');
const BATCH = 500;

interface Sizes {
  readonly backlog: number;
  readonly baselineRows: number;
}
const FULL: Sizes = { backlog: 1_000_000, baselineRows: 1_000_000 };
const QUICK: Sizes = { backlog: 20_000, baselineRows: 20_000 };

interface DrainResult {
  readonly records: number;
  readonly sent: number;
  readonly seconds: number;
  readonly bytes: number;
  readonly idleRssMb: number;
  readonly peakRssMb: number;
}

/**
 * Compiles the drain child and the store worker (and what they import) into
 * dist/bench-sync-drain/ — inside the repository, so node_modules and
 * "type": "module" apply — and returns the child's .js path.
 */
function compileDrainChild(): Promise<string> {
  const outDir = join(root, 'dist', 'bench-sync-drain');
  mkdirSync(outDir, { recursive: true });
  const tsconfig = join(outDir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(root, 'tsconfig.json'),
      compilerOptions: { noEmit: false, outDir, rootDir: root, sourceMap: false, incremental: true, tsBuildInfoFile: join(outDir, '.tsbuildinfo') },
      files: [join(root, 'scripts/bench/sync-drain-child.ts'), join(root, 'gateway/store/store-worker.ts')],
      include: [],
    }),
  );
  return new Promise((done, fail) => {
    const tsc = spawn(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', tsconfig], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    tsc.stdout.on('data', (c: Buffer) => (out += c.toString()));
    tsc.stderr.on('data', (c: Buffer) => (out += c.toString()));
    tsc.once('error', fail);
    tsc.once('close', (code) => (code === 0 ? done(join(outDir, 'scripts/bench/sync-drain-child.js')) : fail(new Error(`compiling the drain child failed:\n${out}`))));
  });
}

function runChild<T>(args: object, compiled?: string): Promise<T> {
  return new Promise((done, fail) => {
    const argv = compiled === undefined ? ['--import', 'tsx', 'scripts/bench/sync-drain-child.ts'] : [...unitNodeFlags(), compiled];
    const env = compiled === undefined ? process.env : { ...process.env, ...unitEnvironment() };
    const child = spawn(process.execPath, [...argv, JSON.stringify(args)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env });
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    let result: T | undefined;
    if (child.stdout !== null) createInterface({ input: child.stdout }).on('line', (line) => (result = JSON.parse(line) as T));
    child.once('error', fail);
    child.once('close', (code) => (code === 0 && result !== undefined ? done(result) : fail(new Error(`sync-drain child (${JSON.stringify(args)}) exited ${code}: ${err}`))));
  });
}

/** The cloud's own rate: ready-made batches POSTed back to back by one client (bodies built just ahead, off the clock). */
async function cloudIngestRate(url: string, credential: string, rows: number): Promise<{ rate: number; bytesPerReading: number }> {
  const start = Date.now() - 400 * 24 * 3_600_000;
  const body = (b: number): string => JSON.stringify({ afterSeq: b * BATCH, lastSeq: (b + 1) * BATCH, records: readings(b * BATCH + 1, BATCH, start) });
  await request(url, 'POST', '/api/sensors/data', { token: credential, body: body(0) }); // warm-up
  const batches = Math.ceil(rows / BATCH);
  let seconds = 0;
  let bytes = 0;
  for (let b = 1; b <= batches; b++) {
    const text = body(b);
    bytes += Buffer.byteLength(text);
    const began = performance.now();
    await request(url, 'POST', '/api/sensors/data', { token: credential, body: text });
    seconds += (performance.now() - began) / 1000;
  }
  return { rate: (batches * BATCH) / seconds, bytesPerReading: bytes / (batches * BATCH) };
}

interface CloudDb {
  readonly db: string;
  readonly pgSchema?: string;
  readonly cleanup: () => Promise<void>;
}

/** Per backend, a maker of fresh databases (the drain's cloud and its baseline twin). */
async function backends(context: BenchContext): Promise<{ label: string; fresh: (name: string) => Promise<CloudDb> }[]> {
  const list: { label: string; fresh: (name: string) => Promise<CloudDb> }[] = [
    { label: 'SQLite', fresh: (name) => Promise.resolve({ db: join(context.tmpDir, `sync-${name}.db`), cleanup: () => Promise.resolve() }) },
  ];
  const probe = await freshPostgresSchema().catch((error: unknown) => ({ ok: false as const, reason: String(error) }));
  if (probe.ok) {
    await probe.fresh.drop();
    list.push({
      label: 'PostgreSQL',
      async fresh() {
        const got = await freshPostgresSchema();
        if (!got.ok) throw new Error(got.reason);
        return { db: got.fresh.url, pgSchema: got.fresh.schema, cleanup: () => got.fresh.drop() };
      },
    });
  } else {
    context.log(`PostgreSQL skipped: ${probe.reason}`);
  }
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
    const compiled = await compileDrainChild();
    const figures: Figure[] = [];
    for (const backend of await backends(context)) {
      const twinDb = await backend.fresh('baseline');
      const twin = await startCloudProcess(twinDb.db, twinDb.pgSchema);
      let baseline: { rate: number; bytesPerReading: number };
      try {
        const base = (await provision(twin.url, 1)).gateways[0];
        if (base === undefined) throw new Error('provisioning failed');
        baseline = await cloudIngestRate(twin.url, base.credential, sizes.baselineRows);
      } finally {
        await twin.stop();
        await twinDb.cleanup();
      }
      const cloudDb = await backend.fresh('drain');
      const cloud = await startCloudProcess(cloudDb.db, cloudDb.pgSchema);
      try {
        const syncGw = (await provision(cloud.url, 1)).gateways[0];
        if (syncGw === undefined) throw new Error('provisioning failed');
        const dataDir = join(context.tmpDir, `gateway-${backend.label}`);
        cpSync(template, dataDir, { recursive: true });
        writeCredentialFile(credentialPath(dataDir), { version: 1, cloudUrl: cloud.url, gatewayId: syncGw.gatewayId, credential: syncGw.credential, provisionedAt: Date.now() });
        const drain = await runChild<DrainResult>({ mode: 'drain', dataDir, batchMaxRecords: BATCH }, compiled);
        if (drain.sent < sizes.backlog) throw new Error(`drained ${drain.sent} of ${sizes.backlog} readings`);
        const rate = drain.records / drain.seconds;
        context.log(`${backend.label}: drained ${drain.records} in ${drain.seconds.toFixed(1)} s (${rate.toFixed(0)}/s); cloud ingest ${baseline.rate.toFixed(0)}/s; peak RSS ${drain.peakRssMb.toFixed(0)} MB`);
        figures.push(
          {
            name: `sync drain ${backend.label}`,
            value: rate,
            unit: 'readings/s',
            baseline: baseline.rate,
            baselineName: `the cloud's own ingest rate: as many readings in ready-made batches of ${BATCH}, POSTed back to back into a twin cloud`,
            target: { on: 'ratio', op: '>=', limit: 0.8 },
            note: `${drain.records} readings, batches of ${BATCH}, one in flight, gzip; store in a worker thread`,
          },
          {
            name: `sync drain peak RSS ${backend.label}`,
            value: drain.peakRssMb,
            unit: 'MB',
            baseline: drain.idleRssMb,
            baselineName: "the same process (compiled, plain node, the unit's node flags) with the store open, before the drain",
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
        await cloudDb.cleanup();
      }
    }
    return figures;
  },
};
