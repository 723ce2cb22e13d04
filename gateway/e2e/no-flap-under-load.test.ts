/**
 * No flapping under load: the simulated home at 60× with both cores busy (a CPU hog
 * per core, in other processes) for 10 simulated minutes. At 60× a 1 s timeout is
 * 17 real ms, which a busy machine misses; time the process itself lost must not be
 * blamed on a sensor, so no health changes and no timeout/staleness line appears.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { MAIN, writeTestConfig } from '../cli/test-support/simulated-gateway.js';

const SENSORS = 4; // the example config's wired sensors
const SIMULATED_SPAN_MS = 10 * 60_000;

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly health?: string;
  readonly was?: string;
  readonly rejected?: string;
  readonly simulatedTime?: string;
}

/** Waits until `pick` finds a line among those seen so far or arriving, failing after timeoutMs. */
function waitFor(lines: LogLine[], onLine: Set<() => void>, pick: (l: LogLine) => boolean, what: string, timeoutMs: number, output: () => string): Promise<LogLine> {
  return new Promise((resolve, reject) => {
    const check = (): boolean => {
      const found = lines.find(pick);
      if (found === undefined) return false;
      clearTimeout(timer);
      onLine.delete(check);
      resolve(found);
      return true;
    };
    const timer = setTimeout(() => {
      onLine.delete(check);
      reject(new Error(`no ${what} within ${timeoutMs} ms; the gateway printed:\n${output().slice(-4000)}`));
    }, timeoutMs);
    if (!check()) onLine.add(check);
  });
}

describe('the simulated home under CPU load', () => {
  it('at 60× with both cores busy for 10 simulated minutes: no health change, no timeout or staleness line', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'easygas-load-'));
    const hogs: ChildProcess[] = [];
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'gateway', '--simulate', '--speed', '60', '--config', writeTestConfig(dir), '--data-dir', join(dir, 'data'), '--api-port', '0', '--log-level', 'info'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, EASYGAS_CONFIG: '', EASYGAS_DATA_DIR: '' },
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const lines: LogLine[] = [];
    const onLine = new Set<() => void>();
    let output = '';
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      output = (output + line + '\n').slice(-20_000);
      if (!line.startsWith('{')) return;
      lines.push(JSON.parse(line) as LogLine);
      for (const check of [...onLine]) check();
    });
    try {
      // Load first, so the gateway starts on a machine already busy.
      for (let i = 0; i < Math.max(2, availableParallelism()); i++) hogs.push(spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }));
      const ok = (l: LogLine): boolean => l.health === 'ok' && l.was === 'warming_up';
      await waitFor(lines, onLine, () => lines.filter(ok).length === SENSORS, 'four sensors ok', 60_000, () => output);
      const settled = lines.length;
      const first = await waitFor(lines, onLine, (l) => l.simulatedTime !== undefined && lines.indexOf(l) >= settled, 'a status line', 30_000, () => output);
      const end = Date.parse(`${first.simulatedTime!}Z`) + SIMULATED_SPAN_MS;
      await waitFor(lines, onLine, (l) => l.simulatedTime !== undefined && Date.parse(`${l.simulatedTime}Z`) >= end, '10 simulated minutes', 60_000, () => output);

      const after = lines.slice(settled);
      const healthChanges = after.filter((l) => l.health !== undefined).map((l) => `${l.was} → ${l.msg}`);
      assert.deepEqual(healthChanges, [], 'no sensor changed health');
      // The simulated ultrasonic sensor sends the odd spike and bad checksum on purpose; time is never its fault.
      const spurious = after.filter((l) => l.level >= 40 && (l.rejected === 'timeout' || /did not answer|no frames|stale|disconnected/.test(l.msg))).map((l) => l.msg);
      assert.deepEqual(spurious, [], 'no timeout or staleness blamed on a sensor');
    } finally {
      for (const hog of hogs) hog.kill('SIGKILL');
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
