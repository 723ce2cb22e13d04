/**
 * A tank's analytics, from storage: the linked sensor's hourly rollup rows (never a
 * scan of raw readings) and the levels typed in by hand, the tank's orders (so a
 * refill is matched to one or flagged), and its preferred supplier's prices (for
 * the tips). The analysis itself is pure (tank-analytics.ts).
 */
import type { Actor } from '../../auth/actor.js';
import type { ServerClock } from '../../clock.js';
import { notFound } from '../../errors.js';
import { requireTimeZone } from '../../services/calendar-days.js';
import type { Repository } from '../../storage/repository.js';
import type { Tank } from '../../storage/order-types.js';
import { DAY, HOUR } from './local-time.js';
import type { LevelRow } from './level-series.js';
import { analyseTank, type TankAnalytics } from './tank-analytics.js';

export type AnalyticsStorage = Pick<Repository, 'tanks' | 'readings' | 'suppliers' | 'orders'>;

/** A year and four weeks: the same weeks last year are one of the tips. */
const HISTORY_DAYS = 365 + 28;
const MAX_ORDERS = 500;

export class TankAnalyticsService {
  constructor(
    private readonly repo: AnalyticsStorage,
    private readonly clock: ServerClock,
  ) {}

  async forTank(actor: Actor, id: string, timeZone: string): Promise<{ tank: Tank; analytics: TankAnalytics }> {
    requireTimeZone(timeZone);
    const tank = await this.repo.tanks.get(actor.userId, id);
    if (tank === undefined) throw notFound('tank', id);
    return { tank, analytics: await this.analyse(tank, timeZone) };
  }

  /** The tank's analytics now (the caller has checked whose tank it is). */
  async analyse(tank: Tank, timeZone: string): Promise<TankAnalytics> {
    const now = this.clock.now();
    const from = now - HISTORY_DAYS * DAY;
    const [rows, orders, supplier] = await Promise.all([this.#rows(tank, from, now), this.repo.orders.list({ customerId: tank.userId }, { tankId: tank.id, limit: MAX_ORDERS }), this.#supplier(tank)]);
    return analyseTank({
      now,
      timeZone,
      rows,
      tank: { product: tank.product, capacityLitres: tank.capacityLitres, lowPercent: tank.lowThreshold, reorderPercent: tank.reorderLevel },
      orders: orders.filter((o) => o.status !== 'cancelled').map((o) => ({ at: o.createdAt })),
      deliveredOrders: orders.flatMap((o) => (o.status === 'delivered' && o.deliveredAt !== null ? [{ id: o.id, number: o.number, deliveredAt: o.deliveredAt, litres: o.litres, actualLitres: o.actualLitres }] : [])),
      ...(supplier === undefined ? {} : { supplier }),
    });
  }

  /** The sensor's hourly rows and the manual levels, in time order. */
  async #rows(tank: Tank, from: number, now: number): Promise<LevelRow[]> {
    const sensor = tank.sensorId === null ? undefined : await this.repo.readings.sensor(tank.userId, tank.sensorId);
    const [series, manual] = await Promise.all([
      sensor === undefined ? Promise.resolve([]) : this.repo.readings.levelSeries(sensor.key, from, now + 1, HOUR),
      this.repo.tanks.levels(tank.id, from, now + 1, 5_000),
    ]);
    return [...series, ...manual.map((l) => ({ at: l.at, percent: l.percent, litres: l.litres }))].sort((a, b) => a.at - b.at);
  }

  async #supplier(tank: Tank) {
    if (tank.preferredSupplierId === null) return undefined;
    const supplier = await this.repo.suppliers.get(tank.preferredSupplierId);
    const tiers = supplier?.prices[tank.product];
    return supplier === undefined || tiers === undefined ? undefined : { tiers, currency: supplier.currency, leadTimeDays: supplier.leadTimeDays };
  }
}
