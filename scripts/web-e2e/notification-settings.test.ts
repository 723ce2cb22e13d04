/**
 * The alert channels page in real Chromium against a real cloud with a real SMTP
 * sink: add an email address → its verification email arrives → open its link and
 * confirm → the page shows it verified → "Send a test" → the test email arrives and
 * the page says it was delivered (and the inbox's delivery log shows it); quiet
 * hours saved survive a reload; and the page never asks for notification permission
 * before "Enable push" is clicked (the context grants nothing). A screenshot of the
 * page goes to /tmp/settings-notifications.png.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { SmtpSink } from '../../cloud-sync/server/modules/notifications/channels/test-support/smtp-sink.js';
import { chromiumMissing, launchChromium, openPage, scrollsSideways, signedInContext } from './browser.js';
import { startMailRig, type MailRig } from './mail-rig.js';
import { api, type Rig } from './rig.js';

const WAIT = { timeout: 30_000 };
const SHOT = '/tmp/settings-notifications.png';
const SHOT_PHONE = '/tmp/settings-notifications-390.png';
const PASSWORD = 'a long household passphrase';
const missing = chromiumMissing();

/** Counts the page's calls of Notification.requestPermission (it must make none before the click). */
const COUNT_PERMISSION_ASKS = `
  window.__permissionAsks = 0;
  if (typeof Notification !== 'undefined') {
    const ask = Notification.requestPermission.bind(Notification);
    Notification.requestPermission = (...args) => { window.__permissionAsks += 1; return ask(...args); };
  }
`;

describe('alert channels page in Chromium', { skip: missing }, () => {
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

  it('email: verified by its link, tested into the SMTP sink; quiet hours persist; no permission asked before "Enable push"', { timeout: 180_000 }, async () => {
    const address = `ann-${randomUUID().slice(0, 8)}@home.example`;
    const account = `account-${randomUUID()}@example.test`;
    const tokens = await api<{ refreshToken: string }>(rig.cloud, 'POST', '/api/auth/register', { email: account, password: PASSWORD, name: 'Ann Example' });
    // A context that grants nothing: the permission stays "default" unless the page asks.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    await context.addInitScript(COUNT_PERMISSION_ASKS);
    await signedInContext(context, rig.cloud.url, tokens.refreshToken);
    const { page, problems } = await openPage(browser, 1280, { context });

    await page.goto(`${rig.cloud.url}/`);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Channels' }).click();
    await page.getByRole('heading', { name: 'Alert channels', level: 1 }).waitFor(WAIT);
    await page.getByRole('heading', { name: 'Nowhere to send alarms yet' }).waitFor(WAIT);

    // Push: offered, and nothing asked yet.
    await page.getByRole('button', { name: 'Enable push' }).waitFor(WAIT);
    assert.equal(await page.evaluate<string>('Notification.permission'), 'default');
    assert.equal(await page.evaluate<number>('window.__permissionAsks'), 0, 'the page asked for permission before the click');

    // Email: added, not verified until its link is opened.
    await page.getByLabel('Email address', { exact: true }).fill(address);
    await page.getByRole('button', { name: 'Add email' }).click();
    const channel = page.getByTestId('channel').filter({ hasText: address });
    await channel.getByText('Not verified', { exact: true }).waitFor(WAIT);
    assert.equal(await channel.getByRole('button', { name: /^Send a test/ }).count(), 0, 'no test for an unverified address');
    const mail = await sink.mails.waitFor('the verification email', (m) => m.to.includes(address), 30_000);
    const link = /(https?:\/\/[^\s/]+)(\/verify-email\?token=[\w-]+)/.exec(mail.parsed?.text ?? '');
    assert.ok(link !== null, `the email carries the dashboard's link: ${mail.parsed?.text ?? ''}`);
    // The cloud listens on a port chosen at start, so the link's origin is the default one: open its path here.
    const tab = await context.newPage();
    await tab.goto(`${rig.cloud.url}${link[2] ?? ''}`);
    await tab.getByRole('button', { name: 'Yes, verify this address' }).click();
    await tab.getByText(`Verified: EasyGas alarms now go to ${address}.`).waitFor(WAIT);
    await tab.close();

    await page.reload();
    await channel.getByText('Verified', { exact: true }).waitFor(WAIT);
    await channel.getByRole('button', { name: /^Send a test/ }).click();
    const test = await sink.mails.waitFor('the test email', (m) => m.to.includes(address) && (m.parsed?.subject ?? '').includes('Test: EasyGas notifications'), 30_000);
    assert.match(test.parsed?.text ?? '', /You asked for this test/);
    await channel.getByTestId('test-outcome').filter({ hasText: 'Test delivered' }).waitFor(WAIT);

    // Quiet hours: saved, and still there after a reload.
    await page.getByLabel('Keep quiet at night').check();
    await page.getByLabel('From').fill('21:30');
    await page.getByLabel('Until').fill('06:45');
    await page.getByLabel('Time zone').selectOption('Europe/Lisbon');
    await page.getByRole('button', { name: 'Save quiet hours' }).click();
    await page.getByText('Quiet from 21:30 to 06:45 (Europe/Lisbon).').waitFor(WAIT);
    await page.reload();
    await page.getByRole('heading', { name: 'Quiet hours' }).waitFor(WAIT);
    assert.deepEqual(
      [await page.getByLabel('From').inputValue(WAIT), await page.getByLabel('Until').inputValue(), await page.getByLabel('Time zone').inputValue()],
      ['21:30', '06:45', 'Europe/Lisbon'],
    );
    await channel.getByText('Verified', { exact: true }).waitFor(WAIT);
    assert.equal(await page.evaluate<number>('window.__permissionAsks'), 0, 'still nothing asked');

    // SMS on a cloud with no SMS provider: added, and its test says honestly that it failed, and why.
    await page.getByRole('button', { name: 'Text message', exact: true }).click();
    await page.getByLabel('Mobile number', { exact: true }).fill('+44 7911 123456');
    await page.getByRole('button', { name: 'Add number' }).click();
    const sms = page.getByTestId('channel').filter({ hasText: '+447911123456' });
    await sms.getByRole('button', { name: /^Send a test/ }).click();
    await sms.getByTestId('test-outcome').filter({ hasText: 'Test failed: the sms channel is not configured on this server' }).waitFor(WAIT);

    // A webhook: its signing secret is shown once, with a copy button, and never again.
    await page.getByRole('button', { name: 'Webhook', exact: true }).click();
    await page.getByLabel('Webhook URL').fill('https://hooks.example.com/easygas');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    const secret = page.getByTestId('webhook-secret');
    assert.match((await secret.locator('code').textContent(WAIT)) ?? '', /^whsec_[\w-]{40,}$/);
    await secret.getByRole('button', { name: 'Copy the secret' }).waitFor(WAIT);
    await page.getByTestId('channel').filter({ hasText: 'https://hooks.example.com/easygas' }).getByText('Active', { exact: true }).waitFor(WAIT);
    await page.screenshot({ path: SHOT, fullPage: true });

    // The inbox: the test notification's delivery log.
    await page.getByRole('link', { name: 'Notifications', exact: true }).first().click();
    const item = page.getByTestId('notification').filter({ hasText: 'Test: EasyGas notifications reach this email address' });
    await item.getByText('Delivery log').click();
    await item.getByTestId('delivery-log').getByText('Delivered', { exact: true }).waitFor(WAIT);
    await item.getByTestId('delivery-log').getByText(/accepted by the provider/).waitFor(WAIT);
    assert.equal(await item.getByRole('button', { name: /^Acknowledge/ }).count(), 0, 'a test is nothing to acknowledge');

    assert.deepEqual(problems, []);
    await context.close();

    // On a phone: one column, nothing scrolls sideways.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    await signedInContext(phone, rig.cloud.url, (await api<{ refreshToken: string }>(rig.cloud, 'POST', '/api/auth/login', { email: account, password: PASSWORD })).refreshToken);
    const small = await openPage(browser, 390, { context: phone });
    await small.page.goto(`${rig.cloud.url}/settings/notifications`);
    await small.page.getByTestId('channel').filter({ hasText: address }).getByText('Verified', { exact: true }).waitFor(WAIT);
    await small.page.getByRole('button', { name: 'Enable push' }).waitFor(WAIT);
    assert.equal(await small.page.getByTestId('webhook-secret').count(), 0, 'the webhook secret is not shown again');
    await small.page.screenshot({ path: SHOT_PHONE, fullPage: true });
    assert.equal(await scrollsSideways(small.page), false, 'the page scrolls sideways at 390 px');
    assert.deepEqual(small.problems, []);
    await phone.close();
  });

  it('the service worker at /sw.js shows a push as a notification: tagged, with the acknowledge action', { timeout: 120_000 }, async () => {
    const served = await fetch(`${rig.cloud.url}/sw.js`);
    assert.equal(served.status, 200);
    assert.match(served.headers.get('content-type') ?? '', /javascript/);
    // Permission granted up front here: this is about what the worker shows, not about asking.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['notifications'] });
    const { page, problems } = await openPage(browser, 1280, { context });
    await page.goto(`${rig.cloud.url}/sign-in`);
    const cdp = await context.newCDPSession(page);
    const registered = new Promise<string>((resolve) => {
      cdp.on('ServiceWorker.workerRegistrationUpdated', (e: { registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] }) => {
        const mine = e.registrations.find((r) => r.scopeURL === `${rig.cloud.url}/` && !r.isDeleted);
        if (mine !== undefined) resolve(mine.registrationId);
      });
    });
    await cdp.send('ServiceWorker.enable');
    assert.equal(await page.evaluate<boolean>("navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(() => navigator.serviceWorker.ready).then((r) => r.active !== null)"), true);
    const payload = { v: 1, id: 'd-1', tag: 'T0pic', severity: 'critical', kind: 'gas', title: 'ALARM: Kitchen gas', body: 'Gas above the alarm threshold', timestamp: Date.now(), url: `${rig.cloud.url}/notifications`, acknowledgeUrl: `${rig.cloud.url}/notifications?ack=1`, requireInteraction: true };
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: rig.cloud.url, registrationId: await registered, data: JSON.stringify(payload) });
    const shown = await page.waitForFunction(
      () =>
        (globalThis as unknown as WorkerDocument).navigator.serviceWorker.ready
          .then((r) => r.getNotifications())
          .then((list) => (list.length === 0 ? null : list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, actions: n.actions.map((a) => a.action) })))),
      undefined,
      WAIT,
    );
    assert.deepEqual(await shown.jsonValue(), [{ title: 'ALARM: Kitchen gas', body: 'Gas above the alarm threshold', tag: 'T0pic', actions: ['acknowledge'] }]);
    assert.deepEqual(problems, []);
    await context.close();
  });
});

/** The little of the service-worker API the check above reads (this file is typed for Node, without the DOM). */
interface WorkerDocument {
  readonly navigator: {
    readonly serviceWorker: {
      readonly ready: Promise<{ getNotifications(): Promise<{ title: string; body: string; tag: string; actions: { action: string }[] }[]> }>;
    };
  };
}
