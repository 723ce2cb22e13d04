/**
 * Everything the tank page shows, from one read of the tank's hourly rollup rows:
 * usage per day/weekday/month/hour, deliveries (each matched to an order or not),
 * outages, the forecast with its band and basis, anomalies and tips. Pure: the
 * caller reads the rows (never raw readings) and the tank's settings.
 */
import { detectQuietHoursUse } from './anomalies/quiet-hours.js';
import { detectRapidDrop } from './anomalies/rapid-drop.js';
import { detectRefillsWithoutOrder, type Order } from './anomalies/refill-without-order.js';
import { detectSlowDrift } from './anomalies/slow-drift.js';
import { detectSuspectSensor } from './anomalies/suspect-sensor.js';
import type { Anomaly } from './anomalies/anomaly.js';
import { matchDeliveries, type DeliveredOrder, type TankDelivery } from './delivery-matching.js';
import { forecast, type Forecast } from './forecast.js';
import type { Level, LevelRow, TemperatureRow } from './level-series.js';
import { tips, type Tip, type TipOptions } from './tips.js';
import { analyseUsage, type Usage } from './usage.js';

export type TankProduct = 'lpg' | 'water' | 'heating_oil';

export interface TankSettings {
  readonly product: TankProduct;
  readonly capacityLitres: number | null;
  readonly lowPercent: number;
  readonly reorderPercent: number;
}

export interface TankAnalyticsInput {
  readonly now: number;
  readonly timeZone: string;
  readonly rows: readonly LevelRow[];
  readonly tank: TankSettings;
  /** The outdoor temperature (heating tanks), hourly. */
  readonly outdoor?: readonly TemperatureRow[];
  /** The tank's own temperature (LPG volume correction to 15 °C), hourly. */
  readonly tankTemperature?: readonly TemperatureRow[];
  /** Orders placed for this tank, to tell a delivery from a refill of unknown origin. */
  readonly orders?: readonly Order[];
  /** Its delivered orders, each matched to the refill the sensor saw. */
  readonly deliveredOrders?: readonly DeliveredOrder[];
  readonly supplier?: TipOptions['supplier'];
}

export interface TankAnalytics extends Pick<Usage, 'days' | 'weekdays' | 'months' | 'hoursOfDay' | 'outages'> {
  /** Refills seen, matched to their orders, and delivered orders the sensor did not see. */
  readonly deliveries: readonly TankDelivery[];
  readonly current: Level | null;
  readonly forecast: Forecast;
  readonly anomalies: readonly Anomaly[];
  readonly tips: readonly Tip[];
}

export function analyseTank(input: TankAnalyticsInput): TankAnalytics {
  const { tank, now, timeZone } = input;
  const capacityLitres = tank.capacityLitres;
  const usage = analyseUsage(input.rows, {
    timeZone,
    capacityLitres,
    ...(tank.product === 'lpg' && input.tankTemperature !== undefined ? { temperatures: input.tankTemperature } : {}),
  });
  const projected = forecast(usage, { now, reorderPercent: tank.reorderPercent, timeZone, ...(input.outdoor === undefined ? {} : { outdoor: input.outdoor }) });
  const levels = usage.walk.levels;
  const anomalies = [
    detectRapidDrop(usage, { now, capacityLitres }),
    tank.product === 'water' ? detectQuietHoursUse(levels, { timeZone, capacityLitres }) : null,
    detectSlowDrift(levels, { timeZone, capacityLitres }),
    detectSuspectSensor(usage, { now }),
    ...(input.orders === undefined ? [] : detectRefillsWithoutOrder(usage.deliveries, input.orders, { capacityLitres })),
  ].filter((a): a is Anomaly => a !== null);
  return {
    current: usage.walk.current,
    days: usage.days,
    weekdays: usage.weekdays,
    months: usage.months,
    hoursOfDay: usage.hoursOfDay,
    deliveries: matchDeliveries(usage.deliveries, input.deliveredOrders ?? []),
    outages: usage.outages,
    forecast: projected,
    anomalies,
    tips: tips(usage, { now, capacityLitres, lowPercent: tank.lowPercent, reorderPercent: tank.reorderPercent, ...(input.supplier === undefined ? {} : { supplier: input.supplier }) }),
  };
}
