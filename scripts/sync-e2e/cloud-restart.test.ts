/**
 * The cloud is killed (-9) and restarted while a batch is being stored, several
 * times, as the gateway keeps sampling.
 */
import assert from 'node:assert/strict';
import { chaosScenario } from './scenario.js';
import { startGateway } from './chaos-rig.js';

const RESTARTS = 5;

chaosScenario('sync chaos: the cloud restarted mid-request', 2_000, async (rig) => {
  const gw = startGateway({ dataDir: rig.dataDir, rate: 1_000, batchMaxRecords: 200 });
  try {
    await gw.ready;
    for (let i = 0; i < RESTARTS; i++) {
      await new Promise<void>((resolve) => {
        rig.proxy.onIngest = () => {
          rig.proxy.onIngest = undefined;
          resolve();
        };
      });
      await rig.killCloud();
    }
    assert.ok(rig.proxy.stats.requests > RESTARTS);
  } finally {
    rig.proxy.onIngest = undefined;
    await gw.kill9();
  }
}, 90_000);
