/**
 * A new tank's capacity from its level sensor, when the customer leaves it out.
 * The cloud holds no tank geometry for a gateway's sensor (its calibration maps raw
 * to percent; the capacity stays in the gateway's own config), but a level reading
 * that carries both `percent` and `litres` implies it: litres / (percent / 100).
 * Below MIN_PERCENT the quotient magnifies rounding too much to trust, so the
 * customer is asked for the capacity instead.
 */
import { badField, notFound } from '../../errors.js';
import type { Repository } from '../../storage/repository.js';

const MIN_PERCENT = 5;

export async function sensorCapacity(readings: Repository['readings'], userId: string, sensorId: string | null): Promise<number> {
  if (sensorId === null) throw badField('capacityLitres', 'is required for a tank without a sensorId');
  const sensor = await readings.sensor(userId, sensorId);
  if (sensor === undefined) throw notFound('sensor', sensorId);
  const latest = await readings.latest(sensor.key);
  const { percent, litres } = latest ?? { percent: null, litres: null };
  if (percent === null || litres === null || percent < MIN_PERCENT) {
    throw badField('capacityLitres', `is required: the sensor's latest reading carries no litres at a level of ${MIN_PERCENT} % or more to derive it from`);
  }
  return Math.max(1, Math.round(litres / (percent / 100)));
}
