/**
 * `easygas restore FILE`: refused while the gateway runs (exit 69); refuses a file
 * that is not a sound gateway database (exit 65) without touching the data; puts a
 * backup made by `easygas backup` in place of a stopped gateway's database, keeping
 * the old one (and its journal) beside it, and the restored readings are readable.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { killedGatewayDataDir } from '../../store/test-support/fixtures.js';
import { runCli, startSimulatedGateway, type SimulatedGateway } from '../test-support/simulated-gateway.js';

const out = mkdtempSync(join(tmpdir(), 'easygas-restore-'));
const backup = join(out, 'backup.db');

/** A stopped gateway's data dir (killed: 5 readings still only in the journal). */
function stoppedDataDir(name: string): string {
  const dir = join(out, name);
  mkdirSync(dir);
  killedGatewayDataDir(dir, 10, 5);
  return dir;
}

const files = (dir: string): Record<string, string> =>
  Object.fromEntries(['gateway.db', 'readings.journal'].map((f) => [f, readFileSync(join(dir, f)).toString('base64')]));

describe('easygas restore', { timeout: 120_000 }, () => {
  let gw: SimulatedGateway;
  let backedUp: { n: number; sensor: string };
  before(async () => {
    gw = await startSimulatedGateway();
    const run = await runCli(['backup', backup, '--data-dir', gw.dataDir]);
    assert.equal(run.code, 0, run.stderr);
    const db = new Database(backup, { readonly: true });
    backedUp = db.prepare("SELECT count(*) AS n, 'kitchen-gas' AS sensor FROM reading_rows WHERE sensor_id = 'kitchen-gas'").get() as { n: number; sensor: string };
    db.close();
  });
  after(async () => {
    await gw.stop();
    rmSync(out, { recursive: true, force: true });
  });

  it('refuses while the gateway runs: exit 69, nothing changed', async () => {
    const run = await runCli(['restore', backup, '--data-dir', gw.dataDir]);
    assert.equal(run.code, 69, run.stderr);
    assert.match(run.stderr, /the gateway is running \(pid \d+/);
    assert.match(run.stderr, /systemctl stop easygas-gateway/);
    assert.equal(existsSync(join(gw.dataDir, 'gateway.db.before-restore')), false);
  });

  it('refuses garbage, a foreign SQLite file and a damaged backup with exit 65, data untouched', async () => {
    const dir = stoppedDataDir('refusals');
    const before = files(dir);
    const garbage = join(out, 'garbage.db');
    writeFileSync(garbage, 'not a database at all, just some text that is long enough'.repeat(100));
    const foreign = join(out, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES (1)');
    f.close();
    const damaged = join(out, 'damaged.db');
    const bytes = readFileSync(backup);
    writeFileSync(damaged, bytes.subarray(0, Math.floor(bytes.length / 2)));
    for (const [file, why] of [[garbage, /cannot be read as a SQLite database/], [foreign, /not a gateway database \(missing/], [damaged, /integrity_check failed|malformed|cannot be read/], [join(out, 'missing.db'), /does not exist/]] as const) {
      const run = await runCli(['restore', file, '--data-dir', dir]);
      assert.equal(run.code, 65, `${file}: ${run.stderr}`);
      assert.match(run.stderr, why);
      assert.match(run.stderr, /was not touched/);
    }
    assert.deepEqual(files(dir), before);
    assert.equal(existsSync(join(dir, 'gateway.db.before-restore')), false);
  });

  it('restores a backup into a stopped gateway, keeps the old database and journal, and the readings read back', async () => {
    const dir = stoppedDataDir('target');
    const old = files(dir);
    const run = await runCli(['restore', backup, '--data-dir', dir, '--json']);
    assert.equal(run.code, 0, run.stderr);
    const result = JSON.parse(run.stdout) as { path: string; lastSeq: number; movedFiles: string[] };
    assert.ok(result.lastSeq > 0);
    assert.deepEqual(readFileSync(join(dir, 'gateway.db')), readFileSync(backup));
    assert.equal(readFileSync(join(dir, 'gateway.db.before-restore')).toString('base64'), old['gateway.db']);
    assert.equal(readFileSync(join(dir, 'gateway.db.before-restore.readings.journal')).toString('base64'), old['readings.journal']);
    assert.equal(existsSync(join(dir, 'readings.journal')), false);
    assert.equal(existsSync(join(dir, 'gateway.db.partial')), false);
    const read = await runCli(['readings', backedUp.sensor, '--data-dir', dir, '--since', '1970-01-01T00:00:00Z', '--json']);
    assert.equal(read.code, 0, read.stderr);
    assert.equal((JSON.parse(read.stdout) as { readings: unknown[] }).readings.length, backedUp.n);
    assert.ok(backedUp.n > 0, 'the backup holds kitchen-gas readings');
    // A second restore keeps the first one's kept file: nothing is ever overwritten.
    const again = await runCli(['restore', backup, '--data-dir', dir]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /gateway\.db\.before-restore-2/);
    assert.equal(readFileSync(join(dir, 'gateway.db.before-restore')).toString('base64'), old['gateway.db']);
  });
});
