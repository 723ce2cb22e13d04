/**
 * Password reset by email: asking never says whether the address has an account
 * (the answer is the same, and the email goes out through the outbox after the
 * answer); the link's token is single-use and works for 30 minutes; confirming
 * sets the password and ends every session (changePassword revokes every refresh
 * token and voids every access token).
 */
import { randomUUID } from 'node:crypto';
import { Type } from 'typebox';
import { hashPassword, type ScryptCost } from '../../auth/passwords.js';
import { newToken, sha256 } from '../../auth/secrets.js';
import type { ServerClock } from '../../clock.js';
import type { CloudApp } from '../../context.js';
import { apiError } from '../../errors.js';
import { fails, noContent, ok } from '../../api/answers.js';
import { perAddress } from '../../routes/rate-limits.js';
import type { Repository } from '../../storage/repository.js';
import { ACCOUNT_EMAIL, type AccountEmail } from '../notifications/delivery/account-email.js';
import { Email, Password } from './schemas.js';

export const RESET_TTL_MS = 30 * 60_000;

export class PasswordResetService {
  constructor(
    private readonly repo: Pick<Repository, 'users' | 'passwordResets' | 'outbox' | 'transaction'>,
    private readonly clock: ServerClock,
    private readonly options: { readonly publicUrl: string; readonly passwordCost: ScryptCost; readonly wake: () => void },
  ) {}

  async request(email: string): Promise<void> {
    const user = await this.repo.users.byEmail(email);
    if (user === undefined) return;
    const now = this.clock.now();
    const token = newToken('pr');
    const message: AccountEmail = {
      to: user.email,
      id: randomUUID(),
      title: 'Reset your EasyGas password',
      body: 'Open the link below within 30 minutes to choose a new password; it works once. If you did not ask for this, ignore this email: your password stays as it is.',
      link: `${this.options.publicUrl}/#/reset-password?token=${token}`,
      at: now,
    };
    await this.repo.transaction(async (tx) => {
      await tx.passwordResets.create(user.id, sha256(token), now + RESET_TTL_MS, now);
      await tx.outbox.enqueue(ACCOUNT_EMAIL, message, now);
    });
    this.options.wake();
  }

  async confirm(token: string, newPassword: string): Promise<void> {
    const passwordHash = await hashPassword(newPassword, this.options.passwordCost);
    const userId = await this.repo.passwordResets.consume(sha256(token), this.clock.now());
    if (userId === undefined) throw apiError('EASYGAS_LINK_INVALID', {});
    await this.repo.users.changePassword(userId, passwordHash, this.clock.now());
  }
}

const RequestBody = Type.Object({ email: Email }, { title: 'PasswordResetRequest', additionalProperties: false });
const ConfirmBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }), newPassword: Password }, { title: 'PasswordResetConfirm', additionalProperties: false });

/** Registered with the prefix /api/auth/password-reset; public and rate limited per address. */
export function passwordResetRoutes(app: CloudApp): Promise<void> {
  const { repo, clock, settings, outbox, publicUrl } = app.cloud;
  const resets = new PasswordResetService(repo, clock, { publicUrl, passwordCost: settings.passwordCost, wake: () => outbox.kick() });
  const limited = (group: string) => ({ rateLimit: perAddress(settings.authRateLimit, group) });
  app.post(
    '',
    {
      config: limited('password-reset'),
      schema: {
        operationId: 'requestPasswordReset',
        tags: ['auth'],
        summary: 'Email a password reset link',
        description: 'Answers 202 whether or not the address has an account (it never says). The link works once, for 30 minutes.',
        body: RequestBody,
        response: { 202: ok(Type.Object({}, { title: 'Accepted' }), 'If the address has an account, a link is on its way.') },
      },
    },
    async (request, reply) => {
      await resets.request(request.body.email);
      return reply.status(202).send({});
    },
  );
  app.post(
    '/confirm',
    {
      config: limited('password-reset-confirm'),
      schema: {
        operationId: 'confirmPasswordReset',
        tags: ['auth'],
        summary: 'Set a new password with the token of the reset link',
        description: 'Sets the password and ends every session of the account (every refresh token revoked, every access token void): sign in again.',
        body: ConfirmBody,
        response: { 204: noContent('The password was set; every session ended.'), ...fails('EASYGAS_LINK_INVALID') },
      },
    },
    async (request, reply) => {
      await resets.confirm(request.body.token, request.body.newPassword);
      return reply.status(204).send();
    },
  );
  return Promise.resolve();
}
