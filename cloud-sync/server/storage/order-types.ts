/** Tanks, suppliers and refill orders as storage hands them out (issue 19). */
import type { OrderAction, OrderParty, OrderStatus } from '../modules/orders/order-status.js';
import type { PriceTier } from '../modules/orders/price-tiers.js';

export const PRODUCTS = ['lpg', 'water', 'heating_oil'] as const;
export type Product = (typeof PRODUCTS)[number];

export const LEVEL_SOURCES = ['sensor', 'manual', 'estimated', 'device'] as const;
export type LevelSource = (typeof LEVEL_SOURCES)[number];

export const PAYMENT_STATUSES = ['pending', 'paid', 'failed', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export interface Address {
  readonly street: string;
  readonly city: string;
  readonly postalCode: string;
  readonly country: string;
  readonly lat?: number;
  readonly lon?: number;
}

export interface TankDraft {
  readonly name: string;
  readonly product: Product;
  readonly capacityLitres: number;
  /** Percent of capacity. */
  readonly lowThreshold: number;
  readonly reorderLevel: number;
  readonly autoOrder: boolean;
  readonly preferredSupplierId: string | null;
  /** The linked level sensor's cloud id, or null (levels entered by hand). */
  readonly sensorId: string | null;
  readonly address: Address;
  readonly accessNotes: string | null;
}

export interface Tank extends TankDraft {
  readonly id: string;
  readonly userId: string;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface TankLevel {
  readonly at: number;
  readonly percent: number;
  readonly litres: number | null;
  readonly source: LevelSource;
}

export interface NewSupplier {
  readonly id: string;
  readonly userId: string;
  readonly company: string;
  readonly currency: string;
  readonly leadTimeDays: number;
  readonly active: boolean;
  readonly postalCodes: readonly string[];
  readonly prices: Readonly<Partial<Record<Product, readonly PriceTier[]>>>;
}

export interface Supplier extends NewSupplier {
  /** Average stars of its reviews, null before the first. */
  readonly rating: number | null;
  readonly reviewCount: number;
  /** Average ms from placement to acknowledgement, null before the first. */
  readonly avgResponseMs: number | null;
  readonly createdAt: number;
}

export interface NewOrder {
  readonly id: string;
  readonly number: string;
  readonly userId: string;
  readonly tankId: string;
  readonly supplierId: string;
  readonly product: Product;
  readonly litres: number;
  readonly pricePerLitre: number;
  readonly totalAmount: number;
  readonly currency: string;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly notes: string | null;
  readonly placedBy: 'customer' | 'auto';
  readonly address: Address;
}

export interface Order extends NewOrder {
  readonly status: OrderStatus;
  readonly scheduledStart: number | null;
  readonly scheduledEnd: number | null;
  readonly actualLitres: number | null;
  readonly deliveredAt: number | null;
  readonly driverNotes: string | null;
  readonly cancelReason: string | null;
  readonly paymentStatus: PaymentStatus;
  readonly invoiceNumber: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface OrderHistoryEntry {
  readonly status: OrderStatus;
  readonly action: OrderAction | 'place';
  readonly at: number;
  readonly by: OrderParty;
  readonly byUserId: string | null;
  readonly notes: string | null;
}

export interface OrderReview {
  readonly orderId: string;
  readonly stars: number;
  readonly comment: string | null;
  readonly createdAt: number;
}

export interface OrderDetail extends Order {
  readonly history: readonly OrderHistoryEntry[];
  readonly review: OrderReview | null;
}

/** Whose orders a query may see: a customer's own, or those placed with one supplier. */
export type OrderScope = { readonly customerId: string } | { readonly supplierId: string } | { readonly system: true };

/** The fields a transition may set beside the status. */
export interface OrderFields {
  readonly windowStart?: number;
  readonly windowEnd?: number;
  readonly scheduledStart?: number;
  readonly scheduledEnd?: number;
  readonly actualLitres?: number;
  readonly deliveredAt?: number;
  readonly driverNotes?: string | null;
  readonly cancelReason?: string;
  readonly paymentStatus?: PaymentStatus;
  readonly invoiceNumber?: string;
  /** The delivery's signature image (checked already), stored in the change's transaction. */
  readonly proof?: OrderProof;
}

export interface OrderProof {
  readonly contentType: 'image/png' | 'image/jpeg';
  /** base64 */
  readonly data: string;
}

export interface OrderChange {
  /** The status the decision was made from: the write happens only if the order still has it. */
  readonly expected: OrderStatus;
  readonly to: OrderStatus;
  readonly action: OrderAction;
  readonly by: OrderParty;
  readonly byUserId: string | null;
  readonly notes: string | null;
  readonly fields: OrderFields;
}

export type TransitionOutcome =
  | { readonly kind: 'done'; readonly order: OrderDetail }
  /** Another change got there first: the order's status now. */
  | { readonly kind: 'conflict'; readonly status: OrderStatus }
  | { readonly kind: 'not_found' };

export interface OrderFilter {
  readonly status?: OrderStatus;
  readonly tankId?: string;
  readonly limit: number;
}
