/**
 * "Send a test" to one channel address, and the push key the dashboard subscribes
 * with, on SQLite and the real PostgreSQL: the test goes through the outbox to that
 * one address only (a real webhook receiver checks it), at once even in quiet
 * hours; an unverified or refused address and another account's are refused; a
 * second test within the minute is 429 with Retry-After (on the injected clock).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, signUp, STORAGE_KINDS, startHarness, type Harness, type SignedIn } from '../../test-support/harness.js';
import { startWebhookHarness, type WebhookHarness } from '../../test-support/webhook-harness.js';
import { createChannels, generateVapidKeys, loadChannelSettings } from '../notifications/channels/index.js';
import type { TestWebhookReceiver } from '../notifications/channels/test-support/webhook-receiver.js';

interface Address {
  id: string;
  verified: boolean;
  enabled: boolean;
}
interface Queued {
  notificationId: string;
  deliveryId: string;
}
interface DeliveryJson {
  id: string;
  channel: string;
  target: string;
  status: string;
}

for (const storage of STORAGE_KINDS) {
  describe(`POST /api/channels/:id/test and GET /api/push-subscriptions/key on ${storage}`, () => {
    let world: WebhookHarness;
    let h: Harness | undefined;
    let hooks: TestWebhookReceiver;
    let user: SignedIn;

    before(async () => {
      world = await startWebhookHarness(storage, { run: false });
      ({ h, hooks } = world);
      if (world.user !== undefined) user = world.user;
    });
    after(() => world.close());

    const post = <T>(url: string, body?: unknown, token = user.token) => call<T & { code?: string }>(h!.app, 'POST', url, { token, ...(body === undefined ? {} : { body }) });

    it('sends the test to that one address through the outbox, at once in quiet hours, and logs it', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const chosen = await post<{ address: Address }>('/api/channels/webhook', { url: `${hooks.url}/chosen` });
      await post<{ address: Address }>('/api/channels/webhook', { url: `${hooks.url}/other` });
      // Quiet all day: a warning would wait, the test the user asked for does not.
      const quiet = await call(h.app, 'PATCH', '/api/users/notification-preferences', { token: user.token, body: { quietHours: { start: '00:00', end: '23:59', timeZone: 'UTC' } } });
      assert.equal(quiet.status, 200, quiet.text);

      const queued = await post<Queued>(`/api/channels/${chosen.body.address.id}/test`);
      assert.equal(queued.status, 202, queued.text);
      const pending = await call<DeliveryJson[]>(h.app, 'GET', `/api/notifications/${queued.body.notificationId}/deliveries`, { token: user.token });
      assert.deepEqual(
        pending.body.map((d) => [d.id, d.channel, d.status]),
        [[queued.body.deliveryId, 'webhook', 'pending']],
        'one delivery, to the chosen address only',
      );

      await h.app.cloud.outbox.drain();
      const got = await hooks.received.waitFor('the test', (r) => r.body.includes('Test: EasyGas notifications'));
      assert.equal(got.path, '/hooks/easygas/chosen');
      assert.equal(hooks.received.items.filter((r) => r.path.endsWith('/other')).length, 0, 'the other webhook heard nothing');
      const done = await call<DeliveryJson[]>(h.app, 'GET', `/api/notifications/${queued.body.notificationId}/deliveries`, { token: user.token });
      assert.deepEqual(done.body.map((d) => d.status), ['delivered']);
      const inbox = await call<{ id: string; type: string; severity: string }[]>(h.app, 'GET', '/api/notifications', { token: user.token });
      assert.deepEqual(
        inbox.body.filter((n) => n.id === queued.body.notificationId).map((n) => [n.type, n.severity]),
        [['test', 'info']],
        'the test is in the inbox too',
      );
    });

    it('allows one test per address a minute: 429 with Retry-After, then again after the window', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const added = await post<{ address: Address }>('/api/channels/webhook', { url: `${hooks.url}/limited` });
      const id = added.body.address.id;
      assert.equal((await post(`/api/channels/${id}/test`)).status, 202);
      const again = await post(`/api/channels/${id}/test`);
      assert.deepEqual([again.status, again.body.code], [429, 'EASYGAS_RATE_LIMITED']);
      assert.match(String(again.headers['retry-after']), /^[1-9]\d*$/);
      const another = await post<{ address: Address }>('/api/channels/webhook', { url: `${hooks.url}/another` });
      assert.equal((await post(`/api/channels/${another.body.address.id}/test`)).status, 202, 'the limit is per address');
      await h.clock.advance(60_000);
      assert.equal((await post(`/api/channels/${id}/test`)).status, 202, 'a minute later it may be tested again');
    });

    it('refuses an unverified address, a refused one and another account’s, sending nothing', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const email = await post<Address>('/api/channels/email', { email: 'unverified@home.example' });
      const unverified = await post(`/api/channels/${email.body.id}/test`);
      assert.deepEqual([unverified.status, unverified.body.code], [409, 'EASYGAS_CHANNEL_UNVERIFIED']);

      const sms = await post<Address>('/api/channels/sms', { phone: '+44 7911 123456' });
      await h.app.cloud.repo.addresses.disable(sms.body.id, '21610: the number opted out', h.clock.now());
      const disabled = await post<{ message: string }>(`/api/channels/${sms.body.id}/test`);
      assert.deepEqual([disabled.status, disabled.body.code], [409, 'EASYGAS_CHANNEL_DISABLED']);
      assert.match(disabled.body.message, /opted out/, 'the reason is in the answer');

      const stranger = await signUp(h.app);
      const foreign = await post(`/api/channels/${sms.body.id}/test`, undefined, stranger.token);
      assert.deepEqual([foreign.status, foreign.body.code], [404, 'EASYGAS_NOT_FOUND']);
      const inbox = await call<{ type: string }[]>(h.app, 'GET', '/api/notifications', { token: stranger.token });
      assert.deepEqual(inbox.body, [], 'no notification was made');
    });

    it('gives the VAPID public key only when push is configured', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const none = await call<{ code: string }>(h.app, 'GET', '/api/push-subscriptions/key', { token: user.token });
      assert.deepEqual([none.status, none.body.code], [404, 'EASYGAS_PUSH_NOT_CONFIGURED']);
    });
  });
}

describe('GET /api/push-subscriptions/key with VAPID keys set', () => {
  it('answers the configured public key', async () => {
    const keys = generateVapidKeys();
    const env = { EASYGAS_VAPID_PUBLIC_KEY: keys.publicKey, EASYGAS_VAPID_PRIVATE_KEY: keys.privateKey, EASYGAS_VAPID_SUBJECT: 'mailto:ops@easygas.example' };
    const channels = createChannels(loadChannelSettings({ env }), { now: () => 0 });
    const h = await startHarness({ channels });
    try {
      const user = await signUp(h.app);
      const answer = await call<{ publicKey: string }>(h.app, 'GET', '/api/push-subscriptions/key', { token: user.token });
      assert.deepEqual([answer.status, answer.body.publicKey], [200, keys.publicKey]);
    } finally {
      await h.close();
      await channels.close();
    }
  });
});
