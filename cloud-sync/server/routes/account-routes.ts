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
import { Empty, errors } from '../api/common.js';
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
      schema: { tags: ['auth'], summary: 'Create an account and sign in', body: RegisterBody, response: { 201: TokenResponse, ...errors(400, 403, 409, 429) } },
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
      schema: { tags: ['auth'], summary: 'Sign in with email and password', body: LoginBody, response: { 200: TokenResponse, ...errors(400, 401, 429) } },
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
        tags: ['auth'],
        summary: 'Trade a refresh token for a new pair (the old one is spent)',
        body: RefreshBody,
        response: { 200: TokenResponse, ...errors(400, 401, 429) },
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
        tags: ['auth'],
        summary: 'Change the password; signs out every other session',
        security: [{ user: [] }],
        body: ChangePasswordBody,
        response: { 200: TokenResponse, ...errors(400, 401, 403) },
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
        tags: ['auth'],
        summary: 'Sign out this session: its refresh token (and every one rotated from the same sign-in) stops working',
        description: 'Answers 204 for an unknown or already revoked token too: signing out twice is harmless.',
        body: RefreshBody,
        response: { 204: Empty, ...errors(400, 429) },
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
        tags: ['auth'],
        summary: 'Sign out everywhere: every refresh token is revoked and every access token stops working now',
        security: [{ user: [] }],
        response: { 204: Empty, ...errors(401) },
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
    { onRequest: ctx.userAuth, schema: { tags: ['users'], summary: 'The signed-in user', security: [{ user: [] }], response: { 200: UserView, ...errors(401) } } },
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
      schema: { tags: ['users'], summary: 'Change name, email or phone', security: [{ user: [] }], body: UserPatch, response: { 200: UserView, ...errors(400, 401, 409) } },
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
        tags: ['users'],
        summary: 'Change how notifications reach you',
        security: [{ user: [] }],
        body: PreferencesPatch,
        response: { 200: Preferences, ...errors(400, 401) },
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
