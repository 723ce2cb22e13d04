/**
 * The anomaly job on SQLite and PostgreSQL: a rapid drop on a linked tank becomes
 * one notification, never two — not on the next tick, not with two jobs at once.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { ReadingRecord } from '../../../protocol/index.js';
import type { CloudApp } from '../../context.js';
import { STORAGE_KINDS, call, claimGateway, signUp, type SignedIn, type StorageKind } from '../../test-support/harness.js';
import { HOUR, newTank } from '../../test-support/order-world.js';
import { storageSuite } from '../../test-support/storage-suite.js';
import { AnomalyJob } from './anomaly-job.js';

for (const storage of STORAGE_KINDS) anomalyJob(storage);

const quiet = { warn: () => undefined } as unknown as CloudApp['log'];

function anomalyJob(storage: StorageKind): void {
  describe(`anomaly job on ${storage}`, () => {
    let ann: SignedIn;
    let gatewayId: string;
    const { h, test } = storageSuite(storage, { ingestRateLimit: { max: 100_000, windowMs: 60_000 } }, async (harness) => {
      ann = await signUp(harness.app, 'Ann');
      const gw = await claimGateway(harness.app, ann.token);
      gatewayId = gw.gatewayId;
      // 15 days of meals' use on a 1,000 L water tank, then 25 % gone within the last hour but two (hourly means see half of it in each of two hours).
      const now = harness.clock.now();
      const start = now - 15 * 24 * HOUR;
      let level = 90;
      const records: ReadingRecord[] = [];
      for (let i = 0; i < 15 * 24 * 4; i++) {
        const at = start + i * 15 * 60_000;
        if (at >= now - 3 * HOUR && at < now - 2 * HOUR) level -= 25 / 4;
        else if ([7, 12, 18, 19].includes(new Date(at).getUTCHours()) && i % 4 === 0) level -= 0.6;
        records.push({ record: 'reading', seq: i + 1, sensorId: 'tank', sensorKind: 'level', at, value: level, unit: '%', percent: level, litres: level * 10, quality: 'ok', clockSynced: true });
      }
      for (let b = 0; b < records.length; b += 1000) {
        const batch = records.slice(b, b + 1000);
        const ack = await call(harness.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: b, lastSeq: b + batch.length, records: batch } });
        assert.equal(ack.status, 200, ack.text);
      }
    });

    const anomalyNotes = async () =>
      (await h().repo.notifications.list(ann.userId, { limit: 100 })).filter((n) => n.type.startsWith('anomaly.'));

    test('a rapid drop on a linked tank is notified once, with what was seen and what to check', async () => {
      await newTank(h(), ann.token, null, { name: 'Rain tank', product: 'water', sensorId: `${gatewayId}:tank` });
      const job = new AnomalyJob(h().app.cloud.repo, h().clock, quiet);
      assert.equal((await job.run()).raised, 1);
      const [note] = await anomalyNotes();
      assert.equal(note?.type, 'anomaly.rapid_drop');
      assert.equal(note?.severity, 'critical');
      assert.match(note?.title ?? '', /^Rain tank: rapid drop$/);
      assert.match(note?.message ?? '', /fell .* within one hour/i);
      assert.equal((await job.run()).raised, 0, 'the next tick raises nothing new');
      assert.equal((await anomalyNotes()).length, 1);
    });

    test('two jobs at once (two API processes) still notify once', async () => {
      await newTank(h(), ann.token, null, { name: 'Second tank', product: 'water', sensorId: `${gatewayId}:tank` });
      const [a, b] = [new AnomalyJob(h().app.cloud.repo, h().clock, quiet), new AnomalyJob(h().app.cloud.repo, h().clock, quiet)];
      const [ra, rb] = await Promise.all([a.run(), b.run()]);
      assert.equal(ra.raised + rb.raised, 1);
      assert.equal((await anomalyNotes()).filter((n) => n.title.startsWith('Second tank')).length, 1);
    });
  });
}
