/** The storage interfaces of tanks, suppliers and orders (implemented in repositories/tanks|suppliers|orders.ts). */
import type { NewOrder, NewSupplier, OrderChange, OrderDetail, OrderFilter, OrderReview, OrderScope, Order, OrderProof, PaymentStatus, Product, Supplier, Tank, TankDraft, TankLevel, TransitionOutcome } from './order-types.js';

export interface TankRepository {
  list(userId: string): Promise<Tank[]>;
  get(userId: string, id: string): Promise<Tank | undefined>;
  create(userId: string, id: string, draft: TankDraft, now: number): Promise<Tank>;
  update(userId: string, id: string, draft: TankDraft, now: number): Promise<Tank | undefined>;
  /** False when not found; 'open_order' when an open order still names it (nothing deleted). */
  remove(userId: string, id: string): Promise<boolean | 'open_order'>;
  addLevel(tankId: string, level: TankLevel, now: number): Promise<void>;
  /** Stored levels (manual, estimated) in from ≤ at < to, oldest first. */
  levels(tankId: string, from: number, to: number, limit: number): Promise<TankLevel[]>;
  /** Every tank with auto-order on and a preferred supplier, across users (the auto-order job). */
  autoOrderTanks(): Promise<Tank[]>;
  /** Every tank linked to a sensor, across users (the anomaly job). */
  sensedTanks(): Promise<Tank[]>;
  /** Records an anomaly the detectors raised; false when it was recorded before (by any process). */
  recordAnomaly(tankId: string, anomaly: { readonly type: string; readonly at: number; readonly severity: string; readonly seen: string }, now: number): Promise<boolean>;
}

export interface SupplierRepository {
  /** 'user_taken': that account already has a supplier profile. */
  create(supplier: NewSupplier, now: number): Promise<Supplier | 'user_taken'>;
  get(id: string): Promise<Supplier | undefined>;
  byUser(userId: string): Promise<Supplier | undefined>;
  /** Active suppliers serving the postal code that price the product. */
  serving(postalCode: string, product: Product): Promise<Supplier[]>;
}

export interface OrderRepository {
  /** Inserts the order with its first history entry; the unique indexes decide the two refusals. */
  place(order: NewOrder, now: number): Promise<OrderDetail | 'tank_has_open_order' | 'number_taken'>;
  get(scope: OrderScope, id: string): Promise<OrderDetail | undefined>;
  list(scope: OrderScope, filter: OrderFilter): Promise<Order[]>;
  /** The tank's open order, if any. */
  openForTank(tankId: string): Promise<Order | undefined>;
  /** A compare-and-set on the status: of two concurrent changes from one status, one is done, the other a conflict. */
  transition(scope: OrderScope, id: string, change: OrderChange, now: number): Promise<TransitionOutcome>;
  /**
   * Sets the payment status of the order with this number (a provider's webhook):
   * `changed` is false when it already had it (a retried webhook changes nothing);
   * undefined when no order has the number.
   */
  setPaymentStatus(number: string, status: PaymentStatus, now: number): Promise<{ order: Order; changed: boolean } | undefined>;
  /** The delivery's signature image: null when none was given, undefined when the order is not in scope. */
  proof(scope: OrderScope, id: string): Promise<OrderProof | null | undefined>;
  /** One review per delivered order: false when it already has one. */
  review(userId: string, review: OrderReview): Promise<boolean>;
}
