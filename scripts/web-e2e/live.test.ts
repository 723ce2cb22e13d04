/**
 * The dashboard live, in real Chromium against a real cloud and a real simulated
 * gateway running the gas-leak scenario: while the home page is open, the gas alarm
 * the gateway raises appears as a critical banner, a notification arrives and the
 * title says "⚠ Gas alarm — EasyGas", with no reload. Then the server's side of the
 * socket is dropped: the page says it is reconnecting, reconnects, and catches up
 * with what was created while it was away (events are not replayed: it refetches).
 * Every wait is for something on the page, with a timeout; no fixed sleeps.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { runCli, startSimulatedGateway, type SimulatedGateway } from '../../gateway/cli/test-support/simulated-gateway.js';
import { chromiumMissing, launchChromium, openPage, signedInContext } from './browser.js';
import { api, startRig, type Rig } from './rig.js';

const WAIT = { timeout: 120_000 };

/** The little of the DOM the predicates use (this file is typed for Node). */
interface LiveDocument {
  readonly document: { title: string; querySelector(selector: string): { textContent: string | null } | null };
}

/** The unread count in the header (0 when the badge is absent). */
async function unread(page: Page): Promise<number> {
  const badge = page.getByTestId('unread-count');
  return (await badge.count()) === 0 ? 0 : Number((await badge.textContent())?.replace(/\D/g, '') ?? 0);
}

/** Waits until the unread count is above `than` (a function, not a string: the CSP refuses eval). */
function unreadAbove(page: Page, than: number): Promise<unknown> {
  return page.waitForFunction(
    (n: number) => Number(((globalThis as unknown as LiveDocument).document.querySelector('[data-testid="unread-count"]')?.textContent ?? '0').replace(/\D/g, '') || 0) > n,
    than,
    WAIT,
  );
}

describe('dashboard live over /api/ws in Chromium', { skip: chromiumMissing() }, () => {
  let rig: Rig;
  let browser: Browser;
  let gateway: SimulatedGateway | undefined;
  let page: Page;
  let problems: string[];
  let loads = 0;
  let token: string;
  /** The server ends of the live sockets, and whether new ones are refused (the cloud "drops" them). */
  const upgrades = new Set<Socket>();
  let refuseUpgrades = false;

  before(async () => {
    rig = await startRig();
    browser = await launchChromium();
    rig.cloud.app.server.prependListener('upgrade', (_request, socket: Socket) => {
      if (refuseUpgrades) socket.destroy();
      else {
        upgrades.add(socket);
        socket.once('close', () => upgrades.delete(socket));
      }
    });
  });
  after(async () => {
    await browser?.close();
    await gateway?.stop();
    await rig?.close();
  });

  it('a gas alarm raised on the gateway shows as a critical banner, a notification and the title, without reload', { timeout: 300_000 }, async () => {
    const account = { name: 'Live Home', email: `live-${Date.now()}@example.test`, password: 'a long household passphrase' };
    const tokens = await api<{ accessToken: string; refreshToken: string }>(rig.cloud, 'POST', '/api/auth/register', account);
    token = tokens.accessToken;
    const { code } = await api<{ code: string }>(rig.cloud, 'POST', '/api/devices/claim-codes', {}, token);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Europe/London' });
    await signedInContext(context, rig.cloud.url, tokens.refreshToken);
    ({ page, problems } = await openPage(browser, 1280, { context }));
    page.on('load', () => loads++);
    await page.goto(`${rig.cloud.url}/`);
    await page.getByRole('heading', { name: 'No gateway yet' }).waitFor(WAIT);
    await page.getByTestId('connection').getByText('Live').waitFor(WAIT);
    assert.equal(await unread(page), 0);

    // The simulated home with a burner left on unlit 5 simulated minutes in; 20× so that is seconds.
    gateway = await startSimulatedGateway({
      scenario: 'gas-leak',
      speed: 20,
      patch: (doc) => {
        doc.cloud = { ...(doc.cloud as object), enabled: true, url: rig.cloud.url, heartbeat: '5s' };
      },
    });
    const provision = await runCli(['provision', '--cloud', rig.cloud.url, '--code', code, '--data-dir', gateway.dataDir]);
    assert.equal(provision.code, 0, provision.stderr);

    // The gateway and its readings arrive over the socket: the page was never reloaded.
    await page.getByTestId('tank-card').first().waitFor(WAIT);
    await page.locator('[data-testid="tank-card"] svg[role="img"][aria-label$="%"]').first().waitFor(WAIT);

    const banner = page.locator('.banner.critical[role="alert"]').filter({ has: page.getByRole('heading', { name: /^Gas alarm/ }) });
    await banner.waitFor(WAIT);
    assert.match((await banner.textContent()) ?? '', /Leave the house now/, 'the critical words, not a warning’s');
    assert.match((await banner.locator('h2').textContent()) ?? '', /\(critical\)/);
    await unreadAbove(page, 0);
    await page.waitForFunction(() => (globalThis as unknown as LiveDocument).document.title === '⚠ Gas alarm — EasyGas', undefined, WAIT);
    assert.equal(loads, 1, 'no reload');
    assert.deepEqual(problems, []);
  });

  it('a dropped socket: the page says it is reconnecting, comes back and catches up with what happened meanwhile', { timeout: 120_000 }, async () => {
    assert.ok(upgrades.size > 0, 'the page holds a live socket');
    const before = await unread(page);
    const sensors = await api<{ id: string; kind: string }[]>(rig.cloud, 'GET', '/api/sensors', undefined, token);
    const lpg = sensors.find((s) => s.kind === 'level')?.id ?? '';
    const rule = await api<{ id: string }>(rig.cloud, 'POST', '/api/alerts', { sensorId: lpg, type: 'low_level', params: { warningPercent: 20, criticalPercent: 5 } }, token);

    // The cloud drops the connection and, for now, refuses new ones.
    refuseUpgrades = true;
    for (const socket of upgrades) socket.destroy();
    await page.getByTestId('connection').getByText(/Connection lost: reconnecting/).waitFor(WAIT);
    // Created while the page has no socket: never pushed to it.
    await api(rig.cloud, 'POST', `/api/alerts/${rule.id}/test`, undefined, token);
    refuseUpgrades = false;

    await page.getByTestId('connection').getByText('Live').waitFor(WAIT);
    await unreadAbove(page, before);
    assert.equal(loads, 1, 'no reload');
    // Refused upgrades are the test's doing: Chromium reports each as a failed WebSocket handshake.
    assert.deepEqual(problems.filter((p) => !/WebSocket/.test(p)), []);
  });
});
