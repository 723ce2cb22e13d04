/**
 * A tank created with a sensorId and no capacityLitres takes its capacity from the
 * sensor's latest reading (litres at percent), on SQLite and PostgreSQL; without a
 * reading that carries both, or without a sensor, the 400 names capacityLitres. A
 * capacity that is sent wins.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { suiteHarness } from '../../test-support/suite-harness.js';
import { STORAGE_KINDS, call, claimGateway, type Harness, type SignedIn, type StorageKind } from '../../test-support/harness.js';
import { tankBody } from '../../test-support/order-world.js';

for (const storage of STORAGE_KINDS) capacityFromSensor(storage);

function capacityFromSensor(storage: StorageKind): void {
  describe(`tank capacity from its sensor on ${storage}`, () => {
    let h: Harness;
    const suite = suiteHarness(storage);
    let ann: SignedIn;
    let gatewayId: string;
    let credential: string;

    before(async () => {
      if (suite.skip !== undefined) return;
      ({ h, ann } = suite);
      ({ gatewayId, credential } = await claimGateway(h.app, ann.token));
    });

    let seq = 0;
    const ingest = async (sensorId: string, values: { percent: number; litres?: number }) => {
      seq++;
      const record = { record: 'reading', seq, sensorId, sensorKind: 'level', at: h.clock.now() - 1_000 + seq, value: values.percent, unit: '%', quality: 'ok', clockSynced: true, ...values };
      const answer = await call(h.app, 'POST', '/api/sensors/data', { token: credential, body: { afterSeq: seq - 1, lastSeq: seq, records: [record] } });
      assert.equal(answer.status, 200, answer.text);
    };
    const create = (overrides: Record<string, unknown>) => {
      const { capacityLitres: _dropped, ...body } = tankBody(null, overrides);
      return call<{ capacityLitres: number; issues?: { path: string }[] }>(h.app, 'POST', '/api/tanks', { token: ann.token, body: { ...body, ...('capacityLitres' in overrides ? { capacityLitres: overrides.capacityLitres } : {}) } });
    };

    it('derives the capacity from the latest reading with litres and percent', async (t) => {
      if (suite.skip !== undefined) return t.skip(suite.skip);
      await ingest('lpg', { percent: 40, litres: 1400 });
      await ingest('lpg', { percent: 62.5, litres: 1875.2 });
      const tank = await create({ sensorId: `${gatewayId}:lpg` });
      assert.equal(tank.status, 201, tank.text);
      assert.equal(tank.body.capacityLitres, 3000, 'from the newest reading: 1875.2 L at 62.5 %');
      const sent = await create({ sensorId: `${gatewayId}:lpg`, capacityLitres: 2500 });
      assert.equal(sent.body.capacityLitres, 2500, 'a capacity sent wins');
    });

    it('names capacityLitres when nothing carries it', async (t) => {
      if (suite.skip !== undefined) return t.skip(suite.skip);
      await ingest('roof', { percent: 50 });
      await ingest('empty', { percent: 1, litres: 10 });
      for (const overrides of [{}, { sensorId: `${gatewayId}:roof` }, { sensorId: `${gatewayId}:empty` }]) {
        const answer = await create(overrides);
        assert.equal(answer.status, 400, `${JSON.stringify(overrides)}: ${answer.text}`);
        assert.deepEqual(answer.body.issues?.map((i) => i.path), ['capacityLitres']);
      }
    });
  });
}
