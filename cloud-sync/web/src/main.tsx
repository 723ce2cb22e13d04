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
import { applyLiveEvent } from './data/live-apply.js';
import { LiveConnection, type SocketLike } from './data/live-connection.js';
import { LIVE_TOPICS } from './data/live-protocol.js';
import { LiveSource } from './data/live-source.js';
import { PollingSource } from './data/polling-source.js';
import { browserZone, makeFormats } from './logic/format.js';
import { parseRoute } from './router.js';

/** When the live socket cannot be used, pages refresh this often. */
const POLL_EVERY_MS = 10_000;

/** The browser's WebSocket as the live connection drives it. */
function browserSocket(url: string): SocketLike {
  const ws = new WebSocket(url);
  const socket: SocketLike = {
    onopen: null,
    onclose: null,
    onerror: null,
    onmessage: null,
    send: (data) => ws.send(data),
    close: () => ws.close(1000),
  };
  ws.onopen = () => socket.onopen?.();
  ws.onclose = (e) => socket.onclose?.({ code: e.code });
  ws.onerror = () => socket.onerror?.();
  ws.onmessage = (e) => socket.onmessage?.({ data: e.data });
  return socket;
}

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
  const timers = browserTimers();
  const live = new LiveSource({
    onStatus: (s) => connection.set(s),
    refresh: () => void context.data.refreshWatched(),
    polling: (onStatus) => new PollingSource({ everyMs: POLL_EVERY_MS, timers, refresh: () => context.data.refreshWatched(), onStatus }),
    live:
      typeof WebSocket === 'undefined'
        ? undefined
        : (onStatus) =>
            new LiveConnection({
              url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws`,
              open: browserSocket,
              timers,
              // The in-memory access token; refreshed first when it is about to expire or was refused
              // (a refused refresh ends the session the usual way: the sign-in page says why).
              token: async (refused) => {
                if (session.access === undefined || session.access === refused) await http.refresh();
                return session.access;
              },
              topics: LIVE_TOPICS,
              onEvent: (e) => applyLiveEvent(context.data, e),
              onStatus,
              refetch: () => void context.data.refreshWatched(),
            }),
  });

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
    refreshSoon: () => live.poke(),
  };

  session.subscribe(() => {
    if (session.hasSession) live.start();
    else {
      live.stop();
      context.data = new AppData(api, now, timeZone);
    }
    redraw();
  });
  // Another tab signed out: so does this one.
  window.addEventListener('storage', (e) => {
    if (e.key === SESSION_MARKER_KEY && e.newValue === null && session.user !== undefined) session.forget();
  });
  window.addEventListener('popstate', () => redraw());
  window.addEventListener('online', () => live.networkChanged(true));
  window.addEventListener('offline', () => live.networkChanged(false));
  document.addEventListener('visibilitychange', () => live.pageVisible(document.visibilityState === 'visible'));

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
  if (session.hasSession) live.start();
  draw();
}

const root = document.getElementById('app');
if (root !== null) boot(root);
