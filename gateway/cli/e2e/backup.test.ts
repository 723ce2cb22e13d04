/**
 * `easygas backup FILE` against a running simulated gateway: the daemon writes a
 * consistent copy of gateway.db (SQLite's online backup API in the store's worker)
 * while it keeps sampling; the copy passes integrity_check and holds the readings; an
 * existing file is refused without --force; no running gateway is exit 69.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { runCli, startSimulatedGateway, type SimulatedGateway } from '../test-support/simulated-gateway.js';

const out = mkdtempSync(join(tmpdir(), 'easygas-backup-'));

describe('easygas backup while the gateway runs', { timeout: 120_000 }, () => {
  let gw: SimulatedGateway;
  before(async () => {
    gw = await startSimulatedGateway();
  });
  after(async () => {
    await gw.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('writes a consistent copy holding the readings, and the gateway samples on', async () => {
    const seqBefore = await stored(gw);
    const file = join(out, 'gateway-backup.db');
    const run = await runCli(['backup', file, '--data-dir', gw.dataDir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { path: string; bytes: number; lastSeq: number };
    assert.equal(result.path, file);
    assert.ok(result.lastSeq >= seqBefore, `the copy reaches seq ${result.lastSeq}, ${seqBefore} were stored before`);
    const db = new Database(file, { readonly: true });
    try {
      assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok');
      const readings = db.prepare('SELECT count(*) AS n, max(seq) AS seq FROM readings').get() as { n: number; seq: number };
      assert.ok(readings.n > 0, 'the copy holds readings');
    } finally {
      db.close();
    }
    // The daemon went on storing while and after it copied.
    await until(async () => (await stored(gw)) > result.lastSeq);
  });

  it('refuses to replace a file without --force, and replaces it whole with --force', async () => {
    const file = join(out, 'taken.db');
    writeFileSync(file, 'precious');
    const refused = await runCli(['backup', file, '--data-dir', gw.dataDir]);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /already exists/);
    assert.match(refused.stderr, /--force/);
    const forced = await runCli(['backup', file, '--force', '--data-dir', gw.dataDir]);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /Backed up gateway\.db to .*taken\.db/);
  });

  it('without a running gateway: exit 69 and nothing written', async () => {
    const file = join(out, 'none.db');
    const run = await runCli(['backup', file, '--data-dir', join(out, 'no-gateway')]);
    assert.equal(run.code, 69, run.stderr);
    assert.equal(existsSync(file), false);
  });
});

async function stored(gateway: SimulatedGateway): Promise<number> {
  const run = await runCli(['status', '--data-dir', gateway.dataDir, '--json']);
  return (JSON.parse(run.stdout) as { sync: { cursor?: number; backlog: number } }).sync.backlog;
}

async function until(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((done) => setTimeout(done, 250));
  }
}
