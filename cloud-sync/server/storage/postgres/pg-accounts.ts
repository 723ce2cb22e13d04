/** Users, refresh tokens, claim codes and settings on PostgreSQL. */
import type pg from 'pg';
import type { SettingsRepository, TokenRepository, UserRepository } from '../repository.js';
import { publicUser, userFromRow, type UserRow } from '../row-mappers.js';
import type { UserWithSecret } from '../types.js';
import { DEFAULT_PREFERENCES } from '../types.js';
import { inTransaction } from './pg-pool.js';

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === '23505';
}

export function pgUsers(pool: pg.Pool): UserRepository {
  const one = async (sql: string, params: unknown[]): Promise<UserWithSecret | undefined> => {
    const { rows } = await pool.query<UserRow>(sql, params);
    return rows[0] === undefined ? undefined : userFromRow(rows[0]);
  };
  return {
    async create(user, now) {
      try {
        const created = await one(
          `INSERT INTO users (id, email, password_hash, name, role, phone, preferences, token_version, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, NULL, $6::jsonb, 0, $7, $7) RETURNING *`,
          [user.id, user.email.toLowerCase(), user.passwordHash, user.name, user.role, JSON.stringify(DEFAULT_PREFERENCES), now],
        );
        if (created === undefined) throw new Error('insert returned nothing');
        return publicUser(created);
      } catch (error) {
        if (isUniqueViolation(error)) return 'email_taken';
        throw error;
      }
    },
    byEmail: (email) => one('SELECT * FROM users WHERE email = $1', [email.toLowerCase()]),
    byId: (id) => one('SELECT * FROM users WHERE id = $1', [id]),
    async update(id, patch, now) {
      try {
        const updated = await one(
          `UPDATE users SET name = COALESCE($2, name), email = COALESCE($3, email),
             phone = CASE WHEN $4::boolean THEN $5 ELSE phone END, updated_at = $6 WHERE id = $1 RETURNING *`,
          [id, patch.name ?? null, patch.email?.toLowerCase() ?? null, patch.phone !== undefined, patch.phone ?? null, now],
        );
        return updated === undefined ? undefined : publicUser(updated);
      } catch (error) {
        if (isUniqueViolation(error)) return 'email_taken';
        throw error;
      }
    },
    async changePassword(id, hash, now) {
      return inTransaction(pool, async (tx) => {
        const { rows } = await tx.query<{ token_version: number }>(
          'UPDATE users SET password_hash = $2, token_version = token_version + 1, updated_at = $3 WHERE id = $1 RETURNING token_version',
          [id, hash, now],
        );
        await tx.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL', [id, now]);
        return Number(rows[0]?.token_version ?? 0);
      });
    },
    async setPreferences(id, preferences, now) {
      const { rowCount } = await pool.query('UPDATE users SET preferences = $2::jsonb, updated_at = $3 WHERE id = $1', [id, JSON.stringify(preferences), now]);
      return rowCount === 0 ? undefined : preferences;
    },
  };
}

interface TokenRow {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

const INSERT_TOKEN = 'INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6)';

export function pgTokens(pool: pg.Pool): TokenRepository {
  return {
    async addRefreshToken(token, now) {
      await pool.query(INSERT_TOKEN, [token.id, token.userId, token.familyId, token.tokenHash, token.expiresAt, now]);
    },
    async rotateRefreshToken(hash, next, now) {
      return inTransaction(pool, async (tx) => {
        // FOR UPDATE: two concurrent refreshes with one token see each other, so one of them is the reuse.
        const { rows } = await tx.query<TokenRow>('SELECT * FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE', [hash]);
        const row = rows[0];
        if (row === undefined) return { kind: 'invalid', reason: 'unknown' } as const;
        if (row.revoked_at !== null) return { kind: 'invalid', reason: 'revoked' } as const;
        if (row.used_at !== null) {
          await tx.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL', [row.family_id, now]);
          return { kind: 'reused', userId: row.user_id, familyId: row.family_id } as const;
        }
        if (Number(row.expires_at) <= now) return { kind: 'invalid', reason: 'expired' } as const;
        await tx.query('UPDATE refresh_tokens SET used_at = $2 WHERE id = $1', [row.id, now]);
        await tx.query(INSERT_TOKEN, [next.id, row.user_id, row.family_id, next.tokenHash, next.expiresAt, now]);
        return { kind: 'rotated', userId: row.user_id, familyId: row.family_id } as const;
      });
    },
    async addClaimCode(code, now) {
      await pool.query('INSERT INTO claim_codes (code_hash, user_id, expires_at, created_at) VALUES ($1, $2, $3, $4)', [
        code.codeHash,
        code.userId,
        code.expiresAt,
        now,
      ]);
    },
    async revokeFamily(hash, now) {
      const { rows } = await pool.query<{ family_id: string }>('SELECT family_id FROM refresh_tokens WHERE token_hash = $1', [hash]);
      const family = rows[0]?.family_id;
      if (family === undefined) return false;
      await pool.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE family_id = $1 AND revoked_at IS NULL', [family, now]);
      return true;
    },
  };
}

export function pgSettings(pool: pg.Pool): SettingsRepository {
  return {
    async secret(name, generate) {
      await pool.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, generate()]);
      const { rows } = await pool.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]);
      const value = rows[0]?.value;
      if (value === undefined) throw new Error(`setting ${name} vanished`);
      return value;
    },
  };
}
