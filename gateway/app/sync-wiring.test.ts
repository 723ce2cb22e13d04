import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { credentialPath, writeCredentialFile } from '../../cloud-sync/client/credential-file.js';
import { FakeCloud } from '../../cloud-sync/client/test-support/fake-cloud.js';
import { waitFor } from '../../cloud-sync/client/test-support/wait-for.js';
import { silentLogger } from '../../hardware/logger.js';
import { SensorOverrides } from './sensor-overrides.js';
import { syncStatusOf } from '../api/status-view.js';
import { exampleLoaded, startRig } from './test-support/daemon-rig.js';
import { wireSensor } from './sync-wiring.js';
import type { Reading } from '../pipeline/types.js';

const MINUTE = 60_000;

describe('the heartbeat sensor', () => {
  const good: Reading = { sensorId: 'kitchen-gas', kind: 'gas', at: 1_000, mono: 1, clockSynced: true, value: 2.5, unit: '%LEL', raw: 0.8, quality: 'ok' };
  const cold: Reading = { ...good, at: 5_000, value: 38, quality: 'warming_up' };
  const base = { id: 'kitchen-gas', name: 'Kitchen gas sniffer', kind: 'gas', samples: 2, rejected: 0 } as const;

  it('carries only a good value, with its own time: never a faulty or warming-up number', () => {
    assert.deepEqual(wireSensor({ ...base, health: 'ok', reading: good, lastGood: good }), {
      id: 'kitchen-gas', name: 'Kitchen gas sniffer', kind: 'gas', health: 'ok', lastReadingAt: 1_000, value: 2.5, unit: '%LEL',
    });
    const warming = wireSensor({ ...base, health: 'warming_up', reading: cold, lastGood: good });
    assert.equal(warming.value, 2.5);
    assert.equal(warming.lastReadingAt, 1_000, 'labelled with the good value\'s time');
    assert.equal(wireSensor({ ...base, health: 'warming_up', reading: cold }).value, undefined);
  });
});

describe('sync wiring', () => {
  it('leaves daemon.sync undefined while cloud.enabled is false', async () => {
    const rig = await startRig();
    try {
      assert.equal(rig.daemon.sync, undefined);
      assert.equal((await syncStatusOf(rig.daemon)).state, 'disabled', 'what GET /api/sync answers');
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

  it('applies alert rules and calibrations edited in the cloud without a restart, keeps them for the next boot, and asks again by ETag', async () => {
    const cloud = new FakeCloud();
    const url = await cloud.listen();
    const editedAt = Date.now();
    cloud.deviceConfig = {
      version: 3,
      rules: [
        { id: 'r1', sensorId: 'kitchen-gas', enabled: true, updatedAt: editedAt, type: 'gas', params: { warningLel: 5, alarmLel: 15 } },
        { id: 'r2', sensorId: 'kitchen-gas', enabled: true, updatedAt: editedAt, type: 'device_offline', params: {} },
      ],
      calibrations: {
        'kitchen-gas': {
          updatedAt: editedAt,
          calibration: { type: 'mq6', supplyVolts: 5, loadOhms: 20_000, r0Ohms: 12_345, curve: { a: 1000, b: -2.2 }, gasMix: { propane: 0.6, butane: 0.4 } },
        },
      },
    };
    const rig = await startRig({
      sync: true,
      patch: (doc) => {
        doc.cloud = { enabled: true, url };
      },
    });
    try {
      const sync = rig.daemon.sync;
      assert.ok(sync !== undefined);
      writeCredentialFile(credentialPath(rig.dataDir), { version: 1, cloudUrl: url, gatewayId: 'gw', credential: 'good', provisionedAt: Date.now() });
      await waitFor('the config fetched', () => cloud.requests.some((r) => r.path === '/api/devices/config'));
      await sync.syncNow();
      const gasRule = rig.daemon.hub.specOf('kitchen-gas')?.rules.find((r) => r.type === 'gas');
      assert.ok(gasRule !== undefined && 'warningLel' in gasRule);
      assert.equal(gasRule.warningLel, 5, 'the running sensor uses the cloud thresholds');
      assert.equal(gasRule.alarmLel, 15);
      // A reboot without network: the overrides file alone brings them back.
      const { config, document } = await exampleLoaded((doc) => {
        doc.cloud = { enabled: true, url };
      });
      const reloaded = SensorOverrides.load({ dataDir: rig.dataDir, document, logger: silentLogger, now: () => Date.now() });
      assert.equal(reloaded.cloudConfigVersion, '3');
      const gas = reloaded.sensors(config).find((s) => s.id === 'kitchen-gas');
      assert.ok(gas?.calibration.type === 'mq6');
      assert.equal(gas.calibration.r0Ohms, 12_345);
      // The version is held: the next heartbeat matches it and nothing is fetched again.
      const fetches = cloud.requests.filter((r) => r.path === '/api/devices/config').length;
      await sync.syncNow();
      assert.equal(cloud.requests.filter((r) => r.path === '/api/devices/config').length, fetches);
    } finally {
      await rig.stop();
      await cloud.close();
    }
  });
});
