import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { freshPostgresSchema } from '../../cloud-sync/server/storage/test-support/postgres.js';
import { cloudIngestBench } from './cloud-ingest.js';
import { toResult } from './harness.js';

describe('cloud-ingest bench (quick)', () => {
  it('measures ingest and history on SQLite (and PostgreSQL when reachable), each beside its same-run baseline', { timeout: 120_000 }, async () => {
    const tmpDir = mkdtempSync(join(tmpdir(), 'easygas-bench-cloud-test-'));
    const log: string[] = [];
    try {
      const figures = await cloudIngestBench.run({ quick: true, tmpDir, log: (m) => log.push(m) });
      const names = figures.map((f) => f.name);
      const probe = await freshPostgresSchema().catch(() => ({ ok: false as const, reason: 'unreachable' }));
      if (probe.ok) await probe.fresh.drop();
      const expected = ['cloud ingest SQLite', 'cloud history p99 SQLite', ...(probe.ok ? ['cloud ingest PostgreSQL', 'cloud history p99 PostgreSQL'] : [])];
      assert.deepEqual(names, expected, log.join('\n'));
      for (const figure of figures) {
        const result = toResult(figure);
        assert.ok(Number.isFinite(result.value) && result.value > 0, `${figure.name}: ${result.value}`);
        assert.ok(result.baseline !== null && Number.isFinite(result.baseline) && result.baseline > 0, `${figure.name}: no baseline`);
        assert.notEqual(result.met, null, `${figure.name}: target not judged`);
      }
    } finally {
      rmSync(tmpDir, { recursive: true, force: true });
    }
  });
});
