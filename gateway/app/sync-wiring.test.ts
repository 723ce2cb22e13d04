import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialPath, writeCredentialFile } from '../../cloud-sync/client/credential-file.js';
import { FakeCloud } from '../../cloud-sync/client/test-support/fake-cloud.js';
import { waitFor } from '../../cloud-sync/client/test-support/wait-for.js';
import { startRig } from './test-support/daemon-rig.js';

const MINUTE = 60_000;

describe('sync wiring', () => {
  it('leaves daemon.sync undefined while cloud.enabled is false', async () => {
    const rig = await startRig();
    try {
      assert.equal(rig.daemon.sync, undefined);
    } finally {
      await rig.stop();
    }
  });

  it('uploads the store and heartbeats with the sensors when enabled and provisioned; status() and syncNow() on daemon.sync', async () => {
    const cloud = new FakeCloud();
    const url = await cloud.listen();
    const rig = await startRig({
      sync: true,
      patch: (doc) => {
        doc.cloud = { enabled: true, url, heartbeat: '5s' };
      },
    });
    try {
      const sync = rig.daemon.sync;
      assert.ok(sync !== undefined);
      await waitFor('not-provisioned without a credential file', () => sync.status().state === 'not-provisioned');
      writeCredentialFile(credentialPath(rig.dataDir), { version: 1, cloudUrl: url, gatewayId: 'gw', credential: 'good', provisionedAt: Date.now() });
      await rig.clock.advance(2 * MINUTE);
      const status = await sync.syncNow();
      assert.equal(status.state, 'idle', status.lastError);
      assert.ok(cloud.stored.size > 10, `the cloud got ${cloud.stored.size} records`);
      assert.equal(status.cursor, Math.max(...cloud.stored));
      assert.equal((await rig.store.backlog()).ackedSeq, status.cursor, "the store's cursor follows the cloud's answer");
      const heartbeat = cloud.requests.find((r) => r.path === '/api/devices/heartbeat');
      assert.ok(heartbeat !== undefined, 'a heartbeat was sent');
      const body = heartbeat.body as { version: string; clock: { synced: boolean }; sensors: { id: string; health: string }[] };
      assert.equal(body.version, 'test');
      assert.equal(body.clock.synced, true);
      assert.deepEqual(body.sensors.map((s) => s.id).sort(), rig.config.sensors.map((s) => s.id).sort());
    } finally {
      await rig.stop();
      await cloud.close();
    }
  });
});
