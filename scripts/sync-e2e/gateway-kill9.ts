/**
 * kill -9 of the gateway, 20 times, each time while a batch is on its way to the
 * cloud. Only the open write batch of each killed process may be lost (it never
 * reached the store, so it is not in the comparison); nothing stored may be
 * missing in the cloud, and nothing may be there twice.
 */
import assert from 'node:assert/strict';
import { chaosScenario } from './scenario.js';
import { startGateway, type CloudKind } from './chaos-rig.js';

const KILLS = 20;

/** One file per cloud (gateway-kill9-*.test.ts): 20 process starts each keep a file near a minute. */
export function gatewayKill9Scenario(kind: CloudKind): void {
  chaosScenario('sync chaos: kill -9 of the gateway mid-batch', 2_000, async (rig) => {
    let killedMidBatch = 0;
    for (let i = 0; i < KILLS; i++) {
      const gw = startGateway({ dataDir: rig.dataDir, rate: 2_000, batchMaxRecords: 200 });
      try {
        const inFlight = new Promise<void>((resolve) => {
          rig.proxy.onIngest = () => resolve();
        });
        await gw.ready;
        await Promise.race([inFlight, gw.exited.then(() => Promise.reject(new Error(`gateway died by itself: ${gw.stderr()}`)))]);
        killedMidBatch++;
      } finally {
        rig.proxy.onIngest = undefined;
        await gw.kill9();
      }
    }
    assert.equal(killedMidBatch, KILLS);
  }, 120_000, [kind]);
}
