/**
 * History points → what uPlot draws: seconds on x, and min / avg / max series with
 * a null wherever the sensor was silent, so the chart shows a gap and never a line
 * across an outage. A gap is more than three typical spacings (or two buckets)
 * between points: a sensor read every 5 minutes is not "out" between its readings
 * on a 1-minute grid, but a gateway that was off for an hour is.
 */
import type { HistoryPoint } from '../api/types.js';

export interface ChartData {
  /** Epoch seconds (uPlot's x unit). */
  readonly x: number[];
  readonly min: (number | null)[];
  readonly avg: (number | null)[];
  readonly max: (number | null)[];
  /** Where each gap begins and ends (epoch ms), for the legend and tests. */
  readonly gaps: readonly { readonly from: number; readonly to: number }[];
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export function gapThreshold(points: readonly HistoryPoint[], bucketMs: number): number {
  const spacings: number[] = [];
  for (let i = 1; i < points.length; i++) spacings.push((points[i]?.at ?? 0) - (points[i - 1]?.at ?? 0));
  return Math.max(2 * bucketMs, 3 * median(spacings));
}

export function shapeHistory(points: readonly HistoryPoint[], bucketMs: number): ChartData {
  const data = { x: [] as number[], min: [] as (number | null)[], avg: [] as (number | null)[], max: [] as (number | null)[], gaps: [] as { from: number; to: number }[] };
  const threshold = gapThreshold(points, bucketMs);
  let previous: HistoryPoint | undefined;
  for (const p of points) {
    if (previous !== undefined && p.at - previous.at > threshold) {
      // One null point just after the last bucket breaks every series there.
      data.x.push((previous.at + bucketMs) / 1000);
      data.min.push(null);
      data.avg.push(null);
      data.max.push(null);
      data.gaps.push({ from: previous.at + bucketMs, to: p.at });
    }
    data.x.push(p.at / 1000);
    data.min.push(p.min);
    data.avg.push(p.avg);
    data.max.push(p.max);
    previous = p;
  }
  return data;
}

export interface Marker {
  readonly at: number;
  readonly kind: 'refill' | 'alarm' | 'fault' | 'offline' | 'cleared';
  readonly label: string;
}

/** Refills and the sensor's (and its gateway's presence) events inside [from, to). */
export function markersIn(
  from: number,
  to: number,
  refills: readonly { readonly at: number; readonly fromPercent: number; readonly toPercent: number }[],
  events: readonly { readonly at: number; readonly type: string; readonly state: string | null; readonly message: string }[],
  percent: (v: number) => string,
): Marker[] {
  const out: Marker[] = [];
  for (const r of refills) if (r.at >= from && r.at < to) out.push({ at: r.at, kind: 'refill', label: `Refill: ${percent(r.fromPercent)} → ${percent(r.toPercent)}` });
  for (const e of events) {
    if (e.at < from || e.at >= to) continue;
    const kind: Marker['kind'] =
      e.type === 'device_offline' ? 'offline' : e.state === 'cleared' || e.type === 'device_online' ? 'cleared' : e.type === 'sensor_fault' ? 'fault' : 'alarm';
    out.push({ at: e.at, kind, label: e.message });
  }
  return out.sort((a, b) => a.at - b.at);
}
