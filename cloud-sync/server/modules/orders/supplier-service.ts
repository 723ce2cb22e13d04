/**
 * The supplier's side of orders: those placed with the actor's supplier, and the
 * status changes it makes — acknowledge, schedule (or move the booked window),
 * in transit, delivered with the litres actually delivered, or reject with a
 * reason. A supplier account without a profile has no orders (empty list, 404).
 */
import type { Static } from 'typebox';
import type { Actor } from '../../auth/actor.js';
import type { ServerClock } from '../../clock.js';
import { badField, notFound } from '../../errors.js';
import type { Repository } from '../../storage/repository.js';
import type { Order, OrderDetail, OrderScope } from '../../storage/order-types.js';
import type { OrderAction } from './order-status.js';
import { checkProofImage } from './proof-image.js';
import { invoiceOnDelivery, type PaymentProvider } from './payment.js';
import type { SupplierStatusBody } from './schemas.js';
import { checkWindow, OrderTransitions, type Step } from './transitions.js';

type StatusBody = Static<typeof SupplierStatusBody>;

export class SupplierOrdersService {
  readonly #transitions: OrderTransitions;

  constructor(
    private readonly repo: Repository,
    private readonly clock: ServerClock,
    private readonly payments: PaymentProvider = invoiceOnDelivery,
  ) {
    this.#transitions = new OrderTransitions(repo, clock);
  }

  async list(actor: Actor, query: { status?: Order['status']; limit?: number }): Promise<Order[]> {
    if (actor.supplierId === undefined) return [];
    return this.repo.orders.list({ supplierId: actor.supplierId }, { limit: query.limit ?? 100, ...(query.status === undefined ? {} : { status: query.status }) });
  }

  get(actor: Actor, id: string): Promise<OrderDetail> {
    return this.#transitions.get(this.#scope(actor, id), id);
  }

  setStatus(actor: Actor, id: string, body: StatusBody): Promise<OrderDetail> {
    const scope = this.#scope(actor, id);
    return this.#transitions.apply(scope, id, this.#step(actor, body));
  }

  #step(actor: Actor, body: StatusBody): Step {
    const base = { party: 'supplier' as const, userId: actor.userId, notes: body.notes ?? null };
    const now = this.clock.now();
    switch (body.status) {
      case 'acknowledged':
        return { ...base, action: 'acknowledge' };
      case 'cancelled': {
        const reason = body.reason;
        if (reason === undefined) throw badField('reason', 'a rejection needs a reason the customer can read');
        return { ...base, action: 'reject', notes: reason, fields: () => ({ cancelReason: reason }) };
      }
      case 'scheduled': {
        const window = body.window;
        if (window === undefined) throw badField('window', 'scheduling needs the delivery window');
        checkWindow(window, now);
        // Scheduling an order that is scheduled already moves its booked window.
        const action: (order: OrderDetail) => OrderAction = (o) => (o.status === 'scheduled' ? 'reschedule' : 'schedule');
        return { ...base, action: 'schedule', fields: () => ({ scheduledStart: window.start, scheduledEnd: window.end }), resolve: action };
      }
      case 'in_transit':
        return { ...base, action: 'dispatch' };
      case 'delivered': {
        const litres = body.actualLitres;
        if (litres === undefined) throw badField('actualLitres', 'a delivery needs the litres actually delivered');
        const proof = body.signature === undefined ? undefined : checkProofImage(body.signature);
        return {
          ...base,
          action: 'deliver',
          fields: (o) => ({ actualLitres: litres, deliveredAt: now, ...(body.driverNotes === undefined ? {} : { driverNotes: body.driverNotes }), ...(proof === undefined ? {} : { proof: { contentType: proof.contentType, data: body.signature?.data ?? '' } }), ...this.payments.delivered(o, now) }),
        };
      }
    }
  }

  #scope(actor: Actor, id: string): OrderScope {
    if (actor.supplierId === undefined) throw notFound('order', id);
    return { supplierId: actor.supplierId };
  }
}
