/** A customer's tanks and their stored levels (manual readings, estimates). */
import type { Selectable } from 'kysely';
import { OPEN_ORDER_STATUSES } from '../../modules/orders/order-status.js';
import type { Db } from '../db/database.js';
import type { TanksTable } from '../db/schema.js';
import type { Address, LevelSource, Product, Tank, TankDraft } from '../order-types.js';
import type { TankRepository } from '../orders-repository.js';
import { bool, parseJson } from '../rows.js';

export function tankFromRow(r: Selectable<TanksTable>): Tank {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    product: r.product as Product,
    capacityLitres: Number(r.capacity_litres),
    lowThreshold: Number(r.low_threshold),
    reorderLevel: Number(r.reorder_level),
    autoOrder: bool(r.auto_order),
    preferredSupplierId: r.preferred_supplier_id,
    sensorId: r.sensor_id,
    address: parseJson<Address>(r.address, { street: '', city: '', postalCode: '', country: '' }),
    accessNotes: r.access_notes,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function columns(draft: TankDraft) {
  return {
    name: draft.name,
    product: draft.product,
    capacity_litres: draft.capacityLitres,
    low_threshold: draft.lowThreshold,
    reorder_level: draft.reorderLevel,
    auto_order: draft.autoOrder,
    preferred_supplier_id: draft.preferredSupplierId,
    sensor_id: draft.sensorId,
    address: JSON.stringify(draft.address),
    access_notes: draft.accessNotes,
  };
}

export function tanks(db: Db): TankRepository {
  const owned = (userId: string, id: string) => db.kysely.selectFrom('tanks').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
  return {
    async list(userId) {
      return (await db.kysely.selectFrom('tanks').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute()).map(tankFromRow);
    },
    async get(userId, id) {
      const row = await owned(userId, id);
      return row === undefined ? undefined : tankFromRow(row);
    },
    async create(userId, id, draft, now) {
      await db.kysely.insertInto('tanks').values({ id, user_id: userId, ...columns(draft), created_at: now, updated_at: now }).execute();
      return tankFromRow((await owned(userId, id)) ?? (() => { throw new Error('tank vanished after insert'); })());
    },
    async update(userId, id, draft, now) {
      const result = await db.kysely.updateTable('tanks').set({ ...columns(draft), updated_at: now }).where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      const row = await owned(userId, id);
      return row === undefined ? undefined : tankFromRow(row);
    },
    remove(userId, id) {
      return db.atomic(async (tx) => {
        const row = await tx.kysely.selectFrom('tanks').select('id').where('id', '=', id).where('user_id', '=', userId).$if(tx.dialect === 'postgres', (q) => q.forUpdate()).executeTakeFirst();
        if (row === undefined) return false;
        const open = await tx.kysely.selectFrom('orders').select('id').where('tank_id', '=', id).where('status', 'in', [...OPEN_ORDER_STATUSES]).executeTakeFirst();
        if (open !== undefined) return 'open_order';
        await tx.kysely.deleteFrom('tanks').where('id', '=', id).execute();
        return true;
      });
    },
    async addLevel(tankId, level, now) {
      await db.kysely.insertInto('tank_levels').values({ tank_id: tankId, at: level.at, percent: level.percent, litres: level.litres, source: level.source, created_at: now }).execute();
    },
    async levels(tankId, from, to, limit) {
      const rows = await db.kysely
        .selectFrom('tank_levels')
        .select(['at', 'percent', 'litres', 'source'])
        .where('tank_id', '=', tankId)
        .where('at', '>=', from)
        .where('at', '<', to)
        .orderBy('at', 'desc')
        .orderBy('pk', 'desc')
        .limit(limit)
        .execute();
      return rows.reverse().map((r) => ({ at: Number(r.at), percent: Number(r.percent), litres: r.litres === null ? null : Number(r.litres), source: r.source as LevelSource }));
    },
    async autoOrderTanks() {
      const rows = await db.kysely.selectFrom('tanks').selectAll().where('auto_order', '=', true).where('preferred_supplier_id', 'is not', null).orderBy('id').execute();
      return rows.map(tankFromRow);
    },
    async sensedTanks() {
      const rows = await db.kysely.selectFrom('tanks').selectAll().where('sensor_id', 'is not', null).orderBy('id').execute();
      return rows.map(tankFromRow);
    },
    async recordAnomaly(tankId, anomaly, now) {
      const inserted = await db.kysely
        .insertInto('tank_anomalies')
        .values({ tank_id: tankId, type: anomaly.type, at: anomaly.at, severity: anomaly.severity, seen: anomaly.seen, notification_id: null, created_at: now })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
  };
}
