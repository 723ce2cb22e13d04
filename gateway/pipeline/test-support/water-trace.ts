/**
 * A deterministic household water-tank trace for the leak watch's tests: a
 * 2,000 L tank 1.5 m tall (13.3 L per cm), read every 30 s by an ultrasonic
 * sensor with ±1 cm of uniform noise, drawn from in bursts (showers, flushes,
 * laundry, dishes) the way a family uses water, with an optional steady leak,
 * night-time flushes, refills, gaps and faults.
 */
import { seededRandom } from '../../../hardware/sim/random.js';

export const TANK_LITRES = 2000;
const LITRES_PER_CM = TANK_LITRES / 150;
const HOUR = 3_600_000;
const STEP_MS = 30_000;

/** One draw: `litres` taken evenly over `minutes`, starting `hour` hours after local midnight. */
export interface Draw {
  readonly hour: number;
  readonly litres: number;
  readonly minutes: number;
}

/** A family's day in bursts: about 420 L, nothing between 23:00 and 06:00. */
export const FAMILY_DAY: readonly Draw[] = [
  { hour: 6.5, litres: 60, minutes: 8 },
  { hour: 6.75, litres: 9, minutes: 1 },
  { hour: 7.0, litres: 60, minutes: 8 },
  { hour: 7.5, litres: 10, minutes: 2 },
  { hour: 8.0, litres: 9, minutes: 1 },
  { hour: 10.2, litres: 9, minutes: 1 },
  { hour: 12.3, litres: 15, minutes: 3 },
  { hour: 13.1, litres: 9, minutes: 1 },
  { hour: 15.4, litres: 9, minutes: 1 },
  { hour: 17.6, litres: 9, minutes: 1 },
  { hour: 18.0, litres: 50, minutes: 10 },
  { hour: 18.5, litres: 15, minutes: 3 },
  { hour: 19.0, litres: 15, minutes: 3 },
  { hour: 19.2, litres: 9, minutes: 1 },
  { hour: 20.0, litres: 20, minutes: 5 },
  { hour: 21.0, litres: 9, minutes: 1 },
  { hour: 22.5, litres: 9, minutes: 1 },
];

export interface TraceOptions {
  /** UTC midnight of day 0; the trace's local time is UTC. */
  readonly startMs: number;
  readonly hours: number;
  /** The trace starts this many hours after startMs. Default 0. */
  readonly fromHour?: number;
  readonly initialLitres?: number;
  readonly days?: readonly Draw[];
  /** Extra draws, in hours from startMs (a flush at 03:10 on night 1 is 27.17). */
  readonly extra?: readonly Draw[];
  /** A steady leak from `fromHour` (hours from startMs) on. */
  readonly leak?: { readonly litresPerHour: number; readonly fromHour: number };
  /** Refills in hours from startMs: the tank rises by `litres` over `minutes`. */
  readonly refills?: readonly Draw[];
  /** No reading at all in [from, to) hours from startMs. */
  readonly gaps?: readonly { readonly from: number; readonly to: number }[];
  /** Readings in [from, to) are untrusted (a fault). */
  readonly faults?: readonly { readonly from: number; readonly to: number }[];
  readonly noiseCm?: number;
  readonly seed?: number;
}

export interface TracePoint {
  readonly at: number;
  readonly trusted: boolean;
  readonly litres: number;
  readonly percent: number;
  /** The true litres, without noise. */
  readonly truth: number;
}

/** Litres taken by `draw` (placed at `offsetHours`) up to `hour`. */
function drawn(draw: Draw, offsetHours: number, hour: number): number {
  const start = offsetHours + draw.hour;
  const length = draw.minutes / 60;
  if (hour <= start) return 0;
  return draw.litres * Math.min(1, (hour - start) / length);
}

export function waterTrace(options: TraceOptions): TracePoint[] {
  const random = seededRandom(options.seed ?? 7);
  const noiseCm = options.noiseCm ?? 1;
  const days = options.days ?? FAMILY_DAY;
  const points: TracePoint[] = [];
  const steps = Math.round((options.hours * HOUR) / STEP_MS);
  const first = Math.round(((options.fromHour ?? 0) * HOUR) / STEP_MS);
  const inside = (h: number, spans: readonly { from: number; to: number }[] | undefined): boolean =>
    (spans ?? []).some((s) => h >= s.from && h < s.to);
  for (let i = first; i <= first + steps; i++) {
    const hour = (i * STEP_MS) / HOUR;
    let litres = options.initialLitres ?? 1800;
    for (let day = 0; day * 24 <= hour; day++) for (const d of days) litres -= drawn(d, day * 24, hour);
    for (const d of options.extra ?? []) litres -= drawn(d, 0, hour);
    for (const r of options.refills ?? []) litres += drawn(r, 0, hour);
    if (options.leak !== undefined) litres -= options.leak.litresPerHour * Math.max(0, hour - options.leak.fromHour);
    const truth = Math.max(0, Math.min(TANK_LITRES, litres));
    const noise = (random.next() * 2 - 1) * noiseCm * LITRES_PER_CM;
    if (inside(hour, options.gaps)) continue;
    const read = truth + noise;
    points.push({ at: options.startMs + i * STEP_MS, trusted: !inside(hour, options.faults), litres: read, percent: (100 * read) / TANK_LITRES, truth });
  }
  return points;
}
