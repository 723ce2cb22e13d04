/**
 * The dashboard in real Chromium against a real cloud and a real simulated gateway:
 * register → add a gateway → provision the simulated Pi with the command the page
 * shows → its sensors appear → the 24 h chart has points → create an alert rule →
 * a test notification raises the unread count → mark it read → sign out. Then every
 * page at 390 px and 1280 px: no console error, no failed request, no sideways scroll
 * on the phone. Screenshots go to .data/web-screenshots/ (git-ignored).
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { runCli, startSimulatedGateway, type SimulatedGateway } from '../../gateway/cli/test-support/simulated-gateway.js';
import { chartPoints, chromiumMissing, launchChromium, openPage, scrollsSideways, sessionCookie, signedInContext, storedTokens } from './browser.js';
import { api, seedHistoryGateway, startRig, type Rig } from './rig.js';

const SHOTS = resolve(import.meta.dirname, '..', '..', '.data', 'web-screenshots');
const WAIT = { timeout: 90_000 };
const missing = chromiumMissing();

describe('dashboard in Chromium', { skip: missing }, () => {
  let rig: Rig;
  let browser: Browser;
  let gateway: SimulatedGateway | undefined;
  const account = { name: 'Ann Example', email: `ann-${Date.now()}@example.test`, password: 'a long household passphrase' };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    rig = await startRig();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await gateway?.stop();
    await rig?.close();
    console.log(`dashboard screenshots: ${SHOTS}`);
  });

  const login = () => api<{ accessToken: string; refreshToken: string }>(rig.cloud, 'POST', '/api/auth/login', { email: account.email, password: account.password });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

  it('register → add a gateway → provision it with the shown command → sensors, chart, rule, notification → sign out', { timeout: 300_000 }, async () => {
    const { page, problems } = await openPage(browser, 1280);
    await page.goto(`${rig.cloud.url}/`);
    await page.getByRole('heading', { name: 'Sign in to EasyGas' }).waitFor();
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Your name').fill(account.name);
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'No gateway yet' }).waitFor();
    await shot(page, 'flow-1-empty-home');
    // The refresh token is an HttpOnly, SameSite=Strict cookie; the page keeps no token a script could read.
    const cookie = await sessionCookie(page.context(), rig.cloud.url);
    assert.ok(cookie !== undefined && cookie.httpOnly && cookie.sameSite === 'Strict', JSON.stringify(cookie));
    assert.deepEqual(await storedTokens(page), []);
    // A reload renews the session by the cookie: still signed in.
    await page.reload();
    await page.getByRole('heading', { name: 'No gateway yet' }).waitFor();

    await page.getByRole('link', { name: 'Add a gateway' }).click();
    const command = (await page.getByTestId('provision-command').textContent(WAIT))?.trim() ?? '';
    await shot(page, 'flow-2-add-gateway');
    const m = /^sudo -u easygas easygas provision --cloud (\S+) --code (\S+)$/.exec(command);
    assert.ok(m !== null, `the page shows the command: ${command}`);
    assert.equal(m[1], rig.cloud.url, 'the command names this cloud');

    // The Pi: a simulated gateway with cloud sync on but no credential yet, then the shown command.
    gateway = await startSimulatedGateway({
      patch: (doc) => {
        doc.cloud = { ...(doc.cloud as object), enabled: true, url: rig.cloud.url, heartbeat: '5s' };
      },
    });
    const provision = await runCli(['provision', '--cloud', m[1] ?? '', '--code', m[2] ?? '', '--data-dir', gateway.dataDir]);
    assert.equal(provision.code, 0, provision.stderr);
    await page.getByTestId('gateway-added').waitFor(WAIT);
    await page.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('link', { name: 'Home' }).click();
    await page.getByTestId('tank-card').first().waitFor(WAIT);
    // A reading arrives without a reload: the gauge shows a percentage.
    await page.locator('[data-testid="tank-card"] svg[role="img"][aria-label$="%"]').first().waitFor(WAIT);
    await shot(page, 'flow-3-home-with-gateway');

    await page.getByTestId('tank-card').first().getByRole('link').first().click();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    await chartPoints(page, 0, WAIT.timeout);
    await shot(page, 'flow-4-sensor-24h');

    await page.getByRole('link', { name: 'Alert rules' }).first().click();
    await page.getByRole('button', { name: 'Create your first rule' }).click();
    await page.getByLabel('Sensor').selectOption({ label: 'LPG cylinder' });
    await page.getByLabel('When').selectOption({ label: 'Low level' });
    await page.getByLabel('Critical below (%)').fill('30');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.getByText('Critical means emptier: set it below the warning level.').waitFor();
    await page.getByLabel('Critical below (%)').fill('10');
    await page.getByLabel('Name (optional)').fill('Order gas');
    await page.getByRole('button', { name: 'Create rule' }).click();
    const rule = page.getByTestId('rule').filter({ hasText: 'Order gas' });
    await rule.getByText('LPG cylinder: Warn below 20 %, critical below 10 %').waitFor();
    await rule.waitFor();
    await rule.getByRole('button', { name: 'Send a test' }).click();
    await page.getByTestId('unread-count').waitFor(WAIT);
    assert.equal((await page.getByTestId('unread-count').textContent())?.replace(/\D/g, ''), '1');
    await shot(page, 'flow-5-rules');

    await page.getByRole('link', { name: /^Notifications/ }).click();
    await page.getByTestId('notification').first().waitFor();
    await shot(page, 'flow-6-notifications');
    await page.getByRole('button', { name: /^Mark read/ }).first().click();
    await page.getByTestId('unread-count').waitFor({ state: 'detached', ...WAIT });

    await page.locator('.signout.in-bar').click();
    await page.getByRole('heading', { name: 'Sign in to EasyGas' }).waitFor();
    assert.equal(await sessionCookie(page.context(), rig.cloud.url), undefined, 'the session cookie is gone');
    assert.deepEqual(await storedTokens(page), [], 'nothing of the session stays');
    await page.goto(`${rig.cloud.url}/rules`);
    await page.getByRole('heading', { name: 'Sign in to EasyGas' }).waitFor();
    assert.deepEqual(problems, []);
    await page.context().close();
  });

  it('every page at 390 px and 1280 px: no console error, no failed request, no sideways scroll on a phone', { timeout: 300_000 }, async () => {
    const signIn = await openPage(browser, 1280);
    await signIn.page.goto(`${rig.cloud.url}/sign-in`);
    await signIn.page.getByLabel('Email').fill(account.email);
    await signIn.page.getByLabel('Password').fill(account.password);
    await signIn.page.getByRole('button', { name: 'Sign in' }).click();
    await signIn.page.getByRole('heading', { name: 'Your home' }).waitFor();
    assert.ok((await sessionCookie(signIn.page.context(), rig.cloud.url)) !== undefined);
    await signIn.page.context().close();
    const seeded = await seedHistoryGateway(rig.cloud, (await login()).accessToken, Date.now());

    const pages: readonly [string, string, (p: Page) => Promise<unknown>][] = [
      ['home', '/', (p) => p.getByTestId('tank-card').first().waitFor(WAIT)],
      ['sensor-7d', `/sensors/${encodeURIComponent(seeded.sensorId)}`, async (p) => {
        await p.getByRole('button', { name: '7 days' }).click();
        await chartPoints(p, 100, WAIT.timeout);
        await p.getByRole('heading', { name: 'Daily usage' }).waitFor();
      }],
      ['events', '/events', (p) => p.getByText('Rain tank fell 8 points in 30 minutes').waitFor(WAIT)],
      ['rules', '/rules', (p) => p.getByTestId('rule').first().waitFor(WAIT)],
      ['notifications', '/notifications', (p) => p.getByTestId('notification').first().waitFor(WAIT)],
      ['gateways', '/gateways', (p) => p.getByTestId('gateway').nth(1).waitFor(WAIT)],
      ['profile', '/profile', (p) => p.getByRole('heading', { name: 'Your details' }).waitFor(WAIT)],
      // With data they are swept in orders.test.ts; here their empty states.
      ['tanks-empty', '/tanks', (p) => p.getByRole('heading', { name: 'No tank yet: add one' }).waitFor(WAIT)],
      ['orders-empty', '/orders', (p) => p.getByRole('heading', { name: 'No order yet' }).waitFor(WAIT)],
      ['not-found', '/no-such-page', (p) => p.getByRole('heading', { name: 'No such page' }).waitFor(WAIT)],
    ];
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
      await signedInContext(context, rig.cloud.url, (await login()).refreshToken);
      for (const [name, path, ready] of pages) {
        const { page, problems } = await openPage(browser, width, { context });
        await page.goto(`${rig.cloud.url}${path}`);
        await ready(page);
        await shot(page, `${width}-${name}`);
        if (width < 600) assert.equal(await scrollsSideways(page), false, `${name} scrolls sideways at ${width} px`);
        assert.deepEqual(problems, [], `${name} at ${width} px`);
        await page.close();
      }
      await context.close();
    }
    for (const [name, path] of [['sign-in', '/sign-in'], ['register', '/register'], ['forgot-password', '/forgot-password'], ['reset-password', '/reset-password?token=pr_example']] as const) {
      for (const width of [390, 1280]) {
        const { page, problems } = await openPage(browser, width);
        await page.goto(`${rig.cloud.url}${path}`);
        await page.getByRole('heading').first().waitFor();
        await shot(page, `${width}-${name}`);
        if (width < 600) assert.equal(await scrollsSideways(page), false, `${name} scrolls sideways`);
        assert.deepEqual(problems, [], `${name} at ${width} px`);
        await page.context().close();
      }
    }
  });
});
