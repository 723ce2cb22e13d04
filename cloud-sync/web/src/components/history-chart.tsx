/**
 * The history chart: the bucket min–max band, the average line, gaps where the sensor
 * was silent (nulls, never joined), and markers for refills and events on the time
 * axis; with a forecast (tank page), its P10–P90 band, the expected level and the
 * reorder level as a horizontal line. uPlot draws on a canvas; the text summary and
 * legend under it say the same in words.
 */
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { ChartData, Marker } from '../logic/chart-data.js';
import type { ForecastSeries } from '../logic/forecast-chart.js';

const MARKER_COLOURS: Readonly<Record<Marker['kind'], string>> = {
  refill: '#c77700',
  alarm: '#b3261e',
  fault: '#7a4100',
  offline: '#5b6876',
  cleared: '#13703a',
};

/** The forecast's colours, shared with the page's legend swatches (app.css .legend-forecast-*). */
const FORECAST = { band: 'rgba(122,66,185,0.16)', edge: 'rgba(122,66,185,0.45)', line: '#7a42b9', reorder: '#4b5866' };

export function HistoryChart(props: {
  data: ChartData & { readonly forecast?: ForecastSeries | null };
  markers: readonly Marker[];
  label: string;
  format: (v: number) => string;
  /** Axis labels for times (epoch ms), in the user's locale and zone. */
  formatTime: (at: number) => string;
}): JSX.Element {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const markers = useRef(props.markers);
  markers.current = props.markers;

  useEffect(() => {
    const el = box.current;
    if (el === null) return;
    const started = performance.now();
    let first = true;
    const forecast = props.data.forecast ?? null;
    const forecastSeries: uPlot.Series[] =
      forecast === null
        ? []
        : [
            { label: 'forecast P10', stroke: FORECAST.edge, width: 1, spanGaps: false, points: { show: false } },
            { label: 'forecast P90', stroke: FORECAST.edge, width: 1, spanGaps: false, points: { show: false } },
            { label: 'forecast', stroke: FORECAST.line, width: 2, dash: [8, 5], spanGaps: false, points: { show: false }, value: (_u, v) => (v === null ? '—' : props.format(v)) },
          ];
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height: 320,
      // A forecast is in percent and runs down to empty: the whole tank is the y range.
      scales: { x: { time: true }, ...(forecast === null ? {} : { y: { range: [0, 100] as uPlot.Range.MinMax } }) },
      series: [
        {},
        { label: 'min', stroke: 'rgba(11,110,128,0.35)', width: 1, spanGaps: false, points: { show: false } },
        { label: 'max', stroke: 'rgba(11,110,128,0.35)', width: 1, spanGaps: false, points: { show: false } },
        { label: 'average', stroke: '#0b6e80', width: 2, spanGaps: false, points: { show: false }, value: (_u, v) => (v === null ? '—' : props.format(v)) },
        ...forecastSeries,
      ],
      bands: [{ series: [2, 1], fill: 'rgba(11,110,128,0.14)' }, ...(forecast === null ? [] : [{ series: [5, 4] as [number, number], fill: FORECAST.band }])],
      axes: [
        { stroke: '#4b5866', grid: { stroke: '#e6eaee' }, values: (_u, ticks) => ticks.map((t) => props.formatTime(t * 1000)) },
        { stroke: '#4b5866', grid: { stroke: '#e6eaee' }, size: 60, values: (_u, ticks) => ticks.map((t) => props.format(t)) },
      ],
      // The page's own legend and summary say what the lines are; the cursor still shows its point.
      legend: { show: false },
      cursor: { drag: { x: false, y: false } },
      hooks: {
        draw: [
          (u) => {
            if (forecast !== null) drawReorderLine(u, forecast.reorderPercent);
            drawMarkers(u, markers.current);
            if (first) {
              first = false;
              // How long the first draw took: the benchmark reads it.
              el.dataset.drawMs = (performance.now() - started).toFixed(1);
            }
          },
        ],
      },
    };
    const series = [props.data.x, props.data.min, props.data.max, props.data.avg, ...(forecast === null ? [] : [forecast.p10, forecast.p90, forecast.p50])];
    const chart = new uPlot(opts, series as uPlot.AlignedData, el);
    plot.current = chart;
    const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(280, el.clientWidth), height: 320 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      chart.destroy();
      plot.current = null;
    };
    // The chart is rebuilt when the data changes (a new range or new readings).
  }, [props.data, props.format, props.formatTime]);

  return (
    <div
      ref={box}
      class="chart"
      role="img"
      aria-label={props.label}
      data-testid="history-chart"
      data-points={props.data.x.length}
      data-forecast-points={props.data.forecast?.points ?? 0}
    />
  );
}

function drawMarkers(u: uPlot, markers: readonly Marker[]): void {
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  const [min, max] = [u.scales.x?.min ?? 0, u.scales.x?.max ?? 0];
  ctx.save();
  ctx.lineWidth = 2 * devicePixelRatio;
  for (const m of markers) {
    const at = m.at / 1000;
    if (at < min || at > max) continue;
    const x = Math.round(u.valToPos(at, 'x', true));
    ctx.strokeStyle = MARKER_COLOURS[m.kind];
    ctx.setLineDash(m.kind === 'refill' ? [] : [6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
    ctx.stroke();
  }
  ctx.restore();
}

/** The reorder level as a dashed horizontal line across the plot, labelled at its right end. */
function drawReorderLine(u: uPlot, percent: number): void {
  const ctx = u.ctx;
  const { left, width } = u.bbox;
  const y = Math.round(u.valToPos(percent, 'y', true));
  ctx.save();
  ctx.strokeStyle = FORECAST.reorder;
  ctx.lineWidth = 1.5 * devicePixelRatio;
  ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio]);
  ctx.beginPath();
  ctx.moveTo(left, y);
  ctx.lineTo(left + width, y);
  ctx.stroke();
  ctx.fillStyle = FORECAST.reorder;
  ctx.font = `${12 * devicePixelRatio}px sans-serif`;
  ctx.textAlign = 'right';
  ctx.fillText(`reorder at ${Math.round(percent)} %`, left + width - 4 * devicePixelRatio, y - 4 * devicePixelRatio);
  ctx.restore();
}

export { MARKER_COLOURS };
