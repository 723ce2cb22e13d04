/**
 * `easygas readings` with no daemon running: it reads gateway.db read-only, plus
 * the readings a kill -9 left only in readings.journal, says so on stderr and
 * changes no file; a stale api.json (its process gone) counts as no daemon; no
 * database at all is exit 69.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { JOURNAL_FILE_NAME } from '../../store/reading-journal.js';
import { T0, killedGatewayDataDir, tempDir } from '../../store/test-support/fixtures.js';
import { runCli } from '../test-support/simulated-gateway.js';

function stoppedDataDir(t: TestContext): string {
  const dir = tempDir(t, 'easygas-readings-');
  killedGatewayDataDir(dir, 20, 10); // tank-0: 0…18 in SQLite, 21, 24, 27 only in the journal
  return dir;
}

interface Printed {
  readings: { seq: number; at: number; value: number }[];
}

test('reads the stopped gateway’s database and journal directly, read-only', async (t) => {
  const dir = stoppedDataDir(t);
  const files = ['gateway.db', JOURNAL_FILE_NAME].map((f) => readFileSync(join(dir, f)));
  const run = await runCli(['readings', 'tank-0', '--data-dir', dir, '--since', new Date(T0).toISOString(), '--json']);
  assert.equal(run.code, 0, run.stderr);
  const values = (JSON.parse(run.stdout) as Printed).readings.map((r) => r.value);
  // tank-0 is every third reading: 0…18 from SQLite, 21, 24, 27 only in the journal.
  assert.deepEqual(values, [0, 3, 6, 9, 12, 15, 18, 21, 24, 27]);
  assert.match(run.stderr, /No running gateway: read .*gateway\.db directly \(read-only\), with 10 reading\(s\) from readings\.journal/);
  assert.deepEqual(['gateway.db', JOURNAL_FILE_NAME].map((f) => readFileSync(join(dir, f))), files, 'no file changed');
  assert.deepEqual(readdirSync(dir).sort(), ['gateway.db', 'gateway.db.seq.json', JOURNAL_FILE_NAME].sort(), 'no -wal or -shm left behind');
});

test('a stale api.json (its process has exited) is no running gateway', async (t) => {
  const dir = stoppedDataDir(t);
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  writeFileSync(join(dir, 'api.json'), JSON.stringify({ version: 1, url: 'http://127.0.0.1:9', host: '127.0.0.1', port: 9, pid: dead, startedAt: T0, auth: false }));
  const run = await runCli(['readings', 'tank-1', '--data-dir', dir, '--since', new Date(T0).toISOString(), '--csv']);
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim().split('\n').length, 1 + 10, run.stdout);
  assert.match(run.stderr, /read .* directly/);
});

test('no running gateway and no database: exit 69 that says both', async (t) => {
  const dir = tempDir(t, 'easygas-readings-');
  const run = await runCli(['readings', 'tank-0', '--data-dir', dir]);
  assert.equal(run.code, 69, run.stderr);
  assert.match(run.stderr, /no running gateway found, and its database cannot be read: .*gateway\.db does not exist/);
});
