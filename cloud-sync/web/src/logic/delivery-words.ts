/**
 * A delivery on the tank, in words: what the sensor saw, the order it belongs to
 * (litres ordered and delivered), or that no order explains it.
 */
import type { TankAnalytics } from '../api/types.js';
import type { Formats } from './format.js';

type TankDelivery = TankAnalytics['deliveries'][number];

export function deliveryWords(d: TankDelivery, formats: Pick<Formats, 'percent' | 'litres'>): string {
  const seen =
    d.beforePercent === null || d.afterPercent === null
      ? 'not seen by the sensor'
      : `${formats.percent(d.beforePercent)} → ${formats.percent(d.afterPercent)}${d.litres === null ? '' : ` (${formats.litres(d.litres)} seen)`}`;
  if (d.order === null) return `${seen}; no order: a delivery you did not order here?`;
  const delivered = d.order.deliveredLitres === null ? '' : `, ${formats.litres(d.order.deliveredLitres)} delivered`;
  return `${seen}; order ${d.order.number}: ${formats.litres(d.order.orderedLitres)} ordered${delivered}`;
}
