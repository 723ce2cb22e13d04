/** The dashboard's pages by URL (history API; the cloud serves index.html for any non-/api path). */
export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'sensor'; readonly id: string }
  | { readonly page: 'events' }
  | { readonly page: 'rules' }
  | { readonly page: 'notifications'; readonly acknowledge?: string }
  | { readonly page: 'notification-settings' }
  | { readonly page: 'gateways' }
  | { readonly page: 'profile' }
  | { readonly page: 'tanks' }
  | { readonly page: 'tank'; readonly id: string }
  | { readonly page: 'tank-order'; readonly id: string }
  | { readonly page: 'orders' }
  | { readonly page: 'order'; readonly id: string }
  | { readonly page: 'sign-in'; readonly next?: string }
  | { readonly page: 'register' }
  | { readonly page: 'forgot-password' }
  | { readonly page: 'reset-password'; readonly token: string }
  | { readonly page: 'verify-email'; readonly token: string }
  | { readonly page: 'not-found'; readonly path: string };

export const PUBLIC_PAGES: ReadonlySet<Route['page']> = new Set(['sign-in', 'register', 'forgot-password', 'reset-password', 'verify-email']);

export function parseRoute(pathname: string, search = ''): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  const simple: Readonly<Record<string, Route>> = {
    '/': { page: 'home' },
    '/events': { page: 'events' },
    '/rules': { page: 'rules' },
    '/notifications': { page: 'notifications' },
    '/settings/notifications': { page: 'notification-settings' },
    '/gateways': { page: 'gateways' },
    '/profile': { page: 'profile' },
    '/tanks': { page: 'tanks' },
    '/orders': { page: 'orders' },
    '/register': { page: 'register' },
    '/forgot-password': { page: 'forgot-password' },
  };
  // The link in a critical alarm's email or push: the inbox, offering to acknowledge that alarm.
  const acknowledge = path === '/notifications' ? new URLSearchParams(search).get('acknowledge') : null;
  if (acknowledge !== null && acknowledge !== '') return { page: 'notifications', acknowledge };
  const found = simple[path];
  if (found !== undefined) return found;
  // The link in the password-reset email.
  if (path === '/reset-password') return { page: 'reset-password', token: new URLSearchParams(search).get('token') ?? '' };
  // The link in a channel's verification email.
  if (path === '/verify-email') return { page: 'verify-email', token: new URLSearchParams(search).get('token') ?? '' };
  if (path === '/sign-in') {
    const next = new URLSearchParams(search).get('next');
    // Only a local path: never send someone elsewhere after signing in.
    return next !== null && next.startsWith('/') && !next.startsWith('//') ? { page: 'sign-in', next } : { page: 'sign-in' };
  }
  const withId: readonly [RegExp, 'sensor' | 'tank' | 'tank-order' | 'order'][] = [
    [/^\/sensors\/([^/]+)$/, 'sensor'],
    [/^\/tanks\/([^/]+)$/, 'tank'],
    [/^\/tanks\/([^/]+)\/order$/, 'tank-order'],
    [/^\/orders\/([^/]+)$/, 'order'],
  ];
  for (const [pattern, page] of withId) {
    const id = pattern.exec(path)?.[1];
    if (id === undefined) continue;
    try {
      return { page, id: decodeURIComponent(id) };
    } catch {
      return { page: 'not-found', path };
    }
  }
  return { page: 'not-found', path };
}

export function sensorPath(id: string): string {
  return `/sensors/${encodeURIComponent(id)}`;
}

export const tankPath = (id: string): string => `/tanks/${encodeURIComponent(id)}`;
export const tankOrderPath = (id: string): string => `/tanks/${encodeURIComponent(id)}/order`;
export const orderPath = (id: string): string => `/orders/${encodeURIComponent(id)}`;
