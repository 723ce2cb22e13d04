/**
 * Runs one chaos scenario against a SQLite cloud and a PostgreSQL cloud, and
 * asserts the guarantee: after a final drain, the cloud holds exactly the
 * (gateway, seq) set of the gateway's store — nothing missing, nothing extra, no
 * row twice — and keeps the "clock not synchronised" marks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { announceSkip } from '../../cloud-sync/server/storage/test-support/postgres.js';
import { drainAndCompare, startRig, type CloudKind, type Rig } from './chaos-rig.js';

export function chaosScenario(
  name: string, minRecords: number, body: (rig: Rig) => Promise<void>, timeoutMs = 60_000, kinds: readonly CloudKind[] = ['sqlite', 'postgres'],
): void {
  describe(name, () => {
    for (const kind of kinds) {
      it(`${kind} cloud: every reading arrives exactly once`, { timeout: timeoutMs }, async () => {
        const rig = await startRig(kind);
        if ('skip' in rig) {
          announceSkip(`${name} (${kind})`, rig.skip);
          return;
        }
        try {
          await body(rig);
          const result = await drainAndCompare(rig);
          assert.ok(result.storeSeqs.length >= minRecords, `the gateway stored ${result.storeSeqs.length} records, expected at least ${minRecords}`);
          assert.deepEqual(result.missing.slice(0, 20), [], `${result.missing.length} records never reached the cloud`);
          assert.deepEqual(result.extra.slice(0, 20), [], `${result.extra.length} records in the cloud that the store does not hold`);
          assert.equal(result.rows, result.cloudCount, 'a seq is stored twice in the cloud');
          assert.ok(result.clockMarksKept, 'the cloud keeps clockSynced: false on the readings stamped before the clock was synchronised');
        } finally {
          await rig.close();
        }
      });
    }
  });
}
