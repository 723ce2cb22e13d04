/**
 * The linked sensor's level over the last 30 days (the history chart: band, average,
 * gaps), with the tank's deliveries and anomalies marked on the time axis, and the
 * forecast after it: the P10–P90 band, the expected level and the reorder level —
 * only when the analytics gives a forecast (else its reason stands above the chart)
 * and the sensor reports percent, the forecast's unit. Loaded on demand with uPlot.
 */
import { deliveryWords } from '../logic/delivery-words.js';
import type { JSX } from 'preact';
import { useMemo } from 'preact/hooks';
import type { TankAnalytics } from '../api/types.js';
import { useApp } from '../context.js';
import { useNow, useStore } from '../data/hooks.js';
import { shapeHistory, type Marker } from '../logic/chart-data.js';
import { withForecast } from '../logic/forecast-chart.js';
import { presetRange } from '../logic/ranges.js';
import { HistoryChart } from './history-chart.js';
import { FailureNotice, Loading } from './ui.js';

export function TankLevelChart(props: { sensorId: string; analytics: TankAnalytics; reorderPercent: number }): JSX.Element {
  const app = useApp();
  const { formats } = app;
  const now = useNow(300_000, app.now);
  const range = presetRange('30d', now);
  const store = app.data.history.get(`${props.sensorId}|${range.from}|${range.to}|${range.bucket}`);
  const history = useStore(store);
  const points = history.data?.points;
  const a = props.analytics;
  const percent = history.data?.unit === '%';
  const chart = useMemo(
    () => withForecast(shapeHistory(points ?? [], range.bucketMs), percent ? a.forecast.projection : [], props.reorderPercent),
    [points, range.bucketMs, percent, a.forecast.projection, props.reorderPercent],
  );
  const markers = useMemo<Marker[]>(
    () =>
      [
        ...a.deliveries.map((d): Marker => ({ at: d.at, kind: 'refill', label: `Delivery: ${deliveryWords(d, formats)}` })),
        ...a.anomalies.map((x): Marker => ({ at: x.at, kind: x.severity === 'critical' ? 'alarm' : 'fault', label: x.seen })),
      ]
        .filter((m) => m.at >= range.from && m.at < range.to)
        .sort((p, q) => p.at - q.at),
    [a, formats, range.from, range.to],
  );
  const label = `Level over 30 days, ${markers.length} deliveries and anomalies marked${chart.forecast === null ? '' : ', then the forecast level with its P10–P90 band'}`;
  if (history.error !== undefined) return <FailureNotice failure={history.error} retry={() => void store.refresh()} context="The level chart" />;
  if (history.data === undefined) return <Loading what="the level chart" />;
  return (
    <>
      <HistoryChart data={chart} markers={markers} label={label} format={(v) => formats.quantity(v, history.data?.unit ?? '%')} formatTime={(at) => formats.shortDate(at)} />
      {chart.forecast !== null && (
        <div class="chart-legend" data-testid="forecast-legend">
          <span>
            <span class="swatch legend-forecast-band" />
            Forecast: 80 % likely range (P10–P90)
          </span>
          <span>
            <span class="swatch legend-forecast-line" />
            Forecast: expected level
          </span>
          <span>
            <span class="swatch legend-reorder" />
            Reorder level ({formats.percent(props.reorderPercent)})
          </span>
        </div>
      )}
      <p class="small muted">
        Lowest–highest per hour and the average; gaps where no reading arrived. Orange: deliveries; red and brown: anomalies.
        {chart.forecast === null ? '' : ' After the last reading, in purple: the forecast, from the same figures as the dates above.'}
      </p>
    </>
  );
}
