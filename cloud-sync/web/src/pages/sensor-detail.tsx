/** One sensor: its current state, the history chart over a chosen range, daily usage, and the CSV of the range. */
import type { JSX } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { HistoryChart, MARKER_COLOURS } from '../components/history-chart.js';
import { healthPill, ReadingTime } from '../components/sensor-reading.js';
import { UsageBars } from '../components/usage-bars.js';
import { EmptyState, FailureNotice, Link, Loading } from '../components/ui.js';
import type { HouseState } from '../components/use-house-state.js';
import { useApp, usePageName } from '../context.js';
import { useNow, useStore } from '../data/hooks.js';
import { markersIn, shapeHistory } from '../logic/chart-data.js';
import { csvFileName, historyCsv } from '../logic/csv.js';
import { sensorDisplay } from '../logic/freshness.js';
import { customRange, presetRange, RANGES, usageDaysFor, type ChartRange, type RangeName } from '../logic/ranges.js';
import { freshnessOf } from './home.js';

const toLocalInput = (at: number) => {
  const d = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

export function SensorDetailPage(props: { id: string; house: HouseState }): JSX.Element {
  const app = useApp();
  const { data, formats } = app;
  const now = useNow(30_000, app.now);
  const [rangeName, setRangeName] = useState<RangeName>('24h');
  const [custom, setCustom] = useState<{ from: string; to: string; error?: string; range?: ChartRange }>({ from: toLocalInput(now - 3 * 86_400_000), to: toLocalInput(now) });
  const sensor = props.house.sensors.data?.find((s) => s.id === props.id);
  usePageName(sensor?.name ?? 'Sensor');
  const range: ChartRange = rangeName === 'custom' && custom.range !== undefined ? custom.range : presetRange(rangeName === 'custom' ? '24h' : rangeName, now);
  const history = useStore(data.history.get(`${props.id}|${range.from}|${range.to}|${range.bucket}`));
  const latest = useStore(data.latest.get(props.id));
  const device = props.house.devices.data?.find((d) => d.id === sensor?.gatewayId);
  const status = useStore(data.status.get(sensor?.gatewayId ?? ''));
  const events = useStore(data.events.get(sensor?.gatewayId ?? ''));
  const isLevel = sensor?.kind === 'level';
  const usageDays = usageDaysFor(range, now);
  const analytics = useStore(data.analytics.get(`${isLevel ? props.id : ''}|${usageDays}`));
  const points = history.data?.points;
  const chart = useMemo(() => shapeHistory(points ?? [], range.bucketMs), [points, range.bucketMs]);
  const unit = history.data?.unit ?? sensor?.unit ?? '';
  const format = useMemo(() => (v: number) => formats.quantity(v, unit), [formats, unit]);
  const span = range.to - range.from;
  const formatTime = useMemo(() => (at: number) => (span <= 36 * 3_600_000 ? formats.time(at) : formats.shortDate(at)), [formats, span]);

  if (props.house.sensors.data === undefined) return <Loading what="the sensor" />;
  if (sensor === undefined) {
    return (
      <EmptyState title="No such sensor" action={<Link class="button primary" href="/">Go home</Link>}>
        It may belong to a gateway that was deleted.
      </EmptyState>
    );
  }
  const name = sensor.name ?? sensor.sensorId;
  const display = sensorDisplay(sensor, latest.data?.reading ?? null, freshnessOf(device, status.data), now);
  const sensorEvents = (events.data ?? []).filter((e) => e.sensorId === sensor.id || e.type === 'device_offline' || e.type === 'device_online');
  const markers = markersIn(range.from, range.to, isLevel ? (analytics.data?.refills ?? []) : [], sensorEvents, (v) => formats.percent(v));
  const avgs = (points ?? []).map((p) => p.avg);
  const summary =
    points === undefined || points.length === 0
      ? `No readings between ${formats.dateTime(range.from, now)} and ${formats.dateTime(range.to, now)}`
      : `From ${formats.dateTime(range.from, now)} to ${formats.dateTime(range.to, now)}: lowest ${format(Math.min(...points.map((p) => p.min)))}, highest ${format(Math.max(...points.map((p) => p.max)))}, average ${format(avgs.reduce((a, b) => a + b, 0) / avgs.length)}${chart.gaps.length > 0 ? `; ${chart.gaps.length} gap${chart.gaps.length > 1 ? 's' : ''} with no data` : ''}.`;

  const download = () => {
    if (points === undefined) return;
    const blob = new Blob([historyCsv(points, unit, formats.timeZone)], { type: 'text/csv' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = csvFileName(name, range.from, range.to);
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  };
  const applyCustom = (e: Event) => {
    e.preventDefault();
    const r = customRange(new Date(custom.from).getTime(), new Date(custom.to).getTime());
    if ('error' in r) setCustom({ ...custom, error: r.error });
    else {
      setCustom({ from: custom.from, to: custom.to, range: r });
      setRangeName('custom');
    }
  };

  return (
    <>
      <div class="page-head">
        <div>
          <p class="small muted">
            <Link href="/">Home</Link> › {device?.name ?? 'gateway'}
          </p>
          <h1>{name}</h1>
        </div>
        {healthPill(sensor.health, display)}
      </div>
      <section class="card">
        {display.kind === 'current' || display.kind === 'old' ? (
          <p class="big">
            {display.reading.litres !== null && sensor.kind === 'level' ? `${formats.litres(display.reading.litres)} · ` : ''}
            {formats.quantity(display.reading.value, display.reading.unit)}
          </p>
        ) : null}
        <ReadingTime display={display} />
      </section>

      <section class="section card" aria-labelledby="history-title">
        <div class="row">
          <h2 id="history-title">History</h2>
          <div class="ranges" role="group" aria-label="Range">
            {RANGES.map((r) => (
              <button key={r.name} type="button" aria-pressed={rangeName === r.name} onClick={() => setRangeName(r.name)}>
                {r.label}
              </button>
            ))}
            <button type="button" aria-pressed={rangeName === 'custom'} onClick={() => setRangeName('custom')}>
              Custom
            </button>
          </div>
        </div>
        {rangeName === 'custom' && (
          <form class="filters spaced" onSubmit={applyCustom}>
            <div class="field">
              <label for="from">From</label>
              <input id="from" type="datetime-local" value={custom.from} onInput={(e) => setCustom({ ...custom, from: e.currentTarget.value })} />
            </div>
            <div class="field">
              <label for="to">To</label>
              <input id="to" type="datetime-local" value={custom.to} onInput={(e) => setCustom({ ...custom, to: e.currentTarget.value })} />
            </div>
            <button type="submit">Show</button>
            {custom.error !== undefined && (
              <p class="error" role="alert">
                {custom.error}
              </p>
            )}
          </form>
        )}
        {history.error !== undefined && <FailureNotice failure={history.error} retry={() => void data.history.get(`${props.id}|${range.from}|${range.to}|${range.bucket}`).refresh()} />}
        {history.data === undefined ? (
          history.error === undefined && <Loading what="the history" />
        ) : (
          <>
            <HistoryChart data={chart} markers={markers} label={summary} format={format} formatTime={formatTime} />
            <div class="chart-legend">
              <span>
                <span class="swatch legend-band" />
                lowest–highest per {formats.duration(range.bucketMs).replace(/^1 /, '')}
              </span>
              <span>
                <span class="swatch legend-avg" />
                average
              </span>
              <span>Gaps: no data (the gateway or sensor was off)</span>
            </div>
            <p class="small spaced">{summary}</p>
            {markers.length > 0 && (
              <ul class="markers" aria-label="Marked on the chart">
                {markers.slice(-12).map((m) => (
                  <li key={`${m.at}-${m.kind}`}>
                    <span class="swatch" data-kind={m.kind} title={MARKER_COLOURS[m.kind]} /> {formats.dateTime(m.at, now)} — {m.label}
                  </li>
                ))}
              </ul>
            )}
            <div class="actions spaced">
              <button type="button" onClick={download} disabled={points === undefined || points.length === 0}>
                Download CSV of this range
              </button>
              <Link href="/rules">Alert rules</Link>
            </div>
          </>
        )}
      </section>

      {isLevel && (
        <section class="section card" aria-labelledby="usage-title">
          <h2 id="usage-title">Daily usage</h2>
          {analytics.error !== undefined && <FailureNotice failure={analytics.error} />}
          {analytics.data === undefined ? (
            analytics.error === undefined && <Loading what="usage" />
          ) : (
            <UsageBars days={analytics.data.days} litres={analytics.data.days.some((d) => d.litresUsed !== null)} />
          )}
        </section>
      )}
    </>
  );
}
