/**
 * Time of day in a simulated home, and rates that follow it. A home has a fixed UTC
 * offset (no Intl, no locale, no DST: the simulation must not depend on the host).
 * Rates are piecewise constant, so their integral between two instants is exact and
 * the same whether a model is advanced by 1 ms or by 3 days.
 */

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** Local calendar time of an instant. */
export interface LocalTime {
  /** Local days since 1970-01-01 (local midnight to local midnight). */
  readonly dayNumber: number;
  /** Hours since local midnight, fractional, in [0, 24). */
  readonly hour: number;
  /** 0 = Sunday … 6 = Saturday. */
  readonly weekday: number;
  /** 1 = January … 12 = December. */
  readonly month: number;
  readonly dayOfMonth: number;
}

/** The local day an instant falls in, exact at midnight whatever the offset. */
export function localDayNumber(epochMs: number, utcOffsetMinutes: number): number {
  const offsetMs = utcOffsetMinutes * MS_PER_MINUTE;
  let day = Math.floor((epochMs + offsetMs) / MS_PER_DAY);
  // The division may round across midnight for fractional instants; settle it exactly.
  if (epochMs < startOfLocalDay(day, utcOffsetMinutes)) day -= 1;
  else if (epochMs >= startOfLocalDay(day + 1, utcOffsetMinutes)) day += 1;
  return day;
}

/** UTC epoch ms of local midnight starting `dayNumber`. */
export function startOfLocalDay(dayNumber: number, utcOffsetMinutes: number): number {
  return dayNumber * MS_PER_DAY - utcOffsetMinutes * MS_PER_MINUTE;
}

/** UTC epoch ms of `hour` (fractional) on local day `dayNumber`. */
export function localInstant(dayNumber: number, hour: number, utcOffsetMinutes: number): number {
  return startOfLocalDay(dayNumber, utcOffsetMinutes) + Math.round(hour * MS_PER_HOUR);
}

/**
 * The n-th (1-based) instant at or after `startMs` whose local clock reads `hour`:
 * how a story says "day 1 at 19:30" so that it never falls before its start.
 */
export function nthLocalOccurrence(startMs: number, n: number, hour: number, utcOffsetMinutes: number): number {
  const first = localInstant(localDayNumber(startMs, utcOffsetMinutes), hour, utcOffsetMinutes);
  return (first >= startMs ? first : first + MS_PER_DAY) + (n - 1) * MS_PER_DAY;
}

export function localTime(epochMs: number, utcOffsetMinutes: number): LocalTime {
  const dayNumber = localDayNumber(epochMs, utcOffsetMinutes);
  const date = new Date(dayNumber * MS_PER_DAY); // a UTC date that shows the local calendar
  return {
    dayNumber,
    hour: (epochMs - startOfLocalDay(dayNumber, utcOffsetMinutes)) / MS_PER_HOUR,
    weekday: date.getUTCDay(),
    month: date.getUTCMonth() + 1,
    dayOfMonth: date.getUTCDate(),
  };
}

export function isWeekend(weekday: number): boolean {
  return weekday === 0 || weekday === 6;
}

/**
 * A rate in units per hour that only changes at known instants. Every model in
 * the simulated world is driven by one, so crossings can be solved exactly.
 */
export interface PiecewiseRate {
  /** Units per hour in effect on [ms, nextChangeAfter(ms)). */
  rateAt(ms: number): number;
  /** The first instant after `ms` at which the rate may change; always > ms. */
  nextChangeAfter(ms: number): number;
}

/** From `fromHour` (local, fractional) until the next step, the rate is `perHour`. */
export interface RateStep {
  readonly fromHour: number;
  readonly perHour: number;
}

/** A day's rate steps; the first step starts at hour 0. Weekend defaults to weekday. */
export interface DailyProfileSpec {
  readonly weekday: readonly RateStep[];
  readonly weekend?: readonly RateStep[];
}

interface CompiledStep {
  readonly fromMsOfDay: number;
  readonly perHour: number;
}

function compileSteps(steps: readonly RateStep[], what: string): readonly CompiledStep[] {
  if (steps[0]?.fromHour !== 0) throw new RangeError(`${what}: the first step must start at hour 0`);
  let previous = -1;
  return steps.map((step, i) => {
    if (!(step.fromHour >= 0 && step.fromHour < 24) || step.fromHour <= previous) {
      throw new RangeError(`${what}[${i}].fromHour: must increase within [0, 24), got ${step.fromHour}`);
    }
    if (!(Number.isFinite(step.perHour) && step.perHour >= 0)) {
      throw new RangeError(`${what}[${i}].perHour: must be a finite rate >= 0, got ${step.perHour}`);
    }
    previous = step.fromHour;
    return { fromMsOfDay: Math.round(step.fromHour * MS_PER_HOUR), perHour: step.perHour };
  });
}

/** Steps from 24 hourly rates (index = hour of day); equal neighbours are merged. */
export function hourlySteps(perHour: readonly number[]): RateStep[] {
  if (perHour.length !== 24) throw new RangeError(`hourlySteps: need 24 rates, got ${perHour.length}`);
  const steps: RateStep[] = [];
  perHour.forEach((rate, hour) => {
    if (steps.at(-1)?.perHour !== rate) steps.push({ fromHour: hour, perHour: rate });
  });
  return steps;
}

/** A rate by local time of day, weekday or weekend. Changes at its steps and at midnight. */
export class DailyProfile implements PiecewiseRate {
  readonly utcOffsetMinutes: number;
  readonly #weekday: readonly CompiledStep[];
  readonly #weekend: readonly CompiledStep[];

  constructor(spec: DailyProfileSpec, utcOffsetMinutes = 0) {
    this.utcOffsetMinutes = utcOffsetMinutes;
    this.#weekday = compileSteps(spec.weekday, 'weekday');
    this.#weekend = spec.weekend === undefined ? this.#weekday : compileSteps(spec.weekend, 'weekend');
  }

  rateAt(ms: number): number {
    const { steps, msOfDay } = this.#locate(ms);
    let rate = 0;
    for (const step of steps) {
      if (step.fromMsOfDay > msOfDay) break;
      rate = step.perHour;
    }
    return rate;
  }

  nextChangeAfter(ms: number): number {
    const { steps, msOfDay, dayStart } = this.#locate(ms);
    const next = steps.find((s) => s.fromMsOfDay > msOfDay);
    return dayStart + (next?.fromMsOfDay ?? MS_PER_DAY);
  }

  /** The total over one whole weekday or weekend day. */
  totalPerDay(weekend = false): number {
    const steps = weekend ? this.#weekend : this.#weekday;
    return steps.reduce((sum, step, i) => {
      const end = steps[i + 1]?.fromMsOfDay ?? MS_PER_DAY;
      return sum + (step.perHour * (end - step.fromMsOfDay)) / MS_PER_HOUR;
    }, 0);
  }

  #locate(ms: number): { steps: readonly CompiledStep[]; msOfDay: number; dayStart: number } {
    const day = localDayNumber(ms, this.utcOffsetMinutes);
    const dayStart = startOfLocalDay(day, this.utcOffsetMinutes);
    const weekday = new Date(day * MS_PER_DAY).getUTCDay();
    return { steps: isWeekend(weekday) ? this.#weekend : this.#weekday, msOfDay: ms - dayStart, dayStart };
  }
}

/** A time window carrying a constant rate, e.g. a leak. */
export interface RateWindow {
  readonly fromMs: number;
  readonly untilMs: number;
  readonly perHour: number;
}

/** The sum of the windows in effect; zero outside all of them. */
export class WindowedRate implements PiecewiseRate {
  readonly windows: readonly RateWindow[];

  constructor(windows: readonly RateWindow[]) {
    windows.forEach((w, i) => {
      if (!(w.untilMs > w.fromMs) || !(Number.isFinite(w.perHour) && w.perHour >= 0)) {
        throw new RangeError(`windows[${i}]: needs untilMs > fromMs and a finite rate >= 0`);
      }
    });
    this.windows = [...windows];
  }

  rateAt(ms: number): number {
    return this.windows.reduce((sum, w) => (ms >= w.fromMs && ms < w.untilMs ? sum + w.perHour : sum), 0);
  }

  nextChangeAfter(ms: number): number {
    let next = Number.POSITIVE_INFINITY;
    for (const w of this.windows) {
      if (w.fromMs > ms) next = Math.min(next, w.fromMs);
      else if (w.untilMs > ms) next = Math.min(next, w.untilMs);
    }
    return next;
  }

  /** True when some window is in effect at `ms`. */
  activeAt(ms: number): boolean {
    return this.windows.some((w) => ms >= w.fromMs && ms < w.untilMs);
  }
}

/** ∫ rate dt from `fromMs` to `toMs` (units, with the rate in units per hour). */
export function integrate(rate: PiecewiseRate, fromMs: number, toMs: number): number {
  let total = 0;
  let t = fromMs;
  while (t < toMs) {
    const end = Math.min(toMs, rate.nextChangeAfter(t));
    total += (rate.rateAt(t) * (end - t)) / MS_PER_HOUR;
    t = end;
  }
  return total;
}

/**
 * The instant in (fromMs, toMs] at which ∫ rate from `fromMs` reaches `amount`
 * (> 0), or null when it does not get there by `toMs`.
 */
export function timeToAccumulate(rate: PiecewiseRate, fromMs: number, toMs: number, amount: number): number | null {
  let left = amount;
  let t = fromMs;
  while (t < toMs) {
    const end = Math.min(toMs, rate.nextChangeAfter(t));
    const perHour = rate.rateAt(t);
    const gained = (perHour * (end - t)) / MS_PER_HOUR;
    if (perHour > 0 && gained >= left) return Math.min(end, t + (left / perHour) * MS_PER_HOUR);
    left -= gained;
    t = end;
  }
  return null;
}
