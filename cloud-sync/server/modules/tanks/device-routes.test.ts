/**
 * An HTTP-only level device through the API, on SQLite and PostgreSQL: the owner
 * issues its token, the device reports percent or distance, a retry with the same
 * reading id stores nothing new and answers the same; 401 for a bad or replaced
 * token, 400 naming the field, 404 for another owner's tank, 429 past the limit.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { suiteHarness } from '../../test-support/suite-harness.js';
import { STORAGE_KINDS, call, signUp, type Harness, type SignedIn, type StorageKind } from '../../test-support/harness.js';
import { newTank } from '../../test-support/order-world.js';

interface Stored {
  tankId: string;
  readingId: string;
  level: { at: number; percent: number; litres: number | null; source: string };
}

for (const storage of STORAGE_KINDS) deviceRoutes(storage);

function deviceRoutes(storage: StorageKind): void {
  describe(`tank devices on ${storage}`, () => {
    let h: Harness;
    const suite = suiteHarness(storage, { ingestRateLimit: { max: 6, windowMs: 60_000 } });
    let ann: SignedIn;
    let tankId: string;

    before(async () => {
      if (suite.skip !== undefined) return;
      ({ h, ann } = suite);
      tankId = await newTank(h, ann.token, null);
    });

    const issue = async (body: Record<string, number> = {}): Promise<string> => {
      const answer = await call<{ token: string; tankId: string }>(h.app, 'POST', `/api/tanks/${tankId}/device-credential`, { token: ann.token, body });
      assert.equal(answer.status, 201, answer.text);
      assert.equal(answer.body.tankId, tankId);
      return answer.body.token;
    };
    const report = (token: string | undefined, body: Record<string, unknown>) =>
      call<Stored & { code?: string; issues?: { path: string }[] }>(h.app, 'POST', '/api/iot/water-level', { ...(token === undefined ? {} : { token }), body });

    it('stores a percent once per reading id, answers a retry the same, and shows it on the tank', async (t) => {
      if (suite.skip !== undefined) return t.skip(suite.skip);
      const token = await issue();
      const at = h.clock.now() - 1_000;
      const first = await report(token, { readingId: 'boot1-0001', at, percent: 62.5 });
      assert.equal(first.status, 200, first.text);
      assert.deepEqual(first.body, { tankId, readingId: 'boot1-0001', level: { at, percent: 62.5, litres: 625, source: 'device' } });
      const retry = await report(token, { readingId: 'boot1-0001', at: at + 5, percent: 10 });
      assert.equal(retry.status, 200);
      assert.deepEqual(retry.body, first.body, 'the retry answers what was stored');
      const levels = await call<{ source: string; percent: number }[]>(h.app, 'GET', `/api/tanks/${tankId}/levels`, { token: ann.token });
      assert.deepEqual(levels.body.filter((l) => l.source === 'device').map((l) => l.percent), [62.5], 'stored once');
      const current = await call<{ level: { source: string } }>(h.app, 'GET', `/api/tanks/${tankId}/levels/current`, { token: ann.token });
      assert.equal(current.body.level.source, 'device');
    });

    it('turns a distance into a percent with the geometry the token was issued with', async (t) => {
      if (suite.skip !== undefined) return t.skip(suite.skip);
      const token = await issue({ emptyDistanceMm: 1200, fullDistanceMm: 200 });
      const answer = await report(token, { readingId: 'd-1', at: h.clock.now(), distanceMm: 700 });
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual([answer.body.level.percent, answer.body.level.litres], [50, 500]);
      const plain = await issue();
      const refused = await report(plain, { readingId: 'd-2', at: h.clock.now(), distanceMm: 700 });
      assert.deepEqual([refused.status, refused.body.issues?.[0]?.path], [400, 'distanceMm'], 'no geometry: the field is named');
    });

    it('answers 401 for a missing, unknown or replaced token, 400 naming the field, 404 for another owner', async (t) => {
      if (suite.skip !== undefined) return t.skip(suite.skip);
      const old = await issue();
      const token = await issue();
      const body = { readingId: 'x-1', at: h.clock.now(), percent: 50 };
      for (const bad of [undefined, 'etd_nonsense', old]) {
        const answer = await report(bad, body);
        assert.deepEqual([answer.status, answer.body.code], [401, 'EASYGAS_TANK_DEVICE_CREDENTIAL_INVALID']);
      }
      const cases: [Record<string, unknown>, string][] = [
        [{ ...body, percent: 101 }, 'percent'],
        [{ ...body, percent: -1 }, 'percent'],
        [{ readingId: 'x-2', at: h.clock.now() }, 'percent'],
        [{ ...body, distanceMm: 5 }, 'distanceMm'],
        [{ ...body, at: h.clock.now() + 10 * 60_000 }, 'at'],
        [{ ...body, readingId: 'has space' }, 'readingId'],
      ];
      for (const [bad, field] of cases) {
        const answer = await report(token, bad);
        assert.equal(answer.status, 400, `${JSON.stringify(bad)}: ${answer.text}`);
        assert.ok(answer.body.issues?.some((i) => i.path.includes(field)), `${field} named in ${answer.text}`);
      }
      const bob = await signUp(h.app, 'Bob');
      const foreign = await call(h.app, 'POST', `/api/tanks/${tankId}/device-credential`, { token: bob.token, body: {} });
      assert.equal(foreign.status, 404);
      await h.clock.advance(60_000); // a fresh rate-limit window: the six refusals above spent this one
      assert.equal((await report(token, body)).status, 200, 'the token still works: nothing was replaced');
    });

    it('limits each token per window (429), then lets it in again', async (t) => {
      if (suite.skip !== undefined) return t.skip(suite.skip);
      await h.clock.advance(60_000);
      const token = await issue();
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await report(token, { readingId: `r-${i}`, at: h.clock.now(), percent: 40 })).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 429, 429]);
      await h.clock.advance(60_000);
      assert.equal((await report(token, { readingId: 'r-9', at: h.clock.now(), percent: 40 })).status, 200);
    });
  });
}
