/** A ring gauge of a tank's level in percent; grey and empty when the number is not to be trusted. */
import type { JSX } from 'preact';

const R = 42;
const C = 2 * Math.PI * R;

export function Gauge(props: { percent: number | null; tone: 'normal' | 'low' | 'critical' | 'old'; label: string; text: string }): JSX.Element {
  const p = props.percent === null ? 0 : Math.max(0, Math.min(100, props.percent));
  return (
    <svg class="gauge" width="112" height="112" viewBox="0 0 112 112" role="img" aria-label={props.label}>
      <circle class="gauge-track" cx="56" cy="56" r={R} fill="none" stroke-width="12" />
      {props.percent !== null && (
        <circle
          class={`gauge-fill ${props.tone === 'normal' ? '' : props.tone}`}
          cx="56"
          cy="56"
          r={R}
          fill="none"
          stroke-width="12"
          stroke-linecap="round"
          stroke-dasharray={`${(p / 100) * C} ${C}`}
          transform="rotate(-90 56 56)"
        />
      )}
      <text x="56" y="62" text-anchor="middle" font-size={props.text.length > 4 ? '17' : '22'}>
        {props.text}
      </text>
    </svg>
  );
}
