/**
 * "Reorder by" and "empty by", each with a P10–P90 band and its basis in words.
 *
 * Rate: the median of the last 14 complete days' use, each first divided by its
 * weekday's factor (the weekday's mean over the overall mean, shrunk towards 1
 * when few weeks are seen), then projected day by day with the weekday profile.
 * For heating with an outdoor temperature series, daily use = base + HDD / K
 * (degree-days.ts), with the coming days' HDD taken as the last week's; when the
 * fit is refused the median method answers.
 *
 * Band: use over the next t days is taken as normal with variance
 *   Σ σ²·f_d (day-to-day scatter, independent)  +  (Σ r_d)²·(s²/m² + drift²)
 * (the rate's own error and its drift, fully correlated over the horizon); the
 * P10 date is when the expected use plus 1.28 σ reaches the level, the P90 when
 * the expected use minus 1.28 σ does.
 */
import { degreeDaysByDate, fitDegreeDays } from './degree-days.js';
import { forecastRefusal, horizonRefusal, MAX_HORIZON_DAYS } from './guardrails.js';
import type { TemperatureRow } from './level-series.js';
import { projectLevels, type ProjectionPoint } from './level-projection.js';
import { DAY, HOUR, localClock, type LocalClock } from './local-time.js';
import type { DayUse, Usage } from './usage.js';

export interface DateEstimate {
  /** The median date, UTC epoch ms. */
  readonly at: number;
  /** The band: 10 % chance earlier than p10, 10 % later than p90 (null: beyond the horizon). */
  readonly p10: number;
  readonly p90: number | null;
  /** Days from the last reading to `at`. */
  readonly days: number;
}

export type Outcome = { readonly ok: true; readonly estimate: DateEstimate } | { readonly ok: false; readonly reason: string };

export interface Forecast {
  readonly method: 'median' | 'degree-days' | null;
  /** What the forecast rests on, in words ("from 14 days of use, weekday profile"). */
  readonly basis: string;
  /** The expected use per day over the coming week, percent. */
  readonly percentPerDay: number | null;
  readonly reorderBy: Outcome;
  readonly emptyBy: Outcome;
  /** The expected level (percent) from the last reading on, with the P10–P90 band; empty when there is no forecast. */
  readonly projection: readonly ProjectionPoint[];
}

export interface ForecastOptions {
  readonly now: number;
  /** The tank's reorder level, percent. */
  readonly reorderPercent: number;
  readonly timeZone?: string;
  /** Outdoor temperature (heating tanks): enables the degree-day method. */
  readonly outdoor?: readonly TemperatureRow[];
  /** Days of use the median rests on. Default 14. */
  readonly windowDays?: number;
  /** Relative drift of the rate per horizon, as a standard deviation. Default 0.05. */
  readonly drift?: number;
}

const Z90 = 1.2816;
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

interface Projection {
  readonly method: 'median' | 'degree-days';
  readonly basis: string;
  /** Expected use on a future local day (percent), by weekday. */
  readonly rateOn: (weekday: number) => number;
  /** Day-to-day scatter, percent/day. */
  readonly sigma: number;
  /** Relative error of the rate. */
  readonly rateError: number;
}

/** Weekday factors from complete days: mean per weekday over the overall mean, shrunk towards 1. */
function weekdayFactors(days: readonly DayUse[]): number[] {
  const overall = days.reduce((a, d) => a + d.percent, 0) / Math.max(1, days.length);
  return Array.from({ length: 7 }, (_, w) => {
    const on = days.filter((d) => d.weekday === w);
    if (on.length === 0 || overall <= 0) return 1;
    const f = on.reduce((a, d) => a + d.percent, 0) / on.length / overall;
    return (on.length * f + 3) / (on.length + 3);
  });
}

function medianProjection(recent: readonly DayUse[], history: readonly DayUse[]): Projection {
  const factors = weekdayFactors(history);
  const normalised = recent.map((d) => d.percent / (factors[d.weekday] ?? 1));
  const m = median(normalised);
  const mad = median(normalised.map((x) => Math.abs(x - m)));
  const sigma = Math.max(1.4826 * mad, 0.05 * m);
  const weeks = Math.floor(history.length / 7);
  return {
    method: 'median',
    basis: `median of ${recent.length} days of use${weeks >= 2 ? `, with a weekday profile from ${weeks} weeks` : ''}`,
    rateOn: (w) => m * (factors[w] ?? 1),
    sigma,
    rateError: m > 0 ? (1.2533 * sigma) / Math.sqrt(recent.length) / m : 0,
  };
}

function degreeDayProjection(history: readonly DayUse[], outdoor: readonly TemperatureRow[], clock: LocalClock): Projection | null {
  const hdd = degreeDaysByDate(outdoor, clock);
  const paired = history.slice(-28).flatMap((d) => {
    const h = hdd.get(d.date);
    return h === undefined ? [] : [{ hdd: h, percent: d.percent }];
  });
  const fit = fitDegreeDays(paired);
  if (fit === null) return null;
  const coming = paired.slice(-7).reduce((a, d) => a + d.hdd, 0) / Math.min(7, paired.length);
  const rate = fit.basePercentPerDay + coming / fit.k;
  if (!(rate > 0)) return null;
  return {
    method: 'degree-days',
    basis: `use against heating degree-days over ${fit.days} days (K = ${fit.k.toFixed(1)} degree-days per %, R² ${fit.r2.toFixed(2)}), coming days as cold as the last week`,
    rateOn: () => rate,
    sigma: fit.sigma,
    rateError: fit.sigma / Math.sqrt(fit.days) / rate,
  };
}

/** Days from `from` until `level` percent is used at quantile z (z > 0: earlier), or Infinity beyond the horizon. */
function timeToUse(level: number, rates: readonly number[], p: Projection, drift: number, z: number): number {
  if (level <= 0) return 0;
  const relative = p.rateError ** 2 + drift ** 2;
  let expected = 0;
  let scatter = 0;
  for (let h = 0; h < rates.length; h++) {
    const rate = rates[h] ?? 0;
    const next = expected + rate / 24;
    const nextScatter = scatter + ((p.sigma * p.sigma) / 24) * (rate > 0 ? 1 : 0);
    const use = next + z * Math.sqrt(nextScatter + next * next * relative);
    if (use >= level) {
      const before = expected + z * Math.sqrt(scatter + expected * expected * relative);
      const frac = use > before ? Math.min(1, Math.max(0, (level - before) / (use - before))) : 1;
      return (h + frac) / 24;
    }
    expected = next;
    scatter = nextScatter;
  }
  return Infinity;
}

/** The expected use rate of each hour from `from` on, far enough past the horizon for a band's late end. */
function hourlyRates(from: number, p: Projection, clock: LocalClock): number[] {
  return Array.from({ length: (MAX_HORIZON_DAYS + 30) * 24 }, (_, h) => p.rateOn(clock(from + h * HOUR).weekday));
}

function estimate(level: number, from: number, p: Projection, drift: number, rates: readonly number[]): Outcome {
  const mid = timeToUse(level, rates, p, drift, 0);
  const refused = horizonRefusal(mid);
  if (refused !== null) return { ok: false, reason: refused };
  const early = timeToUse(level, rates, p, drift, Z90);
  const late = timeToUse(level, rates, p, drift, -Z90);
  return { ok: true, estimate: { at: Math.round(from + mid * DAY), p10: Math.round(from + early * DAY), p90: Number.isFinite(late) ? Math.round(from + late * DAY) : null, days: mid } };
}

export function forecast(usage: Usage, options: ForecastOptions): Forecast {
  const clock = localClock(options.timeZone);
  const levels = usage.walk.levels;
  const last = levels[levels.length - 1];
  const current = usage.walk.current;
  const today = clock(options.now).date;
  const complete = usage.days.filter((d) => d.complete && d.date < today);
  const window = options.windowDays ?? 14;
  const refuse = (reason: string): Forecast => ({ method: null, basis: reason, percentPerDay: null, reorderBy: { ok: false, reason }, emptyBy: { ok: false, reason }, projection: [] });
  const refusal = forecastRefusal({ now: options.now, lastReadingAt: last?.at ?? null, completeDays: complete.length });
  if (refusal !== null || last === undefined || current === null) return refuse(refusal ?? 'no readings yet');
  const history = complete.slice(-56);
  const recent = complete.slice(-window);
  const projection =
    (options.outdoor !== undefined && options.outdoor.length > 0 ? degreeDayProjection(history, options.outdoor, clock) : null) ?? medianProjection(recent, history);
  const weekAhead = Array.from({ length: 7 }, (_, d) => projection.rateOn(clock(last.at + d * DAY).weekday)).reduce((a, b) => a + b, 0) / 7;
  if (!(weekAhead > 0)) return refuse(`no use measured in the last ${recent.length} days`);
  const drift = options.drift ?? 0.05;
  const rates = hourlyRates(last.at, projection, clock);
  const basis = `from ${complete.length} days of use: ${projection.basis}`;
  const reorderBy: Outcome =
    current.percent <= options.reorderPercent
      ? { ok: true, estimate: { at: last.at, p10: last.at, p90: last.at, days: 0 } }
      : estimate(current.percent - options.reorderPercent, last.at, projection, drift, rates);
  const emptyBy = estimate(current.percent, last.at, projection, drift, rates);
  const curve = projectLevels({ from: last.at, level: current.percent, rates, sigma: projection.sigma, relative: projection.rateError ** 2 + drift ** 2, z: Z90, hours: MAX_HORIZON_DAYS * 24 });
  return { method: projection.method, basis, percentPerDay: weekAhead, reorderBy, emptyBy, projection: curve };
}
