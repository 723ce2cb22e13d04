/**
 * A customer's refill orders: placing one (priced from the supplier's tiers at
 * placement and kept on the order), cancelling, rescheduling, reviewing, and the
 * statistics. Placement is also the auto-order job's (`placeFor`, by the system).
 * The database refuses a second open order for a tank; this service turns that into
 * a 409 naming the open order.
 */
import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import type { Actor } from '../../auth/actor.js';
import type { ServerClock } from '../../clock.js';
import { apiError, badField, notFound } from '../../errors.js';
import type { Repository } from '../../storage/repository.js';
import type { Order, OrderDetail, OrderFilter, OrderProof, Supplier, Tank } from '../../storage/order-types.js';
import { normalisePostalCode } from '../../storage/repositories/suppliers.js';
import type { TanksService } from '../tanks/service.js';
import { newOrderNumber } from './order-number.js';
import { allowedOrderActions } from './order-status.js';
import { priceOrder } from './price-tiers.js';
import type { OrderCreateBody, OrderStatistics } from './schemas.js';
import { checkWindow, notifyCustomer, orderConflict, OrderTransitions } from './transitions.js';

export interface Placement {
  readonly tank: Tank;
  readonly supplier: Supplier;
  readonly litres: number;
  readonly window: { readonly start: number; readonly end: number };
  readonly notes: string | null;
  readonly placedBy: 'customer' | 'auto';
}

export class OrdersService {
  readonly #transitions: OrderTransitions;

  constructor(
    private readonly repo: Repository,
    private readonly clock: ServerClock,
    private readonly tanks: TanksService,
  ) {
    this.#transitions = new OrderTransitions(repo, clock);
  }

  async place(actor: Actor, body: Static<typeof OrderCreateBody>): Promise<OrderDetail> {
    const tank = await this.tanks.get(actor, body.tankId);
    checkWindow(body.window, this.clock.now());
    const supplier = await this.#supplierFor(tank, body.supplierId);
    const litres = await this.#litres(tank, body.litres, body.fillTo);
    const placed = await this.placeFor({ tank, supplier, litres, window: body.window, notes: body.notes ?? null, placedBy: 'customer' });
    if (placed === 'tank_has_open_order') {
      const open = await this.repo.orders.openForTank(tank.id);
      throw apiError(
        'EASYGAS_ORDER_OPEN',
        { tankId: tank.id, number: open?.number ?? '?', status: open?.status ?? '?' },
        { state: { current: { status: open?.status ?? 'placed', id: open?.id ?? '', number: open?.number ?? '' }, allowed: open === undefined ? [] : allowedOrderActions(open.status, 'customer') } },
      );
    }
    return placed;
  }

  /** Prices and stores the order with its notification; the unique index decides 'tank_has_open_order'. */
  async placeFor(p: Placement): Promise<OrderDetail | 'tank_has_open_order'> {
    const tiers = p.supplier.prices[p.tank.product];
    if (tiers === undefined) throw badField('supplierId', `this supplier does not deliver ${p.tank.product}`);
    const price = priceOrder(tiers, p.litres, p.supplier.currency);
    if (!price.ok) throw badField('litres', price.reason);
    const now = this.clock.now();
    // 40 random bits: a clash is rare, and the unique index catches it; draw again.
    for (let attempt = 0; attempt < 5; attempt++) {
      const outcome = await this.repo.transaction(async (tx) => {
        const placed = await tx.orders.place(
          {
            id: randomUUID(), number: newOrderNumber(), userId: p.tank.userId, tankId: p.tank.id, supplierId: p.supplier.id, product: p.tank.product, litres: p.litres,
            pricePerLitre: price.tier.pricePerLitre, totalAmount: price.total.amount, currency: price.total.currency, windowStart: p.window.start, windowEnd: p.window.end,
            notes: p.notes, placedBy: p.placedBy, address: p.tank.address,
          },
          now,
        );
        if (typeof placed === 'object') await notifyCustomer(tx, placed, now);
        return placed;
      });
      if (outcome !== 'number_taken') return outcome;
    }
    throw new Error('could not draw a free order number in 5 tries');
  }

  async list(actor: Actor, query: { status?: Order['status']; tankId?: string; limit?: number }): Promise<Order[]> {
    const filter: OrderFilter = { limit: query.limit ?? 100, ...(query.status === undefined ? {} : { status: query.status }), ...(query.tankId === undefined ? {} : { tankId: query.tankId }) };
    if (query.tankId !== undefined) await this.tanks.get(actor, query.tankId);
    return this.repo.orders.list({ customerId: actor.userId }, filter);
  }

  get(actor: Actor, id: string): Promise<OrderDetail> {
    return this.#transitions.get({ customerId: actor.userId }, id);
  }

  /** The delivery's signature image; 404 for none, like for another customer's order. */
  async proof(actor: Actor, id: string): Promise<OrderProof> {
    const proof = await this.repo.orders.proof({ customerId: actor.userId }, id);
    if (proof === undefined) throw notFound('order', id);
    if (proof === null) throw notFound('proof of delivery for order', id);
    return proof;
  }

  cancel(actor: Actor, id: string, reason: string | undefined): Promise<OrderDetail> {
    return this.#transitions.apply({ customerId: actor.userId }, id, {
      action: 'cancel', party: 'customer', userId: actor.userId, notes: reason ?? null, fields: () => ({ cancelReason: reason ?? 'cancelled by the customer' }),
    });
  }

  reschedule(actor: Actor, id: string, window: { start: number; end: number }, notes: string | undefined): Promise<OrderDetail> {
    checkWindow(window, this.clock.now());
    return this.#transitions.apply({ customerId: actor.userId }, id, {
      action: 'reschedule', party: 'customer', userId: actor.userId, notes: notes ?? null, fields: () => ({ windowStart: window.start, windowEnd: window.end }),
    });
  }

  async review(actor: Actor, id: string, body: { stars: number; comment?: string }): Promise<OrderDetail> {
    const order = await this.get(actor, id);
    if (order.status !== 'delivered') throw orderConflict(order, order.status, 'review', 'customer');
    if (!(await this.repo.orders.review(actor.userId, { orderId: id, stars: body.stars, comment: body.comment ?? null, createdAt: this.clock.now() }))) {
      throw apiError('EASYGAS_ALREADY_REVIEWED', { id: order.number });
    }
    return this.get(actor, id);
  }

  async statistics(actor: Actor): Promise<Static<typeof OrderStatistics>> {
    const orders = await this.repo.orders.list({ customerId: actor.userId }, { limit: 100_000 });
    const months = new Map<string, { orders: number; delivered: number; litres: number; spent: Map<string, number> }>();
    for (const o of orders) {
      const month = new Date(o.createdAt).toISOString().slice(0, 7);
      const m = months.get(month) ?? { orders: 0, delivered: 0, litres: 0, spent: new Map<string, number>() };
      m.orders++;
      if (o.status === 'delivered') {
        m.delivered++;
        m.litres += o.actualLitres ?? o.litres;
        m.spent.set(o.currency, (m.spent.get(o.currency) ?? 0) + o.totalAmount);
      }
      months.set(month, m);
    }
    const delivered = orders.filter((o) => o.deliveredAt !== null);
    const average = delivered.length === 0 ? null : Math.round(delivered.reduce((sum, o) => sum + ((o.deliveredAt ?? 0) - o.createdAt), 0) / delivered.length);
    return {
      months: [...months.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, m]) => ({ month, orders: m.orders, delivered: m.delivered, litres: m.litres, spent: [...m.spent.entries()].map(([currency, amount]) => ({ amount, currency })) })),
      averageDeliveryMs: average,
    };
  }

  async #supplierFor(tank: Tank, supplierId: string | undefined): Promise<Supplier> {
    const id = supplierId ?? tank.preferredSupplierId;
    if (id === null) throw badField('supplierId', 'choose a supplier: the tank has no preferred one (GET /api/suppliers lists those serving it)');
    const supplier = await this.repo.suppliers.get(id);
    if (supplier === undefined || !supplier.active) throw badField('supplierId', 'no active supplier has this id');
    if (!supplier.postalCodes.includes(normalisePostalCode(tank.address.postalCode))) throw badField('supplierId', `this supplier does not deliver to ${tank.address.postalCode}`);
    return supplier;
  }

  async #litres(tank: Tank, litres: number | undefined, fillTo: number | undefined): Promise<number> {
    if ((litres === undefined) === (fillTo === undefined)) throw badField('litres', 'give either litres or fillTo (80 or 95)');
    if (litres !== undefined) {
      if (litres > tank.capacityLitres) throw badField('litres', `at most the tank's capacity (${tank.capacityLitres} L)`);
      return litres;
    }
    const level = await this.tanks.currentOf(tank);
    if (level === null) throw badField('fillTo', "the tank's level is unknown: give litres, or record a level first");
    const wanted = Math.floor((((fillTo ?? 0) - level.percent) / 100) * tank.capacityLitres);
    if (wanted < 1) throw badField('fillTo', `the tank is at ${level.percent} % already`);
    return wanted;
  }
}
