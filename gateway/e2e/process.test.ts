/**
 * The daemon as a process: refuses a bad config with every error and exit 78;
 * SIGTERM flushes the open batch into the database and exits 0; kill -9 at random
 * moments, 20 times on one data directory, never corrupts the database, never loses
 * a committed event, and loses at most the readings of one open batch. After a
 * kill, the store is opened the way the daemon opens it (which replays
 * readings.journal into the database) before the database itself is checked.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import YAML from 'yaml';
import { systemClock } from '../../hardware/clock.js';
import { seededRandom } from '../../hardware/sim/random.js';
import { JOURNAL_FILE_NAME } from '../store/reading-journal.js';
import { StoreService } from '../store/store-service.js';
import { exampleConfigPath } from '../system/package-info.js';

const CHILD = fileURLToPath(new URL('./fixtures/daemon-child.ts', import.meta.url));
const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const INVALID = fileURLToPath(new URL('../config/fixtures/invalid.yaml', import.meta.url));
const BATCH_MS = 1_000;

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'easygas-process-'));
  dirs.push(d);
  return d;
}

/** The example config, sampled fast so the store works hard. */
function busyConfig(dir: string, batchInterval = '1s'): string {
  const doc = YAML.parse(readFileSync(exampleConfigPath(), 'utf8')) as { sensors: Record<string, unknown>[]; store?: Record<string, unknown> };
  for (const sensor of doc.sensors) sensor.interval = '100ms';
  doc.store = { ...doc.store, batchInterval };
  const path = join(dir, 'busy.yaml');
  writeFileSync(path, YAML.stringify(doc));
  return path;
}

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, EASYGAS_CONFIG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

type Child = ChildProcessByStdio<null, Readable, Readable>;

/**
 * The child's output, drained continuously: a child writing to a full pipe blocks
 * (stdout to a pipe is synchronous on Linux) and would never see its signal.
 */
class ChildLines {
  readonly #lines: string[] = [];
  #read = 0;
  #wake: (() => void) | undefined;
  #ended = false;
  stderr = '';

  constructor(readonly child: Child) {
    child.stderr.on('data', (c: Buffer) => (this.stderr += c.toString()));
    const rl = createInterface({ input: child.stdout });
    rl.on('line', (line) => {
      if (line.startsWith('{')) return; // the daemon's own JSON log lines
      this.#lines.push(line);
      this.#wake?.();
    });
    rl.on('close', () => {
      this.#ended = true;
      this.#wake?.();
    });
  }

  async next(what: string, timeoutMs = 30_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.#read >= this.#lines.length) {
      if (this.#ended) throw new Error(`the child ended before ${what}\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${timeoutMs} ms\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.#lines[this.#read++]!;
  }
}

function startChild(config: string, dataDir: string): ChildLines {
  return new ChildLines(spawn(process.execPath, ['--import', 'tsx', CHILD, config, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('the daemon as a process', () => {
  it('refuses a config full of mistakes: every error listed, exit 78; config check exits 1', async () => {
    const gateway = await run(['gateway', '--config', INVALID, '--data-dir', tempDir()]);
    assert.equal(gateway.code, 78, gateway.stderr);
    const check = await run(['config', 'check', '--config', INVALID]);
    assert.equal(check.code, 1);
    // Both name the same problems, each with its path.
    const paths = (text: string) => [...text.matchAll(/^\s+(\S+?\]?\S*): /gm)].map((m) => m[1]);
    assert.ok(paths(gateway.stderr).length >= 30, `gateway listed ${paths(gateway.stderr).length} errors:\n${gateway.stderr}`);
    assert.match(gateway.stderr, /sensors\[\d+\]/);
  });

  it('SIGTERM flushes the open batch and exits 0', async () => {
    const dir = tempDir();
    // Batches every minute: only the shutdown flush can have put this run's readings on disk.
    const out = startChild(busyConfig(dir, '1m'), join(dir, 'data'));
    assert.equal(await out.next('ready'), 'ready');
    let lastAt = 0;
    for (let i = 0; i < 60; i++) lastAt = Number((await out.next('a marker')).split(' ')[2]);
    const exited = new Promise<number | null>((resolve) => out.child.once('exit', resolve));
    out.child.kill('SIGTERM');
    assert.equal(await exited, 0, out.stderr);
    assert.equal(statSync(join(dir, 'data', JOURNAL_FILE_NAME)).size, 0, 'the stop moved every journaled reading into the database');
    const db = new Database(join(dir, 'data', 'gateway.db'), { readonly: true });
    try {
      const newest = db.prepare('SELECT max(ts) AS ts, count(*) AS n FROM readings').get() as { ts: number | null; n: number };
      // Readings taken up to the signal were flushed, not left in the open batch (sampled every 100 ms).
      assert.ok(newest.n > 20, `only ${newest.n} readings stored`);
      assert.ok((newest.ts ?? 0) >= lastAt - 150, `newest reading ${lastAt - (newest.ts ?? 0)} ms before the last marker`);
      const stopped = db.prepare("SELECT count(*) AS n FROM events WHERE type = 'gateway_stopped'").get() as { n: number };
      assert.equal(stopped.n, 1);
    } finally {
      db.close();
    }
  });

  it('kill -9 at random moments, 20 times: intact database, no committed event lost, at most one batch of readings lost', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    const config = busyConfig(dir);
    const dataDir = join(dir, 'data');
    const random = seededRandom(0x5eed);
    const committed = new Map<number, number>();
    let readingsBefore = 0;
    let checkedRuns = 0;
    for (let run = 1; run <= 20; run++) {
      const out = startChild(config, dataDir);
      await out.next('ready');
      const markers = 40 + Math.floor(random.next() * 160);
      let lastAt = 0;
      let storeUpAt = 0;
      for (let i = 0; i < markers; i++) {
        const [, seq, at] = (await out.next('a marker')).split(' ');
        if (i === 0) storeUpAt = Date.now(); // a commit: the store's worker is up (it starts after 'ready')
        committed.set(Number(seq), Number(at));
        lastAt = Number(at);
      }
      const exited = new Promise<void>((resolve) => out.child.once('exit', () => resolve()));
      out.child.kill('SIGKILL');
      await exited;

      // The restarted daemon's store opens like this: a damaged file would be replaced, the journal is replayed.
      const reopened = new StoreService({ dataDir, clock: systemClock() });
      assert.deepEqual(reopened.stats().recoveries, [], `run ${run}: the database needed no recovery`);
      reopened.close();
      const db = new Database(join(dataDir, 'gateway.db'), { readonly: true });
      try {
        assert.equal((db.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok', `run ${run}`);
        const seqs = db.prepare("SELECT seq FROM events WHERE type = 'test_marker'").all() as { seq: number }[];
        const present = new Set(seqs.map((r) => r.seq));
        const lost = [...committed.keys()].filter((s) => !present.has(s));
        assert.deepEqual(lost, [], `run ${run}: committed events missing`);
        const dupes = db.prepare('SELECT count(*) AS n FROM readings r JOIN events e ON e.seq = r.seq').get() as { n: number };
        assert.equal(dupes.n, 0, `run ${run}: a seq used twice`);
        const stored = db.prepare('SELECT max(ts) AS ts, count(*) AS n FROM readings').get() as { ts: number | null; n: number };
        assert.ok(stored.n >= readingsBefore, `run ${run}: committed readings disappeared (${readingsBefore} → ${stored.n})`);
        readingsBefore = stored.n;
        // Everything older than one batch interval before the last committed marker was durable. The first batch
        // closes one interval after the store's worker came up (readings taken while it was starting wait in the
        // client): a daemon killed before that has legitimately made none durable yet.
        if (lastAt - storeUpAt > BATCH_MS + 500) {
          assert.ok((stored.ts ?? 0) >= lastAt - BATCH_MS - 500, `run ${run}: readings lost beyond the open batch (${lastAt - (stored.ts ?? 0)} ms)`);
          checkedRuns++;
        }
      } finally {
        db.close();
      }
    }
    assert.ok(checkedRuns >= 8, `only ${checkedRuns} runs lived past their first batch`);
  });
});
