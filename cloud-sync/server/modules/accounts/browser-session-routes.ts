/**
 * /api/auth/session: the browser's refresh and sign-out, by the HttpOnly cookie a
 * sign-in with `refreshTokenIn: cookie` set (browser-session.ts). The body forms
 * (/api/auth/refresh-token, /api/auth/logout) stay for scripts and the CLI.
 */
import { fails, noContent, ok } from '../../api/answers.js';
import type { CloudApp } from '../../context.js';
import { apiError } from '../../errors.js';
import { perAddress } from '../../routes/rate-limits.js';
import { assertSameOrigin, clearRefreshCookie, CSRF_HEADER, refreshCookie, setRefreshCookie } from './browser-session.js';
import { TokenResponse } from './schemas.js';
import type { AccountsService } from './service.js';
import { userView } from '../../api/views.js';

const FROM_THE_PAGE = `Only the dashboard's own page may call it: it sends the cookie (which no script can read) and the header \`${CSRF_HEADER}: 1\`; a request from another site is refused with 403.`;

export function browserSessionRoutes(app: CloudApp, accounts: AccountsService): Promise<void> {
  const limited = { rateLimit: perAddress(app.cloud.settings.authRateLimit, 'refresh') };

  app.post(
    '/refresh',
    {
      config: limited,
      schema: {
        operationId: 'refreshBrowserSession',
        tags: ['auth'],
        summary: "Renew the browser's session: a new access token, and the refresh cookie rotated",
        description:
          `Trades the refresh-token cookie for a new access token and sets the rotated cookie. ${FROM_THE_PAGE} ` +
          'A missing, expired or revoked cookie answers 401 and clears it; a cookie that was already spent signs out every session of its family.',
        response: {
          200: ok(TokenResponse, 'A new access token (the refresh token is in the rotated cookie, not the body).'),
          ...fails('EASYGAS_CSRF_REJECTED', 'EASYGAS_REFRESH_TOKEN_INVALID', 'EASYGAS_REFRESH_TOKEN_REUSED'),
        },
      },
    },
    async (request, reply) => {
      assertSameOrigin(request);
      const token = refreshCookie(request);
      try {
        if (token === undefined) throw apiError('EASYGAS_REFRESH_TOKEN_INVALID', {});
        const { user, refreshToken, ...pair } = await accounts.refresh(token);
        setRefreshCookie(request, reply, refreshToken, pair.refreshExpiresIn);
        return { ...pair, user: userView(user) };
      } catch (error) {
        clearRefreshCookie(request, reply);
        throw error;
      }
    },
  );

  app.post(
    '/logout',
    {
      config: limited,
      schema: {
        operationId: 'signOutBrowserSession',
        tags: ['auth'],
        summary: "Sign this browser out: its refresh cookie's session ends and the cookie is cleared",
        description: `${FROM_THE_PAGE} Answers 204 without a cookie too: signing out twice is harmless.`,
        response: { 204: noContent('Signed out: the session is revoked and the cookie cleared.'), ...fails('EASYGAS_CSRF_REJECTED') },
      },
    },
    async (request, reply) => {
      assertSameOrigin(request);
      const token = refreshCookie(request);
      if (token !== undefined) await accounts.signOut(token);
      clearRefreshCookie(request, reply);
      return reply.status(204).send();
    },
  );
  return Promise.resolve();
}
