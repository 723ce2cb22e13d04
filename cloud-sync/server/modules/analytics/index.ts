/** The analytics core: pure functions of a tank's hourly rollup rows (see README "Analytics"). */
export { cleanLevels, type LevelRow, type TemperatureRow, type Level } from './level-series.js';
export { walkLevels, type Delivery, type Outage, type LevelWalk } from './level-walk.js';
export { analyseUsage, type Usage, type DayUse, type PeriodUse, type UsageOptions } from './usage.js';
export { forecast, type Forecast, type ForecastOptions, type Outcome, type DateEstimate } from './forecast.js';
export { forecastRefusal, horizonRefusal, STALE_AFTER_MS, MIN_DAYS_OF_DATA, MAX_HORIZON_DAYS } from './guardrails.js';
export type { Anomaly, AnomalyType } from './anomalies/anomaly.js';
export { detectRapidDrop } from './anomalies/rapid-drop.js';
export { detectQuietHoursUse } from './anomalies/quiet-hours.js';
export { detectSlowDrift } from './anomalies/slow-drift.js';
export { detectRefillsWithoutOrder, type Order } from './anomalies/refill-without-order.js';
export { detectSuspectSensor } from './anomalies/suspect-sensor.js';
export { tips, formatPricePerLitre, type Tip, type TipKind, type TipOptions } from './tips.js';
export { analyseConsumption, type Consumption, type ConsumptionOptions, type DayUsage, type Refill } from './sensor-consumption.js';
export { analyseTank, type TankAnalytics, type TankAnalyticsInput, type TankSettings, type TankProduct } from './tank-analytics.js';
