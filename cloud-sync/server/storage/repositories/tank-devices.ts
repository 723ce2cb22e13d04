/**
 * HTTP-only tank level devices: one credential per tank (hashed), and their
 * readings as tank levels keyed by the device's reading id. Idempotency is the
 * unique index tank_levels_reading with ON CONFLICT DO NOTHING, so two concurrent
 * retries store one row, on both databases.
 */
import type { Db } from '../db/database.js';
import type { LevelSource, TankLevel } from '../order-types.js';
import type { TankDeviceRepository } from '../tank-devices-repository.js';
import { tankFromRow } from './tanks.js';

export function tankDevices(db: Db): TankDeviceRepository {
  return {
    async setCredential(tankId, tokenHash, geometry, now) {
      const values = { token_hash: tokenHash, empty_distance_mm: geometry?.emptyDistanceMm ?? null, full_distance_mm: geometry?.fullDistanceMm ?? null, created_at: now };
      await db.kysely
        .insertInto('tank_device_credentials')
        .values({ tank_id: tankId, ...values })
        .onConflict((oc) => oc.column('tank_id').doUpdateSet(values))
        .execute();
    },
    async byTokenHash(tokenHash) {
      const credential = await db.kysely.selectFrom('tank_device_credentials').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      if (credential === undefined) return undefined;
      const tank = await db.kysely.selectFrom('tanks').selectAll().where('id', '=', credential.tank_id).executeTakeFirst();
      if (tank === undefined) return undefined;
      const empty = credential.empty_distance_mm;
      const full = credential.full_distance_mm;
      return { tank: tankFromRow(tank), geometry: empty === null || full === null ? null : { emptyDistanceMm: Number(empty), fullDistanceMm: Number(full) } };
    },
    async addReading(tankId, readingId, level, now) {
      const inserted = await db.kysely
        .insertInto('tank_levels')
        .values({ tank_id: tankId, at: level.at, percent: level.percent, litres: level.litres, source: level.source, reading_id: readingId, created_at: now })
        .onConflict((oc) => oc.columns(['tank_id', 'reading_id']).doNothing())
        .executeTakeFirst();
      const created = Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
      const row = await db.kysely.selectFrom('tank_levels').select(['at', 'percent', 'litres', 'source']).where('tank_id', '=', tankId).where('reading_id', '=', readingId).executeTakeFirstOrThrow();
      const stored: TankLevel = { at: Number(row.at), percent: Number(row.percent), litres: row.litres === null ? null : Number(row.litres), source: row.source as LevelSource };
      return { level: stored, created };
    },
  };
}
