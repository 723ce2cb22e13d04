/**
 * The "Acknowledge" link of a gas alarm's email, followed in real Chromium: a
 * gateway's gas alarm goes through the real ingest route → the email reaches a real
 * SMTP sink carrying the link → the link opens the inbox on that alarm, signed in →
 * one click acknowledges it (opening the page alone does not: a mail scanner follows
 * links) → the page, and the API, say there is nothing left to acknowledge.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { createChannels, createEmailChannel, loadChannelSettings, type Channels } from '../../cloud-sync/server/modules/notifications/channels/index.js';
import { startSmtpSink, type SmtpSink } from '../../cloud-sync/server/modules/notifications/channels/test-support/smtp-sink.js';
import { chromiumMissing, launchChromium, openPage, signedInContext } from './browser.js';
import { api, startRig, type Rig } from './rig.js';

const WAIT = { timeout: 30_000 };
const missing = chromiumMissing();

describe('the alarm email’s Acknowledge link in Chromium', { skip: missing }, () => {
  let sink: SmtpSink;
  let channels: Channels;
  let rig: Rig;
  let browser: Browser;

  before(async () => {
    sink = await startSmtpSink();
    const base = createChannels(loadChannelSettings({ env: {} }), { now: Date.now });
    const email = createEmailChannel({ host: sink.host, port: sink.port, secure: false, requireTls: false, fromName: 'EasyGas Alerts', fromAddress: 'alerts@easygas.example' });
    channels = { ...base, email, close: async () => void (await Promise.all([base.close(), email.close()])) };
    rig = await startRig({ channels });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await rig?.close();
    await channels?.close();
    await sink?.close();
  });

  it('opens the inbox on the alarm, acknowledges it with one click, and then says there is nothing to acknowledge', { timeout: 180_000 }, async () => {
    const address = `ben-${randomUUID().slice(0, 8)}@home.example`;
    const user = await api<{ accessToken: string; refreshToken: string }>(rig.cloud, 'POST', '/api/auth/register', {
      email: `account-${randomUUID()}@example.test`,
      password: 'a long household passphrase',
      name: 'Ben Example',
    });
    await api(rig.cloud, 'POST', '/api/channels/email', { email: address }, user.accessToken);
    const verification = await sink.mails.waitFor('the verification email', (m) => m.to.includes(address), 30_000);
    const token = /token=([\w-]+)/.exec(verification.parsed?.text ?? '')?.[1] ?? '';
    await api(rig.cloud, 'POST', '/api/channels/email/verify', { token });

    const code = await api<{ code: string }>(rig.cloud, 'POST', '/api/devices/claim-codes', undefined, user.accessToken);
    const gateway = await api<{ credential: string }>(rig.cloud, 'POST', '/api/devices/register', { code: code.code, name: 'Kitchen Pi', version: '0.1.0' });
    const alarm = {
      record: 'event', seq: 1, at: Date.now(), type: 'gas', sensorId: 'kitchen-gas', state: 'raised', severity: 'critical', severe: true,
      value: 31, unit: '%LEL', threshold: 25, message: 'Gas at 31 %LEL', clockSynced: true,
    };
    await api(rig.cloud, 'POST', '/api/sensors/data', { afterSeq: 0, lastSeq: 1, records: [alarm] }, gateway.credential);
    const mail = await sink.mails.waitFor('the alarm email', (m) => m.to.includes(address) && (m.parsed?.subject ?? '').startsWith('ALARM:'), 30_000);
    const link = /Acknowledge \(stops the reminders\): https?:\/\/[^\s/]+(\/notifications\?acknowledge=[\w-]+)/.exec(mail.parsed?.text ?? '');
    assert.ok(link !== null, `the alarm email carries the acknowledge link: ${mail.parsed?.text ?? ''}`);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    await signedInContext(context, rig.cloud.url, user.refreshToken);
    const { page, problems } = await openPage(browser, 1280, { context });
    // The cloud listens on a port chosen at start, so the link's origin is the default one: open its path here.
    await page.goto(`${rig.cloud.url}${link[1] ?? ''}`);
    const offer = page.getByTestId('acknowledge-offer');
    await offer.getByText('Gas at 31 %LEL').waitFor(WAIT);
    const awaiting = async () =>
      (await api<{ type: string; awaitingAcknowledgement?: boolean }[]>(rig.cloud, 'GET', '/api/notifications', undefined, user.accessToken)).find((n) => n.type === 'gas')?.awaitingAcknowledgement;
    assert.equal(await awaiting(), true, 'opening the link acknowledged nothing');

    await offer.getByRole('button', { name: 'Acknowledge this alarm' }).click();
    await page.getByText(/nothing to acknowledge, its reminders have stopped/).waitFor(WAIT);
    assert.equal(await awaiting(), false);
    assert.deepEqual(problems, []);
    await page.screenshot({ path: '/tmp/acknowledge-link.png' });
    await context.close();
  });
});
