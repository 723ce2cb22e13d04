/**
 * Memory of the simulate-mode daemon (`easygas gateway --simulate`, compiled JS as
 * on a Pi, store worker included) over 10 minutes: RSS at the end (target < 80 MB)
 * and its growth over the second half (target: flat, < 2 MB). Baseline: an idle
 * bare `node` process measured in the same run — Node's own floor.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bench, Figure } from './harness.js';
import { unitEnvironment, unitNodeFlags } from './unit-runtime.js';

const ROOT = join(import.meta.dirname, '..', '..');

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

function waitMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await exited;
}

export const simulateRssBench: Bench = {
  name: 'simulate-rss',
  description: 'RSS of `easygas gateway --simulate` (compiled) over time vs an idle bare node process',
  async run({ quick, tmpDir, log }) {
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'ignore' });
    if (build.status !== 0) throw new Error('npm run build failed: the RSS bench runs the compiled daemon');
    const durationMs = quick ? 15_000 : 10 * 60_000;
    const bare = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    // Measured as the Pi runs it: with the node flags and environment of the systemd unit.
    const unitEnv = unitEnvironment();
    const flags = unitNodeFlags();
    const daemon = spawn(process.execPath, [...flags, join(ROOT, 'bin', 'easygas.js'), 'gateway', '--simulate', '--data-dir', join(tmpDir, 'data'), '--log-level', 'warn'], {
      cwd: tmpDir,
      stdio: 'ignore',
      env: { ...process.env, ...unitEnv },
    });
    log(`daemon: node ${flags.join(' ')}, environment ${JSON.stringify(unitEnv)} (from systemd/easygas-gateway.service)`);
    const samples: { atMs: number; mb: number }[] = [];
    const start = Date.now();
    try {
      while (Date.now() - start < durationMs) {
        await waitMs(quick ? 1_000 : 10_000);
        if (daemon.exitCode !== null) throw new Error(`the daemon exited with ${daemon.exitCode}`);
        samples.push({ atMs: Date.now() - start, mb: rssMb(daemon.pid!) });
        if (samples.length % 6 === 0) log(`${Math.round((Date.now() - start) / 1000)} s: RSS ${samples.at(-1)!.mb.toFixed(1)} MB`);
      }
      const bareMb = rssMb(bare.pid!);
      const end = samples.at(-1)!.mb;
      const half = samples.filter((s) => s.atMs >= durationMs / 2);
      const growth = end - (half[0]?.mb ?? end);
      const minutes = (durationMs / 60_000).toFixed(durationMs < 60_000 ? 2 : 0);
      const figures: Figure[] = [
        {
          name: 'simulate daemon RSS',
          value: end,
          unit: 'MB',
          baseline: bareMb,
          baselineName: 'idle bare node',
          target: { on: 'value', op: '<', limit: 80 },
          note: `after ${minutes} min at 60× speed (store worker included); peak ${Math.max(...samples.map((s) => s.mb)).toFixed(1)} MB`,
        },
        {
          name: 'simulate daemon RSS growth, second half',
          value: growth,
          unit: 'MB',
          target: { on: 'value', op: '<', limit: 2 },
          note: `from ${half[0]?.mb.toFixed(1)} MB at ${((half[0]?.atMs ?? 0) / 60_000).toFixed(1)} min to ${end.toFixed(1)} MB`,
        },
      ];
      return figures;
    } finally {
      await stop(daemon);
      await stop(bare);
    }
  },
};
