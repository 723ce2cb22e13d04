/**
 * Use per hour, local day, weekday and month, from a level walk (level-walk.ts):
 * only counted falls are use; deliveries are listed apart; hours with no row are
 * not covered and a day is `complete` only when at least `completeHours` of its
 * hours are, so an outage shows as a gap (and is left out of averages and
 * forecasts) instead of as a day of little use.
 */
import { HOUR, localClock, type LocalClock } from './local-time.js';
import { walkLevels, type Delivery, type LevelWalk, type Outage, type WalkOptions } from './level-walk.js';
import { cleanLevels, type CleanOptions, type LevelRow } from './level-series.js';

export interface HourUse {
  readonly at: number;
  readonly percent: number;
  readonly litres: number | null;
}

export interface DayUse {
  readonly date: string;
  readonly weekday: number;
  readonly percent: number;
  readonly litres: number | null;
  /** Hours of the day with a row. */
  readonly hoursCovered: number;
  readonly complete: boolean;
}

export interface PeriodUse {
  /** "0".."6" (Sunday first) for weekdays, YYYY-MM for months, "0".."23" for hours of the day. */
  readonly key: string;
  /** Mean use per complete day (weekday, month) or per covered hour (hour of day); null with none. */
  readonly meanPercent: number | null;
  readonly meanLitres: number | null;
  /** Complete days (or covered hours) the mean rests on. */
  readonly basis: number;
}

export interface Usage {
  readonly hours: readonly HourUse[];
  readonly days: readonly DayUse[];
  readonly weekdays: readonly PeriodUse[];
  readonly months: readonly PeriodUse[];
  readonly hoursOfDay: readonly PeriodUse[];
  readonly deliveries: readonly Delivery[];
  readonly outages: readonly Outage[];
  readonly walk: LevelWalk;
}

export interface UsageOptions extends WalkOptions, CleanOptions {
  readonly timeZone?: string;
  /** Default 20 of 24 hours. */
  readonly completeHours?: number;
}

const litresOf = (percent: number, capacity: number | null | undefined): number | null => (capacity !== null && capacity !== undefined && capacity > 0 ? (percent / 100) * capacity : null);

export function analyseUsage(rows: readonly LevelRow[], options: UsageOptions = {}): Usage {
  const clock = localClock(options.timeZone);
  const walk = walkLevels(cleanLevels(rows, options), options);
  return usageFromWalk(walk, clock, options);
}

export function usageFromWalk(walk: LevelWalk, clock: LocalClock, options: UsageOptions = {}): Usage {
  const capacity = options.capacityLitres;
  const completeHours = options.completeHours ?? 20;
  const hourUse = new Map<number, number>();
  for (const f of walk.falls) hourUse.set(f.at, (hourUse.get(f.at) ?? 0) + f.percent);
  const days = new Map<string, { date: string; weekday: number; percent: number; hours: number }>();
  const hourOfDay = Array.from({ length: 24 }, () => ({ sum: 0, n: 0 }));
  const hours: HourUse[] = [];
  // Every local day from the first row to the last, so a day of outage shows as a day with no hours.
  const first = walk.levels[0];
  const last = walk.levels[walk.levels.length - 1];
  if (first !== undefined && last !== undefined) {
    // Six-hour steps meet every local day (none is shorter than 23 hours).
    for (let at = first.at; at < last.at + 6 * HOUR; at += 6 * HOUR) {
      const local = clock(Math.min(at, last.at));
      if (!days.has(local.date)) days.set(local.date, { date: local.date, weekday: local.weekday, percent: 0, hours: 0 });
    }
  }
  for (const l of walk.levels) {
    const local = clock(l.at);
    const used = hourUse.get(l.at) ?? 0;
    const day = days.get(local.date) ?? { date: local.date, weekday: local.weekday, percent: 0, hours: 0 };
    day.percent += used;
    day.hours++;
    days.set(local.date, day);
    const slot = hourOfDay[local.hour];
    if (slot !== undefined) {
      slot.sum += used;
      slot.n++;
    }
    if (used > 0) hours.push({ at: l.at, percent: used, litres: litresOf(used, capacity) });
  }
  const dayList: DayUse[] = [...days.values()].map((d) => ({
    date: d.date,
    weekday: d.weekday,
    percent: d.percent,
    litres: litresOf(d.percent, capacity),
    hoursCovered: d.hours,
    complete: d.hours >= completeHours,
  }));
  const complete = dayList.filter((d) => d.complete);
  const mean = (key: string, list: readonly DayUse[]): PeriodUse => {
    const total = list.reduce((n, d) => n + d.percent, 0);
    const meanPercent = list.length > 0 ? total / list.length : null;
    return { key, meanPercent, meanLitres: meanPercent === null ? null : litresOf(meanPercent, capacity), basis: list.length };
  };
  const weekdays = Array.from({ length: 7 }, (_, w) => mean(String(w), complete.filter((d) => d.weekday === w)));
  const monthKeys = [...new Set(dayList.map((d) => d.date.slice(0, 7)))];
  const months = monthKeys.map((m) => mean(m, complete.filter((d) => d.date.startsWith(m))));
  const hoursOfDay = hourOfDay.map((s, h) => {
    const meanPercent = s.n > 0 ? s.sum / s.n : null;
    return { key: String(h), meanPercent, meanLitres: meanPercent === null ? null : litresOf(meanPercent, capacity), basis: s.n };
  });
  return { hours, days: dayList, weekdays, months, hoursOfDay, deliveries: walk.deliveries, outages: walk.outages, walk };
}
