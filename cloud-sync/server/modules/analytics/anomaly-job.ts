/**
 * The anomaly job (the hourly tank analysis): every hour, each tank linked to a
 * sensor is analysed from its rollups; its forecast is stored (tank_forecasts, read
 * by the supplier's customer list), and each anomaly seen in the last two days that
 * was not raised before is recorded and notified — in one transaction, keyed by (tank, type, hour), so
 * whichever API process runs the tick, or two at once, it is notified exactly once.
 * Days are counted in the owner's quiet-hours time zone when set, else UTC.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { ServerClock } from '../../clock.js';
import type { Repository } from '../../storage/repository.js';
import type { Tank } from '../../storage/order-types.js';
import type { StoredDate, StoredForecast } from '../../storage/tank-forecast-types.js';
import type { NotificationDraft, NotificationPreferences } from '../../storage/types.js';
import type { Anomaly } from './anomalies/anomaly.js';
import type { Outcome } from './forecast.js';
import { DAY } from './local-time.js';
import { TankAnalyticsService } from './service.js';
import type { TankAnalytics } from './tank-analytics.js';

/** Anomalies older than this when first seen (a late upload of old readings) are shown, not notified. */
export const NOTIFY_WITHIN_MS = 2 * DAY;

const LABELS: Readonly<Record<Anomaly['type'], string>> = {
  rapid_drop: 'rapid drop',
  quiet_hours_use: 'use in the quiet hours',
  slow_drift: 'slow loss with nothing running',
  refill_without_order: 'refill with no order',
  suspect_sensor: 'sensor readings look wrong',
};

export function anomalyNotification(tank: Tank, anomaly: Anomaly, preferences: NotificationPreferences): NotificationDraft {
  return {
    type: `anomaly.${anomaly.type}`,
    severity: anomaly.severity,
    title: `${tank.name}: ${LABELS[anomaly.type]}`,
    message: `${anomaly.seen}. ${anomaly.check}`,
    channels: (['email', 'push'] as const).filter((c) => preferences[c]),
    sensorId: null,
    ruleId: null,
    eventAt: anomaly.at,
  };
}

const storedDate = (o: Outcome): StoredDate => (o.ok ? { at: o.estimate.at, p10: o.estimate.p10, p90: o.estimate.p90 } : { reason: o.reason });

/** What the supplier's customer list needs of a tank's analytics. */
export function storedForecast(analytics: TankAnalytics): StoredForecast {
  const c = analytics.current;
  return {
    level: c === null || !Number.isFinite(c.percent) ? null : { at: c.at, percent: Math.round(c.percent * 10) / 10 },
    reorderBy: storedDate(analytics.forecast.reorderBy),
    emptyBy: storedDate(analytics.forecast.emptyBy),
  };
}

export class AnomalyJob {
  readonly #analytics: TankAnalyticsService;

  constructor(
    private readonly repo: Repository,
    private readonly clock: ServerClock,
    private readonly logger: FastifyBaseLogger,
  ) {
    this.#analytics = new TankAnalyticsService(repo, clock);
  }

  async run(): Promise<{ readonly raised: number }> {
    // A tank unlinked from its sensor is analysed no more: its old forecast must not stand.
    await this.repo.tankForecasts.forgetUnsensed();
    let raised = 0;
    for (const tank of await this.repo.tanks.sensedTanks()) {
      try {
        raised += await this.#tank(tank);
      } catch (error) {
        // One tank's trouble never stops the others.
        this.logger.warn({ err: error, tankId: tank.id }, 'anomaly check skipped a tank');
      }
    }
    return { raised };
  }

  async #tank(tank: Tank): Promise<number> {
    const owner = await this.repo.users.byId(tank.userId);
    if (owner === undefined) return 0;
    const now = this.clock.now();
    const analytics = await this.#analytics.analyse(tank, owner.preferences.quietHours?.timeZone ?? 'UTC');
    await this.repo.tankForecasts.save(tank.id, storedForecast(analytics), now);
    let raised = 0;
    for (const anomaly of analytics.anomalies.filter((a) => a.at >= now - NOTIFY_WITHIN_MS)) {
      const fresh = await this.repo.transaction(async (tx) => {
        if (!(await tx.tanks.recordAnomaly(tank.id, anomaly, now))) return false;
        await tx.notifications.create(tank.userId, null, anomalyNotification(tank, anomaly, owner.preferences), now);
        return true;
      });
      if (fresh) raised++;
    }
    return raised;
  }
}
