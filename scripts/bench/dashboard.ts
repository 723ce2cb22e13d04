/**
 * The dashboard's benchmark (issue 17), in real Chromium against a real cloud on loopback:
 * - bytes of JS + CSS (gzip) the home page loads, beside the whole app's (the chart
 *   library is split out, so the home page should load well under all of it);
 * - navigation to the tank cards visible, beside a static blank page served on the
 *   same loopback in the same run (median of N loads each);
 * - drawing a 1-year history chart of 8,760 hourly buckets (uPlot's first draw, as the
 *   chart measures it), beside drawing the 24 h chart (288 buckets) in the same page.
 * - ingest to 1,000 open live WebSockets of one user, beside a bare `ws` broadcast of
 *   the same message (dashboard-fanout.ts).
 */
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { chartDrawn, chartPoints, chromiumMissing, launchChromium, openPage, signedInContext } from '../web-e2e/browser.js';
import { api, seedHistoryGateway, startRig } from '../web-e2e/rig.js';
import { measureFanout } from './dashboard-fanout.js';
import { percentile, type Bench, type BenchContext, type Figure } from './harness.js';

const HOUR = 3_600_000;

async function median(runs: number, once: () => Promise<number>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await once());
  return percentile(times, 50);
}

async function blankServer(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    res.end('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title></head><body><p id="x">blank</p></body></html>');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(() => done())) };
}

export const dashboardBench: Bench = {
  name: 'dashboard',
  description: 'the dashboard in Chromium: home page bytes, time to the tank cards, drawing a year of hourly buckets; ingest to 1,000 live sockets',
  async run(context: BenchContext): Promise<Figure[]> {
    const missing = chromiumMissing();
    if (missing !== undefined) {
      context.log(`skipped: ${missing}`);
      return [];
    }
    const runs = context.quick ? 1 : 15;
    const rig = await startRig();
    const blank = await blankServer();
    let browser: Browser | undefined;
    try {
      const account = { email: 'bench@example.test', password: 'a bench passphrase', name: 'Bench' };
      await api(rig.cloud, 'POST', '/api/auth/register', account);
      const login = () => api<{ accessToken: string; refreshToken: string }>(rig.cloud, 'POST', '/api/auth/login', { email: account.email, password: account.password });
      const now = Date.now();
      // --quick: three days of readings (the year range then draws what there is), to stay a smoke run.
      const days = context.quick ? 3 : 365;
      context.log(`seeding ${days} days of hourly readings through the ingest route`);
      const year = await seedHistoryGateway(rig.cloud, (await login()).accessToken, now, { days, stepMs: HOUR });
      const yearMin = Math.floor(year.readings * 0.9);
      browser = await launchChromium();

      // Bytes: what the home page loads.
      const home = await openPage(browser, 1280);
      await signedInContext(home.page.context(), rig.cloud.url, (await login()).refreshToken);
      const loaded = new Set<string>();
      home.page.on('response', (r) => {
        const type = r.request().resourceType();
        if (type === 'script' || type === 'stylesheet') loaded.add(new URL(r.url()).pathname);
      });
      await home.page.goto(`${rig.cloud.url}/`);
      await home.page.getByTestId('tank-card').first().waitFor({ timeout: 60_000 });
      const webRoot = join(rig.dir, 'web');
      const gz = (path: string) => gzipSync(readFileSync(join(webRoot, path)), { level: 9 }).length;
      const homeBytes = [...loaded].reduce((n, path) => n + gz(path), 0);
      const allAssets = (await import('node:fs')).readdirSync(join(webRoot, 'assets')).filter((f) => f.endsWith('.js') || f.endsWith('.css'));
      const allBytes = allAssets.reduce((n, f) => n + gz(`/assets/${f}`), 0);
      await home.page.context().close();

      // Navigation to the tank cards, beside a static blank page.
      const appContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await signedInContext(appContext, rig.cloud.url, (await login()).refreshToken);
      const toCards = await median(runs, async () => {
        const page = await appContext.newPage();
        const start = performance.now();
        await page.goto(`${rig.cloud.url}/`);
        await page.getByTestId('tank-card').first().waitFor({ timeout: 60_000 });
        const ms = performance.now() - start;
        await page.close();
        return ms;
      });
      const blankContext = await browser.newContext();
      const toBlank = await median(runs, async () => {
        const page = await blankContext.newPage();
        const start = performance.now();
        await page.goto(blank.url);
        await page.locator('#x').waitFor();
        const ms = performance.now() - start;
        await page.close();
        return ms;
      });
      await blankContext.close();

      // Drawing: the year chart (8,760 hourly buckets) and the 24 h chart, as the chart times its first draw.
      const sensorPage: Page = await appContext.newPage();
      await sensorPage.goto(`${rig.cloud.url}/sensors/${encodeURIComponent(year.sensorId)}`);
      await chartPoints(sensorPage, 0, 60_000);
      const drawMs = async (range: string, min: number) => {
        await sensorPage.getByRole('button', { name: range, exact: true }).click();
        await chartPoints(sensorPage, min, 60_000);
        await chartDrawn(sensorPage, 60_000);
        return Number(await sensorPage.evaluate<string>(`document.querySelector('[data-testid="history-chart"]').dataset.drawMs`));
      };
      const yearPoints = Number(await (async () => {
        await drawMs('1 year', yearMin);
        return sensorPage.evaluate<string>(`document.querySelector('[data-testid="history-chart"]').dataset.points`);
      })());
      const yearDraw = await median(runs, async () => {
        await drawMs('24 h', 0);
        return drawMs('1 year', yearMin);
      });
      const dayDraw = await median(runs, async () => {
        await drawMs('1 year', yearMin);
        return drawMs('24 h', 0);
      });
      await appContext.close();
      await browser.close();
      browser = undefined;

      // Live fan-out: 1,000 sockets of one user, one reading at a time.
      const fanout = await measureFanout(rig.cloud, (await login()).accessToken, { sockets: context.quick ? 100 : 1_000, rounds: context.quick ? 3 : 30, log: context.log });

      return [
        {
          name: 'dashboard home page JS + CSS (gzip)',
          value: Math.round(homeBytes / 1024),
          unit: 'KiB',
          baseline: Math.round(allBytes / 1024),
          baselineName: 'every JS and CSS asset of the app (the chart chunk included)',
          target: { on: 'value', op: '<=', limit: 120 },
          note: `${[...loaded].length} files: ${[...loaded].join(', ')}`,
        },
        {
          name: 'navigation to the tank cards visible (median)',
          value: Math.round(toCards),
          unit: 'ms',
          baseline: Math.round(toBlank),
          baselineName: 'a static blank page on the same loopback',
          target: { on: 'value', op: '<=', limit: 1_000 },
          note: `${runs} loads each, signed in, ${days} days of hourly readings in the cloud`,
        },
        {
          name: 'drawing a 1-year chart (median first draw)',
          value: Math.round(yearDraw * 10) / 10,
          unit: 'ms',
          baseline: Math.round(dayDraw * 10) / 10,
          baselineName: 'drawing the 24 h chart (288 buckets) in the same page',
          target: { on: 'value', op: '<=', limit: 100 },
          note: `${yearPoints} points (hourly buckets with gaps broken), ${year.readings} readings ingested`,
        },
        ...fanout,
      ];
    } finally {
      await browser?.close();
      await blank.close();
      await rig.close();
    }
  },
};
