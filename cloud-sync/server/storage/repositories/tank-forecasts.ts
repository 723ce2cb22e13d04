/**
 * Stored tank forecasts and the supplier's customer list read from them: one query
 * for a page of tanks (sorted in SQL by reorder date, nulls last, keyset after a
 * cursor) and one for their open orders with the supplier — never a walk of
 * readings or rollups per request.
 */
import { sql } from 'kysely';
import { OPEN_ORDER_STATUSES, type OrderStatus } from '../../modules/orders/order-status.js';
import type { Db } from '../db/database.js';
import type { Product } from '../order-types.js';
import type { StoredDate, TankForecastRepository } from '../tank-forecast-types.js';

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function dateColumns(d: StoredDate) {
  return 'reason' in d ? { by: null, p10: null, p90: null, reason: d.reason } : { by: d.at, p10: d.p10, p90: d.p90, reason: null };
}

function storedDate(by: number | null, p10: number | null, p90: number | null, reason: string | null): StoredDate {
  return by === null || p10 === null ? { reason: reason ?? 'no forecast' } : { at: Number(by), p10: Number(p10), p90: num(p90) };
}

export function tankForecasts(db: Db): TankForecastRepository {
  return {
    async save(tankId, forecast, now) {
      const reorder = dateColumns(forecast.reorderBy);
      const empty = dateColumns(forecast.emptyBy);
      const row = {
        level_at: forecast.level?.at ?? null,
        level_percent: forecast.level?.percent ?? null,
        reorder_by: reorder.by,
        reorder_p10: reorder.p10,
        reorder_p90: reorder.p90,
        reorder_reason: reorder.reason,
        empty_by: empty.by,
        empty_p10: empty.p10,
        empty_p90: empty.p90,
        empty_reason: empty.reason,
        computed_at: now,
      };
      await db.kysely
        .insertInto('tank_forecasts')
        .values({ tank_id: tankId, ...row })
        .onConflict((oc) => oc.column('tank_id').doUpdateSet(row))
        .execute();
    },

    async forgetUnsensed() {
      const result = await db.kysely
        .deleteFrom('tank_forecasts')
        .where('tank_id', 'in', (eb) => eb.selectFrom('tanks').select('id').where('sensor_id', 'is', null))
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async supplierCustomers(supplierId, page) {
      const after = page.after;
      const rows = await db.kysely
        .selectFrom('tanks as t')
        .innerJoin('users as u', 'u.id', 't.user_id')
        .leftJoin('tank_forecasts as f', 'f.tank_id', 't.id')
        .select(['t.id', 't.name', 't.product', 'u.name as user_name', 'u.email'])
        .select(['f.level_at', 'f.level_percent', 'f.reorder_by', 'f.reorder_p10', 'f.reorder_p90', 'f.reorder_reason', 'f.empty_by', 'f.empty_p10', 'f.empty_p90', 'f.empty_reason', 'f.computed_at'])
        // Two indexed lookups (tanks_by_preferred_supplier, orders_by_supplier) rather than an OR over every tank.
        .where((eb) =>
          eb(
            't.id',
            'in',
            eb
              .selectFrom('tanks as p')
              .select('p.id')
              .where('p.preferred_supplier_id', '=', supplierId)
              .union(eb.selectFrom('orders as o').select('o.tank_id as id').where('o.supplier_id', '=', supplierId)),
          ),
        )
        .$if(after !== undefined, (q) =>
          q.where((eb) => {
            const cursor = after as NonNullable<typeof after>;
            if (cursor.reorderBy === null) return eb.and([eb('f.reorder_by', 'is', null), eb('t.id', '>', cursor.tankId)]);
            return eb.or([
              eb('f.reorder_by', '>', cursor.reorderBy),
              eb.and([eb('f.reorder_by', '=', cursor.reorderBy), eb('t.id', '>', cursor.tankId)]),
              eb('f.reorder_by', 'is', null),
            ]);
          }),
        )
        .orderBy(sql`CASE WHEN f.reorder_by IS NULL THEN 1 ELSE 0 END`)
        .orderBy('f.reorder_by')
        .orderBy('t.id')
        .limit(page.limit)
        .execute();
      const ids = rows.map((r) => r.id);
      const open =
        ids.length === 0
          ? []
          : await db.kysely
              .selectFrom('orders')
              .select(['id', 'number', 'status', 'litres', 'tank_id'])
              .where('supplier_id', '=', supplierId)
              .where('tank_id', 'in', ids)
              .where('status', 'in', [...OPEN_ORDER_STATUSES])
              .execute();
      const openByTank = new Map(open.map((o) => [o.tank_id, { id: o.id, number: o.number, status: o.status as OrderStatus, litres: Number(o.litres) }]));
      return rows.map((r) => ({
        tankId: r.id,
        tankName: r.name,
        product: r.product as Product,
        customer: { name: r.user_name, email: r.email },
        forecast:
          r.computed_at === null
            ? null
            : {
                computedAt: Number(r.computed_at),
                level: r.level_at === null || r.level_percent === null ? null : { at: Number(r.level_at), percent: Number(r.level_percent) },
                reorderBy: storedDate(r.reorder_by, r.reorder_p10, r.reorder_p90, r.reorder_reason),
                emptyBy: storedDate(r.empty_by, r.empty_p10, r.empty_p90, r.empty_reason),
              },
        openOrder: openByTank.get(r.id) ?? null,
      }));
    },
  };
}
