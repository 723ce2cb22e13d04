/**
 * Consumption analytics for a level sensor, from hourly level averages: how much
 * was used each calendar day (UTC, or the homeowner's time zone) (falls only — a rise is a refill, not negative use), how
 * fast it goes lately, and when it will be empty at that rate.
 *
 * A ratchet with a dead band keeps noise from counting as use: a fall counts only
 * once the level is more than `deadbandPercent` below the last counted level, and
 * then counts in full, so a slow drain is never lost, only quantised; the level
 * counted from moves up only on a rise of twice the dead band.
 */
import type { LevelPoint } from '../storage/types.js';
import { calendarDaysFrom } from './calendar-days.js';
import { DAY } from './time-range.js';

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
  readonly deadbandPercent?: number;
  /** A rise of at least this many points is a refill. */
  readonly refillPercent?: number;
}

export interface Consumption {
  readonly days: DayUsage[];
  readonly rate: { readonly percentPerDay: number | null; readonly litresPerDay: number | null; readonly basisDays: number };
  readonly current: { readonly at: number; readonly percent: number; readonly litres: number | null } | null;
  readonly daysToEmpty: number | null;
  readonly emptyAt: number | null;
  /** Each rise counted as a refill inside the days reported (the hourly average it rose to). */
  readonly refills: Refill[];
}

export interface Refill {
  readonly at: number;
  readonly fromPercent: number;
  readonly toPercent: number;
}

interface Fall {
  readonly at: number;
  readonly percent: number;
  readonly litres: number | null;
}

const round = (x: number, digits = 3): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function analyseConsumption(points: readonly LevelPoint[], options: ConsumptionOptions): Consumption {
  const deadband = options.deadbandPercent ?? 0.5;
  const refillAt = options.refillPercent ?? 5;
  const windowDays = options.rateWindowDays ?? 7;
  const usable = points.filter((p): p is LevelPoint & { percent: number } => p.percent !== null).sort((a, b) => a.at - b.at);

  const calendar = calendarDaysFrom(options.firstDay, options.days, options.timeZone);
  const days = calendar.dates.map((date) => ({ date, percent: 0, litres: 0, litresKnown: true, refills: 0, samples: 0 }));
  // Points are sorted, so the day index only moves forward.
  let dayIndex = 0;
  const dayOf = (at: number) => {
    if (at < (calendar.starts[0] ?? 0)) return undefined;
    while (dayIndex < days.length && at >= (calendar.starts[dayIndex + 1] ?? Infinity)) dayIndex++;
    return days[dayIndex];
  };
  const falls: Fall[] = [];
  const refills: Refill[] = [];
  let ref: (LevelPoint & { percent: number }) | undefined;
  let previous: (LevelPoint & { percent: number }) | undefined;
  for (const p of usable) {
    const before = previous;
    previous = p;
    const day = dayOf(p.at);
    if (day !== undefined) day.samples++;
    if (ref === undefined) {
      ref = p;
      continue;
    }
    const fall = ref.percent - p.percent;
    if (fall > deadband) {
      const litres = ref.litres !== null && p.litres !== null ? Math.max(0, ref.litres - p.litres) : null;
      falls.push({ at: p.at, percent: fall, litres });
      if (day !== undefined) {
        day.percent += fall;
        if (litres === null) day.litresKnown = false;
        else day.litres += litres;
      }
      ref = p;
    } else if (-fall > 2 * deadband) {
      // A real rise (a top-up, a refill): count from the new level. Smaller rises are noise or
      // warm gas expanding, and the level they fall back to must not count as use again.
      const last = refills[refills.length - 1];
      if (-fall >= refillAt && last !== undefined && before !== undefined && last.at === before.at) {
        // One refill whose rise straddles an hour boundary shows as two rising hourly averages.
        refills[refills.length - 1] = { ...last, at: p.at, toPercent: round(p.percent) };
      } else if (-fall >= refillAt && day !== undefined) {
        day.refills++;
        refills.push({ at: p.at, fromPercent: round(before?.percent ?? ref.percent), toPercent: round(p.percent) });
      }
      ref = p;
    }
  }

  const last = usable[usable.length - 1];
  const first = usable[0];
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
