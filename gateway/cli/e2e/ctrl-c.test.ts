/**
 * Ctrl-C on a real terminal (a pseudo-terminal driven by Python's pty module): the
 * keypress reaches the command the way a keyboard's does, through the terminal's line
 * discipline, while the simulated hush button listens on that terminal's stdin.
 * `easygas gateway --simulate` and `easygas demo` (what `npm start` runs) stop cleanly
 * within 5 s, outputs off and store flushed; a second Ctrl-C exits at once.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { MAIN, writeTestConfig } from '../test-support/simulated-gateway.js';

const PTY_RUN = fileURLToPath(new URL('./fixtures/pty-run.py', import.meta.url));
const CTRL_C = '\x03';
const STOP_BUDGET_MS = 5_000;

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'easygas-ctrl-c-'));
  dirs.push(d);
  return d;
}

/** A command on a terminal: what it printed (colours stripped), and keys typed on it. */
class OnTerminal {
  readonly child: ChildProcessWithoutNullStreams;
  #text = '';
  #waiters: (() => void)[] = [];

  constructor(args: string[], cwd: string) {
    this.child = spawn('python3', [PTY_RUN, process.execPath, '--import', import.meta.resolve('tsx'), MAIN, ...args], { cwd });
    const take = (chunk: Buffer): void => {
      // eslint-disable-next-line no-control-regex -- the terminal's colour codes
      this.#text += chunk.toString().replace(/\x1b\[[0-9;]*m/g, '');
      for (const wake of this.#waiters.splice(0)) wake();
    };
    this.child.stdout.on('data', take);
    this.child.stderr.on('data', take);
  }

  get text(): string {
    return this.#text;
  }

  type(keys: string): void {
    this.child.stdin.write(keys);
  }

  /** Waits until the output matches, failing after timeoutMs with what was printed. */
  async until(pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = pattern.exec(this.#text);
      if (found !== null) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${String(pattern)} within ${timeoutMs} ms; the terminal showed:\n${this.#text.slice(-4000)}`);
      await new Promise<void>((wake) => {
        const timer = setTimeout(wake, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });
    }
  }

  /** The command's exit code, as the terminal driver saw it, and how long after `since` it came. */
  async exit(since: number, timeoutMs: number): Promise<{ code: number; afterMs: number }> {
    const m = await this.until(/\[pty\] exit (-?\d+)/, timeoutMs);
    return { code: Number(m[1]), afterMs: Date.now() - since };
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}

function stoppedEvents(dataDir: string): number {
  const db = new Database(join(dataDir, 'gateway.db'), { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM events WHERE type = 'gateway_stopped'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** One Ctrl-C: exit 0 within the budget, after a clean stop that nothing had to cut off. */
async function ctrlCStopsCleanly(term: OnTerminal): Promise<void> {
  const pressed = Date.now();
  term.type(CTRL_C);
  const { code, afterMs } = await term.exit(pressed, 30_000);
  assert.equal(code, 0, term.text.slice(-3000));
  assert.ok(afterMs < STOP_BUDGET_MS, `exited ${afterMs} ms after Ctrl-C`);
  assert.match(term.text, /stopped: outputs off, store closed/);
  assert.doesNotMatch(term.text, /still held the process/, 'nothing had to be cut off');
}

describe('Ctrl-C on a terminal', { timeout: 240_000 }, () => {
  it('stops `easygas gateway --simulate` cleanly within 5 s while the hush button listens on the terminal', async (t) => {
    const dir = tempDir();
    const dataDir = join(dir, 'data');
    const term = new OnTerminal(['gateway', '--simulate', '--config', writeTestConfig(dir), '--data-dir', dataDir, '--api-port', '0'], dir);
    t.after(() => term.kill());
    await term.until(/press Enter to push the hush\/test button/);
    await term.until(/control API and status page on/);
    await ctrlCStopsCleanly(term);
    assert.match(term.text, /stopping cleanly \(Ctrl-C again exits at once\)/);
    assert.equal(stoppedEvents(dataDir), 1, 'the store was flushed and closed with its stop event');
  });

  it('stops `easygas demo` (what npm start runs) cleanly within 5 s', async (t) => {
    const cwd = tempDir();
    const term = new OnTerminal(['demo', '--cloud-port', '0', '--history-days', '0'], cwd);
    t.after(() => term.kill());
    await term.until(/EasyGas cloud API on/);
    await term.until(/control API and status page on/);
    await ctrlCStopsCleanly(term);
    assert.equal(stoppedEvents(join(cwd, '.data', 'gateway')), 1);
  });

  it('a second Ctrl-C exits at once, even while the gateway is still starting', async (t) => {
    const dir = tempDir();
    const term = new OnTerminal(['gateway', '--simulate', '--config', writeTestConfig(dir), '--data-dir', join(dir, 'data'), '--api-port', '0'], dir);
    t.after(() => term.kill());
    await term.until(/EasyGas gateway \S+ on/);
    term.type(CTRL_C);
    await term.until(/stopping cleanly/);
    const pressed = Date.now();
    term.type(CTRL_C);
    const { code, afterMs } = await term.exit(pressed, 30_000);
    assert.equal(code, 130, term.text.slice(-3000));
    assert.match(term.text, /second SIGINT: exiting now/);
    assert.ok(afterMs < 2_000, `exited ${afterMs} ms after the second Ctrl-C`);
  });
});
