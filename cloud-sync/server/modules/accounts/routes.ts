/**
 * The accounts module, registered with the prefix /api: /api/auth (register, sign in,
 * refresh, sign out: public; change password, sign out everywhere: signed in) and
 * /api/users (the signed-in user's profile and preferences).
 */
import { currentActor } from '../../auth/actor.js';
import { requirePermission } from '../../auth/permissions.js';
import { userScope } from '../../auth/scopes.js';
import type { CloudApp } from '../../context.js';
import { ChangePasswordBody, LoginBody, Preferences, PreferencesPatch, RefreshBody, RegisterBody, TokenResponse, UserPatch, UserView } from './schemas.js';
import { fails, noContent, ok } from '../../api/answers.js';
import { userView } from '../../api/views.js';
import { perAddress } from '../../routes/rate-limits.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { browserSessionRoutes } from './browser-session-routes.js';
import { setRefreshCookie } from './browser-session.js';
import { passwordResetRoutes } from './password-reset.js';
import { AccountsService, type SignedIn } from './service.js';

const self = requirePermission('account:self');

/** The answer to a sign-in: the pair in the body, or (`refreshTokenIn: cookie`) the refresh token as the browser's cookie. */
function signedIn({ user, refreshToken, ...pair }: SignedIn, into?: 'body' | 'cookie', request?: FastifyRequest, reply?: FastifyReply) {
  if (into === 'cookie' && request !== undefined && reply !== undefined) {
    setRefreshCookie(request, reply, refreshToken, pair.refreshExpiresIn);
    return { ...pair, user: userView(user) };
  }
  return { ...pair, refreshToken, user: userView(user) };
}

/** Registered with the prefix /api. */
export async function accountsModule(app: CloudApp): Promise<void> {
  const { repo, sessions, clock, settings } = app.cloud;
  const accounts = new AccountsService(repo, sessions, clock, settings.passwordCost);
  await app.register((auth: CloudApp) => publicRoutes(auth, accounts), { prefix: '/auth' });
  await app.register((auth: CloudApp) => browserSessionRoutes(auth, accounts), { prefix: '/auth/session' });
  await app.register(passwordResetRoutes, { prefix: '/auth/password-reset' });
  await app.register(userScope((auth) => sessionRoutes(auth, accounts)), { prefix: '/auth' });
  await app.register(userScope((users) => profileRoutes(users, accounts)), { prefix: '/users' });
}

/** Register, sign in, refresh, sign out: no access token (the body carries the proof), rate limited per address. */
function publicRoutes(app: CloudApp, accounts: AccountsService): Promise<void> {
  const limited = (group: string) => ({ rateLimit: perAddress(app.cloud.settings.authRateLimit, group) });

  app.post(
    '/register',
    {
      config: limited('register'),
      schema: {
        operationId: 'registerAccount',
        tags: ['auth'],
        summary: 'Create an account and sign in',
        description:
          'Creates a customer (default) or supplier account and starts a session: the answer carries the first token pair. ' +
          'The role admin cannot be chosen. Rate limited per client address.',
        body: RegisterBody,
        response: {
          201: ok(TokenResponse, 'The account was created and signed in: an access token, a refresh token and the new user.'),
          ...fails('EASYGAS_ROLE_FORBIDDEN', 'EASYGAS_EMAIL_TAKEN'),
        },
      },
    },
    async (request, reply) => reply.status(201).send(signedIn(await accounts.register(request.body), request.body.refreshTokenIn, request, reply)),
  );

  app.post(
    '/login',
    {
      config: limited('login'),
      schema: {
        operationId: 'signIn',
        tags: ['auth'],
        summary: 'Sign in with email and password',
        description: 'Starts a new session (a new refresh-token family). A wrong email and a wrong password answer the same, in the same time. Rate limited per client address.',
        body: LoginBody,
        response: { 200: ok(TokenResponse, 'Signed in: an access token, a refresh token and the user.'), ...fails('EASYGAS_BAD_CREDENTIALS') },
      },
    },
    async (request, reply) => signedIn(await accounts.login(request.body.email, request.body.password), request.body.refreshTokenIn, request, reply),
  );

  app.post(
    '/refresh-token',
    {
      config: limited('refresh'),
      schema: {
        operationId: 'refreshTokens',
        tags: ['auth'],
        summary: 'Trade a refresh token for a new pair (the old one is spent)',
        description:
          'Refresh tokens are single use: each call returns a new pair. Presenting a token that was already used signs out every session of its family, ' +
          'since someone else holds a copy. Rate limited per client address.',
        body: RefreshBody,
        response: {
          200: ok(TokenResponse, 'A new access token and refresh token; the one sent is spent.'),
          ...fails('EASYGAS_REFRESH_TOKEN_INVALID', 'EASYGAS_REFRESH_TOKEN_REUSED'),
        },
      },
    },
    async (request) => signedIn(await accounts.refresh(request.body.refreshToken)),
  );

  app.post(
    '/logout',
    {
      config: limited('refresh'),
      schema: {
        operationId: 'signOut',
        tags: ['auth'],
        summary: 'Sign out this session: its refresh token (and every one rotated from the same sign-in) stops working',
        description: 'Answers 204 for an unknown or already revoked token too: signing out twice is harmless.',
        body: RefreshBody,
        response: { 204: noContent('Signed out: the refresh token and its family no longer work.') },
      },
    },
    async (request, reply) => {
      await accounts.signOut(request.body.refreshToken);
      return reply.status(204).send();
    },
  );
  return Promise.resolve();
}

/** What a signed-in user does to its sessions: change the password, sign out everywhere. */
function sessionRoutes(app: CloudApp, accounts: AccountsService): void {
  app.post(
    '/change-password',
    {
      config: self,
      schema: {
        operationId: 'changePassword',
        tags: ['auth'],
        summary: 'Change the password; signs out every other session',
        description: 'Checks the current password, stores the new one, revokes every refresh-token family and voids every access token issued before.',
        body: ChangePasswordBody,
        response: { 200: ok(TokenResponse, 'The password was changed: a fresh token pair for this session.'), ...fails('EASYGAS_WRONG_PASSWORD') },
      },
    },
    async (request, reply) =>
      signedIn(await accounts.changePassword(currentActor(request), request.body.currentPassword, request.body.newPassword), request.body.refreshTokenIn, request, reply),
  );

  app.post(
    '/logout-all',
    {
      config: self,
      schema: {
        operationId: 'signOutEverywhere',
        tags: ['auth'],
        summary: 'Sign out everywhere: every refresh token is revoked and every access token stops working now',
        description: 'Every session of the user ends, this one included: each browser and script must sign in again.',
        response: { 204: noContent('Signed out everywhere.') },
      },
    },
    async (request, reply) => {
      await accounts.signOutEverywhere(currentActor(request));
      return reply.status(204).send();
    },
  );
}

/** The signed-in user's profile and notification preferences. */
function profileRoutes(app: CloudApp, accounts: AccountsService): void {
  app.get(
    '/me',
    {
      config: self,
      schema: {
        operationId: 'getMe',
        tags: ['users'],
        summary: 'The signed-in user',
        description: 'The profile and notification preferences of the user the access token names.',
        response: { 200: ok(UserView, 'The signed-in user.') },
      },
    },
    async (request) => userView(await accounts.me(currentActor(request))),
  );

  app.patch(
    '/me',
    {
      config: self,
      schema: {
        operationId: 'updateMe',
        tags: ['users'],
        summary: 'Change name, email or phone',
        description: 'Changes only the fields sent (at least one); `phone: null` removes the phone number.',
        body: UserPatch,
        response: { 200: ok(UserView, 'The user as changed.'), ...fails('EASYGAS_EMAIL_TAKEN') },
      },
    },
    async (request) => userView(await accounts.update(currentActor(request), request.body)),
  );

  app.patch(
    '/notification-preferences',
    {
      config: self,
      schema: {
        operationId: 'updateNotificationPreferences',
        tags: ['users'],
        summary: 'Change how notifications reach you',
        description: 'Changes only the switches sent (at least one): email and push channels, the lowest severity that notifies, and offline-gateway notices.',
        body: PreferencesPatch,
        response: { 200: ok(Preferences, 'The preferences as changed.') },
      },
    },
    async (request) => accounts.setPreferences(currentActor(request), request.body),
  );
}
