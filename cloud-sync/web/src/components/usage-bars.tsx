/** Daily usage as bars (SVG, so it scales and prints); a refill day is marked. */
import type { JSX } from 'preact';
import type { AnalyticsDay } from '../api/types.js';
import { useApp } from '../context.js';

export function UsageBars(props: { days: readonly AnalyticsDay[]; litres: boolean }): JSX.Element {
  const { formats } = useApp();
  const value = (d: AnalyticsDay) => (props.litres ? d.litresUsed : d.percentUsed) ?? 0;
  const max = Math.max(0.001, ...props.days.map(value));
  const w = 1000;
  const h = 160;
  const bottom = 0;
  const step = w / Math.max(1, props.days.length);
  const labelEvery = Math.ceil(props.days.length / 5);
  const unit = props.litres ? 'litres' : 'points';
  const total = props.days.reduce((n, d) => n + value(d), 0);
  return (
    <figure class="spaced" aria-label={`Daily usage in ${unit}`}>
      <svg class="bars" viewBox={`0 0 ${w} ${h}`} preserveAspectRatio="none" role="img" aria-label={`Daily usage over ${props.days.length} days: ${formats.number(total)} ${unit} in total`}>
        {props.days.map((d, i) => {
          const barH = ((h - bottom - 6) * value(d)) / max;
          return (
            <g key={d.date}>
              <rect class={d.refills > 0 ? 'refill' : 'bar'} x={i * step + step * 0.15} y={h - bottom - barH} width={step * 0.7} height={Math.max(0, barH)}>
                <title>
                  {formats.dayLabel(d.date)}: {d.samples === 0 ? 'no data' : props.litres ? formats.litres(value(d)) : `${formats.number(value(d))} points`}
                  {d.refills > 0 ? ' · refilled' : ''}
                </title>
              </rect>
            </g>
          );
        })}
      </svg>
      <div class="bar-labels small muted" aria-hidden="true">
        {props.days.filter((_, i) => i % labelEvery === 0).map((d) => (
          <span key={d.date}>{formats.dayLabel(d.date)}</span>
        ))}
      </div>
      <figcaption class="small muted">
        Use per day ({props.litres ? 'litres' : 'percentage points'}); orange bars are days with a refill. Total {props.litres ? formats.litres(total) : `${formats.number(total)} points`}.
      </figcaption>
    </figure>
  );
}
