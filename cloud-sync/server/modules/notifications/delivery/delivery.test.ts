/**
 * Notifications delivered through the outbox to real peers, on SQLite and the
 * real PostgreSQL: an email address verified by the link the SMTP sink received,
 * then an alarm in the sink and in the delivery log; a 451 retried after the
 * back-off on the injected clock; a server that keeps refusing given up after the
 * bounded time (failed in the notification, the log and /metrics); a 550 at RCPT
 * turning the address off; a webhook signed and logged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, signUp, STORAGE_KINDS, StorageUnavailable, startHarness, type Harness, type SignedIn } from '../../../test-support/harness.js';
import type { NotificationDraft } from '../../../storage/types.js';
import { createChannels, loadChannelSettings, verifyWebhookSignature, type Channels } from '../channels/index.js';
import { createEmailChannel } from '../channels/email/email-channel.js';
import { startSmtpSink, type SmtpSink } from '../channels/test-support/smtp-sink.js';
import { startTestWebhookReceiver, type TestWebhookReceiver } from '../channels/test-support/webhook-receiver.js';

interface DeliveryJson {
  channel: string;
  target: string;
  status: string;
  providerMessageId: string | null;
  log: { outcome: string; errorCode: string | null; providerMessageId: string | null }[];
}

const GIVE_UP_MS = 60_000;

function gasDraft(title: string): NotificationDraft {
  return { type: 'gas', severity: 'critical', title, message: 'Gas above the alarm threshold', channels: ['email', 'push'], sensorId: null, ruleId: null, eventAt: 0 };
}

for (const storage of STORAGE_KINDS) {
  describe(`notification delivery through the outbox on ${storage}`, () => {
    let h: Harness | undefined;
    let sink: SmtpSink;
    let hooks: TestWebhookReceiver;
    let channels: Channels;
    let user: SignedIn;

    before(async () => {
      sink = await startSmtpSink();
      hooks = await startTestWebhookReceiver();
      const base = createChannels(loadChannelSettings({ env: { EASYGAS_WEBHOOK_ALLOW_PRIVATE: 'true' } }), { now: () => h?.clock.now() ?? 0 });
      const email = createEmailChannel({ host: sink.host, port: sink.port, secure: false, requireTls: false, fromName: 'EasyGas Alerts', fromAddress: 'alerts@easygas.example' });
      channels = { ...base, email, close: async () => void (await Promise.all([base.close(), email.close()])) };
      try {
        h = await startHarness({ channels, outbox: { run: false, retryBaseMs: 1_000, maxAttempts: 20, giveUpAfterMs: GIVE_UP_MS } }, { storage });
      } catch (error) {
        if (!(error instanceof StorageUnavailable)) throw error;
      }
      if (h !== undefined) user = await signUp(h.app);
    });
    after(async () => {
      await h?.close();
      await Promise.all([sink.close(), hooks.close(), channels.close()]);
    });

    async function notify(title: string): Promise<string> {
      if (h === undefined) throw new Error('no harness');
      const n = await h.app.cloud.repo.notifications.create(user.userId, null, gasDraft(title), h.clock.now());
      return n.id;
    }

    async function deliveries(id: string): Promise<DeliveryJson[]> {
      const answer = await call<DeliveryJson[]>(h!.app, 'GET', `/api/notifications/${id}/deliveries`, { token: user.token });
      assert.equal(answer.status, 200, answer.text);
      return answer.body;
    }

    async function summary(id: string): Promise<string | null | undefined> {
      const list = await call<{ id: string; delivery?: string | null }[]>(h!.app, 'GET', '/api/notifications?limit=200', { token: user.token });
      return list.body.find((n) => n.id === id)?.delivery;
    }

    it('sends the verification link, then alarms to the verified address; an unverified one gets none', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const added = await call<{ verified: boolean }>(h.app, 'POST', '/api/channels/email', { token: user.token, body: { email: 'Ana@Home.Example' } });
      assert.deepEqual([added.status, added.body.verified], [201, false]);
      await call(h.app, 'POST', '/api/channels/email', { token: user.token, body: { email: 'never-verified@home.example' } });
      await h.app.cloud.outbox.drain();
      const link = await sink.mails.waitFor('the verification email', (m) => m.to.includes('ana@home.example'));
      const token = /token=([\w-]+)/.exec(link.parsed?.text ?? '')?.[1];
      assert.ok(token !== undefined, 'the email carries the link');
      const before = await notify('before verification');
      await h.app.cloud.outbox.drain();
      assert.deepEqual(await deliveries(before), [], 'nothing goes to an unverified address');
      assert.equal(await summary(before), null);

      const verified = await call<{ verified: boolean }>(h.app, 'GET', `/api/channels/email/verify?token=${token}`);
      assert.deepEqual([verified.status, verified.body.verified], [200, true]);
      const again = await call<{ code: string }>(h.app, 'POST', '/api/channels/email/verify', { body: { token } });
      assert.deepEqual([again.status, again.body.code], [400, 'EASYGAS_LINK_INVALID'], 'the link is single-use');

      const id = await notify('Kitchen: gas alarm');
      assert.equal(await summary(id), 'pending', 'committed with its delivery, not sent yet');
      await h.app.cloud.outbox.drain();
      const mail = await sink.mails.waitFor('the alarm', (m) => m.parsed?.subject === 'ALARM: Kitchen: gas alarm');
      assert.deepEqual(mail.to, ['ana@home.example']);
      const [delivery, ...others] = await deliveries(id);
      assert.equal(others.length, 0, 'one delivery: the unverified address has none');
      assert.equal(delivery?.status, 'delivered');
      assert.equal(delivery?.log.length, 1);
      assert.equal(delivery?.providerMessageId, `<${mail.parsed?.messageId?.replace(/[<>]/g, '')}>`, 'the log keeps the SMTP Message-ID');
      assert.equal(await summary(id), 'delivered');
    });

    it('retries a 451 after the back-off on the injected clock, and logs both attempts', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      sink.dataReplies.push({ code: 451, message: '4.3.0 try again later' });
      const id = await notify('retried alarm');
      await h.app.cloud.outbox.drain();
      assert.deepEqual((await deliveries(id)).map((d) => [d.status, d.log.map((a) => a.outcome)]), [['pending', ['retry']]]);
      await h.clock.advance(2_000); // the first back-off is at most the base (1 s) with jitter
      await h.app.cloud.outbox.drain();
      await sink.mails.waitFor('the retried alarm', (m) => m.parsed?.subject === 'ALARM: retried alarm');
      assert.deepEqual((await deliveries(id)).map((d) => [d.status, d.log.map((a) => a.outcome)]), [['delivered', ['retry', 'delivered']]]);
    });

    it('gives up after the bounded time: failed in the notification, its log and /metrics', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const id = await notify('hopeless alarm');
      for (let i = 0; i < 60; i++) sink.dataReplies.push({ code: 451, message: '4.3.0 still busy' });
      const start = h.clock.now();
      // Full-jitter back-off: the try after the deadline comes at most one (capped) wait later.
      for (let step = 0; step < 60 && (await deliveries(id))[0]?.status === 'pending'; step++) {
        await h.app.cloud.outbox.drain();
        await h.clock.advance(5_000);
      }
      assert.ok(h.clock.now() - start >= GIVE_UP_MS, 'not given up before the bounded time');
      sink.dataReplies.length = 0;
      const [delivery] = await deliveries(id);
      assert.equal(delivery?.status, 'failed');
      assert.ok((delivery?.log.length ?? 0) >= 2 && delivery?.log.at(-1)?.outcome === 'failed', JSON.stringify(delivery?.log));
      assert.equal(await summary(id), 'failed');
      const metrics = await call(h.app, 'GET', '/metrics');
      assert.match(metrics.text, /easygas_notification_deliveries_total\{channel="email",outcome="failed"\} 1/);
    });

    it('turns an address the server refuses at RCPT (550) off, says why, and sends no more to it', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      sink.rcptReplies.set('ana@home.example', { code: 550, message: '5.1.1 no such mailbox' });
      const id = await notify('bounced alarm');
      await h.app.cloud.outbox.drain();
      const [delivery] = await deliveries(id);
      assert.deepEqual([delivery?.status, delivery?.log[0]?.errorCode], ['failed', 'EMAIL_HARD_BOUNCE']);
      const list = await call<{ kind: string; target: string; enabled: boolean; disabledReason: string | null }[]>(h.app, 'GET', '/api/channels', { token: user.token });
      const ana = list.body.find((a) => a.target === 'ana@home.example');
      assert.equal(ana?.enabled, false);
      assert.match(ana?.disabledReason ?? '', /refused the address/);
      sink.rcptReplies.clear();
      const next = await notify('after the bounce');
      assert.deepEqual(await deliveries(next), [], 'a turned-off address gets no delivery');
    });

    it('calls a webhook with a signed body and logs its delivery id', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const added = await call<{ secret: string }>(h.app, 'POST', '/api/channels/webhook', { token: user.token, body: { url: `${hooks.url}/hook` } });
      assert.equal(added.status, 201, added.text);
      const id = await notify('hooked alarm');
      await h.app.cloud.outbox.drain();
      const got = await hooks.received.waitFor('the webhook', (r) => r.body.includes('hooked alarm'));
      const verified = verifyWebhookSignature({
        secret: added.body.secret,
        body: got.body,
        timestamp: got.headers['x-easygas-timestamp'] as string,
        signature: got.headers['x-easygas-signature'] as string,
        now: h.clock.now(),
      });
      assert.equal(verified.ok, true);
      const [delivery] = (await deliveries(id)).filter((d) => d.channel === 'webhook');
      assert.equal(delivery?.status, 'delivered');
      assert.ok(delivery?.providerMessageId !== null);
    });

    it('holds a warning during quiet hours (in the user’s time zone) until they end; a critical alarm goes at once', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      // The manual clock is at about 12:00 UTC, 13:00 in Berlin: quiet from 12:30 to 15:00 Berlin time.
      const quietHours = { start: '12:30', end: '15:00', timeZone: 'Europe/Berlin' };
      const set = await call(h.app, 'PATCH', '/api/users/notification-preferences', { token: user.token, body: { quietHours } });
      assert.equal(set.status, 200, set.text);
      const badZone = await call<{ issues: { path: string }[] }>(h.app, 'PATCH', '/api/users/notification-preferences', { token: user.token, body: { quietHours: { ...quietHours, timeZone: 'Mars/Olympus' } } });
      assert.deepEqual([badZone.status, badZone.body.issues[0]?.path], [400, 'body.quietHours.timeZone']);
      const warning = await h.app.cloud.repo.notifications.create(user.userId, null, { ...gasDraft('quiet warning'), type: 'low_level', severity: 'warning' }, h.clock.now());
      const alarm = await notify('loud alarm');
      await h.app.cloud.outbox.drain();
      await hooks.received.waitFor('the critical alarm in quiet hours', (r) => r.body.includes('loud alarm'));
      assert.equal(hooks.received.items.some((r) => r.body.includes('quiet warning')), false, 'the warning waits');
      assert.equal((await deliveries(alarm)).find((d) => d.channel === 'webhook')?.status, 'delivered');
      const end = Date.UTC(2026, 0, 15, 14, 0); // 15:00 in Berlin
      await h.clock.advance(end - h.clock.now() - 1_000);
      await h.app.cloud.outbox.drain();
      assert.equal(hooks.received.items.some((r) => r.body.includes('quiet warning')), false, 'still quiet a second before the end');
      await h.clock.advance(1_000);
      await h.app.cloud.outbox.drain();
      await hooks.received.waitFor('the warning after quiet hours', (r) => r.body.includes('quiet warning'));
      // Two hours on, the access token has expired: read the log from storage.
      const log = await h.app.cloud.repo.deliveries.forNotification(user.userId, warning.id);
      assert.equal(log?.find((d) => d.channel === 'webhook')?.status, 'delivered');
    });
  });
}
