/** Users, refresh tokens, claim codes and settings on SQLite. */
import type { Database } from 'better-sqlite3';
import { asyncOf, type SyncOf } from './sync-adapter.js';
import type { SettingsRepository, TokenRepository, UserRepository } from '../repository.js';
import { publicUser, userFromRow, type UserRow } from '../row-mappers.js';
import { DEFAULT_PREFERENCES } from '../types.js';

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error as { code: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

export function sqliteUsers(db: Database): UserRepository {
  const byId = db.prepare<[string], UserRow>('SELECT * FROM users WHERE id = ?');
  const byEmail = db.prepare<[string], UserRow>('SELECT * FROM users WHERE email = ?');
  const insert = db.prepare(
    `INSERT INTO users (id, email, password_hash, name, role, phone, preferences, token_version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, NULL, ?, 0, ?, ?)`,
  );
  const changePassword = db.transaction((id: string, hash: string, now: number): number => {
    db.prepare('UPDATE users SET password_hash = ?, token_version = token_version + 1, updated_at = ? WHERE id = ?').run(hash, now, id);
    db.prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL').run(now, id);
    return Number((db.prepare('SELECT token_version AS v FROM users WHERE id = ?').get(id) as { v: number } | undefined)?.v ?? 0);
  });
  const sync: SyncOf<UserRepository> = {
    create(user, now) {
      try {
        insert.run(user.id, user.email.toLowerCase(), user.passwordHash, user.name, user.role, JSON.stringify(DEFAULT_PREFERENCES), now, now);
      } catch (error) {
        if (isUniqueViolation(error)) return 'email_taken';
        throw error;
      }
      const row = byId.get(user.id);
      if (row === undefined) throw new Error('user vanished after insert');
      return publicUser(userFromRow(row));
    },
    byEmail(email) {
      const row = byEmail.get(email.toLowerCase());
      return row === undefined ? undefined : userFromRow(row);
    },
    byId(id) {
      const row = byId.get(id);
      return row === undefined ? undefined : userFromRow(row);
    },
    update(id, patch, now) {
      const current = byId.get(id);
      if (current === undefined) return undefined;
      try {
        db.prepare('UPDATE users SET name = ?, email = ?, phone = ?, updated_at = ? WHERE id = ?').run(
          patch.name ?? current.name,
          patch.email?.toLowerCase() ?? current.email,
          patch.phone === undefined ? current.phone : patch.phone,
          now,
          id,
        );
      } catch (error) {
        if (isUniqueViolation(error)) return 'email_taken';
        throw error;
      }
      const row = byId.get(id);
      return row === undefined ? undefined : publicUser(userFromRow(row));
    },
    changePassword(id, hash, now) {
      return changePassword(id, hash, now);
    },
    setPreferences(id, preferences, now) {
      const result = db.prepare('UPDATE users SET preferences = ?, updated_at = ? WHERE id = ?').run(JSON.stringify(preferences), now, id);
      return result.changes === 0 ? undefined : preferences;
    },
  };
  return asyncOf(sync);
}

interface TokenRow {
  id: string;
  user_id: string;
  family_id: string;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}

export function sqliteTokens(db: Database): TokenRepository {
  const insertToken = db.prepare(
    'INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, expires_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const rotate = db.transaction((hash: string, next: { id: string; tokenHash: string; expiresAt: number }, now: number) => {
    const row = db.prepare<[string], TokenRow>('SELECT * FROM refresh_tokens WHERE token_hash = ?').get(hash);
    if (row === undefined) return { kind: 'invalid', reason: 'unknown' } as const;
    if (row.revoked_at !== null) return { kind: 'invalid', reason: 'revoked' } as const;
    if (row.used_at !== null) {
      db.prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = ? AND revoked_at IS NULL').run(now, row.family_id);
      return { kind: 'reused', userId: row.user_id, familyId: row.family_id } as const;
    }
    if (row.expires_at <= now) return { kind: 'invalid', reason: 'expired' } as const;
    db.prepare('UPDATE refresh_tokens SET used_at = ? WHERE id = ?').run(now, row.id);
    insertToken.run(next.id, row.user_id, row.family_id, next.tokenHash, next.expiresAt, now);
    return { kind: 'rotated', userId: row.user_id, familyId: row.family_id } as const;
  });
  const sync: SyncOf<TokenRepository> = {
    addRefreshToken(token, now) {
      insertToken.run(token.id, token.userId, token.familyId, token.tokenHash, token.expiresAt, now);
    },
    rotateRefreshToken(hash, next, now) {
      return rotate(hash, next, now);
    },
    addClaimCode(code, now) {
      db.prepare('INSERT INTO claim_codes (code_hash, user_id, expires_at, created_at) VALUES (?, ?, ?, ?)').run(
        code.codeHash,
        code.userId,
        code.expiresAt,
        now,
      );
    },
    revokeFamily(hash, now) {
      const { changes } = db
        .prepare('UPDATE refresh_tokens SET revoked_at = ? WHERE family_id = (SELECT family_id FROM refresh_tokens WHERE token_hash = ?) AND revoked_at IS NULL')
        .run(now, hash);
      return changes > 0 || db.prepare('SELECT 1 FROM refresh_tokens WHERE token_hash = ?').get(hash) !== undefined;
    },
  };
  return asyncOf(sync);
}

export function sqliteSettings(db: Database): SettingsRepository {
  const sync: SyncOf<SettingsRepository> = {
    secret(name, generate) {
      db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING').run(name, generate());
      return (db.prepare('SELECT value FROM settings WHERE name = ?').get(name) as { value: string }).value;
    },
  };
  return asyncOf(sync);
}
