/**
 * The browser's session: the refresh token lives in an HttpOnly, SameSite=Strict
 * cookie that only the two session routes ever receive (Path=/api/auth/session),
 * so no script on the page can read it and no other request carries it. The access
 * token stays in the page's memory. Scripts and the CLI keep the body form.
 *
 * CSRF: SameSite=Strict keeps the cookie off cross-site requests in every current
 * browser; on top, the cookie routes demand a custom header (which a cross-origin
 * page cannot send without a CORS preflight, and CORS is closed) and refuse a
 * request whose Origin or Sec-Fetch-Site names another site.
 */
import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { apiError } from '../../errors.js';

export const REFRESH_COOKIE = 'easygas_refresh';
export const SESSION_PATH = '/api/auth/session';
/** The header the cookie routes demand; its value must be `1`. */
export const CSRF_HEADER = 'x-easygas-csrf';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Secure whenever the browser would keep it: over HTTPS, and on loopback (which
 * browsers treat as secure). A cloud served over plain HTTP on a LAN address gets
 * the cookie without Secure, or no browser would keep the session at all; the
 * README says to put such a cloud behind HTTPS.
 */
function secure(request: FastifyRequest): boolean {
  return request.protocol === 'https' || LOOPBACK.has(request.hostname);
}

export function setRefreshCookie(request: FastifyRequest, reply: FastifyReply, refreshToken: string, maxAgeSeconds: number): void {
  void reply.header(
    'set-cookie',
    stringifySetCookie({ name: REFRESH_COOKIE, value: refreshToken, httpOnly: true, secure: secure(request), sameSite: 'strict', path: SESSION_PATH, maxAge: maxAgeSeconds }),
  );
}

export function clearRefreshCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('set-cookie', stringifySetCookie({ name: REFRESH_COOKIE, value: '', httpOnly: true, secure: secure(request), sameSite: 'strict', path: SESSION_PATH, maxAge: 0 }));
}

export function refreshCookie(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  const value = parseCookie(header)[REFRESH_COOKIE];
  return value === undefined || value === '' ? undefined : value;
}

/** Throws EASYGAS_CSRF_REJECTED unless the request comes from a page of this origin. */
export function assertSameOrigin(request: FastifyRequest): void {
  if (request.headers[CSRF_HEADER] !== '1') throw apiError('EASYGAS_CSRF_REJECTED', { reason: `the header ${CSRF_HEADER}: 1 is missing` });
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') throw apiError('EASYGAS_CSRF_REJECTED', { reason: `the request came from a ${site} page` });
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) throw apiError('EASYGAS_CSRF_REJECTED', { reason: `the request came from ${origin}` });
}
