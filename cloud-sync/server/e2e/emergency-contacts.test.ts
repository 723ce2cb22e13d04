/**
 * Emergency contacts, end to end through the sync API, the escalation job, the
 * outbox and a real SMTP server, on SQLite and PostgreSQL, on the injected clock:
 * a gas alarm left unacknowledged through every reminder reaches the verified
 * contacts (an email in the SMTP server, an SMS at a Twilio-shaped provider) exactly once (one interval after the last reminder), saying what,
 * where, since when and that the owner has not acknowledged; its clear sends the
 * contact one "resolved". An acknowledged alarm and a warning never reach the
 * contact, nor does anything reach a contact who never opened the link.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { call, claimGateway, signUp, STORAGE_KINDS, StorageUnavailable, startHarness, type Claimed, type Harness, type SignedIn } from '../test-support/harness.js';
import { createChannels, loadChannelSettings, type Channels } from '../modules/notifications/channels/index.js';
import { createEmailChannel } from '../modules/notifications/channels/email/email-channel.js';
import { startSmtpSink, type ReceivedMail, type SmtpSink } from '../modules/notifications/channels/test-support/smtp-sink.js';
import { startTestSmsProvider, type TestSmsProvider } from '../modules/notifications/channels/test-support/sms-provider-server.js';
import { createSmsChannel, createTwilioProvider, Secret } from '../modules/notifications/channels/index.js';

const INTERVAL = 5 * 60_000;
const REPEATS = 3;
const CONTACT = 'carol@family.example';
const SILENT_CONTACT = 'dan@family.example';
const SMS_CONTACT = '+447911123456';
const TWILIO = { accountSid: `AC${'3f'.repeat(16)}`, authToken: 'twilio-token-5e1c' };

for (const storage of STORAGE_KINDS) {
  describe(`an unacknowledged gas alarm reaches the emergency contacts, once (${storage})`, () => {
    let h: Harness | undefined;
    let sink: SmtpSink;
    let twilio: TestSmsProvider;
    let channels: Channels;
    let user: SignedIn;
    let gw: Claimed;
    let seq = 0;

    before(async () => {
      sink = await startSmtpSink();
      twilio = await startTestSmsProvider(TWILIO);
      const now = () => h?.clock.now() ?? 0;
      const base = createChannels(loadChannelSettings({ env: {} }), { now });
      const email = createEmailChannel({ host: sink.host, port: sink.port, secure: false, requireTls: false, fromName: 'EasyGas Alerts', fromAddress: 'alerts@easygas.example' });
      const provider = createTwilioProvider({ accountSid: TWILIO.accountSid, authToken: new Secret(TWILIO.authToken), from: '+15005550006', baseUrl: twilio.baseUrl }, { now, timeoutMs: 5_000 });
      const sms = createSmsChannel(provider, {});
      channels = { ...base, email, sms, close: async () => void (await Promise.all([base.close(), email.close(), sms.close()])) };
      try {
        // The job and the outbox are driven by the test (tick, drain), so every step is one known moment.
        // An access token outlives the hours this suite moves the clock through.
        h = await startHarness({ channels, accessTokenTtlMs: 86_400_000, outbox: { run: false, escalationIntervalMs: INTERVAL, escalationRepeats: REPEATS } }, { storage });
      } catch (error) {
        if (!(error instanceof StorageUnavailable)) throw error;
        return;
      }
      // No job timers: the test ticks the escalation job itself, so no run is still in flight when it looks.
      await h.app.cloud.jobs.stop();
      user = await signUp(h.app);
      gw = await claimGateway(h.app, user.token, 'Holiday cottage');
      const sensors = [
        { id: 'kitchen-gas', name: 'Kitchen gas', kind: 'gas', health: 'ok' },
        { id: 'cellar-leak', name: 'Cellar', kind: 'leak', health: 'ok' },
      ];
      await call(h.app, 'POST', '/api/devices/heartbeat', { token: gw.credential, body: { version: '1', uptimeSeconds: 1, clock: { synced: true }, backlog: { records: 0 }, sensors } });
      await addAndVerify('owner@home.example');
      await addAndVerify(CONTACT, 'Carol');
      const silent = await call(h.app, 'POST', '/api/channels/email', { token: user.token, body: { email: SILENT_CONTACT, contactName: 'Dan' } });
      assert.equal(silent.status, 201);
      const bob = await call(h.app, 'POST', '/api/channels/sms', { token: user.token, body: { phone: '+44 7911 123456', contactName: 'Bob next door' } });
      assert.equal(bob.status, 201);
      await h.app.cloud.outbox.drain();
    });
    after(async () => {
      await h?.close();
      await Promise.all([sink.close(), twilio.close(), channels.close()]);
    });

    async function addAndVerify(email: string, contactName?: string): Promise<void> {
      const added = await call(h!.app, 'POST', '/api/channels/email', { token: user.token, body: { email, ...(contactName === undefined ? {} : { contactName }) } });
      assert.equal(added.status, 201, added.text);
      await h!.app.cloud.outbox.drain();
      const link = await sink.mails.waitFor(`the link to ${email}`, (m) => m.to.includes(email));
      if (contactName !== undefined) assert.equal(link.parsed?.subject, `Notice: ${user.email} added you as an emergency contact for gas and leak alarms`);
      const token = /token=([\w-]+)/.exec(link.parsed?.text ?? '')?.[1] ?? '';
      assert.equal((await call(h!.app, 'POST', '/api/channels/email/verify', { body: { token } })).status, 200);
    }

    // Notifications only: the verification links ("Notice: …") are not counted.
    const to = (email: string) => sink.mails.items.filter((m) => m.to.includes(email) && !(m.parsed?.subject ?? '').startsWith('Notice:'));
    const toContact = () => to(CONTACT);
    const texts = () => twilio.received.items.filter((m) => m.to === SMS_CONTACT);

    function event(sensorId: 'kitchen-gas' | 'cellar-leak', state: 'raised' | 'cleared', severity: 'critical' | 'warning' | 'info') {
      seq += 1;
      const gas = sensorId === 'kitchen-gas';
      const message = gas ? (state === 'raised' ? `Gas at ${severity === 'critical' ? 31 : 12} %LEL` : 'Gas back to 2 %LEL') : state === 'raised' ? 'Water on the cellar floor' : 'The cellar floor is dry';
      return {
        record: 'event', seq, at: h!.clock.now(), type: gas ? 'gas' : 'water_leak', sensorId, state, severity, severe: severity === 'critical', message, clockSynced: true,
      };
    }

    async function ingest(sensorId: 'kitchen-gas' | 'cellar-leak', state: 'raised' | 'cleared', severity: 'critical' | 'warning' | 'info'): Promise<void> {
      const record = event(sensorId, state, severity);
      const answer = await call(h!.app, 'POST', '/api/sensors/data', { token: gw.credential, body: { afterSeq: seq - 1, lastSeq: seq, records: [record] } });
      assert.equal(answer.status, 200, answer.text);
      await h!.app.cloud.outbox.drain();
    }

    /** One escalation interval on the clock, then the job's tick and the outbox, as a server would. */
    async function intervalPasses(): Promise<void> {
      await h!.clock.advance(INTERVAL);
      await h!.app.cloud.jobs.tick('escalation');
      await h!.app.cloud.outbox.drain();
    }

    const text = (m: ReceivedMail | undefined) => m?.parsed?.text ?? '';

    it('tells the contact once, one interval after the last reminder, what, where, since when and that it is not acknowledged', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const raisedAt = h.clock.now();
      await ingest('kitchen-gas', 'raised', 'critical');
      assert.equal(to('owner@home.example').length, 1, 'the alarm');
      for (let i = 1; i <= REPEATS; i++) {
        await intervalPasses();
        assert.equal(to('owner@home.example').length, 1 + i, `reminder ${i}`);
        assert.equal(toContact().length + texts().length, 0, `not the contacts during reminder ${i}`);
      }
      await intervalPasses();
      assert.equal(toContact().length, 1, 'the contact, after the last reminder went unanswered');
      const told = toContact()[0];
      assert.equal(told?.parsed?.subject, `ALARM: Kitchen gas: gas alarm at Holiday cottage: ${user.email} has not acknowledged it`);
      assert.match(text(told), /Gas at 31 %LEL/, 'what');
      assert.match(text(told), /Where: Holiday cottage/, 'where');
      assert.match(text(told), new RegExp(`Since ${new Date(raisedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`), 'since when');
      assert.match(text(told), /through every reminder/);
      assert.match(text(told), /You get this because .* added you as their emergency contact/, 'the footer says why, not "your account"');
      assert.equal(to(SILENT_CONTACT).length, 0, 'a contact who never opened the link gets nothing');
      assert.equal(texts().length, 1, 'the SMS contact too');
      assert.match(texts()[0]?.body ?? '', /^EasyGas ALARM: Kitchen gas: gas alarm at Holiday cottage: .* has not acknowledged it\. Gas at 31 %LEL\. Where: Holiday cottage\. Since 2026-01-15 12:00 UTC\. /);
      assert.equal(to('owner@home.example').length, 1 + REPEATS, 'the owner gets no extra message');

      for (let i = 0; i < 3; i++) await intervalPasses();
      await h.app.cloud.jobs.tick('escalation');
      await h.app.cloud.outbox.drain();
      assert.equal(toContact().length, 1, 'exactly once');
      assert.equal(texts().length, 1, 'exactly once by SMS');

      const inbox = await call<{ id: string; type: string }[]>(h.app, 'GET', '/api/notifications', { token: user.token });
      const alarm = inbox.body.find((n) => n.type === 'gas');
      const log = await call<{ target: string; status: string }[]>(h.app, 'GET', `/api/notifications/${alarm?.id}/deliveries`, { token: user.token });
      assert.deepEqual(log.body.filter((d) => d.target === CONTACT).map((d) => d.status), ['delivered'], "the owner's delivery log shows the contact was told");
    });

    it('sends the told contact one "resolved" when the alarm clears', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      await ingest('kitchen-gas', 'cleared', 'info');
      assert.equal(toContact().length, 2);
      const resolved = toContact()[1];
      assert.match(resolved?.parsed?.subject ?? '', /^Resolved: Kitchen gas: gas alarm: resolved at Holiday cottage/);
      assert.match(text(resolved), /The alarm you were told about at Holiday cottage is over/);
      assert.equal(texts().length, 2);
      assert.match(texts()[1]?.body ?? '', /^EasyGas Resolved: /);
      await intervalPasses();
      assert.equal(toContact().length, 2, 'one "resolved", nothing after');
      assert.equal(texts().length, 2);
    });

    it('never tells the contact of an alarm the owner acknowledged, nor of its clear', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const before = toContact().length;
      const sms = texts().length;
      await ingest('cellar-leak', 'raised', 'critical');
      await intervalPasses();
      const inbox = await call<{ id: string; type: string }[]>(h.app, 'GET', '/api/notifications', { token: user.token });
      const leak = inbox.body.find((n) => n.type === 'water_leak');
      const ack = await call<{ active: boolean }>(h.app, 'POST', `/api/notifications/${leak?.id}/acknowledge`, { token: user.token });
      assert.deepEqual([ack.status, ack.body.active], [200, true]);
      for (let i = 0; i < REPEATS + 3; i++) await intervalPasses();
      assert.equal(toContact().length, before, 'acknowledged: the contact is not told');
      await ingest('cellar-leak', 'cleared', 'info');
      assert.equal(toContact().length, before, 'nor told it is resolved');
      assert.equal(texts().length, sms, 'nor by SMS');
    });

    it('never tells the contact of a warning', async (t) => {
      if (h === undefined) return t.skip('PostgreSQL unreachable');
      const before = toContact().length;
      const sms = texts().length;
      const owner = to('owner@home.example').length;
      await ingest('kitchen-gas', 'raised', 'warning');
      assert.equal(to('owner@home.example').length, owner + 1, 'the owner gets the warning');
      for (let i = 0; i < REPEATS + 3; i++) await intervalPasses();
      assert.equal(toContact().length, before, 'a warning never reaches a contact');
      assert.equal(texts().length, sms, 'nor by SMS');
      assert.equal(to('owner@home.example').length, owner + 1, 'and is not repeated');
    });
  });
}
