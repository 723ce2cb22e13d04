/** /api/auth (register, login, refresh, change password) and /api/users (me, preferences). */
import { randomUUID } from 'node:crypto';
import { sha256 } from '../auth/secrets.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { currentUser } from '../auth/guards.js';
import type { CloudApp, CloudContext } from '../context.js';
import { apiError } from '../errors.js';
import {
  ChangePasswordBody,
  LoginBody,
  Preferences,
  PreferencesPatch,
  RefreshBody,
  RegisterBody,
  TokenResponse,
  UserPatch,
  UserView,
} from '../api/account-schemas.js';
import { fails, noContent, ok } from '../api/answers.js';
import { userView } from '../api/views.js';
import type { User } from '../storage/types.js';
import { perAddress } from './rate-limits.js';

export function accountRoutes(app: CloudApp, ctx: CloudContext): void {
  const { repo, sessions, clock, settings } = ctx;
  const limited = (group: string) => ({ rateLimit: perAddress(settings.authRateLimit, group) });
  // Hashed once at start-up: logins for unknown emails verify against it, so they take as long as real ones.
  const dummyHash = hashPassword(randomUUID(), settings.passwordCost);

  const withUser = async (user: User) => ({ ...(await sessions.start(user)), user: userView(user) });

  app.post(
    '/api/auth/register',
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
    async (request, reply) => {
      const role = request.body.role ?? 'customer';
      if (role === 'admin') throw apiError('EASYGAS_ROLE_FORBIDDEN', { role });
      const passwordHash = await hashPassword(request.body.password, settings.passwordCost);
      const created = await repo.users.create({ id: randomUUID(), email: request.body.email, passwordHash, name: request.body.name, role }, clock.now());
      if (created === 'email_taken') throw apiError('EASYGAS_EMAIL_TAKEN', {});
      return reply.status(201).send(await withUser(created));
    },
  );

  app.post(
    '/api/auth/login',
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
    async (request) => {
      const user = await repo.users.byEmail(request.body.email);
      const ok = await verifyPassword(request.body.password, user?.passwordHash ?? (await dummyHash));
      if (user === undefined || !ok) throw apiError('EASYGAS_BAD_CREDENTIALS', {});
      return withUser(user);
    },
  );

  app.post(
    '/api/auth/refresh-token',
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
    async (request) => {
      const refreshed = await sessions.refresh(request.body.refreshToken);
      if (refreshed instanceof Error) throw refreshed;
      return { ...refreshed.pair, user: userView(refreshed.user) };
    },
  );

  app.post(
    '/api/auth/change-password',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'changePassword',
        tags: ['auth'],
        summary: 'Change the password; signs out every other session',
        description: 'Checks the current password, stores the new one, revokes every refresh-token family and voids every access token issued before.',
        body: ChangePasswordBody,
        response: { 200: ok(TokenResponse, 'The password was changed: a fresh token pair for this session.'), ...fails('EASYGAS_WRONG_PASSWORD') },
      },
    },
    async (request) => {
      const me = currentUser(request);
      const user = await repo.users.byId(me.id);
      if (user === undefined) throw apiError('EASYGAS_TOKEN_INVALID', {});
      if (!(await verifyPassword(request.body.currentPassword, user.passwordHash))) throw apiError('EASYGAS_WRONG_PASSWORD', {});
      const version = await repo.users.changePassword(me.id, await hashPassword(request.body.newPassword, settings.passwordCost), clock.now());
      return withUser({ ...user, tokenVersion: version });
    },
  );

  app.post(
    '/api/auth/logout',
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
      await repo.tokens.revokeFamily(sha256(request.body.refreshToken), clock.now());
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/auth/logout-all',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'signOutEverywhere',
        tags: ['auth'],
        summary: 'Sign out everywhere: every refresh token is revoked and every access token stops working now',
        description: 'Every session of the user ends, this one included: each browser and script must sign in again.',
        response: { 204: noContent('Signed out everywhere.') },
      },
    },
    async (request, reply) => {
      const user = await repo.users.byId(currentUser(request).id);
      if (user === undefined) throw apiError('EASYGAS_TOKEN_INVALID', {});
      // A password change does exactly this (bump the token version, revoke every family) in one
      // transaction; keeping the same hash makes it a sign-out everywhere.
      await repo.users.changePassword(user.id, user.passwordHash, clock.now());
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/users/me',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'getMe',
        tags: ['users'],
        summary: 'The signed-in user',
        description: 'The profile and notification preferences of the user the access token names.',
        response: { 200: ok(UserView, 'The signed-in user.') },
      },
    },
    async (request) => {
      const user = await repo.users.byId(currentUser(request).id);
      if (user === undefined) throw apiError('EASYGAS_TOKEN_INVALID', {});
      return userView(user);
    },
  );

  app.patch(
    '/api/users/me',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'updateMe',
        tags: ['users'],
        summary: 'Change name, email or phone',
        description: 'Changes only the fields sent (at least one); `phone: null` removes the phone number.',
        body: UserPatch,
        response: { 200: ok(UserView, 'The user as changed.'), ...fails('EASYGAS_EMAIL_TAKEN') },
      },
    },
    async (request) => {
      const updated = await repo.users.update(currentUser(request).id, request.body, clock.now());
      if (updated === 'email_taken') throw apiError('EASYGAS_EMAIL_TAKEN', {});
      if (updated === undefined) throw apiError('EASYGAS_TOKEN_INVALID', {});
      return userView(updated);
    },
  );

  app.patch(
    '/api/users/notification-preferences',
    {
      onRequest: ctx.userAuth,
      schema: {
        operationId: 'updateNotificationPreferences',
        tags: ['users'],
        summary: 'Change how notifications reach you',
        description: 'Changes only the switches sent (at least one): email and push channels, the lowest severity that notifies, and offline-gateway notices.',
        body: PreferencesPatch,
        response: { 200: ok(Preferences, 'The preferences as changed.') },
      },
    },
    async (request) => {
      const me = currentUser(request);
      const user = await repo.users.byId(me.id);
      if (user === undefined) throw apiError('EASYGAS_TOKEN_INVALID', {});
      const merged = { ...user.preferences, ...request.body };
      const saved = await repo.users.setPreferences(me.id, merged, clock.now());
      if (saved === undefined) throw apiError('EASYGAS_TOKEN_INVALID', {});
      return saved;
    },
  );
}
