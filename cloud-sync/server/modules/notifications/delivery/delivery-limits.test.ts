/**
 * Per-user limits per channel, through the outbox to a real webhook receiver, on
 * SQLite and PostgreSQL: over the limit, notifications are held and then sent as
 * one digest once the hour allows (injected clock); a critical alarm is never held
 * on a free channel.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, STORAGE_KINDS, type Harness, type SignedIn } from '../../../test-support/harness.js';
import { startWebhookHarness, type WebhookHarness } from '../../../test-support/webhook-harness.js';
import type { NotificationDraft } from '../../../storage/types.js';
import type { TestWebhookReceiver } from '../channels/test-support/webhook-receiver.js';
import { digestMessage, exemptFromLimit } from './delivery-limits.js';

const HOUR = 3_600_000;

function draft(title: string, severity: NotificationDraft['severity'], at: number): NotificationDraft {
  return { type: 'low_level', severity, title, message: 'm', channels: ['push'], sensorId: null, ruleId: null, eventAt: at };
}

describe('the limit rule', () => {
  it('never holds a critical alarm on email, push or a webhook; holds SMS at any severity', () => {
    assert.deepEqual(
      (['email', 'push', 'webhook', 'sms'] as const).map((c) => exemptFromLimit({ severity: 'critical' }, c)),
      [true, true, true, false],
    );
    assert.equal(exemptFromLimit({ severity: 'warning' }, 'email'), false);
  });
});

for (const storage of STORAGE_KINDS) {
  describe(`per-user channel limits on ${storage}`, () => {
    let world: WebhookHarness;
    let h: Harness | undefined;
    let hooks: TestWebhookReceiver;
    let user: SignedIn;

    before(async () => {
      world = await startWebhookHarness(storage, { run: false, retryBaseMs: 1_000, channelLimits: { webhook: 2 } });
      ({ h, hooks } = world);
      if (h === undefined || world.user === undefined) return;
      user = world.user;
      assert.equal((await call(h.app, 'POST', '/api/channels/webhook', { token: user.token, body: { url: `${hooks.url}/hook` } })).status, 201);
    });
    after(() => world.close());

    const got = (text: string) => hooks.received.items.filter((r) => r.body.includes(text)).length;

    it('holds what goes over the limit, lets a critical alarm through, then sends the held ones as one digest when the hour allows', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const repo = h.app.cloud.repo;
      for (const title of ['level one', 'level two', 'level three', 'level four']) {
        await repo.notifications.create(user.userId, null, draft(title, 'warning', h.clock.now()), h.clock.now());
        await h.clock.advance(1_000);
      }
      await h.app.cloud.outbox.drain();
      const levels = ['level one', 'level two', 'level three', 'level four'];
      assert.equal(levels.map(got).reduce((a, b) => a + b), 2, 'two within the limit (whichever the workers took first), two held');
      const heldTitles = levels.filter((title) => got(title) === 0);
      const alarm = await repo.notifications.create(user.userId, null, draft('gas alarm!', 'critical', h.clock.now()), h.clock.now());
      await h.app.cloud.outbox.drain();
      assert.equal(got('gas alarm!'), 1, 'a critical alarm is not held on a free channel');
      assert.equal((await call<{ status: string }[]>(h.app, 'GET', `/api/notifications/${alarm.id}/deliveries`, { token: user.token })).body[0]?.status, 'delivered');

      await h.clock.advance(HOUR - 60_000);
      await h.app.cloud.outbox.drain();
      assert.equal(got('EasyGas notifications'), 0, 'still within the hour');
      await h.clock.advance(120_000);
      await h.app.cloud.outbox.drain();
      const digests = hooks.received.items.filter((r) => r.body.includes('2 EasyGas notifications'));
      assert.equal(digests.length, 1, 'one digest');
      assert.match(digests[0]!.body, new RegExp(`${heldTitles[0]}[\\s\\S]*${heldTitles[1]}`), 'each held one, in the order they came');
      await h.clock.advance(HOUR);
      await h.app.cloud.outbox.drain();
      assert.equal(got('EasyGas notifications'), 1, 'one digest only');
      assert.deepEqual(levels.map(got), [1, 1, 1, 1], 'each sent once, alone or in the digest');
    });
  });
}

describe('a digest message', () => {
  it('lists each notification and takes the worst severity', () => {
    const n = (title: string, severity: 'warning' | 'info', at: number) => ({ id: title, userId: 'u', gatewayId: null, sensorId: null, type: 'x', severity, title, message: 'm', eventAt: at, createdAt: at }) as never;
    const m = digestMessage('d1', [n('second', 'warning', 60_000), n('first', 'info', 0)], { publicUrl: 'https://e.example' });
    assert.deepEqual([m.title, m.severity, m.kind], ['2 EasyGas notifications', 'warning', 'digest']);
    assert.match(m.body, /first\n- .*second/);
  });
});
