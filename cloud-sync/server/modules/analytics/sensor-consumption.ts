/**
 * GET /api/sensors/analytics (the seed's endpoint, its answer unchanged): a level
 * sensor's use per calendar day, its recent rate and the day it empties at that
 * rate — read off the same level walk as a tank's analytics (level-series.ts,
 * level-walk.ts), so use, refills, glitches and outages are told apart by one
 * code path. Falls only are use; a refill is listed, never negative use; a fall
 * across an outage is not put on any day.
 */
import { calendarDaysFrom } from '../../services/calendar-days.js';
import type { LevelPoint } from '../../storage/types.js';
import { DAY } from './local-time.js';
import { cleanLevels, type Level } from './level-series.js';
import { walkLevels } from './level-walk.js';

export interface DayUsage {
  /** The calendar day (in the requested time zone), YYYY-MM-DD. */
  readonly date: string;
  /** null when the day has no data. */
  readonly percentUsed: number | null;
  readonly litresUsed: number | null;
  readonly refills: number;
  readonly samples: number;
}

export interface ConsumptionOptions {
  /** Start of the first day (midnight in `timeZone`). */
  readonly firstDay: number;
  readonly days: number;
  /** IANA name; default UTC. */
  readonly timeZone?: string;
  readonly now: number;
  /** The recent rate is measured over this many days. */
  readonly rateWindowDays?: number;
  /** The walk's noise floor. Default 0.5 points. */
  readonly deadbandPercent?: number;
  /** A rise of at least this many points (confirmed by the next hour) is a refill. Default 5. */
  readonly refillPercent?: number;
}

export interface Consumption {
  readonly days: DayUsage[];
  readonly rate: { readonly percentPerDay: number | null; readonly litresPerDay: number | null; readonly basisDays: number };
  readonly current: { readonly at: number; readonly percent: number; readonly litres: number | null } | null;
  readonly daysToEmpty: number | null;
  readonly emptyAt: number | null;
  /** Each refill that began inside the days reported: the hour it rose to, from the hour before. */
  readonly refills: Refill[];
}

export interface Refill {
  readonly at: number;
  readonly fromPercent: number;
  readonly toPercent: number;
}

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** Litres in a fall of `percent` at a level row, from the row's own litres-per-percent (null when it has none). */
function litresOf(percent: number, at: Level | undefined): number | null {
  return at === undefined || at.litres === null || !(at.percent > 0) ? null : (percent * at.litres) / at.percent;
}

export function analyseConsumption(points: readonly LevelPoint[], options: ConsumptionOptions): Consumption {
  const windowDays = options.rateWindowDays ?? 7;
  const walk = walkLevels(cleanLevels(points), { noiseFloorPercent: options.deadbandPercent ?? 0.5, refillPercent: options.refillPercent ?? 5 });
  const levels = walk.levels;
  const index = new Map(levels.map((l, i) => [l.at, i]));

  const calendar = calendarDaysFrom(options.firstDay, options.days, options.timeZone);
  const days = calendar.dates.map((date) => ({ date, percent: 0, litres: 0, litresKnown: true, refills: 0, samples: 0 }));
  const dayOf = (at: number) => {
    if (at < (calendar.starts[0] ?? 0)) return undefined;
    const i = calendar.starts.findIndex((start, k) => at >= start && at < (calendar.starts[k + 1] ?? -Infinity));
    return i < 0 ? undefined : days[i];
  };
  for (const l of levels) {
    const day = dayOf(l.at);
    if (day !== undefined) day.samples++;
  }
  const falls = walk.falls.map((f) => ({ ...f, litres: litresOf(f.percent, levels[index.get(f.at) ?? -1]) }));
  for (const f of falls) {
    const day = dayOf(f.at);
    if (day === undefined) continue;
    day.percent += f.percent;
    if (f.litres === null) day.litresKnown = false;
    else day.litres += f.litres;
  }
  const refills: Refill[] = [];
  for (const d of walk.deliveries) {
    const day = dayOf(d.at);
    if (day === undefined) continue;
    day.refills++;
    const before = levels[(index.get(d.at) ?? 0) - 1];
    refills.push({ at: d.lastRiseAt, fromPercent: round(before?.percent ?? d.beforePercent), toPercent: round(d.afterPercent) });
  }

  const last = levels[levels.length - 1];
  const first = levels[0];
  const windowStart = options.now - windowDays * DAY;
  let percentPerDay: number | null = null;
  let litresPerDay: number | null = null;
  let basisDays = 0;
  if (last !== undefined && first !== undefined) {
    basisDays = (last.at - Math.max(first.at, windowStart)) / DAY;
    if (basisDays >= 0.5) {
      const recent = falls.filter((f) => f.at >= windowStart);
      percentPerDay = recent.reduce((n, f) => n + f.percent, 0) / basisDays;
      litresPerDay = recent.every((f) => f.litres !== null) ? recent.reduce((n, f) => n + (f.litres ?? 0), 0) / basisDays : null;
    }
  }
  const current = last === undefined ? null : { at: last.at, percent: round(last.percent), litres: last.litres === null ? null : round(last.litres) };
  const daysToEmpty = current !== null && percentPerDay !== null && percentPerDay > 0 ? current.percent / percentPerDay : null;
  return {
    days: days.map((d) => ({
      date: d.date,
      percentUsed: d.samples === 0 ? null : round(d.percent),
      litresUsed: d.samples === 0 || !d.litresKnown ? null : round(d.litres),
      refills: d.refills,
      samples: d.samples,
    })),
    rate: {
      percentPerDay: percentPerDay === null ? null : round(percentPerDay),
      litresPerDay: litresPerDay === null ? null : round(litresPerDay),
      basisDays: round(Math.max(0, basisDays)),
    },
    current,
    daysToEmpty: daysToEmpty === null ? null : round(daysToEmpty, 1),
    emptyAt: daysToEmpty === null || current === null ? null : Math.round(current.at + daysToEmpty * DAY),
    refills,
  };
}
