/**
 * docs/architecture.md "Durable once committed", for real: a writer process is killed with SIGKILL at
 * random moments, again and again on the same data directory. After every kill the
 * store is opened as the restarted daemon opens it (which replays readings.journal
 * into SQLite), closed, and then the database must pass integrity_check, hold every
 * event whose commit was reported, use every seq exactly once, and have lost at most
 * the readings of one open batch.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { ManualClock } from '../../../hardware/sim/manual-clock.js';
import { seededRandom } from '../../../hardware/sim/random.js';
import { openGatewayStore } from '../recovery.js';
import { tempDir } from '../test-support/fixtures.js';

const CHILD = fileURLToPath(new URL('./kill9-child.ts', import.meta.url));
const RUNS = 20;
const EVENT_EVERY = 700;
const BATCH_MAX_ROWS = 500;
const SEED = Number(process.env.KILL9_SEED ?? 0x9e3779b9);

interface Committed {
  readonly n: number;
  readonly seq: number;
  readonly afterReading: number;
}

/** Runs the child until it has reported `events` commits (and a random number of readings more), then kill -9. */
async function runAndKill(dir: string, run: number, events: number, extraLines: number): Promise<{ committed: Committed[]; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, String(run), String(EVENT_EVERY)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const committed: Committed[] = [];
  const target = events + extraLines;
  let seen = 0;
  const timeout = setTimeout(() => child.kill('SIGKILL'), 30_000);
  for await (const line of createInterface({ input: child.stdout })) {
    const match = /^event (\d+) (\d+) (\d+)$/.exec(line);
    if (match) {
      committed.push({ n: Number(match[1]), seq: Number(match[2]), afterReading: Number(match[3]) });
      seen++;
    }
    if (seen >= target) break;
  }
  clearTimeout(timeout);
  child.kill('SIGKILL');
  await exited;
  assert.ok(committed.length >= events, `run ${run}: the child reported ${committed.length} commits, wanted ${events}\n${stderr}`);
  return { committed, stderr };
}

test(`kill -9 at random moments (${RUNS} runs) never corrupts, never loses a committed event, never reuses a seq`, { timeout: 300_000 }, async (t) => {
  const dir = tempDir(t, 'easygas-kill9-');
  const random = seededRandom(SEED);
  const path = join(dir, 'gateway.db');
  for (let run = 1; run <= RUNS; run++) {
    const events = 1 + Math.floor(random.next() * 4);
    const extra = Math.floor(random.next() * 2); // sometimes kill right at a commit report, sometimes one later
    const { committed, stderr } = await runAndKill(dir, run, events, extra);

    // Reopen, as the restarted daemon would: the journal's readings go into SQLite. Then check SQLite itself.
    const reopened = openGatewayStore(dir, { clock: new ManualClock(Date.now()) });
    assert.equal(reopened.recovery, undefined, `run ${run}: the database needed no recovery`);
    reopened.store.close();
    const db = new Database(path);
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok', `run ${run}`);
      for (const c of committed) {
        const row = db.prepare('SELECT message, sensor_id FROM events WHERE seq = ?').get(c.seq) as
          { message: string; sensor_id: string } | undefined;
        assert.deepEqual(row, { message: `event ${c.n}`, sensor_id: `run-${run}` }, `run ${run}: committed event ${c.n} at seq ${c.seq}`);
      }
      const seqs = db.prepare('SELECT seq FROM readings UNION ALL SELECT seq FROM events ORDER BY seq').pluck().all() as number[];
      const lastSeq = Number(db.prepare("SELECT value FROM meta WHERE key = 'last_seq'").pluck().get());
      assert.equal(seqs.length, lastSeq, `run ${run}: every seq used once, none skipped (${seqs.length} rows, last_seq ${lastSeq})`);
      assert.ok(seqs.every((seq, k) => seq === k + 1), `run ${run}: seqs are exactly 1..${lastSeq}`);

      const values = db.prepare('SELECT value FROM reading_rows WHERE sensor_id = ? ORDER BY seq').pluck().all(`run-${run}`) as number[];
      assert.ok(values.every((v, k) => v === k + 1), `run ${run}: readings are a gap-free prefix 1..${values.length}`);
      const newestReported = Math.max(...committed.map((c) => c.afterReading));
      assert.ok(
        values.length >= newestReported - (BATCH_MAX_ROWS - 1),
        `run ${run}: ${values.length} readings kept, but event after reading ${newestReported} was committed: ` +
          `more than one open batch (${BATCH_MAX_ROWS}) lost\n${stderr}`,
      );
      const runEvents = db.prepare('SELECT message FROM events WHERE sensor_id = ? ORDER BY seq').pluck().all(`run-${run}`);
      assert.ok(runEvents.every((m, k) => m === `event ${k + 1}`), `run ${run}: events are a gap-free prefix`);
    } finally {
      db.close();
    }
  }
});
