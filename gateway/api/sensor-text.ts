/**
 * A sensor's reading in words for people (the CLI and the status page share it):
 * rounded for humans, a bound said as a bound, and a sensor that is not ok shown by
 * its state, with its last good value only as such:
 * "disconnected since 20:01 (last 20.1 % at 19:58)". Full precision stays in --json.
 */
import type { SensorView, ValueView } from './status-view.js';

export const HEALTH_WORDS: Readonly<Record<string, string>> = {
  ok: 'ok',
  warming_up: 'warming up',
  stale: 'not reporting',
  disconnected: 'disconnected',
  out_of_range: 'out of range',
  stuck: 'stuck',
  noisy: 'noisy',
};

/** A fixed number of decimals, never "-0.0". */
export function rounded(value: number, digits: number): string {
  if (!Number.isFinite(value)) return '—';
  const text = value.toFixed(digits);
  return Number(text) === 0 ? (0).toFixed(digits) : text;
}

/** A raw value without float noise: 6 significant digits ("1.59713", "1500"), never "1.5971250000000001". */
export function significant(value: number, digits = 6): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(digits))) : '—';
}

/** "19:58" on the day of `now` (local time), else "2026-12-06 19:58". */
export function clockTime(ms: number, now: number): string {
  const d = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const today = new Date(now);
  const sameDay = d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate();
  return sameDay ? hm : `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

/** One value in its unit: "20.1 % (17 L)", "12.3 %LEL (2300 ppm)", "> 100.0 %LEL (above the sensor's range)". */
export function valueText(kind: string, v: ValueView): string {
  if (kind === 'leak') return v.value >= 0.5 ? 'WET' : 'dry';
  if (kind === 'level') {
    const percent = rounded(v.percent ?? v.value, 1);
    if (v.overRange === true) return `≥ ${percent} % (full or over-full)`;
    return `${percent} %${v.litres !== undefined ? ` (${rounded(v.litres, 0)} L)` : ''}`;
  }
  if (kind === 'gas') {
    if (v.overRange === true) return `> ${rounded(v.value, 1)} %LEL (above the sensor's range)`;
    return `${rounded(v.value, 1)} %LEL${v.ppm !== undefined ? ` (${rounded(v.ppm, 0)} ppm)` : ''}`;
  }
  return `${rounded(v.value, 1)} ${v.unit}`.trim();
}

/** The reading column: the value while ok, else the state, since when, and the last good value. */
export function readingText(s: SensorView, now: number): string {
  if (s.health === 'ok' && s.value !== undefined && s.unit !== undefined && s.at !== undefined) {
    return valueText(s.kind, { ...s, value: s.value, unit: s.unit, at: s.at });
  }
  const words = HEALTH_WORDS[s.health] ?? s.health;
  const since = s.since !== undefined ? ` since ${clockTime(s.since, now)}` : '';
  const last = s.last !== undefined ? `last ${valueText(s.kind, s.last)} at ${clockTime(s.last.at, now)}` : 'no good reading yet';
  return `${words}${since} (${last})`;
}
