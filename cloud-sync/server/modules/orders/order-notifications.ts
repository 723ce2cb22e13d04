/**
 * What the customer is told about each change of an order: the notification's type
 * (order, delivery, cancel, reschedule), title and message. Pure: the service stores
 * it in the change's own transaction, so it is pushed live once the change commits.
 */
import type { NotifyChannel } from '../../../protocol/index.js';
import type { OrderDetail } from '../../storage/order-types.js';
import type { NotificationDraft, NotificationPreferences } from '../../storage/types.js';
import { formatMoney } from './price-tiers.js';

export type OrderNotificationType = 'order' | 'delivery' | 'cancel' | 'reschedule';

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

function words(order: OrderDetail): { type: OrderNotificationType; title: string; message: string } {
  const last = order.history.at(-1);
  const by = last?.by;
  const number = order.number;
  switch (last?.action ?? 'place') {
    case 'place':
      return {
        type: 'order',
        title: order.placedBy === 'auto' ? `Refill ordered automatically (${number})` : `Order ${number} placed`,
        message: `${order.litres} L for ${formatMoney({ amount: order.totalAmount, currency: order.currency })}, delivery between ${day(order.windowStart)} and ${day(order.windowEnd)} UTC.${order.placedBy === 'auto' ? ' You can cancel it until the truck leaves.' : ''}`,
      };
    case 'acknowledge':
      return { type: 'order', title: `Order ${number} acknowledged`, message: 'The supplier has your order and will book a delivery date.' };
    case 'schedule':
      return { type: 'order', title: `Order ${number} scheduled`, message: `Delivery booked between ${day(order.scheduledStart ?? order.windowStart)} and ${day(order.scheduledEnd ?? order.windowEnd)} UTC.` };
    case 'reschedule':
      return {
        type: 'reschedule',
        title: `Order ${number} rescheduled`,
        message: by === 'supplier' ? `The supplier moved the delivery to ${day(order.scheduledStart ?? order.windowStart)}–${day(order.scheduledEnd ?? order.windowEnd)} UTC.` : `Requested window now ${day(order.windowStart)}–${day(order.windowEnd)} UTC.`,
      };
    case 'dispatch':
      return { type: 'delivery', title: `Order ${number} is on its way`, message: 'The truck has left for your address.' };
    case 'deliver':
      return { type: 'delivery', title: `Order ${number} delivered`, message: `${order.actualLitres ?? order.litres} L delivered.${order.invoiceNumber === null ? '' : ` Invoice ${order.invoiceNumber}.`}` };
    case 'reject':
      return { type: 'cancel', title: `Order ${number} declined by the supplier`, message: order.cancelReason ?? 'The supplier cannot deliver this order.' };
    case 'cancel':
      return { type: 'cancel', title: `Order ${number} cancelled`, message: order.cancelReason ?? 'The order was cancelled.' };
  }
}

export function orderNotification(order: OrderDetail, preferences: NotificationPreferences, now: number): NotificationDraft {
  const { type, title, message } = words(order);
  const channels: NotifyChannel[] = [...(preferences.email ? (['email'] as const) : []), ...(preferences.push ? (['push'] as const) : [])];
  return { type, severity: 'info', title, message, channels, sensorId: null, ruleId: null, eventAt: now };
}
