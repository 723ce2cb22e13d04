/** The top bar: brand, pages, unread count, connection state; and the window title with the alarm state. */
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useApp, useObservable } from '../context.js';
import { useNow, useStore } from '../data/hooks.js';
import type { ConnectionStatus } from '../data/connection-status.js';
import { UNREAD_LIMIT } from '../data/app-data.js';
import { pageTitle } from '../logic/alarms.js';
import type { Formats } from '../logic/format.js';
import type { Route } from '../router.js';
import { Link } from './ui.js';
import type { HouseState } from './use-house-state.js';

const PAGES: readonly { readonly path: string; readonly label: string; readonly page: Route['page'] }[] = [
  { path: '/', label: 'Home', page: 'home' },
  { path: '/tanks', label: 'Tanks', page: 'tanks' },
  { path: '/orders', label: 'Orders', page: 'orders' },
  { path: '/events', label: 'Events', page: 'events' },
  { path: '/rules', label: 'Alert rules', page: 'rules' },
  { path: '/notifications', label: 'Notifications', page: 'notifications' },
  { path: '/settings/notifications', label: 'Channels', page: 'notification-settings' },
  { path: '/gateways', label: 'Gateways', page: 'gateways' },
  { path: '/profile', label: 'Profile', page: 'profile' },
];

export function connectionWords(status: ConnectionStatus, formats: Formats, now: number): { text: string; tone: 'live' | 'down' | 'idle' } {
  switch (status.kind) {
    case 'connecting':
      return { text: 'Connecting…', tone: 'idle' };
    case 'live':
      return { text: 'Live', tone: 'live' };
    case 'polling':
      return { text: `Up to date · ${formats.time(status.lastOkAt)}`, tone: 'live' };
    case 'reconnecting': {
      const wait = Math.max(0, Math.ceil((status.retryAt - now) / 1000));
      const since = status.lastOkAt === undefined ? '' : ` Showing data from ${formats.time(status.lastOkAt)}.`;
      return { text: `Connection lost: reconnecting${wait > 0 ? ` in ${wait} s` : '…'}.${since}`, tone: 'down' };
    }
    case 'offline':
      return { text: `You are offline.${status.lastOkAt === undefined ? '' : ` Showing data from ${formats.time(status.lastOkAt)}.`}`, tone: 'down' };
  }
}

export function Header(props: { route: Route; house: HouseState; favicon: string }): JSX.Element {
  const app = useApp();
  const status = useObservable(app.connection);
  const pageName = useObservable(app.pageName);
  const unread = useStore(app.data.unread);
  const now = useNow(1_000, app.now);
  const [menuOpen, setMenuOpen] = useState(false);
  const count = unread.data?.length ?? 0;
  const words = connectionWords(status, app.formats, now);
  const title = pageTitle(props.house.alarms, props.house.offline.length, pageName, props.house.sensorName);
  useEffect(() => {
    document.title = title;
  }, [title]);
  useEffect(() => setMenuOpen(false), [props.route]);

  return (
    <header class="topbar">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <div class="topbar-inner">
        <Link href="/" class="brand">
          <img src={props.favicon} alt="" width="28" height="28" />
          EasyGas
        </Link>
        <button type="button" class="menu-button" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
          {count > 0 && <span class="badge-count">{count >= UNREAD_LIMIT ? `${UNREAD_LIMIT - 1}+` : count}</span>}
        </button>
        <nav id="main-nav" class={`nav ${menuOpen ? 'open' : ''}`} aria-label="Pages">
          {PAGES.map((p) => (
            <Link key={p.path} href={p.path} current={props.route.page === p.page}>
              {p.label}
              {p.page === 'notifications' && count > 0 && (
                <span class="badge-count" data-testid="unread-count">
                  {count >= UNREAD_LIMIT ? `${UNREAD_LIMIT - 1}+` : count}
                  <span class="sr-only"> unread</span>
                </span>
              )}
            </Link>
          ))}
          <button type="button" class="signout in-menu" onClick={() => void app.signOut(false)}>
            Sign out
          </button>
        </nav>
        <div class={`connection ${words.tone === 'down' ? 'down' : ''}`} role="status" aria-live="polite" data-testid="connection">
          <span class={`dot ${words.tone}`} aria-hidden="true" />
          {words.text}
        </div>
        <button type="button" class="signout in-bar" onClick={() => void app.signOut(false)}>
          Sign out
        </button>
      </div>
    </header>
  );
}
