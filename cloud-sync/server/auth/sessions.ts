/**
 * Signing users in: a short-lived access JWT (15 min) plus an opaque refresh token
 * that rotates on every use. Refresh tokens live in families (one per sign-in);
 * presenting one that was already rotated means someone else has a copy, so the
 * whole family is revoked and both parties must sign in again.
 */
import { randomUUID } from 'node:crypto';
import type { ServerClock } from '../clock.js';
import { apiError, type ApiError } from '../errors.js';
import type { Repository } from '../storage/repository.js';
import type { User } from '../storage/types.js';
import { signJwt, verifyJwt, type AccessClaims } from './jwt.js';
import { newToken, sha256 } from './secrets.js';

export interface SessionOptions {
  readonly accessTokenTtlMs: number;
  readonly refreshTokenTtlMs: number;
}

export interface TokenPair {
  readonly accessToken: string;
  readonly refreshToken: string;
  readonly tokenType: 'Bearer';
  /** Seconds until the access token expires. */
  readonly expiresIn: number;
  readonly refreshExpiresIn: number;
}

export class Sessions {
  constructor(
    private readonly repo: Repository,
    private readonly clock: ServerClock,
    private readonly secret: string,
    private readonly options: SessionOptions,
  ) {}

  /** A new family: a sign-in (register, login, change-password). */
  async start(user: Pick<User, 'id' | 'role' | 'tokenVersion'>): Promise<TokenPair> {
    const now = this.clock.now();
    const refreshToken = newToken('rt');
    await this.repo.tokens.addRefreshToken(
      { id: randomUUID(), userId: user.id, familyId: randomUUID(), tokenHash: sha256(refreshToken), expiresAt: now + this.options.refreshTokenTtlMs },
      now,
    );
    return this.#pair(user, refreshToken, now);
  }

  /** Rotates a refresh token; a reused one revokes its family. */
  async refresh(refreshToken: string): Promise<{ pair: TokenPair; user: User } | ApiError> {
    const now = this.clock.now();
    const next = newToken('rt');
    const outcome = await this.repo.tokens.rotateRefreshToken(
      sha256(refreshToken),
      { id: randomUUID(), tokenHash: sha256(next), expiresAt: now + this.options.refreshTokenTtlMs },
      now,
    );
    if (outcome.kind === 'reused') return apiError('EASYGAS_REFRESH_TOKEN_REUSED', {});
    if (outcome.kind === 'invalid') return apiError('EASYGAS_REFRESH_TOKEN_INVALID', {});
    const user = await this.repo.users.byId(outcome.userId);
    if (user === undefined) return apiError('EASYGAS_REFRESH_TOKEN_INVALID', {});
    const { passwordHash: _hidden, ...profile } = user;
    return { pair: this.#pair(user, next, now), user: profile };
  }

  verifyAccess(token: string): AccessClaims | undefined {
    const outcome = verifyJwt(token, this.secret, this.clock.now());
    return outcome.ok ? outcome.claims : undefined;
  }

  #pair(user: Pick<User, 'id' | 'role' | 'tokenVersion'>, refreshToken: string, now: number): TokenPair {
    const iat = Math.floor(now / 1000);
    const exp = Math.floor((now + this.options.accessTokenTtlMs) / 1000);
    return {
      accessToken: signJwt({ sub: user.id, role: user.role, ver: user.tokenVersion, iat, exp }, this.secret),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: exp - iat,
      refreshExpiresIn: Math.floor(this.options.refreshTokenTtlMs / 1000),
    };
  }
}
