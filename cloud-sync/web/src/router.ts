/** The dashboard's pages by URL (history API; the cloud serves index.html for any non-/api path). */
export type Route =
  | { readonly page: 'home' }
  | { readonly page: 'sensor'; readonly id: string }
  | { readonly page: 'events' }
  | { readonly page: 'rules' }
  | { readonly page: 'notifications' }
  | { readonly page: 'gateways' }
  | { readonly page: 'profile' }
  | { readonly page: 'sign-in'; readonly next?: string }
  | { readonly page: 'register' }
  | { readonly page: 'not-found'; readonly path: string };

export const PUBLIC_PAGES: ReadonlySet<Route['page']> = new Set(['sign-in', 'register']);

export function parseRoute(pathname: string, search = ''): Route {
  const path = pathname.replace(/\/+$/, '') || '/';
  const simple: Readonly<Record<string, Route>> = {
    '/': { page: 'home' },
    '/events': { page: 'events' },
    '/rules': { page: 'rules' },
    '/notifications': { page: 'notifications' },
    '/gateways': { page: 'gateways' },
    '/profile': { page: 'profile' },
    '/register': { page: 'register' },
  };
  const found = simple[path];
  if (found !== undefined) return found;
  if (path === '/sign-in') {
    const next = new URLSearchParams(search).get('next');
    // Only a local path: never send someone elsewhere after signing in.
    return next !== null && next.startsWith('/') && !next.startsWith('//') ? { page: 'sign-in', next } : { page: 'sign-in' };
  }
  const sensor = /^\/sensors\/([^/]+)$/.exec(path);
  if (sensor?.[1] !== undefined) {
    try {
      return { page: 'sensor', id: decodeURIComponent(sensor[1]) };
    } catch {
      return { page: 'not-found', path };
    }
  }
  return { page: 'not-found', path };
}

export function sensorPath(id: string): string {
  return `/sensors/${encodeURIComponent(id)}`;
}
