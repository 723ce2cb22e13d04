/**
 * The cloud answers at random with 500s, never (timeouts), slowly (dripping
 * bodies), or the connection drops before or after the cloud stored the batch.
 */
import assert from 'node:assert/strict';
import { waitFor } from '../../cloud-sync/client/test-support/wait-for.js';
import { chaosScenario } from './scenario.js';
import { startGateway } from './chaos-rig.js';

chaosScenario('sync chaos: a faulty link to the cloud', 8_000, async (rig) => {
  rig.proxy.faultRate = 0.4;
  // Small batches: many requests, so every kind of fault happens many times.
  const gw = startGateway({ dataDir: rig.dataDir, rate: 1_000, batchMaxRecords: 100, requestTimeoutMs: 1_000 });
  try {
    await gw.ready;
    await waitFor('every kind of fault, a few times each', () => Object.values(rig.proxy.stats.faults).every((n) => n >= 3), 40_000, 50);
    assert.ok(rig.proxy.stats.faults['drop-after'] >= 3, 'acknowledgements were lost after the cloud stored the batch');
  } finally {
    await gw.kill9();
  }
});
