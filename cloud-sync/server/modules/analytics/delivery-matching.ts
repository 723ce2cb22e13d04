/**
 * The tank's deliveries as the customer sees them: each refill the sensor saw,
 * matched to the delivered order it belongs to (litres ordered and delivered beside
 * the litres seen), or marked as of unknown origin; and each delivered order the
 * sensor did not see (a tank with no sensor, or the sensor offline that day).
 */
import type { Delivery } from './level-walk.js';

export interface DeliveredOrder {
  readonly id: string;
  readonly number: string;
  readonly deliveredAt: number;
  readonly litres: number;
  readonly actualLitres: number | null;
}

export interface TankDelivery {
  readonly at: number;
  /** The levels and litres the sensor saw; null for an order the sensor did not see. */
  readonly beforePercent: number | null;
  readonly afterPercent: number | null;
  readonly litres: number | null;
  /** The order it belongs to; null: a refill of unknown origin. */
  readonly order: { readonly id: string; readonly number: string; readonly orderedLitres: number; readonly deliveredLitres: number | null } | null;
}

/** A refill is the order's when it shows within this of the order's delivery time (hourly rows, a late upload). */
export const MATCH_WITHIN_MS = 12 * 3_600_000;

export function matchDeliveries(seen: readonly Delivery[], orders: readonly DeliveredOrder[]): TankDelivery[] {
  // Closest pairs first, so an order goes to the refill nearest its delivery, not the first one near enough.
  const pairs = seen
    .flatMap((d, i) => orders.map((o, j) => ({ i, j, gap: Math.abs(o.deliveredAt - d.at) })))
    .filter((p) => p.gap <= MATCH_WITHIN_MS)
    .sort((a, b) => a.gap - b.gap);
  const orderOf = new Map<number, DeliveredOrder>();
  const taken = new Set<number>();
  for (const p of pairs) {
    if (orderOf.has(p.i) || taken.has(p.j)) continue;
    const o = orders[p.j];
    if (o === undefined) continue;
    orderOf.set(p.i, o);
    taken.add(p.j);
  }
  const view = (o: DeliveredOrder) => ({ id: o.id, number: o.number, orderedLitres: o.litres, deliveredLitres: o.actualLitres });
  const out: TankDelivery[] = seen.map((d, i) => {
    const o = orderOf.get(i);
    return { at: d.at, beforePercent: d.beforePercent, afterPercent: d.afterPercent, litres: d.litres, order: o === undefined ? null : view(o) };
  });
  orders.forEach((o, j) => {
    if (!taken.has(j)) out.push({ at: o.deliveredAt, beforePercent: null, afterPercent: null, litres: null, order: view(o) });
  });
  return out.sort((a, b) => a.at - b.at);
}
