/**
 * Refill orders. Two guarantees live in the database, not in a check-then-write:
 * one open order per tank (the unique partial index orders_one_open_per_tank), and
 * a status change is a compare-and-set (UPDATE … WHERE status = the status the
 * decision was made from), so of two concurrent changes exactly one is applied and
 * the other learns the status now. Each change appends to the history in the same
 * transaction.
 */
import type { Selectable } from 'kysely';
import { OPEN_ORDER_STATUSES, type OrderAction, type OrderParty, type OrderStatus } from '../../modules/orders/order-status.js';
import { isUniqueViolation, type Db } from '../db/database.js';
import type { Updateable } from 'kysely';
import type { OrdersTable } from '../db/schema.js';
import type { Address, Order, OrderDetail, OrderFields, OrderProof, OrderScope, PaymentStatus, Product } from '../order-types.js';
import type { OrderRepository } from '../orders-repository.js';
import { parseJson } from '../rows.js';

function orderFromRow(r: Selectable<OrdersTable>): Order {
  const num = (v: number | null) => (v === null ? null : Number(v));
  return {
    id: r.id,
    number: r.number,
    userId: r.user_id,
    tankId: r.tank_id,
    supplierId: r.supplier_id,
    product: r.product as Product,
    status: r.status as OrderStatus,
    litres: Number(r.litres),
    pricePerLitre: Number(r.price_per_litre),
    totalAmount: Number(r.total_amount),
    currency: r.currency,
    windowStart: Number(r.window_start),
    windowEnd: Number(r.window_end),
    scheduledStart: num(r.scheduled_start),
    scheduledEnd: num(r.scheduled_end),
    actualLitres: num(r.actual_litres),
    deliveredAt: num(r.delivered_at),
    driverNotes: r.driver_notes,
    notes: r.notes,
    cancelReason: r.cancel_reason,
    paymentStatus: r.payment_status as PaymentStatus,
    invoiceNumber: r.invoice_number,
    placedBy: r.placed_by === 'auto' ? 'auto' : 'customer',
    address: parseJson<Address>(r.address, { street: '', city: '', postalCode: '', country: '' }),
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

function scoped(db: Db, scope: OrderScope) {
  const q = db.kysely.selectFrom('orders').selectAll();
  if ('customerId' in scope) return q.where('user_id', '=', scope.customerId);
  if ('supplierId' in scope) return q.where('supplier_id', '=', scope.supplierId);
  return q;
}

async function detail(db: Db, order: Order): Promise<OrderDetail> {
  const history = await db.kysely.selectFrom('order_history').selectAll().where('order_id', '=', order.id).orderBy('pk').execute();
  const review = await db.kysely.selectFrom('order_reviews').selectAll().where('order_id', '=', order.id).executeTakeFirst();
  return {
    ...order,
    history: history.map((h) => ({
      status: h.status as OrderStatus,
      action: h.action as OrderAction | 'place',
      at: Number(h.at),
      by: h.by_party as OrderParty,
      byUserId: h.by_user,
      notes: h.notes,
    })),
    review: review === undefined ? null : { orderId: review.order_id, stars: Number(review.stars), comment: review.comment, createdAt: Number(review.created_at) },
  };
}

function fieldColumns(f: OrderFields) {
  const set: Updateable<OrdersTable> = {};
  if (f.windowStart !== undefined) set.window_start = f.windowStart;
  if (f.windowEnd !== undefined) set.window_end = f.windowEnd;
  if (f.scheduledStart !== undefined) set.scheduled_start = f.scheduledStart;
  if (f.scheduledEnd !== undefined) set.scheduled_end = f.scheduledEnd;
  if (f.actualLitres !== undefined) set.actual_litres = f.actualLitres;
  if (f.deliveredAt !== undefined) set.delivered_at = f.deliveredAt;
  if (f.driverNotes !== undefined) set.driver_notes = f.driverNotes;
  if (f.cancelReason !== undefined) set.cancel_reason = f.cancelReason;
  if (f.paymentStatus !== undefined) set.payment_status = f.paymentStatus;
  if (f.invoiceNumber !== undefined) set.invoice_number = f.invoiceNumber;
  return set;
}

export function orders(db: Db): OrderRepository {
  return {
    place(order, now) {
      // ON CONFLICT DO NOTHING rather than catching the violation: on PostgreSQL a
      // failed statement would abort an enclosing transaction (the auto-order job's).
      return db.atomic(async (tx) => {
        const inserted = await tx.kysely
          .insertInto('orders')
          .values({
            id: order.id, number: order.number, user_id: order.userId, tank_id: order.tankId, supplier_id: order.supplierId, product: order.product,
            status: 'placed', litres: order.litres, price_per_litre: order.pricePerLitre, total_amount: order.totalAmount, currency: order.currency,
            window_start: order.windowStart, window_end: order.windowEnd, notes: order.notes, payment_status: 'pending', placed_by: order.placedBy,
            address: JSON.stringify(order.address), created_at: now, updated_at: now,
          })
          .onConflict((oc) => oc.doNothing())
          .executeTakeFirst();
        if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) {
          // Which unique index refused it: the number (the caller draws again) or the tank's open order.
          const clash = await tx.kysely.selectFrom('orders').select('id').where('number', '=', order.number).executeTakeFirst();
          return clash === undefined ? 'tank_has_open_order' : 'number_taken';
        }
        await tx.kysely
          .insertInto('order_history')
          .values({ order_id: order.id, status: 'placed', action: 'place', by_party: order.placedBy === 'auto' ? 'system' : 'customer', by_user: order.placedBy === 'auto' ? null : order.userId, notes: order.notes, at: now })
          .execute();
        const row = await tx.kysely.selectFrom('orders').selectAll().where('id', '=', order.id).executeTakeFirstOrThrow();
        return detail(tx, orderFromRow(row));
      });
    },
    async get(scope, id) {
      const row = await scoped(db, scope).where('id', '=', id).executeTakeFirst();
      return row === undefined ? undefined : detail(db, orderFromRow(row));
    },
    async list(scope, filter) {
      const rows = await scoped(db, scope)
        .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status ?? 'placed'))
        .$if(filter.tankId !== undefined, (q) => q.where('tank_id', '=', filter.tankId ?? ''))
        .orderBy('created_at', 'desc')
        .orderBy('id')
        .limit(filter.limit)
        .execute();
      return rows.map(orderFromRow);
    },
    async setPaymentStatus(number, status, now) {
      // Only a different status is written: a retried webhook leaves updated_at alone.
      const result = await db.kysely.updateTable('orders').set({ payment_status: status, updated_at: now }).where('number', '=', number).where('payment_status', '<>', status).executeTakeFirst();
      const row = await db.kysely.selectFrom('orders').selectAll().where('number', '=', number).executeTakeFirst();
      return row === undefined ? undefined : { order: orderFromRow(row), changed: Number(result.numUpdatedRows) > 0 };
    },
    async proof(scope, id) {
      const order = await scoped(db, scope).where('id', '=', id).executeTakeFirst();
      if (order === undefined) return undefined;
      const row = await db.kysely.selectFrom('order_proofs').select(['content_type', 'data']).where('order_id', '=', id).executeTakeFirst();
      return row === undefined ? null : { contentType: row.content_type as OrderProof['contentType'], data: row.data };
    },
    async openForTank(tankId) {
      const row = await db.kysely.selectFrom('orders').selectAll().where('tank_id', '=', tankId).where('status', 'in', [...OPEN_ORDER_STATUSES]).executeTakeFirst();
      return row === undefined ? undefined : orderFromRow(row);
    },
    transition(scope, id, change, now) {
      return db.atomic(async (tx) => {
        let update = tx.kysely
          .updateTable('orders')
          .set({ ...fieldColumns(change.fields), status: change.to, updated_at: now })
          .where('id', '=', id)
          .where('status', '=', change.expected);
        if ('customerId' in scope) update = update.where('user_id', '=', scope.customerId);
        if ('supplierId' in scope) update = update.where('supplier_id', '=', scope.supplierId);
        const result = await update.executeTakeFirst();
        if (Number(result.numUpdatedRows) === 0) {
          const current = await scoped(tx, scope).where('id', '=', id).executeTakeFirst();
          return current === undefined ? { kind: 'not_found' } : { kind: 'conflict', status: current.status as OrderStatus };
        }
        const proof = change.fields.proof;
        if (proof !== undefined) await tx.kysely.insertInto('order_proofs').values({ order_id: id, content_type: proof.contentType, data: proof.data, created_at: now }).execute();
        await tx.kysely
          .insertInto('order_history')
          .values({ order_id: id, status: change.to, action: change.action, by_party: change.by, by_user: change.byUserId, notes: change.notes, at: now })
          .execute();
        const row = await tx.kysely.selectFrom('orders').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
        return { kind: 'done', order: await detail(tx, orderFromRow(row)) };
      });
    },
    async review(userId, review) {
      try {
        const order = await db.kysely.selectFrom('orders').select('supplier_id').where('id', '=', review.orderId).where('user_id', '=', userId).executeTakeFirstOrThrow();
        await db.kysely
          .insertInto('order_reviews')
          .values({ order_id: review.orderId, supplier_id: order.supplier_id, user_id: userId, stars: review.stars, comment: review.comment, created_at: review.createdAt })
          .execute();
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },
  };
}
