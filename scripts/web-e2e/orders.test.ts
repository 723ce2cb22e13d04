/**
 * Tanks and refill orders in real Chromium against a real cloud: a customer with a
 * level sensor (a week of readings through the gateway ingest route) adds a tank
 * linked to it in the UI, sees its forecast, orders a refill from a supplier (made
 * as `easygas cloud supplier create` makes one) at its quoted price; the supplier
 * acknowledges, schedules, dispatches and delivers through its API, and the open order
 * page shows each step live, without reload; then a review. Every new page at 390 px
 * and 1280 px: no console error, no failed request, no sideways scroll on a phone.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createSupplierAccount } from '../../cloud-sync/server/main.js';
import { chartPoints, chromiumMissing, launchChromium, openPage, scrollsSideways, signedInContext } from './browser.js';
import { api, seedHistoryGateway, startRig, type Rig } from './rig.js';

const SHOTS = resolve(import.meta.dirname, '..', '..', '.data', 'web-screenshots');
const WAIT = { timeout: 90_000 };
const DAY = 86_400_000;

describe('tanks and refill orders in Chromium', { skip: chromiumMissing() }, () => {
  let rig: Rig;
  let browser: Browser;
  const customer = { name: 'Tom Tank', email: `tom-${Date.now()}@example.test`, password: 'a long household passphrase' };
  const supplier = { email: `orders-${Date.now()}@bathwater.example`, password: 'a long supplier password' };

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    rig = await startRig();
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await rig?.close();
  });

  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  const login = (who: { email: string; password: string }) => api<{ accessToken: string; refreshToken: string }>(rig.cloud, 'POST', '/api/auth/login', { email: who.email, password: who.password });
  let tankPath = '';
  let orderPath = '';

  it('add a tank linked to the sensor, see its forecast, order a refill; each supplier step shows live; review it', { timeout: 300_000 }, async () => {
    const tokens = await api<{ accessToken: string; refreshToken: string }>(rig.cloud, 'POST', '/api/auth/register', customer);
    await seedHistoryGateway(rig.cloud, tokens.accessToken, Date.now());
    const created = await createSupplierAccount(join(rig.dir, 'cloud.db'), {
      ...supplier,
      name: 'Bath Water Co',
      company: 'Bath Water Co',
      currency: 'GBP',
      leadTimeDays: 2,
      postalCodes: ['BA1 1AA'],
      // 0.0500 a litre to 199 L, 0.0450 from 200 L (in 1/10,000 of a pound).
      prices: { water: [{ minVolume: 1, maxVolume: 199, pricePerLitre: 500 }, { minVolume: 200, maxVolume: null, pricePerLitre: 450 }] },
    });
    assert.ok(created.ok, JSON.stringify(created));

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    await signedInContext(context, rig.cloud.url, tokens.refreshToken);
    const { page, problems } = await openPage(browser, 1280, { context });
    let loads = 0;
    page.on('load', () => loads++);
    await page.goto(`${rig.cloud.url}/`);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Tanks' }).click();
    await page.getByRole('heading', { name: 'No tank yet: add one' }).waitFor(WAIT);

    await page.getByRole('button', { name: 'Add a tank' }).first().click();
    await page.getByLabel('Name', { exact: true }).fill('Rain tank');
    await page.getByLabel('Holds', { exact: true }).selectOption('water');
    await page.getByLabel('Capacity (litres)', { exact: true }).fill('300');
    await page.getByLabel('Level sensor', { exact: true }).selectOption({ label: 'Rain tank' });
    await page.getByLabel('Street', { exact: true }).fill('1 High St');
    await page.getByLabel('City', { exact: true }).fill('Bath');
    await page.getByLabel('Postal code', { exact: true }).fill('BA1 1AA');
    await page.getByLabel('Preferred supplier', { exact: true }).locator('option', { hasText: 'Bath Water Co' }).waitFor({ state: 'attached', ...WAIT });
    await page.getByLabel('Preferred supplier', { exact: true }).selectOption({ label: 'Bath Water Co' });
    await shot(page, 'orders-1-tank-form');
    await page.getByRole('button', { name: 'Add the tank' }).click();

    // The level is the analytics' own, with its time; days to empty from the forecast.
    await page.getByTestId('tank-level').getByText(/%.*\(/).waitFor(WAIT);
    await shot(page, 'orders-2-tanks');
    await page.getByRole('link', { name: 'Rain tank' }).click();
    await page.getByTestId('forecast').waitFor(WAIT);
    tankPath = new URL(page.url()).pathname;
    const reorder = (await page.getByTestId('reorder-by').textContent()) ?? '';
    const empty = (await page.getByTestId('empty-by').textContent()) ?? '';
    // A date with its band, or the reason there is none: never a dash.
    for (const line of [reorder, empty]) assert.match(line, /between .+ and |not before |no date — \w+/, line);
    assert.match(empty, /^Empty by \w+ \d+ \w+ \(between /, 'a week of steady use gives an empty date');
    await page.getByRole('heading', { name: 'Daily usage' }).waitFor();
    // The sensor's level over 30 days, the refill the analytics saw marked on it.
    await chartPoints(page, 100, WAIT.timeout);
    // After the history, the forecast: its P10–P90 band, the expected level and the reorder line, labelled as a forecast.
    const legend = page.getByTestId('forecast-legend');
    await legend.getByText('Forecast: 80 % likely range (P10–P90)').waitFor(WAIT);
    await legend.getByText('Forecast: expected level').waitFor(WAIT);
    await legend.getByText(/^Reorder level \(/).waitFor(WAIT);
    const forecastPoints = Number(await page.getByTestId('history-chart').getAttribute('data-forecast-points'));
    assert.ok(forecastPoints > 2, `the chart draws the forecast (${forecastPoints} points)`);
    assert.match((await page.getByTestId('history-chart').getAttribute('aria-label')) ?? '', /then the forecast level with its P10–P90 band/);
    await shot(page, 'orders-3-tank-detail');
    await page.locator('section', { has: page.getByTestId('history-chart') }).screenshot({ path: '/tmp/tank-forecast.png' });

    await page.getByRole('link', { name: 'Order a refill' }).click();
    await page.getByRole('heading', { name: 'Order a refill' }).waitFor(WAIT);
    await page.getByLabel('A number of litres').check();
    await page.getByLabel('Litres', { exact: true }).fill('100');
    await page.getByTestId('supplier-choice').getByText('£5.00').waitFor(WAIT);
    await shot(page, 'orders-4-order-form');
    await page.getByRole('button', { name: 'Place the order' }).click();
    await page.getByTestId('order-status').getByText('Placed').waitFor(WAIT);
    orderPath = new URL(page.url()).pathname;
    assert.match(orderPath, /^\/orders\//);
    assert.equal(await page.getByTestId('order-total').textContent(), '£5.00');

    // The supplier moves the order on through its API; the customer's page follows, live.
    const supplierToken = (await login(supplier)).accessToken;
    const [order] = await api<{ id: string; number: string }[]>(rig.cloud, 'GET', '/api/supplier/orders', undefined, supplierToken);
    assert.ok(order !== undefined);
    const start = Date.now() + DAY;
    const steps: readonly [Record<string, unknown>, string][] = [
      [{ status: 'acknowledged' }, 'Acknowledged by the supplier'],
      [{ status: 'scheduled', window: { start, end: start + 4 * 3_600_000 } }, 'Delivery scheduled'],
      [{ status: 'in_transit' }, 'On its way'],
      [{ status: 'delivered', actualLitres: 96, driverNotes: 'Left the gate closed' }, 'Delivered'],
    ];
    for (const [body, words] of steps) {
      await api(rig.cloud, 'PATCH', `/api/supplier/orders/${order.id}/status`, body, supplierToken);
      await page.getByTestId('order-status').getByText(words, { exact: true }).waitFor(WAIT);
    }
    assert.equal(await page.getByTestId('timeline').locator('li').count(), 5);
    assert.equal(loads, 1, 'no reload');

    await page.getByLabel('4 ★').check();
    await page.getByLabel('Comment').fill('On time and tidy.');
    await page.getByRole('button', { name: 'Send the review' }).click();
    await page.getByTestId('review').getByText('On time and tidy.').waitFor(WAIT);
    await shot(page, 'orders-5-order-delivered');

    // The delivery shows on the tank, with what was ordered and delivered (the sensor has not seen it arrive).
    await page.goto(`${rig.cloud.url}${tankPath}`);
    await page.getByText(new RegExp(`order ${order.number}: 100\\s?[lL] ordered, 96\\s?[lL] delivered`)).first().waitFor(WAIT);
    await shot(page, 'orders-6-tank-with-delivery');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('a tank with no sensor: a level entered by hand, fill to 95 %, reschedule and cancel the order', { timeout: 300_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    await signedInContext(context, rig.cloud.url, (await login(customer)).refreshToken);
    const { page, problems } = await openPage(browser, 390, { context });
    await page.goto(`${rig.cloud.url}/tanks`);
    await page.getByRole('button', { name: 'Add a tank' }).click();
    await page.getByLabel('Name', { exact: true }).fill('Header tank');
    await page.getByLabel('Holds', { exact: true }).selectOption('water');
    await page.getByLabel('Capacity (litres)', { exact: true }).fill('200');
    await page.getByLabel('Street', { exact: true }).fill('1 High St');
    await page.getByLabel('City', { exact: true }).fill('Bath');
    await page.getByLabel('Postal code', { exact: true }).fill('BA1 1AA');
    await page.getByRole('button', { name: 'Add the tank' }).click();
    const row = page.getByTestId('tank').filter({ hasText: 'Header tank' });
    await row.getByTestId('tank-level').getByText('No reading yet').waitFor(WAIT);
    // With no level there is no forecast: the row says why, not a dash.
    assert.notEqual(((await row.getByTestId('tank-empty').textContent()) ?? '').trim(), '');

    await row.getByRole('button', { name: 'Enter a level' }).click();
    await page.getByLabel('Level now (%)').fill('40');
    await page.getByRole('button', { name: 'Save the level' }).click();
    await row.getByTestId('tank-level').getByText(/^40%/).waitFor(WAIT);

    await row.getByRole('link', { name: 'Header tank' }).click();
    await page.getByRole('link', { name: 'Order a refill' }).click();
    await page.getByLabel('Fill to 95 %').check();
    // 95 % of 200 L from 40 %: 110 L, at 0.0500 a litre.
    await page.getByTestId('order-litres').getByText(/^110 l/i).waitFor(WAIT);
    await page.getByLabel('Deliver by').fill('2020-01-01T10:00');
    await page.getByRole('button', { name: 'Place the order' }).click();
    await page.getByText('The window must end after it starts.').waitFor(WAIT);
    await page.getByLabel('Deliver by').fill(new Date(Date.now() + 3 * DAY).toISOString().slice(0, 11) + '18:00');
    await page.getByRole('button', { name: 'Place the order' }).click();
    await page.getByTestId('order-status').getByText('Placed').waitFor(WAIT);
    assert.equal(await page.getByTestId('order-total').textContent(), '£5.50');

    await page.getByRole('button', { name: 'Reschedule' }).click();
    await page.getByLabel('Deliver by').fill(new Date(Date.now() + 4 * DAY).toISOString().slice(0, 11) + '12:00');
    await page.getByRole('button', { name: 'Send the new window' }).click();
    await page.getByTestId('timeline').getByText('Rescheduled').waitFor(WAIT);

    await page.getByRole('button', { name: 'Cancel the order' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel the order' }).click();
    await page.getByTestId('order-status').getByText('Cancelled').waitFor(WAIT);
    assert.equal(await page.getByRole('button', { name: 'Reschedule' }).count(), 0, 'nothing left to do on a cancelled order');
    assert.equal(await scrollsSideways(page), false);
    await shot(page, 'orders-6-cancelled-390');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('every tank and order page at 390 px and 1280 px: no console error, no failed request, no sideways scroll on a phone', { timeout: 300_000 }, async () => {
    assert.ok(tankPath !== '' && orderPath !== '', 'the flow above made a tank and an order');
    const pages: readonly [string, string, (p: Page) => Promise<unknown>][] = [
      ['tanks', '/tanks', (p) => p.getByTestId('tank-empty').nth(1).waitFor(WAIT)],
      ['tank', tankPath, (p) => chartPoints(p, 100, WAIT.timeout)],
      ['tank-order', `${tankPath}/order`, (p) => p.getByTestId('supplier-choice').first().waitFor(WAIT)],
      ['orders', '/orders', (p) => p.getByTestId('order').first().waitFor(WAIT)],
      ['order', orderPath, (p) => p.getByTestId('review').waitFor(WAIT)],
    ];
    for (const width of [390, 1280]) {
      const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
      await signedInContext(context, rig.cloud.url, (await login(customer)).refreshToken);
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
  });
});
