/** Users, refresh tokens, claim codes and settings: one implementation for SQLite and PostgreSQL. */
import type { Db } from '../db/database.js';
import { isUniqueViolation } from '../db/database.js';
import type { SettingsRepository, TokenRepository, UserRepository } from '../repository.js';
import { publicUser, userFromRow } from '../row-mappers.js';
import { DEFAULT_PREFERENCES } from '../types.js';

export function users(db: Db): UserRepository {
  const byId = async (id: string) => {
    const row = await db.kysely.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : userFromRow(row);
  };
  return {
    async create(user, now) {
      try {
        await db.kysely
          .insertInto('users')
          .values({
            id: user.id,
            email: user.email.toLowerCase(),
            password_hash: user.passwordHash,
            name: user.name,
            role: user.role,
            preferences: JSON.stringify(DEFAULT_PREFERENCES),
            token_version: 0,
            created_at: now,
            updated_at: now,
          })
          .execute();
      } catch (error) {
        if (isUniqueViolation(error)) return 'email_taken';
        throw error;
      }
      const created = await byId(user.id);
      if (created === undefined) throw new Error('user vanished after insert');
      return publicUser(created);
    },
    async byEmail(email) {
      const row = await db.kysely.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
      return row === undefined ? undefined : userFromRow(row);
    },
    byId,
    async update(id, patch, now) {
      try {
        const result = await db.kysely
          .updateTable('users')
          .set({
            ...(patch.name === undefined ? {} : { name: patch.name }),
            ...(patch.email === undefined ? {} : { email: patch.email.toLowerCase() }),
            ...(patch.phone === undefined ? {} : { phone: patch.phone }),
            updated_at: now,
          })
          .where('id', '=', id)
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) return undefined;
      } catch (error) {
        if (isUniqueViolation(error)) return 'email_taken';
        throw error;
      }
      const row = await byId(id);
      return row === undefined ? undefined : publicUser(row);
    },
    changePassword(id, hash, now) {
      return db.atomic(async (tx) => {
        await tx.kysely
          .updateTable('users')
          .set((eb) => ({ password_hash: hash, token_version: eb('token_version', '+', 1), updated_at: now }))
          .where('id', '=', id)
          .execute();
        await tx.kysely.updateTable('refresh_tokens').set({ revoked_at: now }).where('user_id', '=', id).where('revoked_at', 'is', null).execute();
        const row = await tx.kysely.selectFrom('users').select('token_version').where('id', '=', id).executeTakeFirst();
        return Number(row?.token_version ?? 0);
      });
    },
    async setPreferences(id, preferences, now) {
      const result = await db.kysely
        .updateTable('users')
        .set({ preferences: JSON.stringify(preferences), updated_at: now })
        .where('id', '=', id)
        .executeTakeFirst();
      return result.numUpdatedRows === 0n ? undefined : preferences;
    },
  };
}

export function tokens(db: Db): TokenRepository {
  return {
    async addRefreshToken(token, now) {
      await db.kysely
        .insertInto('refresh_tokens')
        .values({ id: token.id, user_id: token.userId, family_id: token.familyId, token_hash: token.tokenHash, expires_at: token.expiresAt, created_at: now })
        .execute();
    },
    rotateRefreshToken(hash, next, now) {
      return db.atomic(async (tx) => {
        // FOR UPDATE (PostgreSQL): two concurrent refreshes with one token see each other, so one of them is the reuse.
        const row = await tx.kysely
          .selectFrom('refresh_tokens')
          .selectAll()
          .where('token_hash', '=', hash)
          .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
          .executeTakeFirst();
        if (row === undefined) return { kind: 'invalid', reason: 'unknown' } as const;
        if (row.revoked_at !== null) return { kind: 'invalid', reason: 'revoked' } as const;
        if (row.used_at !== null) {
          await tx.kysely.updateTable('refresh_tokens').set({ revoked_at: now }).where('family_id', '=', row.family_id).where('revoked_at', 'is', null).execute();
          return { kind: 'reused', userId: row.user_id, familyId: row.family_id } as const;
        }
        if (Number(row.expires_at) <= now) return { kind: 'invalid', reason: 'expired' } as const;
        await tx.kysely.updateTable('refresh_tokens').set({ used_at: now }).where('id', '=', row.id).execute();
        await tx.kysely
          .insertInto('refresh_tokens')
          .values({ id: next.id, user_id: row.user_id, family_id: row.family_id, token_hash: next.tokenHash, expires_at: next.expiresAt, created_at: now })
          .execute();
        return { kind: 'rotated', userId: row.user_id, familyId: row.family_id } as const;
      });
    },
    async addClaimCode(code, now) {
      await db.kysely.insertInto('claim_codes').values({ code_hash: code.codeHash, user_id: code.userId, expires_at: code.expiresAt, created_at: now }).execute();
    },
    revokeFamily(hash, now) {
      return db.atomic(async (tx) => {
        const row = await tx.kysely.selectFrom('refresh_tokens').select('family_id').where('token_hash', '=', hash).executeTakeFirst();
        if (row === undefined) return false;
        await tx.kysely.updateTable('refresh_tokens').set({ revoked_at: now }).where('family_id', '=', row.family_id).where('revoked_at', 'is', null).execute();
        return true;
      });
    },
  };
}

export function settings(db: Db): SettingsRepository {
  return {
    async secret(name, generate) {
      await db.kysely.insertInto('settings').values({ name, value: generate() }).onConflict((oc) => oc.column('name').doNothing()).execute();
      const row = await db.kysely.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst();
      if (row === undefined) throw new Error(`setting ${name} vanished`);
      return row.value;
    },
  };
}
