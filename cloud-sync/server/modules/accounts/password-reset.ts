/**
 * Password reset by email: asking never says whether the address has an account
 * (the same answer after the same work: the address is looked up by the outbox
 * worker, after the answer); the link's token is single-use and works for 30 minutes; confirming
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
import type { HandlerResult, OutboxHandler } from '../../events/outbox-worker.js';
import type { Repository } from '../../storage/repository.js';
import { ACCOUNT_EMAIL, type AccountEmail } from '../notifications/delivery/account-email.js';
import { Email, Password } from './schemas.js';

export const RESET_TTL_MS = 30 * 60_000;

/** The outbox kind of a reset asked for (the address only; the worker makes the token). */
export const PASSWORD_RESET_REQUEST = 'password-reset.request';

interface ResetRequest {
  readonly email: string;
}

type ResetStorage = Pick<Repository, 'users' | 'passwordResets' | 'outbox' | 'transaction'>;

/** The outbox handler: an address with an account gets a single-use link (its email queued in the same commit); another, nothing. */
export function passwordResetRequested(repo: ResetStorage, clock: ServerClock, publicUrl: string, wake: () => void): OutboxHandler {
  return async (payload): Promise<HandlerResult> => {
    const { email } = payload as ResetRequest;
    const user = await repo.users.byEmail(email);
    if (user === undefined) return { status: 'done' };
    const now = clock.now();
    const token = newToken('pr');
    const message: AccountEmail = {
      to: user.email,
      id: randomUUID(),
      title: 'Reset your EasyGas password',
      body: 'Open the link below within 30 minutes to choose a new password; it works once. If you did not ask for this, ignore this email: your password stays as it is.',
      link: `${publicUrl}/reset-password?token=${token}`,
      at: now,
    };
    await repo.transaction(async (tx) => {
      await tx.passwordResets.create(user.id, sha256(token), now + RESET_TTL_MS, now);
      await tx.outbox.enqueue(ACCOUNT_EMAIL, message, now);
    });
    wake();
    return { status: 'done' };
  };
}

export class PasswordResetService {
  constructor(
    private readonly repo: ResetStorage,
    private readonly clock: ServerClock,
    private readonly options: { readonly publicUrl: string; readonly passwordCost: ScryptCost; readonly wake: () => void },
  ) {}

  /**
   * The same work whether the address has an account or not (one outbox row, no
   * lookup): the answer's timing cannot tell. The worker looks the address up
   * and sends the link (issueResetLink).
   */
  async request(email: string): Promise<void> {
    const request: ResetRequest = { email };
    await this.repo.outbox.enqueue(PASSWORD_RESET_REQUEST, request, this.clock.now());
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
