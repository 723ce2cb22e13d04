/**
 * Channel addresses: where a user is told. One per user, kind and target; adding
 * one again refreshes it (a new verification link, a push subscription's new
 * keys) and turns it back on. An address a provider refused is turned off with
 * the reason, so the user sees why; a gone one (an expired push subscription) is
 * deleted.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import type { AddressKind, ChannelAddress } from '../delivery-types.js';
import type { ChannelAddressRepository } from '../repository.js';
import { numOrNull } from '../rows.js';

interface AddressRow {
  id: string;
  user_id: string;
  kind: string;
  target: string;
  secret: string | null;
  verified_at: number | null;
  disabled_at: number | null;
  disabled_reason: string | null;
  created_at: number;
  contact_name: string | null;
}

export const ADDRESS_COLUMNS = ['id', 'user_id', 'kind', 'target', 'secret', 'verified_at', 'disabled_at', 'disabled_reason', 'created_at', 'contact_name'] as const;

export function addressFromRow(row: AddressRow): ChannelAddress & { readonly secret: string | null } {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind as AddressKind,
    target: row.target,
    secret: row.secret,
    verifiedAt: numOrNull(row.verified_at),
    disabledAt: numOrNull(row.disabled_at),
    disabledReason: row.disabled_reason,
    createdAt: Number(row.created_at),
    contactName: row.contact_name,
  };
}

/** The public view: the secret stays in the database. */
function withoutSecret(address: ChannelAddress & { readonly secret?: string | null }): ChannelAddress {
  const { secret: _secret, ...rest } = address;
  return rest;
}

export function channelAddresses(db: Db): ChannelAddressRepository {
  return {
    async byId(id) {
      const row = await db.kysely.selectFrom('channel_addresses').select(ADDRESS_COLUMNS).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : addressFromRow(row);
    },
    add(userId, address, now) {
      return db.atomic(async (tx) => {
        const existing = await tx.kysely
          .selectFrom('channel_addresses')
          .select(['id', 'verified_at', 'contact_name'])
          .where('user_id', '=', userId)
          .where('kind', '=', address.kind)
          .where('target', '=', address.target)
          .executeTakeFirst();
        if (existing === undefined) {
          const id = randomUUID();
          await tx.kysely
            .insertInto('channel_addresses')
            .values({
              id,
              user_id: userId,
              kind: address.kind,
              target: address.target,
              secret: address.secret,
              verified_at: address.verifiedAt,
              verify_token_hash: address.verifyTokenHash,
              verify_expires_at: address.verifyExpiresAt,
              created_at: now,
              contact_name: address.contactName ?? null,
            })
            .execute();
          return withoutSecret((await channelAddresses(tx).byId(id))!);
        }
        // Verified stays verified; a refused address comes back on when the user adds it again. An own
        // address turned into a contact (or back) is proved again: its owner agreed to the other role only.
        const verified = (existing.contact_name === null) === ((address.contactName ?? null) === null) ? existing.verified_at : null;
        await tx.kysely
          .updateTable('channel_addresses')
          .set({
            secret: address.secret,
            verified_at: verified ?? address.verifiedAt,
            verify_token_hash: verified === null ? address.verifyTokenHash : null,
            verify_expires_at: verified === null ? address.verifyExpiresAt : null,
            disabled_at: null,
            disabled_reason: null,
            contact_name: address.contactName ?? null,
          })
          .where('id', '=', existing.id)
          .execute();
        return withoutSecret((await channelAddresses(tx).byId(existing.id))!);
      });
    },
    async list(userId) {
      const rows = await db.kysely.selectFrom('channel_addresses').select(ADDRESS_COLUMNS).where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
      return rows.map((r) => withoutSecret(addressFromRow(r)));
    },
    async remove(userId, id) {
      const result = await db.kysely.deleteFrom('channel_addresses').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async removeTarget(userId, kind, target) {
      const result = await db.kysely.deleteFrom('channel_addresses').where('user_id', '=', userId).where('kind', '=', kind).where('target', '=', target).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
    async verify(tokenHash, now) {
      const row = await db.kysely.selectFrom('channel_addresses').select([...ADDRESS_COLUMNS, 'verify_expires_at']).where('verify_token_hash', '=', tokenHash).executeTakeFirst();
      if (row === undefined || Number(row.verify_expires_at ?? 0) <= now) return undefined;
      await db.kysely
        .updateTable('channel_addresses')
        .set({ verified_at: now, verify_token_hash: null, verify_expires_at: null, disabled_at: null, disabled_reason: null })
        .where('id', '=', row.id)
        .execute();
      return withoutSecret((await channelAddresses(db).byId(row.id))!);
    },
    async disable(id, reason, now) {
      await db.kysely.updateTable('channel_addresses').set({ disabled_at: now, disabled_reason: reason }).where('id', '=', id).where('disabled_at', 'is', null).execute();
    },
    async forget(id) {
      await db.kysely.deleteFrom('channel_addresses').where('id', '=', id).execute();
    },
  };
}
