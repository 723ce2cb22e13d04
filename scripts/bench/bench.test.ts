import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import type { Result } from './harness.js';

const root = resolve(import.meta.dirname, '..', '..');

/** Runs `npm run bench -- --quick --json` the way CI would, and returns its parsed output. */
function runQuickBench(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench/run.ts', '--quick', '--json'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** The figures the gateway benches promise; losing one from index.ts must fail here. */
const GATEWAY_FIGURES = [
  'gateway throughput',
  'alarm latency p50',
  'alarm latency p99',
  'alarm latency p50, store under load',
  'alarm latency p99, store under load',
  "alarm latency p99 (unit's node flags)",
  "alarm latency p99, store under load (unit's node flags)",
  'disk bytes per reading (wchar)',
  'disk bytes per reading (write_bytes)',
  'simulate daemon RSS',
  'simulate daemon RSS growth, second half',
  'mqtt node readings through broker, pipeline and store',
  'daemon RSS with 200 MQTT clients',
];

/** The forecast backtest's figures (issue 20): the README quotes them. */
const FORECAST_FIGURES = ['forecast empty-date MAE, 7 days out', 'forecast empty-date MAE, 30 days out', 'forecast truths inside P10–P90'];

/** Issue 18's promise under load: a street's gas alarms at once, each owner told within 5 s (SQLite always runs). */
const ALARM_BURST_FIGURES = ['gas alarm burst → inbox p50, SQLite', 'gas alarm burst → inbox p99, SQLite'];

describe('benchmarks (quick run)', () => {
  // The dashboard bench starts Chromium: about 40 s of the smoke run on a loaded 2-core machine.
  it('print one JSON array in which every figure keeps the contract and has a finite value', { timeout: 600_000 }, async () => {
    const { code, stdout, stderr } = await runQuickBench();
    assert.equal(code, 0, `bench run failed:\n${stderr}`);
    const results = JSON.parse(stdout) as Result[];
    assert.ok(Array.isArray(results) && results.length > 0, 'no figures');
    for (const r of results) {
      const where = `figure ${JSON.stringify(r)}`;
      assert.deepEqual(Object.keys(r).sort(), ['baseline', 'met', 'name', 'ratio', 'target', 'unit', 'value'], where);
      assert.ok(typeof r.name === 'string' && r.name !== '', where);
      assert.ok(typeof r.unit === 'string' && r.unit !== '', where);
      assert.ok(isFiniteNumber(r.value), `${where}: value is not finite`);
      assert.ok(r.baseline === null || isFiniteNumber(r.baseline), `${where}: baseline is not finite`);
      if (r.baseline !== null && r.baseline !== 0) assert.ok(isFiniteNumber(r.ratio), `${where}: no ratio beside the baseline`);
      assert.ok(r.target === null || typeof r.target === 'string', where);
      assert.ok(r.met === null || typeof r.met === 'boolean', where);
      if (r.target !== null) assert.notEqual(r.met, null, `${where}: a target that was not judged`);
    }
    const names = results.map((r) => r.name);
    for (const name of [...GATEWAY_FIGURES, ...FORECAST_FIGURES, ...ALARM_BURST_FIGURES]) assert.ok(names.includes(name), `missing figure "${name}" (have: ${names.join(', ')})`);
    assert.equal(new Set(names).size, names.length, `figure names repeat: ${names.join(', ')}`);
  });
});
