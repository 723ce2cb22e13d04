/**
 * What the sync chaos tests share: a real cloud in a child process (SQLite file
 * or a fresh PostgreSQL schema) behind a FaultProxy, a provisioned gateway data
 * directory, gateway child processes (killable with -9, their output drained),
 * and the final comparison of (gateway, seq) in the gateway's store against the
 * cloud's tables.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import pg from 'pg';
import { credentialPath, writeCredentialFile } from '../../cloud-sync/client/credential-file.js';
import { freshPostgresSchema, type FreshSchema } from '../../cloud-sync/server/storage/test-support/postgres.js';
import { provision, startCloudProcess } from '../bench/cloud-fixtures.js';
import { FaultProxy } from './fault-proxy.js';
import type { ChildConfig } from './fixtures/gateway-child.js';

const root = resolve(import.meta.dirname, '..', '..');

export type CloudKind = 'sqlite' | 'postgres';

export interface CloudDb {
  readonly kind: CloudKind;
  /** What runCloud takes: a file or a postgres URL. */
  readonly db: string;
  readonly pgSchema?: string;
  /** Every seq the cloud holds for the gateway (readings and events), and how many rows (to spot a double). */
  seqs(gatewayId: string): Promise<{ readonly seqs: Set<number>; readonly rows: number; readonly clockUnsynced: Set<number> }>;
  drop(): Promise<void>;
}

/** undefined when PostgreSQL is not reachable (the suite then says it skipped). */
export async function openCloudDb(kind: CloudKind, dir: string): Promise<CloudDb | { skip: string }> {
  if (kind === 'sqlite') {
    const file = join(dir, 'cloud.db');
    return {
      kind,
      db: file,
      seqs(gatewayId) {
        const db = new Database(file, { readonly: true });
        try {
          const rows = db
            .prepare(
              `SELECT r.seq AS seq, r.clock_synced AS synced FROM readings r JOIN gateways g ON g.pk = r.gateway_pk WHERE g.id = ?
               UNION ALL SELECT e.seq, e.clock_synced FROM events e JOIN gateways g ON g.pk = e.gateway_pk WHERE g.id = ? AND e.seq IS NOT NULL`,
            )
            .all(gatewayId, gatewayId) as { seq: number; synced: number }[];
          return Promise.resolve(collect(rows.map((r) => ({ seq: Number(r.seq), synced: Boolean(r.synced) }))));
        } finally {
          db.close();
        }
      },
      drop: () => Promise.resolve(),
    };
  }
  const fresh = await freshPostgresSchema();
  if (!fresh.ok) return { skip: fresh.reason };
  return postgresDb(fresh.fresh);
}

function postgresDb(fresh: FreshSchema): CloudDb {
  return {
    kind: 'postgres',
    db: fresh.url,
    pgSchema: fresh.schema,
    async seqs(gatewayId) {
      const client = new pg.Client({ connectionString: fresh.url });
      await client.connect();
      try {
        const s = fresh.schema;
        const result = await client.query<{ seq: string; synced: boolean }>(
          `SELECT r.seq::text AS seq, r.clock_synced AS synced FROM ${s}.readings r JOIN ${s}.gateways g ON g.pk = r.gateway_pk WHERE g.id = $1
           UNION ALL SELECT e.seq::text, e.clock_synced FROM ${s}.events e JOIN ${s}.gateways g ON g.pk = e.gateway_pk WHERE g.id = $1 AND e.seq IS NOT NULL`,
          [gatewayId],
        );
        return collect(result.rows.map((r) => ({ seq: Number(r.seq), synced: Boolean(r.synced) })));
      } finally {
        await client.end();
      }
    },
    drop: () => fresh.drop(),
  };
}

function collect(rows: readonly { seq: number; synced: boolean }[]) {
  return {
    seqs: new Set(rows.map((r) => r.seq)),
    rows: rows.length,
    clockUnsynced: new Set(rows.filter((r) => !r.synced).map((r) => r.seq)),
  };
}

export interface Rig {
  readonly dir: string;
  readonly dataDir: string;
  readonly proxy: FaultProxy;
  readonly gatewayId: string;
  readonly db: CloudDb;
  /** Stops the cloud and starts it again (same database), pointing the proxy at it. */
  restartCloud(): Promise<void>;
  /** Kills the cloud with -9 (mid-request when called from onIngest) and starts it again. */
  killCloud(): Promise<void>;
  close(): Promise<void>;
}

export async function startRig(kind: CloudKind): Promise<Rig | { skip: string }> {
  const dir = mkdtempSync(join(tmpdir(), `easygas-chaos-${kind}-`));
  const opened = await openCloudDb(kind, dir);
  if ('skip' in opened) {
    rmSync(dir, { recursive: true, force: true });
    return opened;
  }
  const db = opened;
  let cloud = await startCloudProcess(db.db, db.pgSchema);
  const { gateways } = await provision(cloud.url, 1);
  const gw = gateways[0];
  if (gw === undefined) throw new Error('provisioning gave no gateway');
  const proxy = new FaultProxy({ upstream: cloud.url, seed: 42 });
  await proxy.up();
  const dataDir = join(dir, 'gateway');
  mkdirSync(dataDir);
  writeCredentialFile(credentialPath(dataDir), { version: 1, cloudUrl: proxy.url, gatewayId: gw.gatewayId, credential: gw.credential, provisionedAt: Date.now() });
  const rig: Rig = {
    dir,
    dataDir,
    proxy,
    gatewayId: gw.gatewayId,
    db,
    async restartCloud() {
      await cloud.stop();
      cloud = await startCloudProcess(db.db, db.pgSchema);
      proxy.setUpstream(cloud.url);
    },
    async killCloud() {
      await cloud.kill();
      cloud = await startCloudProcess(db.db, db.pgSchema);
      proxy.setUpstream(cloud.url);
    },
    async close() {
      await proxy.down();
      await cloud.stop();
      await db.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return rig;
}

export interface GatewayChild {
  readonly child: ChildProcess;
  readonly ready: Promise<void>;
  /** The last JSON line with `drained`. */
  readonly drained: Promise<{ drained: boolean; file?: string }>;
  readonly exited: Promise<number | null>;
  stderr(): string;
  kill9(): Promise<void>;
}

export function startGateway(config: ChildConfig): GatewayChild {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/sync-e2e/fixtures/gateway-child.ts', JSON.stringify(config)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errText = '';
  // Drained continuously so a chatty child never blocks on a full pipe.
  child.stderr?.on('data', (chunk: Buffer) => {
    errText = (errText + chunk.toString('utf8')).slice(-20_000);
  });
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  let onReady: () => void = () => undefined;
  let onDrained: (v: { drained: boolean; file?: string }) => void = () => undefined;
  const ready = new Promise<void>((resolveReady, reject) => {
    onReady = resolveReady;
    void exited.then((code) => reject(new Error(`gateway child exited (${code}) before ready: ${errText.slice(-2000)}`)));
  });
  const drained = new Promise<{ drained: boolean; file?: string }>((resolveDrained, reject) => {
    onDrained = resolveDrained;
    void exited.then((code) => reject(new Error(`gateway child exited (${code}) without draining: ${errText.slice(-2000)}`)));
  });
  ready.catch(() => undefined);
  drained.catch(() => undefined);
  if (child.stdout !== null) {
    createInterface({ input: child.stdout }).on('line', (line) => {
      let message: { ready?: boolean; drained?: boolean; file?: string };
      try {
        message = JSON.parse(line) as typeof message;
      } catch {
        return;
      }
      if (message.ready === true) onReady();
      if (message.drained !== undefined) onDrained({ drained: message.drained, ...(message.file === undefined ? {} : { file: message.file }) });
    });
  }
  return {
    child,
    ready,
    drained,
    exited,
    stderr: () => errText,
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Drains the gateway in a fresh child and compares its store with the cloud. */
export async function drainAndCompare(rig: Rig): Promise<{ storeSeqs: number[]; missing: number[]; extra: number[]; rows: number; cloudCount: number; clockMarksKept: boolean }> {
  rig.proxy.faultRate = 0;
  const gw = startGateway({ dataDir: rig.dataDir, rate: 0, drain: true });
  try {
    const result = await gw.drained;
    if (!result.drained || result.file === undefined) throw new Error(`the gateway did not drain: ${gw.stderr().slice(-2000)}`);
    await gw.exited;
    const dump = JSON.parse(readFileSync(result.file, 'utf8')) as { seqs: number[]; clockUnsynced: number[] };
    const cloud = await rig.db.seqs(rig.gatewayId);
    const store = new Set(dump.seqs);
    const missing = dump.seqs.filter((s) => !cloud.seqs.has(s));
    const extra = [...cloud.seqs].filter((s) => !store.has(s));
    const clockMarksKept = dump.clockUnsynced.length > 0 && dump.clockUnsynced.every((s) => cloud.clockUnsynced.has(s)) && cloud.clockUnsynced.size === dump.clockUnsynced.length;
    return { storeSeqs: dump.seqs, missing, extra, rows: cloud.rows, cloudCount: cloud.seqs.size, clockMarksKept };
  } finally {
    await gw.kill9();
  }
}
