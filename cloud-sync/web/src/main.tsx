/**
 * The composition root of the browser app: session, HTTP, stores, the live source,
 * the router; then render. Everything else receives these through the app context.
 */
import 'uplot/dist/uPlot.min.css';
import './app.css';
import { render } from 'preact';
import { ApiClient } from './api/api-client.js';
import type { ApiFailure } from './api/api-failure.js';
import { Http } from './api/http.js';
import { browserLock, browserSessionMarker, forgetStoredTokens, Session, SESSION_MARKER_KEY } from './api/session.js';
import { App } from './app.js';
import { AppContextValue, type AppContext } from './context.js';
import { AppData } from './data/app-data.js';
import { browserTimers, type ConnectionStatus } from './data/connection-status.js';
import { Observable } from './data/observable.js';
import { PollingSource } from './data/polling-source.js';
import { browserZone, makeFormats } from './logic/format.js';
import { parseRoute } from './router.js';

/** Until the cloud pushes changes over /api/ws (issue 16), pages refresh this often. */
const POLL_EVERY_MS = 10_000;

function boot(root: HTMLElement): void {
  const { locale, timeZone } = browserZone();
  const formats = makeFormats(locale, timeZone);
  const now = () => Date.now();
  const favicon = document.querySelector<HTMLLinkElement>('link[rel="icon"]')?.getAttribute('href') ?? '';
  forgetStoredTokens();
  const session = new Session(browserSessionMarker(), browserLock(), now);
  const connection = new Observable<ConnectionStatus>({ kind: 'connecting' });
  const pageName = new Observable('Home');
  const state: { endedBecause: ApiFailure | undefined; drawQueued: boolean } = { endedBecause: undefined, drawQueued: false };
  // Never render from inside a render or an effect (Preact would re-run the pending effect): queue it.
  const redraw = () => {
    if (state.drawQueued) return;
    state.drawQueued = true;
    queueMicrotask(() => {
      state.drawQueued = false;
      draw();
    });
  };

  const http = new Http({
    fetch: (input, init) => fetch(input, init),
    session,
    onSessionEnded: (failure) => {
      state.endedBecause = failure;
      navigate('/sign-in', { replace: true });
    },
  });
  const api = new ApiClient(http);
  const polling = new PollingSource({ everyMs: POLL_EVERY_MS, timers: browserTimers(), refresh: () => context.data.refreshWatched(), onStatus: (s) => connection.set(s) });

  const navigate = (path: string, options: { replace?: boolean } = {}) => {
    if (options.replace === true) history.replaceState(null, '', path);
    else history.pushState(null, '', path);
    redraw();
    if (options.replace !== true) {
      queueMicrotask(() => {
        window.scrollTo(0, 0);
        document.getElementById('main')?.focus({ preventScroll: true });
      });
    }
  };

  const context: AppContext & { data: AppData } = {
    api,
    data: new AppData(api, now, timeZone),
    session,
    formats,
    now,
    origin: location.origin,
    connection,
    pageName,
    navigate,
    async signOut(everywhere) {
      try {
        if (everywhere) await api.logoutEverywhere();
        else await api.logout();
      } finally {
        session.clear();
        // A fresh page: nothing of this account stays in memory.
        location.assign('/sign-in');
      }
    },
    refreshSoon: () => polling.poke(),
  };

  session.subscribe(() => {
    if (session.hasSession) polling.start();
    else {
      polling.stop();
      context.data = new AppData(api, now, timeZone);
    }
    redraw();
  });
  // Another tab signed out: so does this one.
  window.addEventListener('storage', (e) => {
    if (e.key === SESSION_MARKER_KEY && e.newValue === null && session.user !== undefined) session.forget();
  });
  window.addEventListener('popstate', () => redraw());
  window.addEventListener('online', () => polling.networkChanged(true));
  window.addEventListener('offline', () => polling.networkChanged(false));
  document.addEventListener('visibilitychange', () => polling.pageVisible(document.visibilityState === 'visible'));

  function draw(): void {
    const route = parseRoute(location.pathname, location.search);
    if (route.page !== 'sign-in') state.endedBecause = undefined;
    render(
      <AppContextValue.Provider value={{ ...context }}>
        <App route={route} favicon={favicon} endedBecause={state.endedBecause} />
      </AppContextValue.Provider>,
      root,
    );
  }

  root.textContent = '';
  if (session.hasSession) polling.start();
  draw();
}

const root = document.getElementById('app');
if (root !== null) boot(root);
