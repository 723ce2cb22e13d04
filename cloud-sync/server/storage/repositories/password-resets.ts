/** Password reset tokens: stored hashed, single-use, with an expiry. */
import type { Db } from '../db/database.js';
import type { PasswordResetRepository } from '../repository.js';

export function passwordResets(db: Db): PasswordResetRepository {
  return {
    async create(userId, tokenHash, expiresAt, now) {
      await db.kysely.insertInto('password_resets').values({ token_hash: tokenHash, user_id: userId, expires_at: expiresAt, created_at: now }).execute();
    },
    async consume(tokenHash, now) {
      // One UPDATE decides: two confirms racing on one token cannot both win.
      const row = await db.kysely
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('user_id')
        .executeTakeFirst();
      return row?.user_id;
    },
  };
}
