/**
 * GET /api/tanks/:id/analytics on SQLite and PostgreSQL: readings ingested through
 * the gateway API become the tank's usage, forecast and tips; another customer's
 * tank is 404, a bad time zone a 400 naming the field.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { ReadingRecord } from '../../../protocol/index.js';
import { STORAGE_KINDS, call, claimGateway, signUp, type SignedIn, type StorageKind } from '../../test-support/harness.js';
import { HOUR, newTank, supplierProfile, supplierSteps, windowFrom } from '../../test-support/order-world.js';
import { storageSuite } from '../../test-support/storage-suite.js';

interface Analytics {
  tankId: string;
  current: { percent: number; litres: number | null } | null;
  days: { date: string; percent: number; complete: boolean }[];
  deliveries: { at: number; litres: number | null; beforePercent: number | null; order: { number: string; orderedLitres: number; deliveredLitres: number | null } | null }[];
  forecast: { basis: string; reorderBy: { ok: boolean }; emptyBy: { ok: boolean; estimate?: { at: number; p10: number; p90: number | null } }; projection: { at: number; p10: number; p50: number; p90: number }[] };
  anomalies: { type: string }[];
  tips: { kind: string; text: string }[];
}

for (const storage of STORAGE_KINDS) analyticsRoutes(storage);

function analyticsRoutes(storage: StorageKind): void {
  describe(`tank analytics on ${storage}`, () => {
    let ann: SignedIn;
    let tankId: string;
    let start: number;
    let supplierToken: string;
    const { h: harness, test } = storageSuite(storage, { authRateLimit: { max: 100_000, windowMs: 60_000 }, ingestRateLimit: { max: 100_000, windowMs: 60_000 } }, async (h) => {
      ann = await signUp(h.app, 'Ann');
      const gasCo = await signUp(h.app, 'Gas Co', 'supplier');
      supplierToken = gasCo.token;
      const supplierId = (await supplierProfile(h, gasCo)).id;
      const gw = await claimGateway(h.app, ann.token);
      // 20 days of an LPG cylinder: 0.6 % at each meal, a refill on day 12 (no order placed), then now.
      start = h.clock.now() - 20 * 24 * HOUR;
      let level = 70;
      const records: ReadingRecord[] = [];
      for (let i = 0; i < 20 * 24 * 4; i++) {
        const at = start + i * 15 * 60_000;
        const hourOfDay = new Date(at).getUTCHours();
        if (i === 12 * 24 * 4) level = 80;
        else if ([7, 12, 18, 19].includes(hourOfDay) && i % 4 === 0) level -= 0.6;
        records.push({ record: 'reading', seq: i + 1, sensorId: 'lpg', sensorKind: 'level', at, value: level, unit: '%', percent: level, litres: level * 10, quality: 'ok', clockSynced: true });
      }
      for (let b = 0; b < records.length; b += 1000) {
        const batch = records.slice(b, b + 1000);
        const ack = await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: b, lastSeq: b + batch.length, records: batch } });
        assert.equal(ack.status, 200, ack.text);
      }
      tankId = await newTank(h, ann.token, supplierId, { sensorId: `${gw.gatewayId}:lpg` });
    });

    test('usage, the refill as a delivery, a forecast with its band, the refill with no order flagged', async () => {
      const answer = await call<Analytics>(harness().app, 'GET', `/api/tanks/${tankId}/analytics`, { token: ann.token, query: { tz: 'Europe/London', days: '14' } });
      assert.equal(answer.status, 200, answer.text);
      const a = answer.body;
      assert.equal(a.tankId, tankId);
      assert.equal(a.days.length, 14);
      const full = a.days.filter((d) => d.complete && d.percent > 0);
      assert.ok(full.length >= 10, JSON.stringify(a.days));
      for (const d of full) assert.ok(Math.abs(d.percent - 2.4) <= 0.7, `${d.date}: ${d.percent}`);
      assert.equal(a.deliveries.length, 1);
      assert.ok(Math.abs((a.deliveries[0]?.at ?? 0) - (start + 12 * 24 * HOUR)) <= 2 * HOUR);
      assert.equal(a.deliveries[0]?.order, null, 'no order: a refill of unknown origin');
      assert.ok(a.forecast.emptyBy.ok, a.forecast.basis);
      const e = a.forecast.emptyBy.estimate;
      assert.ok(e !== undefined && e.p10 <= e.at && (e.p90 === null || e.at <= e.p90));
      assert.match(a.forecast.basis, /^from \d+ days of use/);
      const curve = a.forecast.projection;
      assert.ok(curve.length > 2, 'a projection curve for the chart');
      assert.equal(curve[0]?.p50, a.current?.percent, 'the curve starts at the current level');
      for (const p of curve) assert.ok(p.p10 <= p.p50 && p.p50 <= p.p90, JSON.stringify(p));
      const emptyAt = e?.at ?? 0;
      const crossing = curve.find((p) => p.p50 <= 0);
      assert.ok(crossing !== undefined && Math.abs(crossing.at - emptyAt) <= 7 * HOUR, 'the median line reaches empty at the empty-by date');
      assert.ok(a.anomalies.some((x) => x.type === 'refill_without_order'), JSON.stringify(a.anomalies));
      assert.ok(a.current !== null && a.current.litres !== null);
      assert.ok(!/NaN|Infinity/.test(answer.text));
    });

    test('a delivered order shows on the tank beside what the sensor saw', async () => {
      const h = harness();
      const placed = await call<{ id: string; number: string }>(h.app, 'POST', '/api/orders', { token: ann.token, body: { tankId, litres: 500, window: windowFrom(h) } });
      assert.equal(placed.status, 201, placed.text);
      await supplierSteps(h, supplierToken, placed.body.id, [{ status: 'scheduled', window: windowFrom(h) }, { status: 'delivered', actualLitres: 480 }]);
      const a = (await call<Analytics>(h.app, 'GET', `/api/tanks/${tankId}/analytics`, { token: ann.token })).body;
      const mine = a.deliveries.find((d) => d.order?.number === placed.body.number);
      assert.deepEqual(mine?.order, { id: placed.body.id, number: placed.body.number, orderedLitres: 500, deliveredLitres: 480 });
      assert.equal(mine?.beforePercent, null, 'the sensor has not seen it (yet)');
    });

    test("another customer's tank is 404; a time zone that is not one is a 400 naming query.tz", async () => {
      const bob = await signUp(harness().app, 'Bob');
      const other = await call<{ code: string }>(harness().app, 'GET', `/api/tanks/${tankId}/analytics`, { token: bob.token });
      assert.deepEqual([other.status, other.body.code], [404, 'EASYGAS_NOT_FOUND']);
      const badZone = await call<{ code: string; issues: { path: string }[] }>(harness().app, 'GET', `/api/tanks/${tankId}/analytics`, { token: ann.token, query: { tz: 'Mars/Olympus' } });
      assert.deepEqual([badZone.status, badZone.body.issues[0]?.path], [400, 'query.tz']);
    });

    test('a tank with no sensor and no levels: no numbers, a reason instead', async () => {
      const bare = await newTank(harness(), ann.token, null, { name: 'Spare cylinder' });
      const answer = await call<Analytics>(harness().app, 'GET', `/api/tanks/${bare}/analytics`, { token: ann.token });
      assert.equal(answer.status, 200);
      assert.equal(answer.body.current, null);
      assert.equal(answer.body.forecast.emptyBy.ok, false);
      assert.equal(answer.body.forecast.basis, 'no readings yet');
      assert.deepEqual(answer.body.forecast.projection, [], 'no forecast, no curve');
    });
  });
}
