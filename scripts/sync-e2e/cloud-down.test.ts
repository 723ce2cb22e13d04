/**
 * The cloud is unreachable (connection refused) for a long stretch while the
 * gateway samples at a high rate; then it returns and the backlog drains.
 */
import assert from 'node:assert/strict';
import { waitFor } from '../../cloud-sync/client/test-support/wait-for.js';
import { chaosScenario } from './scenario.js';
import { startGateway } from './chaos-rig.js';

chaosScenario('sync chaos: cloud down for a long stretch', 8_000, async (rig) => {
  await rig.proxy.down();
  const gw = startGateway({ dataDir: rig.dataDir, rate: 2_000 });
  try {
    await gw.ready;
    // ~5 s at 2000 readings/s with no cloud.
    const started = Date.now();
    await waitFor('five seconds of sampling offline', () => Date.now() - started >= 5_000, 10_000, 100);
    assert.equal(rig.proxy.stats.requests, 0);
    await rig.proxy.up();
    const back = rig.proxy.stats.requests;
    await waitFor('the gateway noticing the cloud is back', () => rig.proxy.stats.requests > back, 8_000, 20);
  } finally {
    await gw.kill9();
  }
});
