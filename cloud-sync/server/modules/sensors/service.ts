/**
 * Sensors as their owner reads them: the list, the newest reading, bucketed history
 * and consumption analytics. Every read takes the actor; another owner's sensor is
 * not found, like an unknown one.
 */
import type { Actor } from '../../auth/actor.js';
import type { ServerClock } from '../../clock.js';
import { apiError, notFound } from '../../errors.js';
import { calendarDaysUntil, requireTimeZone } from '../../services/calendar-days.js';
import { analyseConsumption, type Consumption } from '../analytics/sensor-consumption.js';
import { DAY, resolveRange, type RangeQuery } from '../../services/time-range.js';
import type { Repository } from '../../storage/repository.js';
import type { CloudReading, HistoryPoint, Sensor } from '../../storage/types.js';

const HOUR = 3_600_000;
const RATE_WINDOW_DAYS = 7;

/** The slice of storage this module reads. */
export type SensorsStorage = Pick<Repository, 'readings'>;

export class SensorsService {
  constructor(
    private readonly repo: SensorsStorage,
    private readonly clock: ServerClock,
  ) {}

  list(actor: Actor): Promise<Sensor[]> {
    return this.repo.readings.listSensors(actor.userId);
  }

  /** The actor's sensor, or 404 (for another owner's too). Other modules check ids with it. */
  async owned(actor: Actor, id: string): Promise<Sensor> {
    const sensor = await this.repo.readings.sensor(actor.userId, id);
    if (sensor === undefined) throw notFound('sensor', id);
    return sensor;
  }

  async latest(actor: Actor, id: string): Promise<{ sensor: Sensor; reading: CloudReading | undefined }> {
    const sensor = await this.owned(actor, id);
    return { sensor, reading: await this.repo.readings.latest(sensor.key) };
  }

  async history(actor: Actor, id: string, query: RangeQuery): Promise<{ sensor: Sensor; from: number; to: number; bucketMs: number; points: HistoryPoint[] }> {
    const sensor = await this.owned(actor, id);
    const range = resolveRange(query, this.clock.now());
    if (!range.ok) throw apiError('EASYGAS_RANGE_INVALID', { reason: range.reason });
    const points = await this.repo.readings.history(sensor.key, range.from, range.to, range.bucketMs);
    return { sensor, from: range.from, to: range.to, bucketMs: range.bucketMs, points };
  }

  async analytics(actor: Actor, id: string, days: number, timeZone: string): Promise<{ sensor: Sensor; from: number; to: number } & Consumption> {
    const sensor = await this.owned(actor, id);
    if (sensor.kind !== 'level') throw apiError('EASYGAS_NOT_A_LEVEL_SENSOR', { id: sensor.id, kind: sensor.kind });
    requireTimeZone(timeZone);
    const now = this.clock.now();
    const firstDay = calendarDaysUntil(now, days, timeZone).starts[0] ?? now;
    // From a day before the window (so its first fall has a level to fall from), and at least a week (for the rate).
    const since = Math.min(firstDay, now - RATE_WINDOW_DAYS * DAY) - DAY;
    const points = await this.repo.readings.levelSeries(sensor.key, since, now + 1, HOUR);
    return { sensor, from: firstDay, to: now, ...analyseConsumption(points, { firstDay, days, now, timeZone, rateWindowDays: RATE_WINDOW_DAYS }) };
  }
}
