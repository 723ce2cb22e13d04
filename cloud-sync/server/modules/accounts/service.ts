/**
 * Accounts and sessions: registration (customer or supplier; never admin), sign-in,
 * token refresh and sign-out, and the actor's own profile. An admin is made only by
 * `createAdmin`, which the operator's CLI calls (`easygas cloud admin create`).
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../auth/actor.js';
import { hashPassword, verifyPassword, type ScryptCost } from '../../auth/passwords.js';
import { sha256 } from '../../auth/secrets.js';
import type { Sessions, TokenPair } from '../../auth/sessions.js';
import type { ServerClock } from '../../clock.js';
import { apiError } from '../../errors.js';
import { isTimeZone } from '../../services/calendar-days.js';
import type { Repository, UserPatch } from '../../storage/repository.js';
import type { NotificationPreferences, Role, User } from '../../storage/types.js';

/** The slice of storage this module reads and writes. */
export type AccountsStorage = Pick<Repository, 'users' | 'tokens'>;

export interface NewAccount {
  readonly email: string;
  readonly password: string;
  readonly name: string;
}

export interface SignedIn extends TokenPair {
  readonly user: User;
}

async function createAccount(repo: Pick<Repository, 'users'>, clock: ServerClock, cost: ScryptCost, account: NewAccount, role: Role): Promise<User> {
  const passwordHash = await hashPassword(account.password, cost);
  const created = await repo.users.create({ id: randomUUID(), email: account.email, passwordHash, name: account.name, role }, clock.now());
  if (created === 'email_taken') throw apiError('EASYGAS_EMAIL_TAKEN', {});
  return created;
}

/** An admin account: only the operator's CLI (`easygas cloud admin create`) calls this, never a route. */
export function createAdmin(repo: Pick<Repository, 'users'>, clock: ServerClock, cost: ScryptCost, account: NewAccount): Promise<User> {
  return createAccount(repo, clock, cost, account, 'admin');
}

export class AccountsService {
  /** Hashed once: sign-ins for unknown emails verify against it, so they take as long as real ones. */
  readonly #dummyHash: Promise<string>;

  constructor(
    private readonly repo: AccountsStorage,
    private readonly sessions: Sessions,
    private readonly clock: ServerClock,
    private readonly passwordCost: ScryptCost,
  ) {
    this.#dummyHash = hashPassword(randomUUID(), passwordCost);
  }

  /** Self-registration: a customer (default) or a supplier. */
  async register({ email, password, name, role = 'customer' }: NewAccount & { readonly role?: Role }): Promise<SignedIn> {
    if (role === 'admin') throw apiError('EASYGAS_ROLE_FORBIDDEN', { role });
    return this.#signIn(await createAccount(this.repo, this.clock, this.passwordCost, { email, password, name }, role));
  }

  async login(email: string, password: string): Promise<SignedIn> {
    const user = await this.repo.users.byEmail(email);
    const ok = await verifyPassword(password, user?.passwordHash ?? (await this.#dummyHash));
    if (user === undefined || !ok) throw apiError('EASYGAS_BAD_CREDENTIALS', {});
    return this.#signIn(user);
  }

  async refresh(refreshToken: string): Promise<SignedIn> {
    const refreshed = await this.sessions.refresh(refreshToken);
    if (refreshed instanceof Error) throw refreshed;
    return { ...refreshed.pair, user: refreshed.user };
  }

  /** Ends the session the refresh token belongs to; an unknown one is already ended. */
  async signOut(refreshToken: string): Promise<void> {
    await this.repo.tokens.revokeFamily(sha256(refreshToken), this.clock.now());
  }

  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<SignedIn> {
    const user = await this.#secretOf(actor);
    if (!(await verifyPassword(currentPassword, user.passwordHash))) throw apiError('EASYGAS_WRONG_PASSWORD', {});
    const version = await this.repo.users.changePassword(actor.userId, await hashPassword(newPassword, this.passwordCost), this.clock.now());
    return this.#signIn({ ...user, tokenVersion: version });
  }

  async signOutEverywhere(actor: Actor): Promise<void> {
    const user = await this.#secretOf(actor);
    // A password change does exactly this (bump the token version, revoke every family) in one
    // transaction; keeping the same hash makes it a sign-out everywhere.
    await this.repo.users.changePassword(user.id, user.passwordHash, this.clock.now());
  }

  async me(actor: Actor): Promise<User> {
    return this.#secretOf(actor);
  }

  async update(actor: Actor, patch: UserPatch): Promise<User> {
    const updated = await this.repo.users.update(actor.userId, patch, this.clock.now());
    if (updated === 'email_taken') throw apiError('EASYGAS_EMAIL_TAKEN', {});
    if (updated === undefined) throw apiError('EASYGAS_TOKEN_INVALID', {});
    return updated;
  }

  async setPreferences(actor: Actor, patch: Partial<NotificationPreferences>): Promise<NotificationPreferences> {
    const zone = patch.quietHours?.timeZone;
    if (zone !== undefined && !isTimeZone(zone)) {
      const issue = { path: 'body.quietHours.timeZone', message: 'must be an IANA time zone such as Europe/London' };
      throw apiError('EASYGAS_VALIDATION', { summary: `invalid body: ${issue.path}: ${issue.message}` }, { issues: [issue] });
    }
    const user = await this.#secretOf(actor);
    const saved = await this.repo.users.setPreferences(actor.userId, { ...user.preferences, ...patch }, this.clock.now());
    if (saved === undefined) throw apiError('EASYGAS_TOKEN_INVALID', {});
    return saved;
  }

  async #secretOf(actor: Actor) {
    const user = await this.repo.users.byId(actor.userId);
    // The user was deleted after the token was checked: the token names no one now.
    if (user === undefined) throw apiError('EASYGAS_TOKEN_INVALID', {});
    return user;
  }

  async #signIn(user: User): Promise<SignedIn> {
    return { ...(await this.sessions.start(user)), user };
  }
}
