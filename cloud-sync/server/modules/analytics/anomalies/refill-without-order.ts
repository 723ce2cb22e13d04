/**
 * A refill with no order: a delivery the level shows that no order explains
 * (none in the `windowMs` before it). Either a delivery that was not recorded
 * (the supplier's books are wrong) or fuel put in by someone else.
 */
import type { Delivery } from '../level-walk.js';
import { amount, type Anomaly } from './anomaly.js';

export interface Order {
  /** When it was placed. */
  readonly at: number;
}

export function detectRefillsWithoutOrder(deliveries: readonly Delivery[], orders: readonly Order[], options: { readonly windowMs?: number; readonly capacityLitres?: number | null } = {}): Anomaly[] {
  const window = options.windowMs ?? 14 * 86_400_000;
  return deliveries
    .filter((d) => !orders.some((o) => o.at <= d.at && d.at - o.at <= window))
    .map((d) => ({
      type: 'refill_without_order' as const,
      at: d.at,
      severity: 'warning' as const,
      seen: `the tank rose from ${d.beforePercent.toFixed(0)} % to ${d.afterPercent.toFixed(0)} % (${amount(d.afterPercent - d.beforePercent, options.capacityLitres)}) with no order in the ${Math.round(window / 86_400_000)} days before`,
      check: 'check with the supplier whether this delivery was recorded, and whether anyone else had access to the tank',
      value: d.afterPercent - d.beforePercent,
      unit: '%',
    }));
}
