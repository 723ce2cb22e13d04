/**
 * Events that reach the cloud more than a day late (a gateway back from days
 * offline, the demo's month of history) go to the inbox only, on both databases;
 * a critical one still goes out on its channels.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { STORAGE_KINDS, call, claimGateway, signUp, type Claimed, type SignedIn, type StorageKind } from '../test-support/harness.js';
import { storageSuite } from '../test-support/storage-suite.js';

const DAY = 86_400_000;

for (const storage of STORAGE_KINDS) lateEvents(storage);

function lateEvents(storage: StorageKind): void {
  describe(`late events on ${storage}`, () => {
    let ann: SignedIn;
    let gw: Claimed;
    const { h, test } = storageSuite(storage, {}, async (harness) => {
      ann = await signUp(harness.app, 'Ann');
      gw = await claimGateway(harness.app, ann.token);
    });
    const event = (seq: number, at: number, type: string, severity: 'warning' | 'critical') => ({
      record: 'event', seq, at, type, sensorId: type === 'gas' ? 'kitchen-gas' : 'roof-tank', state: 'raised', severity, severe: severity === 'critical',
      message: `${type} seen`, clockSynced: true,
    });
    const inbox = async () => (await call<{ type: string; channels: string[]; eventAt: number }[]>(h().app, 'GET', '/api/notifications', { token: ann.token })).body;

    test('a warning two days late is in the inbox but sent nowhere; a fresh one and a late critical alarm are sent', async () => {
      const now = h().clock.now();
      const ack = await call(h().app, 'POST', '/api/sensors/data', {
        token: gw.credential,
        body: { afterSeq: 0, lastSeq: 3, records: [event(1, now - 2 * DAY, 'possible_leak', 'warning'), event(2, now - 2 * DAY, 'gas', 'critical'), event(3, now - 60_000, 'low_level', 'warning')] },
      });
      assert.equal(ack.status, 200, ack.text);
      const byType = new Map((await inbox()).map((n) => [n.type, n.channels]));
      assert.deepEqual(byType.get('possible_leak'), [], 'late warning: inbox only');
      assert.deepEqual(byType.get('gas'), ['email', 'push'], 'late critical alarm: still sent');
      assert.deepEqual(byType.get('low_level'), ['email', 'push'], 'fresh warning: sent');
    });
  });
}
