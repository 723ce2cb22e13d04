/**
 * Events that reach the cloud more than a day late (a gateway back from days
 * offline, the demo's month of history) go to the inbox only, on both databases;
 * a critical one still goes out on its channels. A condition still active when
 * its gateway comes back days later, and seen again, sends one reminder of the
 * same alert (not a new one), then nothing more while it stays.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { STORAGE_KINDS, call, claimGateway, signUp, type Claimed, type SignedIn, type StorageKind } from '../test-support/harness.js';
import { linkToken } from '../test-support/recording-channels.js';
import { storageSuite } from '../test-support/storage-suite.js';

const DAY = 86_400_000;

for (const storage of STORAGE_KINDS) lateEvents(storage);

function lateEvents(storage: StorageKind): void {
  describe(`late events on ${storage}`, () => {
    let ann: SignedIn;
    let gw: Claimed;
    // An access token outlives the days this suite moves the clock through.
    const { h, test } = storageSuite(storage, { accessTokenTtlMs: 30 * DAY }, async (harness) => {
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

    test('an active alert seen again after days offline sends one reminder of itself, not a new alert', async () => {
      const app = h().app;
      assert.equal((await call(app, 'POST', '/api/channels/email', { token: ann.token, body: { email: 'ann@home.example' } })).status, 201);
      await app.cloud.outbox.drain();
      assert.equal((await call(app, 'POST', '/api/channels/email/verify', { body: { token: linkToken(h().sent, 'ann@home.example') } })).status, 200);
      const leak = (seq: number) => ({ ...event(seq, h().clock.now(), 'possible_leak', 'warning'), sensorId: 'cellar-tank' });
      const send = async (seq: number) => {
        const answer = await call(app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: seq - 1, lastSeq: seq, records: [leak(seq)] } });
        assert.equal(answer.status, 200, answer.text);
        await app.cloud.outbox.drain();
      };
      const emails = () => h().sent.filter((m) => m.to === 'ann@home.example' && m.message.kind === 'possible_leak').length;

      await send(4);
      assert.equal(emails(), 1, 'the alert');
      await h().clock.advance(3_600_000);
      await send(5);
      assert.equal(emails(), 1, 'the same active condition an hour later: nothing');

      await h().clock.advance(3 * DAY);
      await send(6);
      assert.equal(emails(), 2, 'seen again after three days offline: one reminder');
      await send(7);
      assert.equal(emails(), 2, 'and only one');
      const leaks = (await inbox()).filter((n) => n.type === 'possible_leak' && n.eventAt > h().clock.now() - 4 * DAY);
      assert.equal(leaks.length, 1, 'a reminder of the alert, not a new one in the inbox');
    });
  });
}
