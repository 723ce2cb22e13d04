/**
 * GET /api/supplier/customers on SQLite and PostgreSQL: the tanks preferring the
 * supplier or ordered from it, soonest reorder date first (the hourly analysis
 * stores the forecast it reads), tanks with no forecast last with their reason,
 * paged by cursor; another supplier's customers never appear.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import type { ReadingRecord } from '../../../protocol/index.js';
import type { CloudApp } from '../../context.js';
import { STORAGE_KINDS, call, claimGateway, signUp, type SignedIn, type StorageKind } from '../../test-support/harness.js';
import { HOUR, newTank, supplierProfile, windowFrom } from '../../test-support/order-world.js';
import { storageSuite } from '../../test-support/storage-suite.js';
import { AnomalyJob } from '../analytics/anomaly-job.js';
import { NOT_ANALYSED } from './customers-service.js';

interface Row {
  tankId: string;
  tankName: string;
  customer: { name: string; email: string };
  levelPercent: number | null;
  levelAgeMs: number | null;
  reorderBy: { ok: true; at: number; p10: number; p90: number | null } | { ok: false; reason: string };
  emptyBy: { ok: true; at: number } | { ok: false; reason: string };
  openOrder: { number: string; status: string } | null;
}
interface Page {
  tanks: Row[];
  nextCursor: string | null;
}

const DAY = 24 * HOUR;
const quiet = { warn: () => undefined } as unknown as CloudApp['log'];

for (const storage of STORAGE_KINDS) supplierCustomers(storage);

function supplierCustomers(storage: StorageKind): void {
  describe(`supplier customers on ${storage}`, () => {
    let gasCo: SignedIn;
    let otherCo: SignedIn;
    let ann: SignedIn;
    let bob: SignedIn;
    const tanks: Record<string, string> = {};
    const { h, test } = storageSuite(storage, { ingestRateLimit: { max: 100_000, windowMs: 60_000 } }, async (harness) => {
      gasCo = await signUp(harness.app, 'Gas Co', 'supplier');
      otherCo = await signUp(harness.app, 'Other Co', 'supplier');
      const gasId = (await supplierProfile(harness, gasCo)).id;
      const otherId = (await supplierProfile(harness, otherCo)).id;
      ann = await signUp(harness.app, 'Ann Customer');
      bob = await signUp(harness.app, 'Bob Customer');
      // Ann's sensed tank: 10 days of 2.4 %/day from 60 %, through the gateway ingest route.
      const gw = await claimGateway(harness.app, ann.token);
      const now = harness.clock.now();
      const records: ReadingRecord[] = [];
      for (let i = 0; i < 10 * 24 * 4; i++) {
        const at = now - 10 * DAY + i * 15 * 60_000;
        const level = 60 - (2.4 * i) / 96;
        records.push({ record: 'reading', seq: i + 1, sensorId: 'lpg', sensorKind: 'level', at, value: level, unit: '%', percent: level, litres: level * 10, quality: 'ok', clockSynced: true });
      }
      for (let b = 0; b < records.length; b += 1000) {
        const batch = records.slice(b, b + 1000);
        const ack = await call(harness.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: b, lastSeq: b + batch.length, records: batch } });
        assert.equal(ack.status, 200, ack.text);
      }
      tanks.sensed = await newTank(harness, ann.token, gasId, { name: 'Sensed', sensorId: `${gw.gatewayId}:lpg` });
      tanks.bare = await newTank(harness, ann.token, gasId, { name: 'Bare' });
      tanks.soon = await newTank(harness, ann.token, gasId, { name: 'Soon' });
      tanks.late = await newTank(harness, bob.token, gasId, { name: 'Late' });
      tanks.bobOther = await newTank(harness, bob.token, otherId, { name: 'Bob at Other' });
      // A tank preferring Other Co, with an order placed with Gas Co: Gas Co's customer too.
      tanks.orderedHere = await newTank(harness, bob.token, otherId, { name: 'Ordered from Gas Co' });
      const placed = await call<{ status: string }>(harness.app, 'POST', '/api/orders', { token: bob.token, body: { tankId: tanks.orderedHere, supplierId: gasId, litres: 300, window: windowFrom(harness) } });
      assert.equal(placed.status, 201, JSON.stringify(placed.body));
      // The hourly analysis stores the sensed tank's forecast (and drops those of unsensed tanks, so it runs first here).
      await new AnomalyJob(harness.app.cloud.repo, harness.clock, quiet).run();
      // Stored forecasts for tanks without readings, as the hourly analysis would write them.
      const at = (days: number) => ({ at: now + days * DAY, p10: now + (days - 1) * DAY, p90: now + (days + 1) * DAY });
      await harness.repo.tankForecasts.save(tanks.soon, { level: { at: now - HOUR, percent: 22 }, reorderBy: at(1), emptyBy: at(9) }, now);
      await harness.repo.tankForecasts.save(tanks.late, { level: { at: now - 2 * HOUR, percent: 80 }, reorderBy: at(40), emptyBy: at(60) }, now);
      await harness.repo.tankForecasts.save(tanks.orderedHere, { level: { at: now - 5 * DAY, percent: 30 }, reorderBy: { reason: 'the last reading is 120 hours old' }, emptyBy: { reason: 'the last reading is 120 hours old' } }, now);
      await harness.repo.tankForecasts.save(tanks.bobOther, { level: { at: now, percent: 10 }, reorderBy: at(0), emptyBy: at(3) }, now);
    });

    const list = (token: string, query: Record<string, string> = {}) => call<Page>(h().app, 'GET', '/api/supplier/customers', { token, query });

    test('soonest reorder date first, from the forecast the hourly analysis stored; no forecast last, with the reason', async () => {
      const answer = await list(gasCo.token);
      assert.equal(answer.status, 200, answer.text);
      const names = answer.body.tanks.map((t) => t.tankName);
      assert.deepEqual(names.slice(0, 3), ['Soon', 'Sensed', 'Late']);
      assert.deepEqual(new Set(names.slice(3)), new Set(['Bare', 'Ordered from Gas Co']));
      const sensed = answer.body.tanks.find((t) => t.tankName === 'Sensed');
      assert.ok(sensed?.reorderBy.ok === true, JSON.stringify(sensed));
      // 60 − 24 = 36 % now, reorder at the tank's level (newTank's default), at 2.4 %/day.
      assert.ok(sensed.levelPercent !== null && Math.abs(sensed.levelPercent - 36) < 1.5, `level ${sensed.levelPercent}`);
      assert.ok(sensed.reorderBy.p10 <= sensed.reorderBy.at, 'a band around the date');
      assert.deepEqual(sensed.customer, { name: 'Ann Customer', email: ann.email });
      const bare = answer.body.tanks.find((t) => t.tankName === 'Bare');
      assert.deepEqual([bare?.reorderBy, bare?.levelPercent], [{ ok: false, reason: NOT_ANALYSED }, null]);
      const ordered = answer.body.tanks.find((t) => t.tankName === 'Ordered from Gas Co');
      assert.deepEqual(ordered?.reorderBy, { ok: false, reason: 'the last reading is 120 hours old' });
      assert.equal(ordered?.openOrder?.status, 'placed');
      assert.equal(ordered?.levelAgeMs, 5 * DAY);
      assert.ok(!/NaN|Infinity/.test(answer.text));
    });

    test("another supplier's customers never appear, nor its orders", async () => {
      const gas = (await list(gasCo.token)).body.tanks.map((t) => t.tankName);
      assert.ok(!gas.includes('Bob at Other'), 'a tank preferring another supplier, never ordered from this one');
      const other = (await list(otherCo.token)).body.tanks;
      assert.deepEqual(new Set(other.map((t) => t.tankName)), new Set(['Bob at Other', 'Ordered from Gas Co']));
      assert.equal(other.find((t) => t.tankName === 'Ordered from Gas Co')?.openOrder, null, "Gas Co's order is not Other Co's business");
    });

    test('pages by cursor: every tank once, in order; a bad cursor is a 400 naming query.cursor', async () => {
      const all = (await list(gasCo.token)).body.tanks.map((t) => t.tankId);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof list>> = await list(gasCo.token, { limit: '2', ...(cursor === null ? {} : { cursor }) });
        assert.equal(page.status, 200, page.text);
        assert.ok(page.body.tanks.length <= 2);
        seen.push(...page.body.tanks.map((t) => t.tankId));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      assert.deepEqual(seen, all);
      const bad = await call<{ code: string; issues: { path: string }[] }>(h().app, 'GET', '/api/supplier/customers', { token: gasCo.token, query: { cursor: 'bm90LWEtY3Vyc29y' } });
      assert.deepEqual([bad.status, bad.body.code, bad.body.issues[0]?.path], [400, 'EASYGAS_VALIDATION', 'query.cursor']);
    });

    test('a customer may not ask; a supplier account without a profile has no customers', async () => {
      assert.equal((await list(ann.token)).status, 403);
      const bare = await signUp(h().app, 'New Co', 'supplier');
      assert.deepEqual((await list(bare.token)).body, { tanks: [], nextCursor: null });
    });

    test('a tank unlinked from its sensor loses its stored forecast at the next hourly run', async () => {
      const unlink = await call(h().app, 'PATCH', `/api/tanks/${tanks.sensed}`, { token: ann.token, body: { sensorId: null } });
      assert.equal(unlink.status, 200, unlink.text);
      await new AnomalyJob(h().app.cloud.repo, h().clock, quiet).run();
      const sensed = (await list(gasCo.token)).body.tanks.find((t) => t.tankName === 'Sensed');
      assert.deepEqual([sensed?.reorderBy, sensed?.levelPercent], [{ ok: false, reason: NOT_ANALYSED }, null]);
    });
  });
}
