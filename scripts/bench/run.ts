/**
 * `npm run bench [-- --json] [--quick] [--only NAME]`: runs every benchmark and
 * prints each figure beside its same-run baseline, as a ratio, with its target.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toResult, type Result } from './harness.js';
import { BENCHES } from './index.js';

const args = process.argv.slice(2);
const json = args.includes('--json');
const quick = args.includes('--quick');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;

const results: Result[] = [];
for (const load of BENCHES) {
  const bench = await load();
  if (only !== undefined && !bench.name.includes(only)) continue;
  const tmp = mkdtempSync(join(tmpdir(), `easygas-bench-${bench.name}-`));
  const log = (message: string): void => {
    if (!json) process.stderr.write(`  [${bench.name}] ${message}\n`);
  };
  if (!json) process.stderr.write(`\n${bench.name}: ${bench.description}\n`);
  try {
    const figures = await bench.run({ quick, tmpDir: tmp, log });
    for (const figure of figures) {
      const result = toResult(figure);
      results.push(result);
      if (!json) print(result, figure.baselineName, figure.note);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else {
  const missed = results.filter((r) => r.met === false);
  process.stdout.write(`\n${results.length} figures; ${missed.length} missed their target${missed.length ? `: ${missed.map((m) => m.name).join(', ')}` : ''}\n`);
}

function fmt(n: number | null): string {
  if (n === null) return '—';
  const abs = Math.abs(n);
  return abs >= 1000 ? n.toFixed(0) : abs >= 10 ? n.toFixed(1) : n.toFixed(3);
}

function print(r: Result, baselineName: string | undefined, note: string | undefined): void {
  const mark = r.met === null ? '' : r.met ? '  ✓' : '  ✗ MISSED';
  const base = r.baseline === null ? '' : `  baseline ${fmt(r.baseline)} ${r.unit}${baselineName ? ` (${baselineName})` : ''}  ratio ${fmt(r.ratio)}`;
  const target = r.target === null ? '' : `  target ${r.target}`;
  process.stdout.write(`  ${r.name}: ${fmt(r.value)} ${r.unit}${base}${target}${mark}${note ? `  — ${note}` : ''}\n`);
}
