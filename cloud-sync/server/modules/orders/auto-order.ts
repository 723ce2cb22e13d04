/**
 * The auto-order job: for each tank with auto-order on, when its level is below
 * the reorder level — or the analytics' forecast says it reaches it within the
 * preferred supplier's lead time — place one order with that supplier, filling to
 * 95 %, on behalf of the customer (who is notified and may cancel it). It runs
 * through the job runner (once per tick across API processes); even if two
 * processes ran it at once, the unique index over a tank's open orders lets only
 * one order in, and the other attempt finds 'tank_has_open_order'.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ServerClock } from '../../clock.js';
import type { Repository } from '../../storage/repository.js';
import type { Tank } from '../../storage/order-types.js';
import { analyseUsage, forecast } from '../analytics/index.js';
import { TanksService } from '../tanks/service.js';
import { OrdersService } from './service.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Auto-orders fill to this percent of capacity. */
export const AUTO_FILL_PERCENT = 95;

export interface AutoOrderRun {
  readonly placed: number;
  /** Tanks due whose order another process (or an open order) had already taken. */
  readonly alreadyOpen: number;
}

export class AutoOrderJob {
  readonly #tanks: TanksService;
  readonly #orders: OrdersService;

  constructor(
    private readonly repo: Repository,
    private readonly clock: ServerClock,
    private readonly logger: FastifyBaseLogger,
  ) {
    this.#tanks = new TanksService(repo, clock);
    this.#orders = new OrdersService(repo, clock, this.#tanks);
  }

  async run(): Promise<AutoOrderRun> {
    let placed = 0;
    let alreadyOpen = 0;
    for (const tank of await this.repo.tanks.autoOrderTanks()) {
      try {
        const outcome = await this.#consider(tank);
        if (outcome === 'placed') placed++;
        if (outcome === 'open') alreadyOpen++;
      } catch (error) {
        // One tank's trouble (its supplier stopped serving it, a bad tier) never stops the others.
        this.logger.warn({ err: error, tankId: tank.id }, 'auto-order skipped a tank');
      }
    }
    return { placed, alreadyOpen };
  }

  async #consider(tank: Tank): Promise<'placed' | 'open' | 'not_due'> {
    if ((await this.repo.orders.openForTank(tank.id)) !== undefined) return 'open';
    const supplier = tank.preferredSupplierId === null ? undefined : await this.repo.suppliers.get(tank.preferredSupplierId);
    const level = await this.#tanks.currentOf(tank);
    if (supplier === undefined || !supplier.active || level === null) return 'not_due';
    const now = this.clock.now();
    if (!(await this.#due(tank, level.percent, supplier.leadTimeDays, now))) return 'not_due';
    const litres = Math.floor(((AUTO_FILL_PERCENT - level.percent) / 100) * tank.capacityLitres);
    if (litres < 1) return 'not_due';
    const window = { start: now, end: now + (Math.max(1, supplier.leadTimeDays) + 2) * DAY };
    const placed = await this.#orders.placeFor({ tank, supplier, litres, window, notes: `auto-order: level ${Math.round(level.percent)} %`, placedBy: 'auto' });
    return placed === 'tank_has_open_order' ? 'open' : 'placed';
  }

  /** Below the reorder level now, or forecast to reach it within the lead time. */
  async #due(tank: Tank, percent: number, leadTimeDays: number, now: number): Promise<boolean> {
    if (percent < tank.reorderLevel) return true;
    const rows = (await this.#tanks.levelsOf(tank, now - 21 * DAY, now + HOUR)).map((l) => ({ at: l.at, percent: l.percent, litres: l.litres }));
    const outlook = forecast(analyseUsage(rows, { capacityLitres: tank.capacityLitres }), { now, reorderPercent: tank.reorderLevel });
    return outlook.reorderBy.ok && outlook.reorderBy.estimate.at <= now + leadTimeDays * DAY;
  }
}
