/**
 * Real Chromium (Debian's package) driven by playwright-core, for the dashboard's
 * end-to-end tests and benchmark. Every page records what must not happen: console
 * errors, uncaught exceptions, failed requests and HTTP errors.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.EASYGAS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `no Chromium at ${CHROMIUM}: sudo apt-get install chromium (.ci/run installs it)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export interface WatchedPage {
  readonly page: Page;
  /** Everything that went wrong so far, in words. */
  readonly problems: string[];
}

/** A page in a context with the given width, a British locale and London time, watched for problems. */
export async function openPage(browser: Browser, width: number, options: { readonly context?: BrowserContext; readonly allowStatus?: (url: string, status: number) => boolean } = {}): Promise<WatchedPage> {
  const context = options.context ?? (await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 900 }, locale: 'en-GB', timezoneId: 'Europe/London' }));
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A download's blob: URL and a navigation away from a page cancel requests by design.
    if (!r.url().startsWith('blob:') && r.failure()?.errorText !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && options.allowStatus?.(r.url(), r.status()) !== true) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return { page, problems };
}

/** True when the page scrolls sideways (content wider than the viewport). */
export function scrollsSideways(page: Page): Promise<boolean> {
  // A string runs in the page (this file is typed for Node, without the DOM).
  return page.evaluate<boolean>('document.documentElement.scrollWidth > document.documentElement.clientWidth + 1');
}

/** Waits until the history chart on the page has drawn more than `min` points. */
export function chartPoints(page: Page, min: number, timeout: number): Promise<unknown> {
  // A function, not a string: Playwright evaluates a string predicate with eval, which the dashboard's CSP refuses.
  return page.waitForFunction((least: number) => Number((globalThis as unknown as ChartDocument).document.querySelector('[data-testid="history-chart"]')?.getAttribute('data-points') ?? 0) > least, min, { timeout });
}

/** Waits until the history chart has timed its latest draw (data-draw-ms). */
export function chartDrawn(page: Page, timeout: number): Promise<unknown> {
  return page.waitForFunction(() => ((globalThis as unknown as ChartDocument).document.querySelector('[data-testid="history-chart"]')?.getAttribute('data-draw-ms') ?? null) !== null, undefined, { timeout });
}

/** The little of the DOM the predicates above use (this file is typed for Node, without the DOM). */
interface ChartDocument {
  readonly document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null };
}

/** What the page could read of a session: any easygas key in localStorage holding more than the "signed in" marker. */
export function storedTokens(page: Page): Promise<string[]> {
  return page.evaluate<string[]>("Object.keys(localStorage).filter((k) => k.startsWith('easygas.') && k !== 'easygas.session')");
}

/** The session cookie the context holds for this cloud, if any (HttpOnly: no script sees it). */
export async function sessionCookie(context: BrowserContext, cloudUrl: string): Promise<{ value: string; httpOnly: boolean; sameSite: string; secure: boolean } | undefined> {
  return (await context.cookies(`${cloudUrl}/api/auth/session/refresh`)).find((c) => c.name === 'easygas_refresh');
}

/** A context signed in as the dashboard would be: the refresh token (from a body-form sign-in) as the session cookie, and the marker. */
export async function signedInContext(context: BrowserContext, cloudUrl: string, refreshToken: string): Promise<void> {
  const { hostname } = new URL(cloudUrl);
  await context.addCookies([{ name: 'easygas_refresh', value: refreshToken, domain: hostname, path: '/api/auth/session', httpOnly: true, secure: true, sameSite: 'Strict' }]);
  await context.addInitScript("if (localStorage.getItem('easygas.session') === null) localStorage.setItem('easygas.session', '1');");
}
