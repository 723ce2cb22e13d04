/**
 * How an order is paid, behind one interface so a card provider can be added
 * without touching orders. The built-in provider is pay on delivery against an
 * invoice: a new order's payment is pending, and delivery issues the invoice number
 * (the payment stays pending until the invoice is paid).
 */
import type { Order, PaymentStatus } from '../../storage/order-types.js';

/** What a provider's webhook says happened to an order's payment. */
export interface PaymentEvent {
  readonly orderNumber: string;
  readonly paymentStatus: Exclude<PaymentStatus, 'pending'>;
}

export interface PaymentProvider {
  readonly name: string;
  /** On delivery: the invoice number and the payment status. */
  delivered(order: Pick<Order, 'number'>, deliveredAt: number): { invoiceNumber: string; paymentStatus: PaymentStatus };
  /**
   * A provider that calls back: the secret its webhooks are signed with
   * (POST /api/payments/webhook/:provider) and how to read one, checked already
   * (undefined: a body this provider does not send, answered 400).
   */
  readonly webhook?: {
    readonly secret: string;
    event(body: unknown): PaymentEvent | undefined;
  };
}

export const invoiceOnDelivery: PaymentProvider = {
  name: 'invoice',
  // The order number is unique already: the invoice shares it, with the year it was issued.
  delivered: (order, deliveredAt) => ({ invoiceNumber: `INV-${new Date(deliveredAt).getUTCFullYear()}-${order.number.slice(3)}`, paymentStatus: 'pending' }),
};
