/**
 * A gas alarm from a gateway to the people, end to end through the sync API, the
 * outbox and real peers (an SMTP server, a push service that checks VAPID and
 * decrypts), on SQLite and PostgreSQL: the alarm reaches the inbox and the
 * device within 5 s of ingest; the gateway resending it after a reconnect sends
 * nothing more; unacknowledged, it is repeated after the escalation interval on
 * the injected clock; acknowledged, the repeats stop; its clear sends one
 * "resolved"; a warning that grows into the alarm sends both, each once.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, claimGateway, signUp, STORAGE_KINDS, StorageUnavailable, startHarness, type Claimed, type Harness, type SignedIn } from '../test-support/harness.js';
import { createChannels, generateVapidKeys, loadChannelSettings, Secret, type Channels } from '../modules/notifications/channels/index.js';
import { createEmailChannel } from '../modules/notifications/channels/email/email-channel.js';
import { createPushChannel } from '../modules/notifications/channels/push/push-channel.js';
import { startTestPushService, type TestPushService, type TestSubscription } from '../modules/notifications/channels/test-support/push-service.js';
import { startSmtpSink, type SmtpSink } from '../modules/notifications/channels/test-support/smtp-sink.js';
import { makeTestCertificate } from '../modules/notifications/channels/test-support/tls-cert.js';

const T = Date.UTC(2026, 0, 15, 12);
const FIVE_MINUTES = 5 * 60_000;
const gasEvent = (seq: number, state: 'raised' | 'cleared') => ({
  record: 'event', seq, at: T + seq * 1_000, type: 'gas', sensorId: 'kitchen-gas', state, severity: state === 'raised' ? 'critical' : 'info', severe: state === 'raised',
  value: state === 'raised' ? 31 : 2, unit: '%LEL', threshold: 25, message: state === 'raised' ? 'Gas at 31 %LEL' : 'Gas back to 2 %LEL', clockSynced: true,
});

for (const storage of STORAGE_KINDS) {
  describe(`a gas alarm reaches people, once, and reminds until acknowledged (${storage})`, () => {
    let h: Harness | undefined;
    let sink: SmtpSink;
    let pushService: TestPushService;
    let channels: Channels;
    let user: SignedIn;
    let gw: Claimed;
    let device: TestSubscription;

    before(async () => {
      const cert = await makeTestCertificate();
      const keys = generateVapidKeys();
      const now = () => h?.clock.now() ?? T;
      sink = await startSmtpSink();
      // web-push signs the VAPID JWT on the real clock, so the push service checks it on the real clock too.
      pushService = await startTestPushService({ tls: cert, vapidPublicKey: keys.publicKey });
      const base = createChannels(loadChannelSettings({ env: {} }), { now });
      const email = createEmailChannel({ host: sink.host, port: sink.port, secure: false, requireTls: false, fromName: 'EasyGas Alerts', fromAddress: 'alerts@easygas.example' });
      const push = createPushChannel(
        { vapidPublicKey: keys.publicKey, vapidPrivateKey: new Secret(keys.privateKey), subject: 'mailto:ops@easygas.example', ttlSeconds: 3_600, allowPrivate: true },
        { now, ca: cert.ca },
      );
      channels = { ...base, email, push, close: async () => void (await Promise.all([base.close(), email.close(), push.close()])) };
      try {
        h = await startHarness({ channels, outbox: { escalationIntervalMs: FIVE_MINUTES, escalationRepeats: 3 } }, { storage });
      } catch (error) {
        if (!(error instanceof StorageUnavailable)) throw error;
        return;
      }
      user = await signUp(h.app);
      gw = await claimGateway(h.app, user.token);
      await call(h.app, 'POST', '/api/devices/heartbeat', {
        token: gw.credential,
        body: { version: '1', uptimeSeconds: 1, clock: { synced: true }, backlog: { records: 0 }, sensors: [{ id: 'kitchen-gas', name: 'Kitchen gas', kind: 'gas', health: 'ok' }] },
      });
      await call(h.app, 'POST', '/api/channels/email', { token: user.token, body: { email: 'ana@home.example' } });
      const link = await sink.mails.waitFor('the verification email');
      const token = /token=([\w-]+)/.exec(link.parsed?.text ?? '')?.[1] ?? '';
      assert.equal((await call(h.app, 'POST', '/api/channels/email/verify', { body: { token } })).status, 200);
      device = pushService.subscribe();
      assert.equal((await call(h.app, 'POST', '/api/push-subscriptions', { token: user.token, body: { endpoint: device.endpoint, keys: device.keys } })).status, 201);
    });
    after(async () => {
      await h?.close();
      await Promise.all([sink.close(), pushService.close(), channels.close()]);
    });

    const alarms = () => sink.mails.items.filter((m) => m.parsed?.subject === 'ALARM: Kitchen gas: gas alarm');
    const pushes = () => pushService.received.items.filter((p) => p.subscriptionId === device.id);
    const ingest = (seq: number, state: 'raised' | 'cleared') =>
      call(h!.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: seq - 1, lastSeq: seq, records: [gasEvent(seq, state)] } });

    it('delivers the alarm by email and push within 5 s of ingest, and not again when the gateway resends it', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      assert.equal((await ingest(1, 'raised')).status, 200);
      const alarmMail = await sink.mails.waitFor('the alarm email', (m) => m.parsed?.subject === 'ALARM: Kitchen gas: gas alarm', 5_000);
      // The one-click way to stop the reminders: the inbox, opened on this alarm.
      assert.match(alarmMail.parsed?.text ?? '', /Acknowledge \(stops the reminders\): http:\/\/[^\s]+\/notifications\?acknowledge=[\w-]+/);
      const pushed = await pushService.received.waitFor('the alarm push', (p) => p.subscriptionId === device.id, 5_000);
      assert.equal(pushed.urgency, 'high');
      assert.match(pushed.payload, /Kitchen gas: gas alarm/);

      assert.equal((await ingest(2, 'raised')).status, 200, 'the same alarm, resent after a reconnect with a new sequence number');
      await h.app.cloud.outbox.drain();
      assert.equal(alarms().length, 1, 'no second email');
      assert.equal(pushes().length, 1, 'no second push');
      const inbox = await call<{ type: string }[]>(h.app, 'GET', '/api/notifications', { token: user.token });
      assert.equal(inbox.body.filter((n) => n.type === 'gas').length, 1, 'one notification for the one active alarm');
    });

    it('repeats the unacknowledged alarm on every channel after the interval; acknowledging stops it; the clear sends one "resolved"', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      await h.clock.advance(FIVE_MINUTES + 30_000);
      // The 5 s promise is the first alarm's (above); a reminder only has to come, so a loaded machine gets longer.
      await sink.mails.waitFor('the first reminder', () => alarms().length === 2, 30_000);
      await pushService.received.waitFor('the reminder push', () => pushes().length === 2, 30_000);

      const inbox = await call<{ id: string; type: string; awaitingAcknowledgement?: boolean }[]>(h.app, 'GET', '/api/notifications', { token: user.token });
      const alarm = inbox.body.find((n) => n.type === 'gas');
      assert.equal(alarm?.awaitingAcknowledgement, true, 'the inbox offers to acknowledge it');
      const ack = await call<{ active: boolean }>(h.app, 'POST', `/api/notifications/${alarm?.id}/acknowledge`, { token: user.token });
      assert.deepEqual([ack.status, ack.body.active], [200, true]);
      const after = await call<{ id: string; awaitingAcknowledgement?: boolean }[]>(h.app, 'GET', '/api/notifications', { token: user.token });
      assert.equal(after.body.find((n) => n.id === alarm?.id)?.awaitingAcknowledgement, false, 'acknowledged: no longer offered');
      await h.clock.advance(3 * FIVE_MINUTES);
      await h.app.cloud.outbox.drain();
      assert.equal(alarms().length, 2, 'no reminder after the acknowledgement');

      assert.equal((await ingest(3, 'cleared')).status, 200);
      await sink.mails.waitFor('the resolved email', (m) => m.parsed?.subject?.startsWith('Resolved:') === true, 30_000);
      await h.app.cloud.outbox.drain();
      assert.equal(sink.mails.items.filter((m) => m.parsed?.subject?.startsWith('Resolved:') === true).length, 1);
    });

    it('sends the warning, then the alarm when the same condition grows worse, and neither again while it stays', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const warning = { ...gasEvent(4, 'raised'), severity: 'warning', severe: false, value: 12, threshold: 10, message: 'Gas at 12 %LEL' };
      const sent = (m: (typeof sink.mails.items)[number]) => m.parsed?.subject === 'Warning: Kitchen gas: gas alarm';
      const before = alarms().length;
      assert.equal((await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: 3, lastSeq: 4, records: [warning] } })).status, 200);
      await sink.mails.waitFor('the warning email', sent, 5_000);
      assert.equal((await ingest(5, 'raised')).status, 200, 'the same sensor and kind, now critical');
      await sink.mails.waitFor('the alarm email after the warning', () => alarms().length === before + 1, 5_000);
      assert.equal((await ingest(6, 'raised')).status, 200, 'the alarm resent');
      assert.equal((await call(h.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: 6, lastSeq: 7, records: [{ ...warning, seq: 7 }] } })).status, 200, 'a warning again while the alarm is active');
      await h.app.cloud.outbox.drain();
      assert.deepEqual([sink.mails.items.filter(sent).length, alarms().length], [1, before + 1]);
    });
  });
}
