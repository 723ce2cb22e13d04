/** A payment provider for tests: invoice on delivery, and webhooks `{ type: "payment.succeeded" | "payment.failed" | "payment.refunded", orderNumber }` signed with TEST_WEBHOOK_SECRET. */
import { invoiceOnDelivery, type PaymentEvent, type PaymentProvider } from '../modules/orders/payment.js';
import { signWebhook } from '../modules/orders/webhook-signature.js';

export const TEST_WEBHOOK_SECRET = 'whsec_test_only';

const STATUS: Readonly<Record<string, PaymentEvent['paymentStatus']>> = { 'payment.succeeded': 'paid', 'payment.failed': 'failed', 'payment.refunded': 'refunded' };

export const testPaymentProvider: PaymentProvider = {
  name: 'testpay',
  delivered: (order, deliveredAt) => invoiceOnDelivery.delivered(order, deliveredAt),
  webhook: {
    secret: TEST_WEBHOOK_SECRET,
    event(body) {
      const { type, orderNumber } = body as { type?: unknown; orderNumber?: unknown };
      const paymentStatus = typeof type === 'string' ? STATUS[type] : undefined;
      return paymentStatus === undefined || typeof orderNumber !== 'string' ? undefined : { orderNumber, paymentStatus };
    },
  },
};

/** The request a provider sends: the JSON text and its signature header at `atMs`. */
export function signedWebhook(body: Record<string, unknown>, atMs: number, secret = TEST_WEBHOOK_SECRET): { payload: string; headers: Record<string, string> } {
  const payload = JSON.stringify(body);
  return { payload, headers: { 'content-type': 'application/json', 'x-easygas-signature': signWebhook(secret, payload, atMs) } };
}
