/**
 * The forecast joined to the history chart's data: uPlot draws every series on one
 * x array, so the history's times and the projection's are merged in order, each
 * series null where it has no point (history ends where the forecast begins; the
 * forecast is never drawn over the past).
 */
import type { Forecast } from '../api/types.js';
import type { ChartData } from './chart-data.js';

export interface ForecastSeries {
  /** The band's low edge, the expected level, the band's high edge (percent), aligned with ChartData.x. */
  readonly p10: (number | null)[];
  readonly p50: (number | null)[];
  readonly p90: (number | null)[];
  /** The tank's reorder level, percent: drawn as a horizontal line. */
  readonly reorderPercent: number;
  /** Points in the projection (for tests and the page's data attribute). */
  readonly points: number;
}

export interface ChartWithForecast extends ChartData {
  readonly forecast: ForecastSeries | null;
}

export function withForecast(data: ChartData, projection: Forecast['projection'], reorderPercent: number): ChartWithForecast {
  if (projection.length === 0) return { ...data, forecast: null };
  const history = new Map<number, number>();
  data.x.forEach((x, i) => history.set(x, i));
  const future = new Map<number, Forecast['projection'][number]>();
  for (const p of projection) future.set(p.at / 1000, p);
  const x = [...new Set([...data.x, ...future.keys()])].sort((a, b) => a - b);
  const fromHistory = (series: readonly (number | null)[]) => x.map((t) => {
    const i = history.get(t);
    return i === undefined ? null : (series[i] ?? null);
  });
  const fromForecast = (edge: 'p10' | 'p50' | 'p90') => x.map((t) => future.get(t)?.[edge] ?? null);
  // The expected line stops where it reaches empty; the band runs on until its high edge does.
  const emptyAt = projection.find((p) => p.p50 <= 0)?.at;
  const p50 = fromForecast('p50').map((v, i) => (emptyAt !== undefined && (x[i] ?? 0) * 1000 > emptyAt ? null : v));
  return {
    x,
    min: fromHistory(data.min),
    avg: fromHistory(data.avg),
    max: fromHistory(data.max),
    gaps: data.gaps,
    forecast: { p10: fromForecast('p10'), p50, p90: fromForecast('p90'), reorderPercent, points: projection.length },
  };
}
