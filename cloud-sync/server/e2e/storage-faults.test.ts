/**
 * The database failing under a running cloud:
 * - PostgreSQL goes away (every connection cut, new ones refused, through a TCP
 *   proxy in front of the real server): requests answer 503 with Retry-After, and
 *   once it is back they succeed again without restarting the API;
 * - the disk under a SQLite file fills up (a real 4 MiB tmpfs): ingest answers 507
 *   with a clear code, stores nothing of that batch, keeps and serves what it had,
 *   and takes the same batch once space is freed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, statfsSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { build } from '../app.js';
import { RETRY_UNAVAILABLE_AFTER_S } from '../error-handler.js';
import { announceSkip, freshPostgresSchema } from '../storage/test-support/postgres.js';
import { FAST_SCRYPT, call, claimGateway, signUp } from '../test-support/harness.js';

const T = Date.UTC(2026, 0, 15, 12);

function readings(first: number, count: number): { afterSeq: number; lastSeq: number; records: unknown[] } {
  const records = Array.from({ length: count }, (_, i) => ({
    record: 'reading',
    seq: first + i,
    sensorId: 'lpg',
    sensorKind: 'level',
    at: T + (first + i) * 1000,
    value: 50 + ((first + i) % 10),
    unit: '%',
    percent: 50,
    quality: 'ok',
    clockSynced: true,
  }));
  return { afterSeq: first - 1, lastSeq: first + count - 1, records };
}

/** Asks until `ok` holds or the deadline passes (the fault's recovery is an event we wait for, not a sleep). */
async function eventually<T>(ask: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await ask();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** A TCP proxy to PostgreSQL that can be cut (every connection reset, the port closed) and restored on the same port. */
class CuttableProxy {
  #server: Server | undefined;
  readonly #sockets = new Set<Socket>();
  port = 0;

  async start(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(5432, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.#sockets.add(s);
        s.on('close', () => this.#sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address === 'object' && address !== null) this.port = address.port;
    this.#server = server;
  }

  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  }
}

describe('PostgreSQL goes away under a running cloud', () => {
  it('answers 503 with Retry-After while it is gone, and serves again once it is back, without a restart', async (t) => {
    const got = await freshPostgresSchema();
    if (!got.ok) {
      announceSkip('the PostgreSQL fault test', got.reason);
      return t.skip(got.reason);
    }
    const proxy = new CuttableProxy();
    await proxy.start();
    const url = new URL(got.fresh.url);
    url.port = String(proxy.port);
    let app: FastifyInstance | undefined;
    try {
      app = await build({ db: url.toString(), pgSchema: got.fresh.schema, sweeper: false, retention: false, passwordCost: FAST_SCRYPT });
      const user = await signUp(app);
      const gw = await claimGateway(app, user.token);
      const first = await call<{ ackedSeq: number }>(app, 'POST', '/api/sensors/data', { token: gw.credential, body: readings(1, 50) });
      assert.deepEqual([first.status, first.body.ackedSeq], [200, 50]);

      await proxy.cut();
      const health = await call(app, 'GET', '/healthz');
      assert.equal(health.status, 503);
      const ingest = await call<{ code: string }>(app, 'POST', '/api/sensors/data', { token: gw.credential, body: readings(51, 50) });
      assert.deepEqual([ingest.status, ingest.body.code], [503, 'EASYGAS_DB_UNAVAILABLE'], ingest.text);
      assert.equal(ingest.headers['retry-after'], String(RETRY_UNAVAILABLE_AFTER_S));
      const list = await call<{ code: string }>(app, 'GET', '/api/devices', { token: user.token });
      assert.deepEqual([list.status, list.body.code], [503, 'EASYGAS_DB_UNAVAILABLE'], list.text);
      const history = await call<{ code: string }>(app, 'GET', `/api/sensors/${gw.gatewayId}:lpg/history?from=${T}&to=${T + 3_600_000}`, { token: user.token });
      assert.deepEqual([history.status, history.body.code], [503, 'EASYGAS_DB_UNAVAILABLE'], history.text);

      await proxy.start();
      const back = await eventually(
        () => call<{ ackedSeq: number }>(app as FastifyInstance, 'POST', '/api/sensors/data', { token: gw.credential, body: readings(51, 50) }),
        (a) => a.status === 200,
      );
      assert.deepEqual([back.status, back.body.ackedSeq], [200, 100], back.text);
      assert.equal((await call(app, 'GET', '/healthz')).status, 200);
      const points = await call<{ points: { count: number }[] }>(app, 'GET', `/api/sensors/${gw.gatewayId}:lpg/history?from=${T}&to=${T + 3_600_000}&bucket=1h`, {
        token: user.token,
      });
      assert.equal(points.status, 200);
      assert.equal(points.body.points.reduce((n, p) => n + p.count, 0), 100, 'both batches, each once');
    } finally {
      await app?.close();
      await proxy.cut();
      await got.fresh.drop();
    }
  });
});

/** A small real filesystem, so the disk really fills; root can mount one (CI runs as root). */
function mountTmpfs(dir: string, size: string): string | undefined {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
    return undefined;
  } catch (error) {
    return `cannot mount a tmpfs (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`;
  }
}

describe('the disk under a SQLite cloud fills up', () => {
  it('refuses ingest with 507 EASYGAS_STORAGE_FULL, keeps and serves what it had, and takes the batch once space is freed', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'easygas-full-'));
    const cannot = mountTmpfs(dir, '4m');
    if (cannot !== undefined) {
      rmSync(dir, { recursive: true, force: true });
      if (process.env.CI === 'true') throw new Error(`${cannot}; CI=true, so the full-disk test must run (as root)`);
      announceSkip('the full-disk test', cannot);
      return t.skip(cannot);
    }
    let app: FastifyInstance | undefined;
    try {
      mkdirSync(join(dir, 'cloud'));
      app = await build({ db: join(dir, 'cloud', 'cloud.db'), sweeper: false, retention: false, passwordCost: FAST_SCRYPT });
      const user = await signUp(app);
      const gw = await claimGateway(app, user.token);
      const kept = await call<{ ackedSeq: number }>(app, 'POST', '/api/sensors/data', { token: gw.credential, body: readings(1, 200) });
      assert.equal(kept.status, 200);
      // Fill the disk, leaving less than one batch needs.
      const free = statfsSync(dir).bavail * statfsSync(dir).bsize;
      writeFileSync(join(dir, 'filler'), Buffer.alloc(Math.max(0, free - 48 * 1024)));

      let seq = 201;
      let refused: Awaited<ReturnType<typeof call<{ code: string; message: string }>>> | undefined;
      for (let i = 0; i < 50 && refused === undefined; i++) {
        const answer = await call<{ code: string; message: string }>(app, 'POST', '/api/sensors/data', { token: gw.credential, body: readings(seq, 400) });
        if (answer.status === 200) seq += 400;
        else refused = answer;
      }
      assert.ok(refused !== undefined, 'the disk never filled');
      assert.deepEqual([refused.status, refused.body.code], [507, 'EASYGAS_STORAGE_FULL'], refused.text);
      assert.match(refused.body.message, /disk is full: nothing of this request was stored/);
      assert.equal(refused.headers['retry-after'], '60');

      // What it had is still there, and served.
      const device = await call<{ ackedSeq: number }>(app, 'GET', `/api/devices/${gw.gatewayId}`, { token: user.token });
      assert.deepEqual([device.status, device.body.ackedSeq], [200, seq - 1]);
      const history = await call<{ points: { count: number }[] }>(app, 'GET', `/api/sensors/${gw.gatewayId}:lpg/history?from=${T}&to=${T + 86_400_000}&bucket=1h`, {
        token: user.token,
      });
      assert.equal(history.status, 200, history.text);
      assert.equal(history.body.points.reduce((n, p) => n + p.count, 0), seq - 1, 'every stored reading, none of the refused batch');
      assert.equal((await call(app, 'GET', '/healthz')).status, 200);

      rmSync(join(dir, 'filler'));
      const retried = await call<{ ackedSeq: number; stored: number }>(app, 'POST', '/api/sensors/data', { token: gw.credential, body: readings(seq, 400) });
      assert.deepEqual([retried.status, retried.body.ackedSeq, retried.body.stored], [200, seq + 399, 400], retried.text);
    } finally {
      await app?.close();
      execFileSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
