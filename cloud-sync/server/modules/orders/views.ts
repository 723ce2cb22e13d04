/** An order as the API shows it to one party (its allowed actions are that party's). */
import type { Static } from 'typebox';
import type { Order, OrderDetail } from '../../storage/order-types.js';
import { allowedOrderActions, type OrderParty } from './order-status.js';
import { formatMoney } from './price-tiers.js';
import type { OrderView } from './schemas.js';

export function orderView(order: Order | OrderDetail, party: OrderParty): Static<typeof OrderView> {
  const total = { amount: order.totalAmount, currency: order.currency };
  return {
    id: order.id,
    number: order.number,
    tankId: order.tankId,
    supplierId: order.supplierId,
    product: order.product,
    status: order.status,
    litres: order.litres,
    pricePerLitre: order.pricePerLitre,
    total,
    totalFormatted: formatMoney(total),
    window: { start: order.windowStart, end: order.windowEnd },
    scheduled: order.scheduledStart === null || order.scheduledEnd === null ? null : { start: order.scheduledStart, end: order.scheduledEnd },
    actualLitres: order.actualLitres,
    deliveredAt: order.deliveredAt,
    driverNotes: order.driverNotes,
    notes: order.notes,
    cancelReason: order.cancelReason,
    paymentStatus: order.paymentStatus,
    invoiceNumber: order.invoiceNumber,
    placedBy: order.placedBy,
    address: { ...order.address },
    allowedActions: allowedOrderActions(order.status, party),
    ...('history' in order
      ? {
          history: order.history.map((h) => ({ status: h.status, action: h.action, at: h.at, by: h.by, notes: h.notes })),
          review: order.review === null ? null : { stars: order.review.stars, comment: order.review.comment, createdAt: order.review.createdAt },
        }
      : {}),
    createdAt: order.createdAt,
    updatedAt: order.updatedAt,
  };
}
