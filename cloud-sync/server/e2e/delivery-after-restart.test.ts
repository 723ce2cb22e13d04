/**
 * An alarm committed by an API process that stops before sending (closed between
 * the commit and the send, or killed holding the row's lease) is emailed once by
 * the next process on the same database file: the delivery was committed with the
 * notification, and the lease of a dead process runs out.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { build } from '../app.js';
import { createChannels, loadChannelSettings, type Channels } from '../modules/notifications/channels/index.js';
import { createEmailChannel } from '../modules/notifications/channels/email/email-channel.js';
import { startSmtpSink, type SmtpSink } from '../modules/notifications/channels/test-support/smtp-sink.js';
import { FAST_SCRYPT, call, signUp } from '../test-support/harness.js';
import { ManualServerClock } from '../test-support/manual-clock.js';

const LEASE_MS = 60_000;

describe('an alarm committed before a restart is emailed once after it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'easygas-restart-'));
  const db = join(dir, 'cloud.db');
  const clock = new ManualServerClock();
  let sink: SmtpSink;
  let channels: Channels;

  before(async () => {
    sink = await startSmtpSink();
    const base = createChannels(loadChannelSettings({ env: {} }), { now: () => clock.now() });
    const email = createEmailChannel({ host: sink.host, port: sink.port, secure: false, requireTls: false, fromName: 'EasyGas Alerts', fromAddress: 'alerts@easygas.example' });
    channels = { ...base, email, close: async () => void (await Promise.all([base.close(), email.close()])) };
  });
  after(async () => {
    await Promise.all([sink.close(), channels.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /** An API process on the database file; `run: false` stands for one that stops before its worker sends. */
  const start = (run: boolean): Promise<FastifyInstance> =>
    build({ db, clock, channels, sweeper: false, retention: false, passwordCost: FAST_SCRYPT, outbox: { run, leaseMs: LEASE_MS } });

  it('closed between commit and send, or killed holding the lease: the next process sends it, once', async () => {
    const first = await start(false);
    const user = await signUp(first);
    await call(first, 'POST', '/api/channels/email', { token: user.token, body: { email: 'ana@home.example' } });
    await first.cloud.outbox.drain();
    const link = await sink.mails.waitFor('the verification email');
    const token = /token=([\w-]+)/.exec(link.parsed?.text ?? '')?.[1] ?? '';
    assert.equal((await call(first, 'POST', '/api/channels/email/verify', { body: { token } })).status, 200);
    const draft = { type: 'gas', severity: 'critical' as const, message: 'Gas at 31 %LEL', channels: ['email' as const], sensorId: null, ruleId: null, eventAt: clock.now() };
    await first.cloud.repo.notifications.create(user.userId, null, { ...draft, title: 'closed before sending' }, clock.now());
    const killed = await first.cloud.repo.notifications.create(user.userId, null, { ...draft, title: 'killed while sending' }, clock.now());
    const killedDeliveries = new Set((await first.cloud.repo.deliveries.forNotification(user.userId, killed.id))?.map((d) => d.id));
    // The second alarm's rows are held by a process that dies mid-send: its lease must run out first.
    const held = await first.cloud.repo.outbox.claim('killed-process', clock.now(), LEASE_MS, 100);
    const released = held.filter((row) => !killedDeliveries.has((row.payload as { deliveryId?: string }).deliveryId ?? ''));
    await first.cloud.repo.outbox.release(released.map((row) => row.id), 'killed-process');
    await first.close();
    assert.equal(sink.mails.items.filter((m) => m.parsed?.subject?.startsWith('ALARM:') === true).length, 0, 'nothing sent before the restart');

    const second = await start(true);
    try {
      await second.ready();
      await clock.advance(0); // the worker's first poll, on start
      await sink.mails.waitFor('the alarm committed before the close', (m) => m.parsed?.subject === 'ALARM: closed before sending', 5_000);
      await second.cloud.outbox.drain();
      assert.equal(sink.mails.items.some((m) => m.parsed?.subject === 'ALARM: killed while sending'), false, 'not while the dead process still holds the lease');
      await clock.advance(LEASE_MS);
      await sink.mails.waitFor('the alarm of the killed process', (m) => m.parsed?.subject === 'ALARM: killed while sending', 5_000);
      await clock.advance(LEASE_MS);
      await second.cloud.outbox.drain();
      const subjects = sink.mails.items.map((m) => m.parsed?.subject).filter((s) => s?.startsWith('ALARM:') === true);
      assert.deepEqual(subjects.sort(), ['ALARM: closed before sending', 'ALARM: killed while sending'], 'each alarm once');
    } finally {
      await second.close();
    }
  });
});
