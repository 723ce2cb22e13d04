/**
 * Two stages for a level, judged in the cloud, on SQLite and PostgreSQL: a tank
 * linked to the sensor gives a heads-up at its reorder level and the alert at its
 * low threshold, each once while the level stays below (even wobbling at the
 * line), and one "resolved" each after a refill; a sensor with no tank takes its
 * low_level rule's warning and critical percents.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { reading } from '../storage/test-support/seed.js';
import { stageChange } from '../storage/repositories/level-stages.js';
import { call, claimGateway, signUp, STORAGE_KINDS, StorageUnavailable, startHarness, type Claimed, type Harness, type SignedIn } from '../test-support/harness.js';
import { tankBody } from '../test-support/order-world.js';

describe('a level stage changes once per crossing', () => {
  it('raises at or below the level, clears only HYSTERESIS points above it', () => {
    assert.deepEqual([stageChange(25, 25, false), stageChange(26, 25, false), stageChange(24, 25, true), stageChange(29, 25, true), stageChange(31, 25, true)], ['raise', undefined, undefined, undefined, 'clear']);
  });
});

for (const storage of STORAGE_KINDS) {
  describe(`level stages on ${storage}`, () => {
    let h: Harness | undefined;
    let user: SignedIn;
    let gw: Claimed;
    let seq = 0;

    before(async () => {
      try {
        h = await startHarness({}, { storage });
      } catch (error) {
        if (!(error instanceof StorageUnavailable)) throw error;
        return;
      }
      user = await signUp(h.app);
      gw = await claimGateway(h.app, user.token);
    });
    after(async () => h?.close());

    async function level(sensorId: string, ...percents: number[]): Promise<void> {
      for (const percent of percents) {
        seq += 1;
        const body = { afterSeq: seq - 1, lastSeq: seq, records: [reading(seq, { sensorId, percent, value: percent, at: h!.clock.now() + seq * 60_000 })] };
        const answer = await call(h!.app, 'POST', '/api/sensors/data', { token: gw.credential, body });
        assert.equal(answer.status, 200, answer.text);
      }
    }

    async function titles(sensor: string): Promise<string[]> {
      const list = await call<{ title: string; sensorId: string | null }[]>(h!.app, 'GET', '/api/notifications?limit=200', { token: user.token });
      return list.body.filter((n) => n.title.startsWith(sensor)).map((n) => n.title).reverse();
    }

    it("gives the tank's heads-up at its reorder level and the alert at its low threshold, each once, and one resolved each after a refill", async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      await level('lpg', 60);
      const tank = await call(h.app, 'POST', '/api/tanks', { token: user.token, body: tankBody(null, { sensorId: `${gw.gatewayId}:lpg`, reorderLevel: 30, lowThreshold: 15 }) });
      assert.equal(tank.status, 201, tank.text);
      await level('lpg', 45, 31);
      assert.deepEqual(await titles('lpg'), []);
      await level('lpg', 30, 29, 31, 30, 28);
      assert.deepEqual(await titles('lpg'), ['lpg: heads-up: reorder level reached'], 'one heads-up, though the level wobbled at the line');
      await level('lpg', 15, 14, 16, 12);
      assert.deepEqual(await titles('lpg'), ['lpg: heads-up: reorder level reached', 'lpg: low level']);
      await level('lpg', 95, 94);
      assert.deepEqual(await titles('lpg'), ['lpg: heads-up: reorder level reached', 'lpg: low level', 'lpg: heads-up: reorder level reached: resolved', 'lpg: low level: resolved']);
      await level('lpg', 96);
      assert.equal((await titles('lpg')).length, 4, 'nothing more while the tank stays full');
    });

    it("takes a sensor's low_level rule when it has no tank", async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      await level('roof', 80);
      const rule = await call(h.app, 'POST', '/api/alerts', { token: user.token, body: { sensorId: `${gw.gatewayId}:roof`, type: 'low_level', params: { warningPercent: 40, criticalPercent: 20 } } });
      assert.equal(rule.status, 201, rule.text);
      await level('roof', 41, 40, 39, 21, 20, 19);
      assert.deepEqual(await titles('roof'), ['roof: heads-up: reorder level reached', 'roof: low level']);
    });
  });
}
