/**
 * Heating use against heating degree-days, as fuel dealers forecast: daily use =
 * base + HDD / K, where HDD = max(0, 15.5 °C − the day's mean outdoor
 * temperature) and K (degree-days per percent of the tank) is fitted per tank by
 * least squares. The fit is refused (null) when the days do not span enough
 * weather to tell heating from base use, or when it explains too little.
 */
import type { TemperatureRow } from './level-series.js';
import type { LocalClock } from './local-time.js';

export const HDD_BASE_CELSIUS = 15.5;

export interface DegreeDayFit {
  /** Use per day with no heating, percent. */
  readonly basePercentPerDay: number;
  /** Degree-days per percent of the tank. */
  readonly k: number;
  readonly r2: number;
  /** Residual standard deviation, percent per day. */
  readonly sigma: number;
  readonly days: number;
}

/** Mean outdoor temperature → HDD per local date (dates with at least 12 hourly rows). */
export function degreeDaysByDate(outdoor: readonly TemperatureRow[], clock: LocalClock): Map<string, number> {
  const sums = new Map<string, { sum: number; n: number }>();
  for (const t of outdoor) {
    if (!Number.isFinite(t.at) || !Number.isFinite(t.celsius)) continue;
    const date = clock(t.at).date;
    const s = sums.get(date) ?? { sum: 0, n: 0 };
    s.sum += t.celsius;
    s.n++;
    sums.set(date, s);
  }
  const hdd = new Map<string, number>();
  for (const [date, s] of sums) if (s.n >= 12) hdd.set(date, Math.max(0, HDD_BASE_CELSIUS - s.sum / s.n));
  return hdd;
}

export function fitDegreeDays(days: readonly { readonly hdd: number; readonly percent: number }[]): DegreeDayFit | null {
  const n = days.length;
  if (n < 7) return null;
  const mx = days.reduce((a, d) => a + d.hdd, 0) / n;
  const my = days.reduce((a, d) => a + d.percent, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (const d of days) {
    sxx += (d.hdd - mx) ** 2;
    sxy += (d.hdd - mx) * (d.percent - my);
    syy += (d.percent - my) ** 2;
  }
  // Less than ~2 °C of spread in daily means cannot separate heating from base use.
  if (sxx / n < 4 || syy <= 0) return null;
  const slope = sxy / sxx;
  if (!(slope > 0)) return null;
  const base = Math.max(0, my - slope * mx);
  const r2 = (sxy * sxy) / (sxx * syy);
  if (r2 < 0.3) return null;
  const sse = days.reduce((a, d) => a + (d.percent - (base + slope * d.hdd)) ** 2, 0);
  return { basePercentPerDay: base, k: 1 / slope, r2, sigma: Math.sqrt(sse / Math.max(1, n - 2)), days: n };
}
