/** A tank-level sensor: gauge in % and litres, freshness, health, usage today and over 7 days, days to empty. */
import type { JSX } from 'preact';
import type { Analytics, Latest, Sensor } from '../api/types.js';
import { useApp } from '../context.js';
import type { ActiveAlarm } from '../logic/alarms.js';
import { sensorDisplay, type GatewayFreshness } from '../logic/freshness.js';
import { sensorPath } from '../router.js';
import { Gauge } from './gauge.js';
import { healthPill, ReadingTime } from './sensor-reading.js';
import { Link } from './ui.js';

export function TankCard(props: { sensor: Sensor; latest: Latest | undefined; analytics: Analytics | undefined; gateway: GatewayFreshness; alarm: ActiveAlarm | undefined }): JSX.Element {
  const { formats, now } = useApp();
  const name = props.sensor.name ?? props.sensor.sensorId;
  const display = sensorDisplay(props.sensor, props.latest?.reading ?? null, props.gateway, now());
  const reading = display.kind === 'current' || display.kind === 'old' ? display.reading : undefined;
  const percent = reading?.percent ?? reading?.value ?? null;
  const tone = display.kind === 'old' ? 'old' : props.alarm?.severity === 'critical' ? 'critical' : props.alarm !== undefined ? 'low' : 'normal';
  const gaugeText = percent === null ? '—' : formats.percent(percent);
  const label =
    percent === null ? `${name}: no current level (${display.kind === 'state' ? display.words : 'no reading'})` : `${name}: ${gaugeText}${display.kind === 'old' ? ', old reading' : ''}`;
  const today = props.analytics?.days.at(-1);
  const week = props.analytics?.days.slice(-7) ?? [];
  const sum = (key: 'litresUsed' | 'percentUsed') => week.reduce((n, d) => n + (d[key] ?? 0), 0);
  const litresKnown = week.length > 0 && week.every((d) => d.samples === 0 || d.litresUsed !== null);
  const used = (litres: number | null, percentUsed: number | null) =>
    litres !== null ? formats.litres(litres) : percentUsed !== null ? `${formats.number(percentUsed)} points` : 'no data';

  return (
    <article class={`card ${props.alarm?.severity === 'critical' ? 'tile alarm' : props.alarm !== undefined ? 'tile warn' : ''}`} data-testid="tank-card">
      <div class="card-head">
        <h3>
          <Link href={sensorPath(props.sensor.id)}>{name}</Link>
        </h3>
        {healthPill(props.sensor.health, display)}
      </div>
      <div class="tank">
        <Gauge percent={percent} tone={tone} label={label} text={gaugeText} />
        <div class="tank-figures">
          {reading !== undefined ? (
            <>
              <p class="big">{reading.litres !== null ? formats.litres(reading.litres) : formats.percent(percent ?? 0)}</p>
              <p class="muted small">{reading.litres !== null ? `${formats.percent(percent ?? 0)} full` : 'litres unknown: no tank size in the config'}</p>
            </>
          ) : (
            <p class="big muted" aria-hidden="true">
              —
            </p>
          )}
        </div>
      </div>
      <ReadingTime display={display} />
      {props.analytics !== undefined && (
        <dl class="kv spaced">
          <dt>Used today</dt>
          <dd>{today === undefined || today.samples === 0 ? 'no data yet' : `${used(today.litresUsed, today.percentUsed)} so far`}</dd>
          <dt>Last 7 days</dt>
          <dd>{week.every((d) => d.samples === 0) ? 'no data yet' : used(litresKnown ? sum('litresUsed') : null, sum('percentUsed'))}</dd>
          <dt>Empty</dt>
          <dd>
            <EmptyBy analytics={props.analytics} />
          </dd>
        </dl>
      )}
    </article>
  );
}

function EmptyBy(props: { analytics: Analytics }): JSX.Element {
  const { formats } = useApp();
  const a = props.analytics;
  if (a.rate.basisDays < 1) return <span class="muted">needs a day of readings</span>;
  if (a.daysToEmpty === null || a.emptyAt === null) return <span class="muted">not falling lately</span>;
  const rate = a.rate.litresPerDay !== null ? `${formats.litres(a.rate.litresPerDay)}/day` : `${formats.number(a.rate.percentPerDay ?? 0)} points/day`;
  return (
    <span>
      in {formats.number(a.daysToEmpty, 0)} days, {formats.date(a.emptyAt)}
      <span class="small muted basis">
        at {rate}, over the last {formats.number(Math.min(7, a.rate.basisDays), 0)} days
      </span>
    </span>
  );
}
