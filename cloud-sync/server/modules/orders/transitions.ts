/**
 * Applying a decision to a stored order: decide from the status read, then write
 * with a compare-and-set on that status, with the customer's notification in the
 * same transaction (pushed live once it commits). A refused or lost race is a 409
 * that carries the order's status now and what this party may do from it.
 */
import type { ServerClock } from '../../clock.js';
import { apiError, badField, notFound, type ApiError } from '../../errors.js';
import type { Repositories, Repository } from '../../storage/repository.js';
import type { OrderDetail, OrderFields, OrderScope } from '../../storage/order-types.js';
import { orderNotification } from './order-notifications.js';
import { allowedOrderActions, decideOrderAction, type OrderAction, type OrderParty, type OrderStatus } from './order-status.js';

/** Tolerance for a window that starts "now" on a client whose clock is a little behind. */
const PAST_TOLERANCE_MS = 5 * 60_000;

export function checkWindow(window: { start: number; end: number }, now: number, path = 'window'): void {
  if (window.end <= window.start) throw badField(`${path}.end`, `must be after ${path}.start`);
  if (window.start < now - PAST_TOLERANCE_MS) throw badField(`${path}.start`, 'must not be in the past');
}

export function orderConflict(order: { id: string; number: string }, status: OrderStatus, action: string, party: OrderParty): ApiError {
  const allowed = allowedOrderActions(status, party);
  return apiError(
    'EASYGAS_ORDER_STATE',
    { id: order.number, status, action, allowed: allowed.length === 0 ? 'nothing' : allowed.join(', ') },
    { state: { current: { status, id: order.id, number: order.number }, allowed } },
  );
}

/** The customer's notification of this change, stored through `tx` (so the emitting repository pushes it after commit). */
export async function notifyCustomer(tx: Repositories, order: OrderDetail, now: number): Promise<void> {
  const customer = await tx.users.byId(order.userId);
  if (customer !== undefined) await tx.notifications.create(order.userId, null, orderNotification(order, customer.preferences, now), now);
}

export interface Step {
  readonly action: OrderAction;
  readonly party: OrderParty;
  readonly userId: string | null;
  readonly notes: string | null;
  /** The fields to set, from the order as read (checked first: a 400 beats a 409). */
  readonly fields?: (order: OrderDetail) => OrderFields;
  /** The action as the order's status makes it (a supplier's "scheduled" on a scheduled order is a reschedule). */
  readonly resolve?: (order: OrderDetail) => OrderAction;
}

export class OrderTransitions {
  constructor(
    private readonly repo: Repository,
    private readonly clock: ServerClock,
  ) {}

  async get(scope: OrderScope, id: string): Promise<OrderDetail> {
    const order = await this.repo.orders.get(scope, id);
    if (order === undefined) throw notFound('order', id);
    return order;
  }

  async apply(scope: OrderScope, id: string, step: Step): Promise<OrderDetail> {
    const order = await this.get(scope, id);
    const action = step.resolve?.(order) ?? step.action;
    const decision = decideOrderAction(order.status, action, step.party);
    if (!decision.ok) throw orderConflict(order, order.status, action, step.party);
    const fields = step.fields?.(order) ?? {};
    const now = this.clock.now();
    const outcome = await this.repo.transaction(async (tx) => {
      const result = await tx.orders.transition(scope, id, { expected: order.status, to: decision.to, action, by: step.party, byUserId: step.userId, notes: step.notes, fields }, now);
      if (result.kind === 'done') await notifyCustomer(tx, result.order, now);
      return result;
    });
    if (outcome.kind === 'not_found') throw notFound('order', id);
    // Another change committed between the read and the write: this one did nothing.
    if (outcome.kind === 'conflict') throw orderConflict(order, outcome.status, action, step.party);
    return outcome.order;
  }
}
