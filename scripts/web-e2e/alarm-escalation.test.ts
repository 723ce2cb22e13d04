/**
 * Escalation in real Chromium. The "Acknowledge" link of a gas alarm's email: a
 * gateway's gas alarm goes through the real ingest route → the email reaches a real
 * SMTP sink carrying the link → the link opens the inbox on that alarm, signed in →
 * one click acknowledges it (opening the page alone does not: a mail scanner follows
 * links) → the page, and the API, say there is nothing left to acknowledge. And
 * emergency contacts: added on the channels page by name, their verification
 * email saying who added them and why, listed apart from your own channels with
 * no test to send them; six is one too many.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { SmtpSink } from '../../cloud-sync/server/modules/notifications/channels/test-support/smtp-sink.js';
import { chromiumMissing, launchChromium, openPage, signedInContext } from './browser.js';
import { startMailRig, type MailRig } from './mail-rig.js';
import { api, type Rig } from './rig.js';

const WAIT = { timeout: 30_000 };
const missing = chromiumMissing();

describe('alarm escalation pages in Chromium', { skip: missing }, () => {
  let sink: SmtpSink;
  let rig: Rig;
  let mail: MailRig;
  let browser: Browser;

  before(async () => {
    mail = await startMailRig();
    ({ rig, sink } = mail);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await mail?.close();
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

  it('adds emergency contacts by name, apart from your channels, up to five', { timeout: 180_000 }, async () => {
    const account = `owner-${randomUUID().slice(0, 8)}@example.test`;
    const user = await api<{ accessToken: string; refreshToken: string }>(rig.cloud, 'POST', '/api/auth/register', { email: account, password: 'a long household passphrase', name: 'Cleo' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    await signedInContext(context, rig.cloud.url, user.refreshToken);
    const { page, problems } = await openPage(browser, 1280, { context });
    await page.goto(`${rig.cloud.url}/settings/notifications`);
    const contacts = page.getByTestId('emergency-contacts');
    const neighbour = `maria-${randomUUID().slice(0, 8)}@home.example`;
    await contacts.getByLabel('Their name').fill('Maria (next door)');
    await contacts.getByLabel('Their email address').fill(neighbour);
    await contacts.getByRole('button', { name: 'Add contact' }).click();
    await contacts.getByText(`We emailed ${neighbour} a link saying you added them`).waitFor(WAIT);
    const invitation = await sink.mails.waitFor('the contact’s verification email', (m) => m.to.includes(neighbour), 30_000);
    assert.match(invitation.parsed?.subject ?? '', new RegExp(`${account.replace(/[.]/g, '\\.')} added you as an emergency contact`));
    const row = contacts.getByTestId('channel').filter({ hasText: neighbour });
    await row.getByText('Maria (next door)', { exact: true }).waitFor(WAIT);
    await row.getByText('Not verified', { exact: true }).waitFor(WAIT);
    assert.equal(await row.getByRole('button', { name: /^Send a test/ }).count(), 0, 'a contact is never sent a test');
    assert.equal(await page.getByRole('list', { name: 'Your channels' }).count(), 0, 'a contact is not one of your channels');

    // The neighbour opens their link (no account of theirs here) and agrees.
    const link = /\/verify-email\?token=[\w-]+/.exec(invitation.parsed?.text ?? '')?.[0] ?? '';
    const visitor = await browser.newContext();
    const tab = await visitor.newPage();
    await tab.goto(`${rig.cloud.url}${link}`);
    await tab.getByRole('button', { name: 'Yes, verify this address' }).click();
    await tab.getByText(/Thank you, Maria \(next door\): .* will be told if a gas or leak alarm at their home goes unacknowledged/).waitFor(WAIT);
    assert.equal(await tab.getByRole('link', { name: 'Your alert channels' }).count(), 0, 'the owner’s settings are not offered to a contact');
    await visitor.close();
    await page.reload();
    await row.getByText('Will be told', { exact: true }).waitFor(WAIT);

    // By text message: no link to open; four more fill the five, and the form gives way to the limit.
    for (let i = 1; i <= 4; i++) {
      await contacts.getByRole('button', { name: 'By text message' }).click();
      await contacts.getByLabel('Their name').fill(`Relative ${i}`);
      await contacts.getByLabel('Their mobile number').fill(`+44 7911 12345${i}`);
      await contacts.getByRole('button', { name: 'Add contact' }).click();
      await contacts.getByTestId('channel').filter({ hasText: `Relative ${i}` }).waitFor(WAIT);
    }
    await contacts.getByText('You have 5 contacts, the most allowed').waitFor(WAIT);
    assert.equal(await contacts.getByRole('button', { name: 'Add contact' }).count(), 0);
    await page.screenshot({ path: '/tmp/emergency-contacts.png', fullPage: true });
    assert.deepEqual(problems, []);
    await context.close();
  });
});
